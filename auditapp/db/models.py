"""SQLAlchemy ORM models of the audit domain (see DESIGN.md, "Domain model").

Every synced record carries a UUID primary key, ``created_at``/``updated_at`` (UTC),
the device that last changed it and a tombstone (``deleted_at``), so records can be
merged one by one between laptops and a shared database. Rows are never hard-deleted
by the app: a deletion sets ``deleted_at`` so it can propagate.

No ``from __future__ import annotations`` here: with it every ``Mapped[...]`` is a
string that SQLAlchemy evaluates one by one when the class is built (about a fifth of
this module's import, which every start of the app pays); only forward references to
classes defined further down are quoted.
"""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from auditapp.rules import rectification as rectification_rules
from auditapp.terms import VOCABULARY

# Stable constraint names so Alembic batch migrations on SQLite can find them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def rule(zh: str, en: str, **checks: Any) -> dict[str, Any]:
    """A column's ``info``: its name in words (for messages) and the checks beyond its type.

    ``auditapp.db.validation`` reads these, together with the column's own type, length
    and nullability, and applies them to every local write (a ``before_flush`` hook), to
    package import and to direct sync alike. Keys: ``required`` (not blank),
    ``choices`` (allowed values), ``range`` (lo, hi) inclusive, ``max_length`` (for
    Text), ``immutable`` (never changes after creation), ``format`` ("sha256",
    "sha256_or_empty", "month" = YYYY-MM), ``json`` (shape of a JSON column: "item_ids",
    "checklist_ids", "basis", "layers").
    """
    return {"label": (zh, en), **checks}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


# Enumerations shared by services, CLI and GUI.
INSTITUTION_KINDS = ("general", "tcm", "integrated", "specialist", "primary")
VISIT_MODES = ("self", "bureau")
VISIT_STATUSES = ("in_progress", "finalized")
ANSWER_RESULTS = ("conform", "nonconform", "na")
SEVERITIES = ("minor", "major", "critical")
# Members of the leadership team (领导班子成员); words in auditapp.terms "leader_role".
LEADER_ROLES = (
    "president", "party_secretary", "vice_president", "deputy_secretary", "discipline_secretary",
    "chief_accountant", "other",
)
# The rectification lifecycle lives in auditapp.rules.rectification (statuses, actions, overdue).
PIN_KINDS = ("aed", "finding", "facility")
PHOTO_KINDS = ("evidence", "after", "floorplan")
PHOTO_MIMES = ("image/jpeg", "image/png", "image/webp")
# Values of a growing vocabulary come from the one place that names them (the
# rectification lifecycle's rule table, auditapp.terms), so a value added there is
# storable at once.
RECTIFICATION_STATUS_CHOICES = (*rectification_rules.STATUSES, *rectification_rules.LEGACY_STATUSES)
RECTIFICATION_ACTION_CHOICES = ("", *VOCABULARY["rectification_action"])
FINDING_SOURCES = tuple(VOCABULARY["finding_source"])
AED_STATUS_CHOICES = tuple(VOCABULARY["aed_status"])
# Caps for free text: far beyond any real note, far below what would hurt a report.
TEXT_MAX = 20_000
SNAPSHOT_MAX = 20_000_000


