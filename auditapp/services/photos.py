"""Photos as evidence: import, list, annotate, delete, verify, export with redactions.

Order of work per photo: decode and shrink (CPU), store the file durably, then commit
the row. A crash between the last two leaves an orphan file, removed later by
``clean_orphans``; a row never points at a missing file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from auditapp import paths
from auditapp.db import Database
from auditapp.db.models import PHOTO_KINDS, Answer, FloorPlan, Photo, Rectification, Visit, utcnow
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.photos.annotations import dump_layers, export_jpeg, parse_layers
from auditapp.photos.ingest import DEFAULT_MAX_SIDE, process_image
from auditapp.photos.store import PhotoStore
from auditapp.services.common import (
    _by_id_or_prefix,
    check_choice,
    ensure_editable,
    require_finding,
    require_visit,
)

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class PhotoInfo:
    id: str
    visit_id: str | None
    answer_id: str | None
    finding_id: str | None
    rectification_id: str | None
    kind: str
    sha256: str
    thumb_sha256: str
    width: int
    height: int
    byte_size: int
    taken_at: datetime | None
    original_filename: str
    caption: str
    annotations: list[dict[str, Any]]


def photo_store(db: Database) -> PhotoStore:
    return PhotoStore(paths.photos_dir(db.data_dir))


def _info(row: Photo) -> PhotoInfo:
    return PhotoInfo(
        id=row.id,
        visit_id=row.visit_id,
        answer_id=row.answer_id,
        finding_id=row.finding_id,
        rectification_id=row.rectification_id,
        kind=row.kind,
        sha256=row.sha256,
        thumb_sha256=row.thumb_sha256,
        width=row.width,
        height=row.height,
        byte_size=row.byte_size,
        taken_at=row.taken_at,
        original_filename=row.original_filename,
        caption=row.caption,
        annotations=list(row.annotations or []),
    )


def _require_photo(session: Any, ref: str) -> Photo:
    row = _by_id_or_prefix(session, Photo, ref, "photo")
    if row is None:
        raise NotFoundError(f"no photo {ref!r}", hint="'auditapp photo list VISIT' lists a visit's photos.")
    return row


def _target(
    session: Any, visit: Visit, *, item_id: str | None, finding_id: str | None, rectification_id: str | None, kind: str
) -> dict[str, str | None]:
    """Where the photo attaches; after-photos go to a rectification even once the visit is final."""
    from auditapp.services.visits import ensure_answer

    if sum(x is not None for x in (item_id, finding_id, rectification_id)) > 1:
        raise InvalidInputError("attach a photo to one item, finding or rectification, not several")
    if kind != "after":
        ensure_editable(visit)
    target: dict[str, str | None] = {"answer_id": None, "finding_id": None, "rectification_id": None}
    if item_id is not None:
        target["answer_id"] = ensure_answer(session, visit, item_id).id
    elif finding_id is not None:
        finding = require_finding(session, finding_id)
        if finding.visit_id != visit.id:
            raise InvalidInputError(f"finding {finding.id[:8]} belongs to another visit")
        target["finding_id"] = finding.id
    elif rectification_id is not None:
        rect = session.get(Rectification, rectification_id)
        if rect is None:
            # Accept the finding id too: that is what people see in lists.
            finding = require_finding(session, rectification_id)
            rect = session.scalar(
                select(Rectification).where(Rectification.finding_id == (finding.carried_from_id or finding.id))
            )
        if rect is None:
            raise NotFoundError(f"no rectification {rectification_id!r}")
        target["rectification_id"] = rect.id
    return target


def add_photos(
    db: Database,
    visit_ref: str,
    files: list[Path],
    *,
    item_id: str | None = None,
    finding_id: str | None = None,
    rectification_id: str | None = None,
    kind: str = "evidence",
    caption: str = "",
    max_side: int = DEFAULT_MAX_SIDE,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> list[PhotoInfo]:
    """Import photo files into a visit; each photo is committed on its own.

    A bad file raises PhotoError naming it; photos imported before it stay imported.
    """
    check_choice(kind, PHOTO_KINDS, "photo kind")
    if rectification_id is not None and kind == "evidence":
        kind = "after"
    store = photo_store(db)
    with db.session() as session:
        visit = require_visit(session, visit_ref)
        visit_id = visit.id
        target = _target(
            session, visit, item_id=item_id, finding_id=finding_id, rectification_id=rectification_id, kind=kind
        )
    added: list[PhotoInfo] = []
    total = len(files)
    for done, file in enumerate(files):
        if cancel is not None and cancel():
            break
        processed = process_image(Path(file), max_side=max_side)
        sha = store.put(processed.data)
        thumb = store.put(processed.thumbnail)
        with db.session() as session:
            row = Photo(
                visit_id=visit_id,
                kind=kind,
                sha256=sha,
                thumb_sha256=thumb,
                mime=processed.mime,
                width=processed.width,
                height=processed.height,
                byte_size=len(processed.data),
                taken_at=processed.taken_at,
                original_filename=Path(file).name[:300],
                caption=caption.strip(),
                annotations=[],
                **target,
            )
            session.add(row)
            session.flush()
            added.append(_info(row))
        if progress is not None:
            progress(done + 1, total)
    return added


def list_photos(
    db: Database,
    visit_ref: str | None = None,
    *,
    finding_id: str | None = None,
    answer_id: str | None = None,
    rectification_id: str | None = None,
    item_id: str | None = None,
) -> list[PhotoInfo]:
    """Photos of a visit, optionally of one item (through its answer), finding or rectification."""
    with db.session() as session:
        query = select(Photo).where(Photo.deleted_at.is_(None))
        if visit_ref is not None:
            query = query.where(Photo.visit_id == require_visit(session, visit_ref).id)
        if item_id is not None:
            query = query.join(Answer, Answer.id == Photo.answer_id).where(Answer.item_id == item_id)
        if finding_id is not None:
            query = query.where(Photo.finding_id == finding_id)
        if answer_id is not None:
            query = query.where(Photo.answer_id == answer_id)
        if rectification_id is not None:
            query = query.where(Photo.rectification_id == rectification_id)
        return [_info(r) for r in session.scalars(query.order_by(Photo.created_at, Photo.id))]


def set_annotations(db: Database, photo_ref: str, layers: list[dict[str, Any]]) -> PhotoInfo:
    """Replace a photo's layers (validated); the stored picture itself never changes."""
    parsed = parse_layers(layers)
    with db.session() as session:
        row = _require_photo(session, photo_ref)
        if row.kind != "after" and row.visit_id:
            visit = session.get(Visit, row.visit_id)
            if visit is not None and visit.status == "finalized":
                # Redacting a face later must stay possible: privacy beats read-only. Other
                # marks are frozen: they may be carried along unchanged, not altered.
                before = [layer for layer in parse_layers(row.annotations or []) if layer.kind != "redact"]
                after = [layer for layer in parsed if layer.kind != "redact"]
                if dump_layers(before) != dump_layers(after):
                    ensure_editable(visit)
        row.annotations = dump_layers(parsed)
        session.flush()
        return _info(row)


