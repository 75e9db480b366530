"""A provincial bureau's volume: N TCM hospitals × M monthly visits × ~200 answers, in bulk.

Run: python tests/bench/make_bureau_data.py DATA_DIR [--institutions 50] [--months 24] [--seed 7]

Defaults give 50 institutions × 24 visits × 200 answer rows = 240,000 answers and about
20,000 problems (each with a rectification), a leadership roster of four per hospital
and a visit plan. The real checklist library is snapshotted, so sections and problem
statements read as in the app. Rows go in with Core ``insert()`` (see PLATFORM.md:
services would take hours); deterministic for a given seed. One visit in twenty stops
early (60 of its answer rows hold no result): an incomplete visit.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from auditapp.checklists import InstitutionProfile, applicable_items, load_library, snapshot_json  # noqa: E402
from auditapp.db import Database, open_database  # noqa: E402
from auditapp.db.models import (  # noqa: E402
    Answer,
    ChecklistSnapshot,
    Department,
    Finding,
    Institution,
    Leader,
    Rectification,
    Visit,
    VisitChecklist,
    VisitPlan,
)
from auditapp.rules.duty import add_months, month_of  # noqa: E402

ANSWERS_PER_VISIT = 200
LEADERS = [("院长", "president"), ("党委书记", "party_secretary"), ("副院长", "vice_president"), ("副院长", "vice_president")]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌"
CITIES = ["长春", "吉林", "四平", "辽源", "通化", "白山", "松原", "白城", "延边", "梅河口", "公主岭"]


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(device: str) -> dict[str, object]:
    now = _now()
    return {"created_at": now, "updated_at": now, "device_id": device, "deleted_at": None}


def make_bureau_data(
    db: Database,
    *,
    institutions: int = 50,
    months: int = 24,
    seed: int = 7,
    today: date | None = None,
    answers_per_visit: int = ANSWERS_PER_VISIT,
) -> dict[str, int]:
    """Fill ``db`` (expected empty) and return row counts."""
    rng = random.Random(seed)
    today = today or date.today()
    library = load_library()
    device = db.device_id
    profile = InstitutionProfile(kind="tcm", level=3, has_obstetrics=True, alliance_lead=False)
    template = library.default_template_for(profile)
    assert template is not None
    checklists = [library.get(cid) for cid in template.checklists]
    snapshots = []
    items: list[tuple[str, str, str]] = []  # (checklist id, item id, department)
    visit_checklists_template = []
    for order, checklist in enumerate(checklists):
        content, sha = snapshot_json(checklist)
        snap_id = str(uuid.uuid4())
        snapshots.append({"id": snap_id, "checklist_id": checklist.id, "version": checklist.version,
                          "title": checklist.title, "sha256": sha, "content": content, **_stamp(device)})
        ids = [item.id for _s, item in applicable_items(checklist, profile)]
        visit_checklists_template.append((snap_id, order, ids))
        items.extend((checklist.id, item.id, item.department or "门诊部") for _s, item in applicable_items(checklist, profile))
    severity_of = {item.id: item.severity for c in checklists for _s, item in c.items()}
    dept_names = sorted({d for _c, _i, d in items} | {"门诊部", "总务科"})

    counts = {k: 0 for k in ("institutions", "leaders", "plans", "visits", "answers", "findings", "rectifications")}
    first_month = add_months(month_of(today), -(months - 1))
    with db.engine.begin() as conn:
        conn.execute(ChecklistSnapshot.__table__.insert(), snapshots)
        for n in range(institutions):
            inst_id = str(uuid.uuid4())
            city = CITIES[n % len(CITIES)]
            conn.execute(Institution.__table__.insert(), [{
                "id": inst_id, "name": f"{city}市第{n // len(CITIES) + 1}中医院" if n >= len(CITIES) else f"{city}市中医院",
                "kind": "tcm" if n % 5 else "integrated", "level": 3, "has_obstetrics": True, "alliance_lead": False,
                "region": city, "notes": "", **_stamp(device)}])
            counts["institutions"] += 1
            depts = {name: str(uuid.uuid4()) for name in dept_names}
            conn.execute(Department.__table__.insert(), [
                {"id": d, "institution_id": inst_id, "name": name, "head": "", **_stamp(device)} for name, d in depts.items()
            ])
            leaders = []
            for k, (_title, role) in enumerate(LEADERS):
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
                leaders.append({"id": str(uuid.uuid4()), "institution_id": inst_id, "name": f"{name}", "role": role,
                                "active_from": None, "active_to": None, "sort_order": k, **_stamp(device)})
            names = set()
            for leader in leaders:  # namesakes get a suffix, as the roster demands
                while leader["name"] in names:
                    leader["name"] = f"{leader['name']}甲"
                names.add(leader["name"])
            conn.execute(Leader.__table__.insert(), leaders)
            counts["leaders"] += len(leaders)
            routes = [c.id for c in checklists if c.id != "indicators"]
            plans = [
                {"id": str(uuid.uuid4()), "institution_id": inst_id, "leader_id": leader["id"],
                 "month": add_months(first_month, m), "areas": [routes[(k + m * len(leaders)) % len(routes)]],
                 "note": "", **_stamp(device)}
                for m in range(months + 1) for k, leader in enumerate(leaders)
            ]
            conn.execute(VisitPlan.__table__.insert(), plans)
            counts["plans"] += len(plans)

            quality = rng.uniform(0.87, 0.975)  # share of items conforming in this hospital
            chronic = set(rng.sample([i for _c, i, _d in items], 6))  # problems it keeps having
            visit_rows, vc_rows, answer_rows, finding_rows, rect_rows = [], [], [], [], []
            for m in range(months):
                month = add_months(first_month, m)
                year, mon = int(month[:4]), int(month[5:])
                day = date(year, mon, rng.randint(3, 25))
                if day > today:
                    day = today
                visit_id = str(uuid.uuid4())
                leader = leaders[m % len(leaders)]
                started = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
                visit_rows.append({
                    "id": visit_id, "institution_id": inst_id, "leader_id": leader["id"], "mode": "self",
                    "inspector": leader["name"], "title": "", "visit_date": day, "started_at": started,
                    "finalized_at": started + timedelta(hours=3), "status": "finalized",
                    "report_number": f"{day.year}-{day.month:02d}-{m + 1:03d}", "notes": "", "amended_at": None,
                    **_stamp(device)})
                for snap_id, order, ids in visit_checklists_template:
                    vc_rows.append({"id": str(uuid.uuid4()), "visit_id": visit_id, "snapshot_id": snap_id,
                                    "sort_order": order, "applicable_item_ids": ids, **_stamp(device)})
                chosen = rng.sample(items, min(answers_per_visit, len(items)))
                incomplete = rng.random() < 0.05
                seq = 0
                for k, (checklist_id, item_id, dept) in enumerate(chosen):
                    answer_id = str(uuid.uuid4())
                    if incomplete and k >= answers_per_visit - 60:
                        result = None
                    elif item_id in chronic and rng.random() < 0.7:
                        result = "nonconform"
                    else:
                        r = rng.random()
                        result = "nonconform" if r > quality else ("na" if r > quality - 0.02 else "conform")
                    severity = severity_of.get(item_id, "minor")
                    answer_rows.append({
                        "id": answer_id, "visit_id": visit_id, "item_id": item_id, "checklist_id": checklist_id,
                        "result": result, "value": "", "note": "", "severity": severity,
                        "department_id": depts[dept] if result == "nonconform" else None,
                        "answered_at": started if result else None, **_stamp(device)})
                    if result != "nonconform":
                        continue
                    seq += 1
                    finding_id = str(uuid.uuid4())
                    finding_rows.append({
                        "id": finding_id, "visit_id": visit_id, "answer_id": answer_id, "item_id": item_id,
                        "source": "checklist", "text": "", "area": "", "severity": severity,
                        "department_id": depts[dept], "carried_from_id": None, "seq": seq, "basis": [],
                        **_stamp(device)})
                    age = (today - day).days
                    deadline = day + timedelta(days=30)
                    if age > 45 and rng.random() < 0.85:
                        fixed = started + timedelta(days=rng.randint(5, 60))
                        status, verified, closed = ("closed", fixed, fixed + timedelta(days=3)) if rng.random() < 0.5 else ("verified", fixed, None)
                    else:
                        status, verified, closed = rng.choice(("open", "in_progress", "reported_fixed")), None, None
                    rect_rows.append({
                        "id": str(uuid.uuid4()), "finding_id": finding_id, "department_id": depts[dept], "owner": "",
                        "deadline": deadline, "measures": "", "status": status, "verified_at": verified,
                        "closed_at": closed, "verification_note": "", "rounds": 0, "requested_deadline": None,
                        "extension_reason": "", "status_before_extension": "", **_stamp(device)})
            conn.execute(Visit.__table__.insert(), visit_rows)
            conn.execute(VisitChecklist.__table__.insert(), vc_rows)
            conn.execute(Answer.__table__.insert(), answer_rows)
            if finding_rows:
                conn.execute(Finding.__table__.insert(), finding_rows)
                conn.execute(Rectification.__table__.insert(), rect_rows)
            counts["visits"] += len(visit_rows)
            counts["answers"] += len(answer_rows)
            counts["findings"] += len(finding_rows)
            counts["rectifications"] += len(rect_rows)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--institutions", type=int, default=50)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    with open_database(args.data_dir) as db:
        counts = make_bureau_data(db, institutions=args.institutions, months=args.months, seed=args.seed)
    took = time.perf_counter() - started
    print(", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" in {took:.1f} s -> {args.data_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
