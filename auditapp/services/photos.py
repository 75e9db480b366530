"""Photos as evidence: import, list, annotate, delete, verify, export with redactions.

A batch is imported whole or not at all: every file is checked and decoded first (the
message names the first bad one), the files are stored durably under a journal of
pending imports, and then one transaction writes the rows (and the answer they attach
to). A crash before that commit leaves journalled files that the next open removes
(``auditapp.photos.journal``); a row never points at a missing file, and a failed
import leaves no answer row behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditapp.db import Database, photo_files
from auditapp.db.models import PHOTO_KINDS, Answer, Photo, Rectification, Visit, utcnow
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.lookups import require_finding, require_photo, require_visit
from auditapp.photos.annotations import Layer, dump_layers, export_jpeg, parse_layers
from auditapp.photos.ingest import DEFAULT_MAX_SIDE, ProcessedPhoto, check_photo_file, process_image
from auditapp.photos.journal import PendingImport
from auditapp.photos.store import PhotoStore
from auditapp.progress import CancelToken, Progress, is_cancelled
from auditapp.services.common import ensure_editable


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
    return photo_files.photo_store(db)


def pending_import(db: Database) -> PendingImport:
    """A journal for files about to be stored for ``db`` (see auditapp.photos.journal)."""
    return PendingImport(photo_store(db), photo_files.db_lineage(db))


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


def _target(
    session: Any, visit: Visit, *, item_id: str | None, finding_id: str | None, rectification_id: str | None, kind: str
) -> dict[str, str | None]:
    """Where the photo attaches; after-photos go to a rectification even once the visit is final."""
    from auditapp.services.visits import ensure_answer

    if sum(x is not None for x in (item_id, finding_id, rectification_id)) > 1:
        raise InvalidInputError("photo.one_target")
    if kind != "after":
        ensure_editable(visit)
    target: dict[str, str | None] = {"answer_id": None, "finding_id": None, "rectification_id": None}
    if item_id is not None:
        target["answer_id"] = ensure_answer(session, visit, item_id).id
    elif finding_id is not None:
        finding = require_finding(session, finding_id)
        if finding.visit_id != visit.id:
            raise InvalidInputError("photo.finding_of_other_visit", finding=finding.id[:8])
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
            raise NotFoundError("photo.rectification_not_found", ref=rectification_id)
        target["rectification_id"] = rect.id
    return target


def check_photo_files(files: list[Path]) -> None:
    """Refuse a batch before anything is read in full: every file a regular, sane-sized image.

    The GUI calls this before it starts an import; :func:`add_photos` calls it too.
    Raises PhotoError naming the first bad file.
    """
    for file in files:
        check_photo_file(Path(file))


@dataclass(frozen=True)
class _Stored:
    file: Path
    processed: ProcessedPhoto
    sha: str
    thumb: str


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
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> list[PhotoInfo]:
    """Import photo files into a visit, all of them or none.

    A bad file raises PhotoError naming it, and nothing of the batch is stored (no
    file, no row, no answer created for ``item_id``). Cancelling stores nothing either
    and returns an empty list.
    """
    if kind not in PHOTO_KINDS:
        raise InvalidInputError("photo.unknown_kind", value=kind, choices=", ".join(PHOTO_KINDS))
    if rectification_id is not None and kind == "evidence":
        kind = "after"
    files = [Path(f) for f in files]
    targets = {"item_id": item_id, "finding_id": finding_id, "rectification_id": rectification_id}
    with db.session() as session:
        visit = require_visit(session, visit_ref)
        visit_id = visit.id
        # Checked now so a wrong target fails before any file is read; whatever this
        # creates (the answer of item_id) is rolled back and made again with the rows.
        _target(session, visit, kind=kind, **targets)
        session.rollback()
    check_photo_files(files)
    stored: list[_Stored] = []
    total = len(files)
    with pending_import(db) as pending:
        for done, file in enumerate(files):
            if is_cancelled(cancel):
                pending.discard()
                return []
            processed = process_image(file, max_side=max_side)
            sha = pending.put(processed.data)
            thumb = pending.put(processed.thumbnail)
            stored.append(_Stored(file=file, processed=processed, sha=sha, thumb=thumb))
            if progress is not None:
                progress(done + 1, total, file.name)
        added: list[PhotoInfo] = []
        with db.session() as session:
            visit = require_visit(session, visit_id)
            target = _target(session, visit, kind=kind, **targets)
            rows = []
            for item in stored:
                processed = item.processed
                row = Photo(
                    visit_id=visit_id,
                    kind=kind,
                    sha256=item.sha,
                    thumb_sha256=item.thumb,
                    mime=processed.mime,
                    width=processed.width,
                    height=processed.height,
                    byte_size=len(processed.data),
                    taken_at=processed.taken_at,
                    original_filename=_file_name(item.file),
                    caption=caption.strip(),
                    annotations=[],
                    **target,
                )
                session.add(row)
                rows.append(row)
            session.flush()
            added = [_info(r) for r in rows]
        pending.done()
    return added


def _file_name(path: Path) -> str:
    """The name as it can be stored: at most 300 characters, bytes that were not UTF-8 replaced."""
    name = path.name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return name[:300]


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


def _frozen_visit(session: Session, row: Photo) -> Visit | None:
    """The finalized visit whose evidence ``row`` is (then only redactions may change), or None.

    Redacting a face later must stay possible: privacy beats read-only. Other marks are
    frozen. After-photos belong to the rectification, which goes on after finalizing.
    """
    if row.kind == "after" or not row.visit_id:
        return None
    visit = session.get(Visit, row.visit_id)
    return visit if visit is not None and visit.status == "finalized" else None


def redactions_only(db: Database, photo_ref: str) -> bool:
    """Whether only redactions of this photo may change (what the editor offers)."""
    with db.session() as session:
        return _frozen_visit(session, require_photo(session, photo_ref)) is not None


def set_annotations(db: Database, photo_ref: str, layers: list[dict[str, Any]]) -> PhotoInfo:
    """Replace a photo's layers (validated); the stored picture itself never changes."""
    parsed = parse_layers(layers)
    with db.session() as session:
        row = require_photo(session, photo_ref)
        visit = _frozen_visit(session, row)
        if visit is not None:
            # Other marks may be carried along unchanged, not altered.
            before: list[Layer] = [layer for layer in parse_layers(row.annotations or []) if layer.kind != "redact"]
            after: list[Layer] = [layer for layer in parsed if layer.kind != "redact"]
            if dump_layers(before) != dump_layers(after):
                ensure_editable(visit)
        row.annotations = dump_layers(parsed)
        session.flush()
        return _info(row)