class UTCDateTime(TypeDecorator[datetime]):
    """Store timestamps as naive UTC and hand them back timezone-aware.

    SQLite has no time zones; PostgreSQL (shared bureau database) does. Normalising to
    UTC on the way in makes ``updated_at`` comparisons in sync exact on both.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use timezone-aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SyncMixin:
    """Columns every synchronised record has."""

    __tablename__: str  # set by each model; declared here for the type checker

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id, info=rule("记录编号", "record id", required=True, immutable=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, info=rule("创建时间", "creation time"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True, info=rule("修改时间", "time of the last change"))
    device_id: Mapped[str] = mapped_column(String(36), nullable=False, default="", info=rule("设备编号", "device id"))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, info=rule("删除时间", "deletion time"))

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Meta(Base):
    """Key/value facts about this database file (device id, last backup …); not synced."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class Institution(SyncMixin, Base):
    __tablename__ = "institutions"

    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True, info=rule("机构名称", "institution name", required=True))
    kind: Mapped[str] = mapped_column(String(20), nullable=False, info=rule("机构类别", "institution kind", choices=INSTITUTION_KINDS))
    level: Mapped[int] = mapped_column(Integer, nullable=False, info=rule("机构级别", "institution level", range=(1, 3)))
    has_obstetrics: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, info=rule("是否设产科", "obstetrics department"))
    alliance_lead: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, info=rule("是否医联体牵头单位", "lead of a medical alliance"))
    region: Mapped[str] = mapped_column(String(200), nullable=False, default="", info=rule("所在地区", "region"))
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("机构备注", "institution notes", max_length=TEXT_MAX))

    departments: Mapped[list["Department"]] = relationship(back_populates="institution")
    visits: Mapped[list["Visit"]] = relationship(back_populates="institution")