def set_caption(db: Database, photo_ref: str, caption: str) -> PhotoInfo:
    with db.session() as session:
        row = _require_photo(session, photo_ref)
        if row.visit_id:
            visit = session.get(Visit, row.visit_id)
            if visit is not None and row.kind != "after":
                ensure_editable(visit)
        row.caption = caption.strip()
        session.flush()
        return _info(row)


def delete_photo(db: Database, photo_ref: str) -> None:
    """Tombstone the row; the file stays (other rows or an undo may still need it)."""
    with db.session() as session:
        row = _require_photo(session, photo_ref)
        if row.visit_id and row.kind != "after":
            visit = session.get(Visit, row.visit_id)
            if visit is not None:
                ensure_editable(visit)
        row.deleted_at = utcnow()


def restore_photo(db: Database, photo_ref: str) -> PhotoInfo:
    """Undo a deletion."""
    with db.session() as session:
        row = session.get(Photo, photo_ref)
        if row is None:
            raise NotFoundError(f"no photo {photo_ref!r}")
        row.deleted_at = None
        session.flush()
        return _info(row)


def _referenced(db: Database) -> set[str]:
    with db.session() as session:
        refs: set[str] = set()
        for sha, thumb in session.execute(select(Photo.sha256, Photo.thumb_sha256)):
            refs.update((sha, thumb))
        refs.update(s for s in session.scalars(select(FloorPlan.image_sha256)) if s)
        return refs


def verify_photos(db: Database) -> list[str]:
    """Every stored file rehashed, and every row checked for its files."""
    store = photo_store(db)
    problems = store.verify()
    with db.session() as session:
        for row in session.scalars(select(Photo)):
            for sha in (row.sha256, row.thumb_sha256):
                if sha and not store.exists(sha):
                    problems.append(f"photo {row.id[:8]} ({row.original_filename}): file {sha[:12]}… is missing")
    return problems


def clean_orphans(db: Database, *, min_age_s: float | None = None) -> int:
    """Remove stored files that no row references (left by a crash mid-import)."""
    store = photo_store(db)
    kwargs = {} if min_age_s is None else {"min_age_s": min_age_s}
    return store.remove_orphans(_referenced(db), **kwargs)


def photo_export_jpeg(db: Database, photo_ref: str, *, max_side: int = 1200, quality: int = 85) -> bytes:
    """The photo as it may leave the app (reports, exports): redactions burned in."""
    with db.session() as session:
        row = _require_photo(session, photo_ref)
        sha, layers = row.sha256, parse_layers(list(row.annotations or []))
    return export_jpeg(photo_store(db).read(sha), layers, max_side=max_side, quality=quality)