def set_caption(db: Database, photo_ref: str, caption: str) -> PhotoInfo:
    with db.session() as session:
        row = require_photo(session, photo_ref)
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
        row = require_photo(session, photo_ref)
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
            raise NotFoundError("photo.not_found", ref=photo_ref)
        row.deleted_at = None
        session.flush()
        return _info(row)


def verify_photos(db: Database) -> list[str]:
    """Every stored file rehashed, and every row checked for its files."""
    from auditapp.errors import AuditAppError
    from auditapp.photos.store import is_sha256

    store = photo_store(db)
    problems = store.verify()
    with db.session() as session:
        for row in session.scalars(select(Photo)):
            for sha in (row.sha256, row.thumb_sha256):
                if sha and (not is_sha256(sha) or not store.exists(sha)):
                    problems.append(
                        AuditAppError(
                            "photo.verify_missing", photo=row.id[:8], filename=row.original_filename, sha=str(sha)[:12]
                        ).message()
                    )
    return problems


def clean_orphans(db: Database, *, min_age_s: float | None = None) -> int:
    """Settle the journal of pending imports now (as opening does); the number of files removed.

    Only files that this database recorded as half-imported are removed; see
    ``auditapp.photos.journal`` for the rules and the quarantine.
    """
    return photo_files.recover_photo_store(db, min_age_s=min_age_s).removed


def photo_export_jpeg(db: Database, photo_ref: str, *, max_side: int = 1200, quality: int = 85) -> bytes:
    """The photo as it may leave the app (reports, exports): redactions burned in."""
    with db.session() as session:
        row = require_photo(session, photo_ref)
        sha, layers = row.sha256, parse_layers(list(row.annotations or []))
    return export_jpeg(photo_store(db).read(sha), layers, max_side=max_side, quality=quality)
