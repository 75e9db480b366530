"""Demo data: two hospitals with departments, visits, answers, findings, rectifications.

Used by ``auditapp demo`` and ``auditapp --demo`` so a newcomer has something real to
look at. Deterministic (fixed random seed) so screenshots and tests are repeatable.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from auditapp import paths
from auditapp.checklists import Library, load_library
from auditapp.db import Database
from auditapp.progress import CancelToken, Progress, is_cancelled
from auditapp.services import floorplans, institutions, journey, leaders, rectifications, visits
from auditapp.services.rectifications import RectificationUpdate

DEMO_MARK = "（示例）"


@dataclass(frozen=True)
class _Hospital:
    name: str
    kind: str
    level: int
    has_obstetrics: bool
    alliance_lead: bool
    region: str
    departments: list[str]
    inspector: str
    # The leadership roster (name, role); the inspector is on it, so the demo's visits
    # count toward that leader's monthly duty and the others show as still to walk.
    leaders: tuple[tuple[str, str], ...]


_HOSPITALS = [
    _Hospital(
        name=f"示例市中医院{DEMO_MARK}",
        kind="tcm",
        level=3,
        has_obstetrics=False,
        alliance_lead=True,
        region="示例市",
        departments=["门诊部", "医务科", "护理部", "总务科", "信息中心", "保卫科", "宣传科", "治未病中心", "药剂科"],
        inspector="王院长",
        leaders=(("王院长", "president"), ("张书记", "party_secretary"), ("刘副院长", "vice_president")),
    ),
    _Hospital(
        name=f"示例区人民医院{DEMO_MARK}",
        kind="general",
        level=2,
        has_obstetrics=True,
        alliance_lead=False,
        region="示例区",
        departments=["门诊部", "医务科", "护理部", "后勤保障部", "信息中心", "保卫科", "产科", "药剂科"],
        inspector="李书记",
        leaders=(("李书记", "party_secretary"), ("陈院长", "president"), ("赵副院长", "vice_president")),
    ),
]

_FREE_FINDINGS = [
    ("门诊大厅", "自助机旁无工作人员指导，老年患者排队求助无人回应", "major", "门诊部"),
    ("二楼候诊区", "候诊区座椅数量不足，多名患者站立等候超过 20 分钟", "minor", "门诊部"),
    ("停车场", "院内停车场入口无空余车位提示，车辆在院门口排队影响急救通道", "major", "保卫科"),
    ("住院部电梯", "电梯内张贴的就医指引已过期，楼层科室信息与实际不符", "minor", "宣传科"),
]

_NOTES = [
    "现场未见相关标识，询问导医后才找到。",
    "设施存在，但已损坏，未见维修记录。",
    "工作人员表示正在整改，但现场仍未落实。",
    "",
]


@dataclass(frozen=True)
class DemoResult:
    institutions: list[str]
    visits: list[str]
    created: bool


def create_demo_data(
    db: Database,
    *,
    library: Library | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> DemoResult:
    """Create the demo hospitals once; a second call reports what is already there.

    Each hospital (with its three visits) is one unit of work: cancelling stops before
    the next one, and a later call adds only the hospitals still missing.
    """
    library = library or load_library()
    today = today or date.today()
    existing = {i.name: i for i in institutions.list_institutions(db)}
    if all(h.name in existing for h in _HOSPITALS):
        ids = [existing[h.name].id for h in _HOSPITALS]
        return DemoResult(
            institutions=ids, visits=[v.id for i in ids for v in visits.list_visits(db, institution=i)], created=False
        )

    rng = random.Random(20231)
    inst_ids: list[str] = []
    visit_ids: list[str] = []
    for done, spec in enumerate(_HOSPITALS):
        if progress is not None:
            progress(done, len(_HOSPITALS), spec.name)
        if is_cancelled(cancel):
            break
        if spec.name in existing:
            inst_ids.append(existing[spec.name].id)
            continue
        inst = institutions.add_institution(
            db,
            name=spec.name,
            kind=spec.kind,
            level=spec.level,
            has_obstetrics=spec.has_obstetrics,
            alliance_lead=spec.alliance_lead,
            region=spec.region,
            departments=list(spec.departments),
        )
        inst_ids.append(inst.id)
        # In office since the month of the first demo visit (not owed a walk before it).
        since = (today - timedelta(days=63)).replace(day=1)
        for name, role in spec.leaders:
            leaders.add_leader(db, institution=inst.id, name=name, role=role, active_from=since)
        _add_floor_plan(db, inst.id)
        # Three monthly visits: two finalized, the latest in progress.
        for months_back, finalize in ((2, True), (1, True), (0, False)):
            day = today - timedelta(days=30 * months_back + 3)
            visit = visits.start_visit(
                db,
                institution=inst.id,
                inspector=spec.inspector,
                mode="self",
                visit_date=day,
                library=library,
            )
            visit_ids.append(visit.id)
            # Later visits are better: fewer problems as rectification takes hold.
            _answer_items(db, visit.id, fail_rate=0.28 - 0.07 * (2 - months_back),
                          answer_share=1.0 if finalize else 0.6, rng=rng)
            area, text, severity, dept = _FREE_FINDINGS[(len(visit_ids) + months_back) % len(_FREE_FINDINGS)]
            visits.add_finding(db, visit.id, text=text, area=area, severity=severity, department=dept)
            _progress_rectifications(db, visit.id, day, months_back, rng)
            _record_journey(db, visit.id, day, months_back, rng)
            if finalize:
                visits.finalize_visit(db, visit.id)
        # The plan for this month and the next two: routes rotate among the leaders.
        leaders.rotate_plan(db, institution=inst.id, first_month=today.strftime("%Y-%m"), months=3, library=library)
    if progress is not None and not is_cancelled(cancel):
        progress(len(_HOSPITALS), len(_HOSPITALS), "")
    return DemoResult(institutions=inst_ids, visits=visit_ids, created=True)


def _answer_items(db: Database, visit_id: str, *, fail_rate: float, answer_share: float, rng: random.Random) -> None:
    """Answer a share of the visit's items, about ``fail_rate`` of them as problems (one transaction)."""
    answers: list[visits.AnswerInput] = []
    for item in visits.walk_items(db, visit_id):
        if rng.random() > answer_share:
            continue
        kind = item.response.type
        if kind in ("number", "duration") and item.response.target is not None:
            target = item.response.target.value
            ok = rng.random() > fail_rate
            answers.append(visits.AnswerInput(item.id, value=_value_near(target, item.response.target.op, ok, rng)))
            continue
        if kind in ("number", "text", "duration"):
            answers.append(visits.AnswerInput(item.id, result="na", note="本次体验无法现场核实"))
            continue
        roll = rng.random()
        if roll < fail_rate:
            answers.append(visits.AnswerInput(item.id, result="nonconform", note=rng.choice(_NOTES)))
        elif roll < fail_rate + 0.05:
            answers.append(visits.AnswerInput(item.id, result="na"))
        else:
            answers.append(visits.AnswerInput(item.id, result="conform"))
    visits.answer_items(db, visit_id, answers)