class Department(SyncMixin, Base):
    """A responsible party inside an institution (门诊部, 总务科 …)."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("institution_id", "name"),)

    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), nullable=False, index=True, info=rule("科室所属机构", "institution of the department", immutable=True))
    name: Mapped[str] = mapped_column(String(200), nullable=False, info=rule("科室名称", "department name", required=True))
    head: Mapped[str] = mapped_column(String(200), nullable=False, default="", info=rule("科室负责人", "department head"))

    institution: Mapped["Institution"] = relationship(back_populates="departments")


class FloorPlan(SyncMixin, Base):
    """An image of one floor; pins are placed on it in relative coordinates."""

    __tablename__ = "floor_plans"

    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), nullable=False, index=True, info=rule("平面图所属机构", "institution of the floor plan", immutable=True))
    name: Mapped[str] = mapped_column(String(200), nullable=False, info=rule("平面图名称", "floor plan name", required=True))
    floor: Mapped[str] = mapped_column(String(40), nullable=False, default="", info=rule("楼层", "floor"))
    image_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True, info=rule("平面图图片", "floor plan image", format="sha256"))
    width: Mapped[int] = mapped_column(Integer, nullable=False, default=0, info=rule("平面图宽度", "floor plan width", range=(0, 100_000)))
    height: Mapped[int] = mapped_column(Integer, nullable=False, default=0, info=rule("平面图高度", "floor plan height", range=(0, 100_000)))
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0, info=rule("平面图顺序", "floor plan order", range=(0, 1_000_000)))


class Leader(SyncMixin, Base):
    """A member of an institution's leadership team (领导班子成员) while in office.

    Every leader owes one experience visit a month as an ordinary patient
    (yubei-2023 四(四)); the duty matrix reads the months in office from
    ``active_from``/``active_to`` (inclusive; None means open-ended).
    """

    __tablename__ = "leaders"
    __table_args__ = (UniqueConstraint("institution_id", "name"),)

    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), nullable=False, index=True, info=rule("院领导所属机构", "institution of the leader", immutable=True))
    name: Mapped[str] = mapped_column(String(200), nullable=False, info=rule("院领导姓名", "leader's name", required=True))
    # A LEADER_ROLES value (院长, 党委书记, 副院长 …); words in auditapp.terms "leader_role".
    role: Mapped[str] = mapped_column(String(30), nullable=False, default="other", info=rule("领导职务", "leader role", choices=LEADER_ROLES))
    # active_to >= active_from is a rule of the record (auditapp.db.validation).
    active_from: Mapped[date | None] = mapped_column(Date, nullable=True, info=rule("任职开始日期", "start of office"))
    active_to: Mapped[date | None] = mapped_column(Date, nullable=True, info=rule("任职结束日期", "end of office"))
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0, info=rule("院领导顺序", "leader order", range=(0, 1_000_000)))


class VisitPlan(SyncMixin, Base):
    """Who walks which route in which month (体验安排), so that areas rotate and all get walked.

    One record per leader and month; ``areas`` are checklist ids (the routes along the
    patient's path: 标识导引, 卫生间 …), ``note`` a route in words.
    """

    __tablename__ = "visit_plans"
    __table_args__ = (UniqueConstraint("leader_id", "month"),)

    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), nullable=False, index=True, info=rule("体验安排所属机构", "institution of the visit plan", immutable=True))
    leader_id: Mapped[str] = mapped_column(ForeignKey("leaders.id"), nullable=False, index=True, info=rule("体验安排的院领导", "leader of the visit plan", immutable=True))
    month: Mapped[str] = mapped_column(String(7), nullable=False, info=rule("体验月份", "month of the plan", format="month"))  # "2026-03"
    areas: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list, info=rule("体验路线", "routes of the plan", json="checklist_ids"))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("体验安排说明", "plan note", max_length=TEXT_MAX))


class ChecklistSnapshot(SyncMixin, Base):
    """The exact checklist content a visit used, frozen as canonical JSON.

    Identical content is stored once (``sha256``); later edits of the YAML file create a
    new snapshot and never change old visits.
    """

    __tablename__ = "checklist_snapshots"

    checklist_id: Mapped[str] = mapped_column(String(100), nullable=False, index=True, info=rule("检查表编号", "checklist id", required=True, immutable=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False, info=rule("检查表版本", "checklist version", range=(1, 1_000_000), immutable=True))
    title: Mapped[str] = mapped_column(String(300), nullable=False, info=rule("检查表标题", "checklist title", required=True, immutable=True))
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True, info=rule("检查表快照校验值", "checklist snapshot hash", format="sha256", immutable=True))
    content: Mapped[str] = mapped_column(Text, nullable=False, info=rule("检查表快照内容", "checklist snapshot content", max_length=SNAPSHOT_MAX, json="checklist", immutable=True))


class Visit(SyncMixin, Base):
    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_institution_date", "institution_id", "visit_date"),)

    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), nullable=False, index=True, info=rule("体验记录所属机构", "institution of the visit", immutable=True))
    mode: Mapped[str] = mapped_column(String(10), nullable=False, default="self", info=rule("检查方式", "visit mode", choices=VISIT_MODES))
    inspector: Mapped[str] = mapped_column(String(200), nullable=False, info=rule("检查人", "inspector", required=True))
    title: Mapped[str] = mapped_column(String(300), nullable=False, default="", info=rule("体验记录标题", "visit title"))
    visit_date: Mapped[date] = mapped_column(Date, nullable=False, info=rule("体验日期", "visit date"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, info=rule("开始时间", "start time"))
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, info=rule("定稿时间", "finalization time"))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="in_progress", info=rule("体验记录状态", "visit status", choices=VISIT_STATUSES))
    # Printed on reports ("2026-11-003"): per institution and year, assigned at start.
    report_number: Mapped[str] = mapped_column(String(40), nullable=False, default="", info=rule("报告编号", "report number"))
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("体验记录备注", "visit notes", max_length=TEXT_MAX))
    # Set when a finalized visit was changed by an amendment (see VisitAmendment).
    amended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, info=rule("修改时间", "time of the amendment"))
    # The roster leader who walked (their monthly duty, see Leader); None for a bureau
    # inspector or a name typed freely. ``inspector`` always holds the name as printed.
    leader_id: Mapped[str | None] = mapped_column(ForeignKey("leaders.id"), nullable=True, index=True, info=rule("体验的院领导", "leader who walked"))
    # The patient-path walk the visit follows, frozen when it starts like its snapshots:
    # {"template": id, "stages": [{"id", "title", "title_en", "sections": [...]}]}.
    # None: checklist order (a visit written by a version without walks).
    walk: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, info=rule("体验路线", "walk of the visit"))
    # Which items bound the institution when the visit started (auditapp.services.visit_walk):
    # {"region", "documents": [short names], "binding": {item id: [basis indexes]},
    #  "binding_only": bool}. None: judged from today's documents when read.
    jurisdiction: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, info=rule("适用文件范围", "documents binding the visit"))

    institution: Mapped["Institution"] = relationship(back_populates="visits")
    checklists: Mapped[list["VisitChecklist"]] = relationship(back_populates="visit", order_by="VisitChecklist.sort_order")


class VisitAmendment(SyncMixin, Base):
    """A finalized visit opened for changes, with the reason given once (修改（需说明原因）).

    Every change made under it is written to the change log with the same reason; the
    amendment itself travels by sync so that reports everywhere say the visit was amended.
    """

    __tablename__ = "visit_amendments"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), nullable=False, index=True, info=rule("修改的体验记录", "visit amended", immutable=True))
    reason: Mapped[str] = mapped_column(Text, nullable=False, info=rule("修改原因", "reason for the amendment", required=True, max_length=TEXT_MAX))
    actor: Mapped[str] = mapped_column(String(200), nullable=False, default="", info=rule("修改人", "amended by"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, info=rule("修改时间", "time of the amendment", immutable=True))


class VisitChecklist(SyncMixin, Base):
    """Which checklist snapshot a visit uses and which of its items applied then."""

    __tablename__ = "visit_checklists"
    __table_args__ = (UniqueConstraint("visit_id", "snapshot_id"),)

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), nullable=False, index=True, info=rule("所属体验记录", "visit", immutable=True))
    snapshot_id: Mapped[str] = mapped_column(ForeignKey("checklist_snapshots.id"), nullable=False, info=rule("检查表快照", "checklist snapshot", immutable=True))
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0, info=rule("检查表顺序", "checklist order", range=(0, 1_000_000)))
    # Item ids that applied to the institution when the visit started (frozen).
    applicable_item_ids: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list, info=rule("适用检查项", "applicable items", json="item_ids", immutable=True))

    visit: Mapped["Visit"] = relationship(back_populates="checklists")
    snapshot: Mapped["ChecklistSnapshot"] = relationship()


class Answer(SyncMixin, Base):
    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("visit_id", "item_id"),
        # Covers every column the dashboard aggregates (auditapp.stats): grouped scans
        # read the index alone, never the rows.
        Index("ix_answers_stats", "visit_id", "result", "severity", "checklist_id", "item_id", "value", "deleted_at"),
    )

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), nullable=False, index=True, info=rule("作答所属体验记录", "visit of the answer", immutable=True))
    item_id: Mapped[str] = mapped_column(String(200), nullable=False, info=rule("检查项编号", "item id", required=True, immutable=True))
    checklist_id: Mapped[str] = mapped_column(String(100), nullable=False, info=rule("检查表编号", "checklist id", required=True, immutable=True))
    result: Mapped[str | None] = mapped_column(String(12), nullable=True, info=rule("检查结果", "result", choices=ANSWER_RESULTS))
    value: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("测量值", "measured value", max_length=1000))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("作答备注", "answer note", max_length=TEXT_MAX))
    severity: Mapped[str] = mapped_column(String(10), nullable=False, default="minor", info=rule("严重程度", "severity", choices=SEVERITIES))
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"), nullable=True, info=rule("责任科室", "responsible department"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, info=rule("作答时间", "time of the answer"))


class Finding(SyncMixin, Base):
    """A problem found: a nonconforming answer or a free finding (其他问题)."""

    __tablename__ = "findings"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), nullable=False, index=True, info=rule("问题所属体验记录", "visit of the problem", immutable=True))
    answer_id: Mapped[str | None] = mapped_column(ForeignKey("answers.id"), nullable=True, unique=True, info=rule("问题对应作答", "answer of the problem"))
    item_id: Mapped[str | None] = mapped_column(String(200), nullable=True, info=rule("检查项编号", "item id"))
    source: Mapped[str] = mapped_column(String(12), nullable=False, default="free", info=rule("问题来源", "source of the problem", choices=FINDING_SOURCES))
    text: Mapped[str] = mapped_column(Text, nullable=False, info=rule("问题描述", "problem description", required=True, max_length=TEXT_MAX))
    area: Mapped[str] = mapped_column(String(200), nullable=False, default="", info=rule("问题区域", "area"))
    severity: Mapped[str] = mapped_column(String(10), nullable=False, default="minor", info=rule("严重程度", "severity", choices=SEVERITIES))
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"), nullable=True, info=rule("责任科室", "responsible department"))
    # Set when an open finding of an earlier visit is carried over to be re-checked.
    carried_from_id: Mapped[str | None] = mapped_column(ForeignKey("findings.id"), nullable=True, info=rule("复查的原问题", "problem re-checked"))
    seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0, info=rule("问题序号", "problem number", range=(0, 1_000_000)))
    # Citations of a finding that no checklist item carries (a timed wait over its target,
    # a faulty AED): [{"source": short name, "clause": …, "quote": …}].
    basis: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list, info=rule("问题依据", "basis of the problem", json="basis"))

    rectification: Mapped["Rectification | None"] = relationship(back_populates="finding", uselist=False)


class Rectification(SyncMixin, Base):
    """What must be fixed for one finding, by whom and when (整改)."""

    __tablename__ = "rectifications"

    finding_id: Mapped[str] = mapped_column(ForeignKey("findings.id"), nullable=False, unique=True, info=rule("整改对应问题", "problem of the rectification", immutable=True))
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"), nullable=True, info=rule("责任科室", "responsible department"))
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="", info=rule("整改负责人", "rectification owner"))
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True, info=rule("整改期限", "deadline"))
    measures: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("整改措施", "measures", max_length=TEXT_MAX))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="open", index=True, info=rule("整改状态", "rectification status", choices=RECTIFICATION_STATUS_CHOICES))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, info=rule("验收时间", "verification time"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, info=rule("销号时间", "closing time"))
    verification_note: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("验收说明", "verification note", max_length=TEXT_MAX))
    # Rounds: how often a reported fix was rejected or a verified one reopened (驳回次数).
    rounds: Mapped[int] = mapped_column(Integer, nullable=False, default=0, info=rule("整改轮次", "rounds", range=(0, 10_000)))
    # A pending request for more time (申请延期) and the status to return to afterwards.
    requested_deadline: Mapped[date | None] = mapped_column(Date, nullable=True, info=rule("申请的新期限", "deadline asked for"))
    extension_reason: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("延期理由", "reason for more time", max_length=TEXT_MAX))
    status_before_extension: Mapped[str] = mapped_column(String(20), nullable=False, default="", info=rule("延期前状态", "status before the extension request", choices=("", *RECTIFICATION_STATUS_CHOICES)))
    # What the department reports back (整改完成情况, 完成日期), through the app or its
    # ledger workbook; and a fingerprint of the last ledger row imported (see auditapp.ledger).
    completion: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("整改完成情况", "completion report", max_length=TEXT_MAX))
    completed_on: Mapped[date | None] = mapped_column(Date, nullable=True, info=rule("完成日期", "completion date"))
    ledger_receipt: Mapped[str] = mapped_column(String(64), nullable=False, default="", info=rule("台账回执", "ledger receipt"))

    finding: Mapped["Finding"] = relationship(back_populates="rectification")
    events: Mapped[list["RectificationEvent"]] = relationship(order_by="RectificationEvent.at")


class RectificationEvent(SyncMixin, Base):
    """One status change of a rectification (its history)."""

    __tablename__ = "rectification_events"

    rectification_id: Mapped[str] = mapped_column(ForeignKey("rectifications.id"), nullable=False, index=True, info=rule("所属整改", "rectification", immutable=True))
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, info=rule("状态变更时间", "time of the status change", immutable=True))
    status_from: Mapped[str | None] = mapped_column(String(20), nullable=True, info=rule("原状态", "previous status", choices=RECTIFICATION_STATUS_CHOICES, immutable=True))
    status_to: Mapped[str] = mapped_column(String(20), nullable=False, info=rule("新状态", "new status", choices=RECTIFICATION_STATUS_CHOICES, immutable=True))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("状态变更说明", "note of the status change", max_length=TEXT_MAX))
    actor: Mapped[str] = mapped_column(String(200), nullable=False, default="", info=rule("操作人", "changed by"))
    # The lifecycle action (auditapp.rules.rectification.ACTIONS) or "reassign" for a
    # change of the responsible department; "" in rows written before actions existed.
    action: Mapped[str] = mapped_column(String(24), nullable=False, default="", info=rule("操作", "action", choices=RECTIFICATION_ACTION_CHOICES, immutable=True))
    # For extension requests and grants: the deadline asked for / granted.
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True, info=rule("申请或批准的期限", "deadline asked for or granted"))


class Photo(SyncMixin, Base):
    """A photo attached to a visit, answer, finding or rectification (after-photo).

    The image file itself is content-addressed (``sha256``) in the photo store and may be
    shared by several rows; annotations and redactions are vector layers kept here and
    burned in only when the photo leaves the app.
    """

    __tablename__ = "photos"

    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id"), nullable=True, index=True, info=rule("照片所属体验记录", "visit of the photo", immutable=True))
    answer_id: Mapped[str | None] = mapped_column(ForeignKey("answers.id"), nullable=True, index=True, info=rule("照片对应作答", "answer of the photo"))
    finding_id: Mapped[str | None] = mapped_column(ForeignKey("findings.id"), nullable=True, index=True, info=rule("照片对应问题", "problem of the photo"))
    rectification_id: Mapped[str | None] = mapped_column(ForeignKey("rectifications.id"), nullable=True, index=True, info=rule("照片对应整改", "rectification of the photo"))
    kind: Mapped[str] = mapped_column(String(12), nullable=False, default="evidence", info=rule("照片类别", "photo kind", choices=PHOTO_KINDS))
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True, info=rule("照片文件校验值", "photo file hash", format="sha256", immutable=True))
    thumb_sha256: Mapped[str] = mapped_column(String(64), nullable=False, default="", info=rule("缩略图校验值", "thumbnail hash", format="sha256_or_empty", immutable=True))
    mime: Mapped[str] = mapped_column(String(40), nullable=False, default="image/jpeg", info=rule("照片格式", "photo format", choices=PHOTO_MIMES))
    width: Mapped[int] = mapped_column(Integer, nullable=False, default=0, info=rule("照片宽度", "photo width", range=(0, 100_000)))
    height: Mapped[int] = mapped_column(Integer, nullable=False, default=0, info=rule("照片高度", "photo height", range=(0, 100_000)))
    byte_size: Mapped[int] = mapped_column(Integer, nullable=False, default=0, info=rule("照片大小", "photo size", range=(0, 2**31 - 1)))
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, info=rule("拍摄时间", "time taken"))
    original_filename: Mapped[str] = mapped_column(String(300), nullable=False, default="", info=rule("原文件名", "original file name"))
    caption: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("照片说明", "photo caption", max_length=TEXT_MAX))
    annotations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list, info=rule("照片标注", "photo annotations", json="layers"))


class IndicatorSnapshot(SyncMixin, Base):
    """An indicator set (``checklists/indicators/*.yaml``) frozen as canonical JSON.

    Reported values point to the snapshot they were entered against, so the targets
    that judged a period stay those of that time (like checklist snapshots for visits).
    """

    __tablename__ = "indicator_snapshots"

    set_id: Mapped[str] = mapped_column(String(100), nullable=False, index=True, info=rule("指标集编号", "indicator set id", required=True, immutable=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False, info=rule("指标集版本", "indicator set version", range=(1, 1_000_000), immutable=True))
    title: Mapped[str] = mapped_column(String(300), nullable=False, info=rule("指标集标题", "indicator set title", required=True, immutable=True))
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True, info=rule("指标集快照校验值", "indicator snapshot hash", format="sha256", immutable=True))
    content: Mapped[str] = mapped_column(Text, nullable=False, info=rule("指标集快照内容", "indicator snapshot content", max_length=SNAPSHOT_MAX, immutable=True))


class IndicatorValue(SyncMixin, Base):
    """One institution's figure for one indicator and one period (评估指标按期填报).

    ``period`` is the canonical label ("2024-Q1", "2024-03", "2024"); ``value`` the figure
    as entered (a number for number and duration indicators). One row per institution,
    indicator and period: entering the period again corrects it.
    """

    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("institution_id", "indicator_id", "period"),)

    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), nullable=False, index=True, info=rule("指标所属医疗机构", "institution of the indicator value", immutable=True))
    snapshot_id: Mapped[str] = mapped_column(ForeignKey("indicator_snapshots.id"), nullable=False, info=rule("指标集快照", "indicator snapshot"))
    set_id: Mapped[str] = mapped_column(String(100), nullable=False, info=rule("指标集编号", "indicator set id", required=True, immutable=True))
    indicator_id: Mapped[str] = mapped_column(String(200), nullable=False, info=rule("指标编号", "indicator id", required=True, immutable=True))
    period: Mapped[str] = mapped_column(String(10), nullable=False, info=rule("统计期", "period", required=True, immutable=True))
    value: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("指标数值", "indicator value", max_length=TEXT_MAX))
    data_source: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("数据来源", "data source", max_length=TEXT_MAX))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("备注", "note", max_length=TEXT_MAX))
    entered_by: Mapped[str] = mapped_column(String(200), nullable=False, default="", info=rule("填报人", "entered by"))


class JourneyStep(SyncMixin, Base):
    """A timestamped step of the patient's journey during a visit (到达, 挂号 …)."""

    __tablename__ = "journey_steps"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), nullable=False, index=True, info=rule("环节所属体验记录", "visit of the journey step", immutable=True))
    step: Mapped[str] = mapped_column(String(40), nullable=False, info=rule("就诊环节", "journey step", required=True))
    label: Mapped[str] = mapped_column(String(100), nullable=False, default="", info=rule("环节名称", "step label"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, info=rule("环节时间", "time of the step"))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="", info=rule("环节备注", "step note", max_length=TEXT_MAX))


class MapPin(SyncMixin, Base):
    """A pin on a floor plan; x and y are fractions (0–1) of the plan's width and height."""

    __tablename__ = "map_pins"

    floor_plan_id: Mapped[str] = mapped_column(ForeignKey("floor_plans.id"), nullable=False, index=True, info=rule("图钉所在平面图", "floor plan of the pin", immutable=True))
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id"), nullable=True, index=True, info=rule("图钉对应体验记录", "visit of the pin"))
    kind: Mapped[str] = mapped_column(String(12), nullable=False, info=rule("图钉类别", "pin kind", choices=PIN_KINDS))
    x: Mapped[float] = mapped_column(Float, nullable=False, info=rule("图钉横坐标", "pin position x", range=(0.0, 1.0)))
    y: Mapped[float] = mapped_column(Float, nullable=False, info=rule("图钉纵坐标", "pin position y", range=(0.0, 1.0)))
    label: Mapped[str] = mapped_column(String(200), nullable=False, default="", info=rule("图钉名称", "pin label"))
    answer_id: Mapped[str | None] = mapped_column(ForeignKey("answers.id"), nullable=True, info=rule("图钉对应作答", "answer of the pin"))
    finding_id: Mapped[str | None] = mapped_column(ForeignKey("findings.id"), nullable=True, info=rule("图钉对应问题", "problem of the pin"))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="", info=rule("AED 状态", "AED status", choices=AED_STATUS_CHOICES))


class ChangeLogEntry(Base):
    """Append-only record of every change: who, when, what (old → new).

    Written automatically on flush (see ``auditapp.db.changelog``) so no service can
    forget it; the basis for trusting inspection records and for amendments of
    finalized visits.
    """

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_entity", "entity", "entity_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    device_id: Mapped[str] = mapped_column(String(36), nullable=False, default="")
    actor: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(36), nullable=False)
    action: Mapped[str] = mapped_column(String(12), nullable=False)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")



class SyncPeer(Base):
    """What this database knows about another replica (laptop, USB-stick file, server); not synced.

    ``known_at`` is a time on the *peer's* clock: every change the peer had made or
    received up to then has been merged here. A peer's record changed after it is news
    to this database; that is how "both sides edited since the last sync" is told apart
    from "one side is merely behind" (see ``auditapp.sync.merge``).
    """

    __tablename__ = "sync_peers"

    peer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    label: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    known_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The newest complete changeset (package) merged from this peer directly, on its clock:
    # one not newer than it is an old package imported again and need not be compared.
    merged_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_source: Mapped[str] = mapped_column(Text, nullable=False, default="")


class SyncConflict(Base):
    """A genuine conflict found by a merge: both values kept for the user to decide; not synced.

    The merge itself already applied a deterministic winner (``applied``) so that every
    database converges; resolving the conflict with the other value writes a new edit
    that then travels like any other.
    """

    __tablename__ = "sync_conflicts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # sha256 of both versions: the same conflict met again (re-import) is not recorded twice.
    signature: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    table_name: Mapped[str] = mapped_column(String(40), nullable=False)
    record_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    fields: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    local_values: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    remote_values: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    local_device: Mapped[str] = mapped_column(String(36), nullable=False, default="")
    remote_device: Mapped[str] = mapped_column(String(36), nullable=False, default="")
    local_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    remote_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    applied: Mapped[str] = mapped_column(String(8), nullable=False)
    peer_id: Mapped[str] = mapped_column(String(36), nullable=False, default="")
    source: Mapped[str] = mapped_column(Text, nullable=False, default="")
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    resolved: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolution: Mapped[str] = mapped_column(String(8), nullable=False, default="")


class PhotoBlob(Base):
    """Photo files kept inside the database, for replicas without a folder (a PostgreSQL server).

    Local databases keep their files in the data folder's photo store and leave this
    table empty; it exists everywhere because every replica runs the same migrations.
    """

    __tablename__ = "photo_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    byte_size: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class StatsVisitState(Base):
    """Visits whose answer sums in ``stats_visit_sections`` are current (a local cache, not synced).

    Triggers on ``answers`` (migration 0009) delete a visit's entry whenever one of its
    answers changes; auditapp.stats.sections recomputes it when a dashboard needs it.
    ``rules_key`` names the item → section mapping and severity weights it was summed with.
    """

    __tablename__ = "stats_visit_state"
    __table_args__ = ({"sqlite_with_rowid": False},)

    visit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    rules_key: Mapped[str] = mapped_column(String(64), nullable=False)


class StatsVisitSection(Base):
    """One visit's answers summed per checklist section (a cache, see :class:`StatsVisitState`)."""

    __tablename__ = "stats_visit_sections"
    __table_args__ = ({"sqlite_with_rowid": False},)  # clustered by visit

    visit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    section_key: Mapped[str] = mapped_column(String(400), primary_key=True)
    conform: Mapped[int] = mapped_column(Integer, nullable=False)
    nonconform: Mapped[int] = mapped_column(Integer, nullable=False)
    not_applicable: Mapped[int] = mapped_column(Integer, nullable=False)
    weighted_nonconform: Mapped[int] = mapped_column(Integer, nullable=False)
    answered: Mapped[int] = mapped_column(Integer, nullable=False)


SYNCED_MODELS: tuple[type[SyncMixin], ...] = (
    Institution,
    Department,
    FloorPlan,
    Leader,
    VisitPlan,
    ChecklistSnapshot,
    Visit,
    VisitAmendment,
    VisitChecklist,
    Answer,
    Finding,
    Rectification,
    RectificationEvent,
    Photo,
    JourneyStep,
    MapPin,
    IndicatorSnapshot,
    IndicatorValue,
)
