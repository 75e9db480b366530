"""SQLAlchemy ORM models of the audit domain (see DESIGN.md, "Domain model").

Every synced record carries a UUID primary key, ``created_at``/``updated_at`` (UTC),
the device that last changed it and a tombstone (``deleted_at``), so records can be
merged one by one between laptops and a shared database. Rows are never hard-deleted
by the app: a deletion sets ``deleted_at`` so it can propagate.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    LargeBinary,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Stable constraint names so Alembic batch migrations on SQLite can find them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_id() -> str:
    return str(uuid.uuid4())


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
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SyncMixin:
    """Columns every synchronised record has."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    device_id: Mapped[str] = mapped_column(String(36), nullable=False, default="")
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

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

    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    has_obstetrics: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    alliance_lead: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    region: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")

    departments: Mapped[list[Department]] = relationship(back_populates="institution")
    visits: Mapped[list[Visit]] = relationship(back_populates="institution")


class Department(SyncMixin, Base):
    """A responsible party inside an institution (门诊部, 总务科 …)."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("institution_id", "name"),)

    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    head: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    institution: Mapped[Institution] = relationship(back_populates="departments")


class FloorPlan(SyncMixin, Base):
    """An image of one floor; pins are placed on it in relative coordinates."""

    __tablename__ = "floor_plans"

    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    floor: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    image_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    width: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    height: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Leader(SyncMixin, Base):
    """A member of an institution's leadership team (领导班子成员) while in office.

    Every leader owes one experience visit a month as an ordinary patient
    (yubei-2023 四(四)); the duty matrix reads the months in office from
    ``active_from``/``active_to`` (inclusive; None means open-ended).
    """

    __tablename__ = "leaders"
    __table_args__ = (UniqueConstraint("institution_id", "name"),)

    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # A LEADER_ROLES value (院长, 党委书记, 副院长 …); words in auditapp.terms "leader_role".
    role: Mapped[str] = mapped_column(String(30), nullable=False, default="other")
    active_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    active_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class VisitPlan(SyncMixin, Base):
    """Who walks which route in which month (体验安排), so that areas rotate and all get walked.

    One record per leader and month; ``areas`` are checklist ids (the routes along the
    patient's path: 标识导引, 卫生间 …), ``note`` a route in words.
    """

    __tablename__ = "visit_plans"
    __table_args__ = (UniqueConstraint("leader_id", "month"),)

    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), nullable=False, index=True)
    leader_id: Mapped[str] = mapped_column(ForeignKey("leaders.id"), nullable=False, index=True)
    month: Mapped[str] = mapped_column(String(7), nullable=False)  # "2026-03"
    areas: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")


class ChecklistSnapshot(SyncMixin, Base):
    """The exact checklist content a visit used, frozen as canonical JSON.

    Identical content is stored once (``sha256``); later edits of the YAML file create a
    new snapshot and never change old visits.
    """

    __tablename__ = "checklist_snapshots"

    checklist_id: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    content: Mapped[str] = mapped_column(Text, nullable=False)


class Visit(SyncMixin, Base):
    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_institution_date", "institution_id", "visit_date"),)

    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), nullable=False, index=True)
    mode: Mapped[str] = mapped_column(String(10), nullable=False, default="self")
    inspector: Mapped[str] = mapped_column(String(200), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    visit_date: Mapped[date] = mapped_column(Date, nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="in_progress")
    # Printed on reports ("2026-11-003"): per institution and year, assigned at start.
    report_number: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Set when a finalized visit was changed by an amendment (see VisitAmendment).
    amended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The roster leader who walked (their monthly duty, see Leader); None for a bureau
    # inspector or a name typed freely. ``inspector`` always holds the name as printed.
    leader_id: Mapped[str | None] = mapped_column(ForeignKey("leaders.id"), nullable=True, index=True)
    # The patient-path walk the visit follows, frozen when it starts like its snapshots:
    # {"template": id, "stages": [{"id", "title", "title_en", "sections": [...]}]}.
    # None: checklist order (a visit written by a version without walks).
    walk: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Which items bound the institution when the visit started (auditapp.services.visit_walk):
    # {"region", "documents": [short names], "binding": {item id: [basis indexes]},
    #  "binding_only": bool}. None: judged from today's documents when read.
    jurisdiction: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    institution: Mapped[Institution] = relationship(back_populates="visits")
    checklists: Mapped[list[VisitChecklist]] = relationship(back_populates="visit", order_by="VisitChecklist.sort_order")


class VisitAmendment(SyncMixin, Base):
    """A finalized visit opened for changes, with the reason given once (修改（需说明原因）).

    Every change made under it is written to the change log with the same reason; the
    amendment itself travels by sync so that reports everywhere say the visit was amended.
    """

    __tablename__ = "visit_amendments"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), nullable=False, index=True)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    actor: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class VisitChecklist(SyncMixin, Base):
    """Which checklist snapshot a visit uses and which of its items applied then."""

    __tablename__ = "visit_checklists"
    __table_args__ = (UniqueConstraint("visit_id", "snapshot_id"),)

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), nullable=False, index=True)
    snapshot_id: Mapped[str] = mapped_column(ForeignKey("checklist_snapshots.id"), nullable=False)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Item ids that applied to the institution when the visit started (frozen).
    applicable_item_ids: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)

    visit: Mapped[Visit] = relationship(back_populates="checklists")
    snapshot: Mapped[ChecklistSnapshot] = relationship()


class Answer(SyncMixin, Base):
    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("visit_id", "item_id"),
        # Covers every column the dashboard aggregates (auditapp.stats): grouped scans
        # read the index alone, never the rows.
        Index("ix_answers_stats", "visit_id", "result", "severity", "checklist_id", "item_id", "value", "deleted_at"),
    )

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), nullable=False, index=True)
    item_id: Mapped[str] = mapped_column(String(200), nullable=False)
    checklist_id: Mapped[str] = mapped_column(String(100), nullable=False)
    result: Mapped[str | None] = mapped_column(String(12), nullable=True)
    value: Mapped[str] = mapped_column(Text, nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    severity: Mapped[str] = mapped_column(String(10), nullable=False, default="minor")
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Finding(SyncMixin, Base):
    """A problem found: a nonconforming answer or a free finding (其他问题)."""

    __tablename__ = "findings"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), nullable=False, index=True)
    answer_id: Mapped[str | None] = mapped_column(ForeignKey("answers.id"), nullable=True, unique=True)
    item_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    source: Mapped[str] = mapped_column(String(12), nullable=False, default="free")
    text: Mapped[str] = mapped_column(Text, nullable=False)
    area: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    severity: Mapped[str] = mapped_column(String(10), nullable=False, default="minor")
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    # Set when an open finding of an earlier visit is carried over to be re-checked.
    carried_from_id: Mapped[str | None] = mapped_column(ForeignKey("findings.id"), nullable=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Citations of a finding that no checklist item carries (a timed wait over its target,
    # a faulty AED): [{"source": short name, "clause": …, "quote": …}].
    basis: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)

    rectification: Mapped[Rectification | None] = relationship(back_populates="finding", uselist=False)


class Rectification(SyncMixin, Base):
    """What must be fixed for one finding, by whom and when (整改)."""

    __tablename__ = "rectifications"

    finding_id: Mapped[str] = mapped_column(ForeignKey("findings.id"), nullable=False, unique=True)
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    measures: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="open", index=True)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    verification_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Rounds: how often a reported fix was rejected or a verified one reopened (驳回次数).
    rounds: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # A pending request for more time (申请延期) and the status to return to afterwards.
    requested_deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    extension_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status_before_extension: Mapped[str] = mapped_column(String(20), nullable=False, default="")

    finding: Mapped[Finding] = relationship(back_populates="rectification")
    events: Mapped[list[RectificationEvent]] = relationship(order_by="RectificationEvent.at")


class RectificationEvent(SyncMixin, Base):
    """One status change of a rectification (its history)."""

    __tablename__ = "rectification_events"

    rectification_id: Mapped[str] = mapped_column(ForeignKey("rectifications.id"), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    status_from: Mapped[str | None] = mapped_column(String(20), nullable=True)
    status_to: Mapped[str] = mapped_column(String(20), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    actor: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # The lifecycle action (auditapp.rules.rectification.ACTIONS) or "reassign" for a
    # change of the responsible department; "" in rows written before actions existed.
    action: Mapped[str] = mapped_column(String(24), nullable=False, default="")
    # For extension requests and grants: the deadline asked for / granted.
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)


class Photo(SyncMixin, Base):
    """A photo attached to a visit, answer, finding or rectification (after-photo).

    The image file itself is content-addressed (``sha256``) in the photo store and may be
    shared by several rows; annotations and redactions are vector layers kept here and
    burned in only when the photo leaves the app.
    """

    __tablename__ = "photos"

    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id"), nullable=True, index=True)
    answer_id: Mapped[str | None] = mapped_column(ForeignKey("answers.id"), nullable=True, index=True)
    finding_id: Mapped[str | None] = mapped_column(ForeignKey("findings.id"), nullable=True, index=True)
    rectification_id: Mapped[str | None] = mapped_column(ForeignKey("rectifications.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(12), nullable=False, default="evidence")
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    thumb_sha256: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    mime: Mapped[str] = mapped_column(String(40), nullable=False, default="image/jpeg")
    width: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    height: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    byte_size: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    original_filename: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    caption: Mapped[str] = mapped_column(Text, nullable=False, default="")
    annotations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)


class IndicatorSnapshot(SyncMixin, Base):
    """An indicator set (``checklists/indicators/*.yaml``) frozen as canonical JSON.

    Reported values point to the snapshot they were entered against, so the targets
    that judged a period stay those of that time (like checklist snapshots for visits).
    """

    __tablename__ = "indicator_snapshots"

    set_id: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    content: Mapped[str] = mapped_column(Text, nullable=False)


class IndicatorValue(SyncMixin, Base):
    """One institution's figure for one indicator and one period (评估指标按期填报).

    ``period`` is the canonical label ("2024-Q1", "2024-03", "2024"); ``value`` the figure
    as entered (a number for number and duration indicators). One row per institution,
    indicator and period: entering the period again corrects it.
    """

    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("institution_id", "indicator_id", "period"),)

    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), nullable=False, index=True)
    snapshot_id: Mapped[str] = mapped_column(ForeignKey("indicator_snapshots.id"), nullable=False)
    set_id: Mapped[str] = mapped_column(String(100), nullable=False)
    indicator_id: Mapped[str] = mapped_column(String(200), nullable=False)
    period: Mapped[str] = mapped_column(String(10), nullable=False)
    value: Mapped[str] = mapped_column(Text, nullable=False, default="")
    data_source: Mapped[str] = mapped_column(Text, nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    entered_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class JourneyStep(SyncMixin, Base):
    """A timestamped step of the patient's journey during a visit (到达, 挂号 …)."""

    __tablename__ = "journey_steps"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), nullable=False, index=True)
    step: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")


class MapPin(SyncMixin, Base):
    """A pin on a floor plan; x and y are fractions (0–1) of the plan's width and height."""

    __tablename__ = "map_pins"

    floor_plan_id: Mapped[str] = mapped_column(ForeignKey("floor_plans.id"), nullable=False, index=True)
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    x: Mapped[float] = mapped_column(Float, nullable=False)
    y: Mapped[float] = mapped_column(Float, nullable=False)
    label: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    answer_id: Mapped[str | None] = mapped_column(ForeignKey("answers.id"), nullable=True)
    finding_id: Mapped[str | None] = mapped_column(ForeignKey("findings.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="")


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