def _value_near(target: float, op: str, ok: bool, rng: random.Random) -> float:
    spread = max(abs(target) * 0.2, 1.0)
    above = op in (">=", ">")
    if op == "==":
        return target if ok else target + spread
    delta = rng.uniform(0.1, 1.0) * spread
    value = target + delta if ok == above else target - delta
    return round(max(value, 0.0), 1)


def _progress_rectifications(db: Database, visit_id: str, day: date, months_back: int, rng: random.Random) -> None:
    """Give rectifications owners, deadlines and, for older visits, progress (one transaction)."""
    owners = ["张主任", "刘科长", "陈护士长", "赵主任", "孙科长"]
    updates: list[RectificationUpdate] = []
    for row in rectifications.list_rectifications(db, visit=visit_id):
        finding_id = row.finding.id
        updates.append(RectificationUpdate(
            finding_id,
            owner=rng.choice(owners),
            deadline=day + timedelta(days=rng.choice((7, 14, 30))),
            measures="立即整改，完善制度并安排专人每日巡查。",
        ))
        if months_back == 0:
            continue
        roll = rng.random()
        if roll < 0.45:
            updates.append(RectificationUpdate(finding_id, status="in_progress"))
            updates.append(RectificationUpdate(
                finding_id, status="reported_fixed", measures="已按要求整改，安排专人每日巡查。", note="科室已整改并上报"
            ))
            if months_back == 2 or roll < 0.3:
                updates.append(RectificationUpdate(finding_id, status="verified", note="复查确认已整改"))
        elif roll < 0.7:
            updates.append(RectificationUpdate(finding_id, status="in_progress"))
    rectifications.update_rectifications(db, updates)


_JOURNEY = [("arrival", 0), ("registration", 6), ("waiting", 9), ("consultation", 0), ("payment", 8), ("pharmacy", 7), ("leaving", 5)]


def _record_journey(db: Database, visit_id: str, day: date, months_back: int, rng: random.Random) -> None:
    """Timed steps of the walk; older visits waited longer, so the trend shows."""
    start = datetime.combine(day, time(8, 40), tzinfo=timezone(timedelta(hours=8)))
    at = start
    for step, minutes in _JOURNEY:
        if step == "consultation":
            minutes = 18 + 9 * months_back + rng.randint(0, 8)  # the wait the seeds cap at 30 min
        at = at + timedelta(minutes=minutes, seconds=rng.randint(0, 59))
        journey.record_step(db, visit_id, step, at=at)


def _plan_image(path: Path, title: str) -> Path:
    """A schematic outpatient floor plan, drawn so the demo has an AED map to show."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 1600, 1000
    image = Image.new("RGB", (width, height), (250, 250, 246))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(paths.cjk_font_path()), 30)
    small = ImageFont.truetype(str(paths.cjk_font_path()), 24)
    rooms = [
        ((40, 40, 560, 420), "门诊大厅 / 挂号收费"),
        ((580, 40, 900, 420), "药房"),
        ((920, 40, 1240, 420), "检验科（采血）"),
        ((1260, 40, 1560, 420), "放射科"),
        ((40, 580, 400, 960), "急诊科"),
        ((420, 580, 760, 960), "内科诊区"),
        ((780, 580, 1120, 960), "外科诊区"),
        ((1140, 580, 1340, 960), "卫生间"),
        ((1360, 580, 1560, 960), "电梯 / 楼梯"),
    ]
    for box, label in rooms:
        draw.rectangle(box, outline=(90, 90, 90), width=4, fill=(255, 255, 255))
        draw.text((box[0] + 16, box[1] + 14), label, fill=(40, 40, 40), font=font)
    draw.rectangle((40, 440, 1560, 560), fill=(232, 240, 232))
    draw.text((60, 482), "主通道 → 住院部", fill=(60, 90, 60), font=small)
    draw.text((width - 420, height - 36), title, fill=(120, 120, 120), font=small)
    image.save(path)
    return path


def _add_floor_plan(db: Database, institution_id: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        image = _plan_image(Path(tmp) / "plan.png", "门诊楼一层（示意图）")
        plan = floorplans.add_floor_plan(db, institution_id, image, name="门诊楼一层", floor="1F")
    floorplans.add_pin(db, plan.id, kind="aed", x=0.18, y=0.30, label="门诊大厅导医台旁", status="ok")
    floorplans.add_pin(db, plan.id, kind="aed", x=0.14, y=0.80, label="急诊科分诊台", status="ok")
    floorplans.add_pin(db, plan.id, kind="aed", x=0.91, y=0.78, label="电梯厅", status="faulty")
    floorplans.add_pin(db, plan.id, kind="facility", x=0.77, y=0.75, label="无障碍卫生间")

