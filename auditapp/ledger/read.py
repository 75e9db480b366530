"""Reading a department's returned ledger workbook: validate it whole, then say per row what changes.

Nothing is written until the whole workbook has passed: that it is one of ours (the
hidden sheet and its checksum), that its rows belong to this database and to the
department it was made for, that protected cells still hold what was exported, that
dates are dates and that every status change is one the lifecycle lets a department
make. Every problem found is reported with its sheet, row and column, all at once.

A row whose rectification changed in the app since the export is a conflict: both
values are shown and the row is never applied over the newer state. Importing the
same file twice changes nothing the second time (each applied row leaves a receipt).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from auditapp.db import Database
from auditapp.errors import AuditAppError, FileAccessError, InvalidInputError, StaleEditError
from auditapp.ledger import columns as cols
from auditapp.ledger.cells import cell_text, parse_date, parse_key, parse_status
from auditapp.rules import rectification as lifecycle
from auditapp.rules.dates import DATE_MAX, DATE_MIN
from auditapp.rules.dates import in_range as in_date_range
from auditapp.services.ledger import RectificationState, rectification_states
from auditapp.services.rectifications import RectificationChange, apply_changes
from auditapp.services.visits import RectificationInfo
from auditapp.terms import Term, label

Outcome = Literal["change", "unchanged", "already", "conflict"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an .xlsx saved with a password


@dataclass(frozen=True)
class CellRef:
    """Where in the workbook: sheet, row and column with its header, in the reader's language."""

    sheet: str
    row: int
    column: int | None = None

    def render(self, language: str) -> str:
        zh = language == "zh_CN"
        where = f"工作表“{self.sheet}”第 {self.row} 行" if zh else f"sheet '{self.sheet}', row {self.row}"
        if self.column is None:
            return where
        col = cols.COLUMNS[self.column - 1]
        letter = get_column_letter(self.column)
        return f"{where} {letter} 列（{col.zh}）" if zh else f"{where}, column {letter} ({col.en})"


class LedgerInvalidError(InvalidInputError):
    """A returned workbook that cannot be imported, with every problem found in it."""

    def __init__(self, problems: list[AuditAppError]) -> None:
        self.problems = list(problems)
        super().__init__(
            "ledger.problems" if len(self.problems) > 1 else self.problems[0].code,
            count=len(self.problems),
            **({} if len(self.problems) > 1 else self.problems[0].params),
        )

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def message(self, language: str | None = None) -> str:
        if len(self.problems) == 1:
            return self.problems[0].message(language)
        head = super().message(language)
        return head + "\n" + "\n".join(f"  · {p.message(language)}" for p in self.problems[:20])

    def hint(self, language: str | None = None, audience: Any = "cli") -> str:
        return self.problems[0].hint(language, audience)


class LedgerConflictError(StaleEditError):
    """Rows changed in the app since the export; nothing was imported."""


@dataclass(frozen=True)
class FieldChange:
    column: str
    before: str
    after: str


@dataclass(frozen=True)
class ConflictField:
    """One column of a conflicting row: the value in the app now and in the workbook."""

    column: str
    exported: str
    app: str
    workbook: str


@dataclass(frozen=True)
class RowPlan:
    """What importing one row does."""

    row: int
    number: str
    finding_id: str
    outcome: Outcome
    changes: tuple[FieldChange, ...] = ()
    action: str | None = None
    status_from: str = ""
    status_to: str = ""
    conflicts: tuple[ConflictField, ...] = ()
    change: RectificationChange | None = field(default=None, repr=False)


@dataclass(frozen=True)
class LedgerPlan:
    """A validated returned workbook and what importing it would do, row by row."""

    path: Path
    export_id: str
    department: str
    institution: str
    institution_id: str
    exported_at: str
    language: str
    rows: tuple[RowPlan, ...]
    missing_rows: int = 0  # exported rows no longer in the workbook (left as they are)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def actor(self) -> str:
        return actor_for(self.department)


@dataclass(frozen=True)
class LedgerImport:
    plan: LedgerPlan
    applied: int
    dry_run: bool


def actor_for(department: str) -> str:
    """Who the history names for changes that came back in a department's workbook."""
    return f"科室 {department}（台账回执）"


# --- opening -----------------------------------------------------------------------------------


def _open(path: Path) -> Any:
    if not path.exists():
        raise FileAccessError("ledger.file_missing", path=str(path))
    if path.is_dir():
        raise FileAccessError("ledger.file_is_folder", path=str(path))
    if not path.is_file():  # a named pipe would block the read below for ever; /dev/zero never ends
        raise FileAccessError("ledger.not_a_file", path=str(path))
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        raise InvalidInputError("ledger.old_or_encrypted", path=path.name)
    if not head.startswith(b"PK"):
        raise InvalidInputError("ledger.not_a_workbook", path=path.name)
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            broken = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError):
        raise InvalidInputError("ledger.damaged", path=path.name) from None
    if broken is not None:
        raise InvalidInputError("ledger.damaged", path=path.name)
    if "xl/workbook.xml" not in names:
        raise InvalidInputError("ledger.not_a_workbook", path=path.name)
    try:
        return load_workbook(path, data_only=True)
    except Exception:
        raise InvalidInputError("ledger.damaged", path=path.name) from None


def _meta(wb: Any, path: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    if cols.META_SHEET not in wb.sheetnames:
        raise InvalidInputError("ledger.not_ours", path=path.name)
    ws = wb[cols.META_SHEET]
    if ws.cell(row=1, column=1).value != cols.MARKER:
        raise InvalidInputError("ledger.not_ours", path=path.name)
    version = ws.cell(row=1, column=2).value
    if not isinstance(version, (int, float)) or int(version) > cols.FORMAT_VERSION:
        raise InvalidInputError("ledger.format_too_new", path=path.name, version=version)
    header = ws.cell(row=1, column=3).value
    digest = ws.cell(row=1, column=4).value
    lines: list[str] = []
    for row in range(2, ws.max_row + 1):
        value = ws.cell(row=row, column=1).value
        if value is None:
            break
        lines.append(str(value))
    h = hashlib.sha256(str(header).encode("utf-8"))
    for line in lines:
        h.update(b"\n" + line.encode("utf-8"))
    if not isinstance(header, str) or h.hexdigest() != digest:
        raise InvalidInputError("ledger.meta_damaged", path=path.name)
    try:
        meta = json.loads(header)
        rows = {r["finding"]: r for r in (json.loads(line) for line in lines)}
    except (ValueError, KeyError, TypeError):
        raise InvalidInputError("ledger.meta_damaged", path=path.name) from None
    return meta, rows


# --- per row -----------------------------------------------------------------------------------


def _current_texts(rect: RectificationInfo, language: str) -> dict[str, str]:
    """The editable columns as the app holds them now, in exported form."""
    return {
        "owner": cell_text(rect.owner),
        "measures": cell_text(rect.measures),
        "completion": cell_text(rect.completion),
        "status": cell_text(label("rectification_status", lifecycle.normalise_status(rect.status), language)),
        "completed_on": cell_text(rect.completed_on),
        "requested_deadline": cell_text(rect.requested_deadline),
        "extension_reason": cell_text(rect.extension_reason if rect.status == "extension_requested" else ""),
    }


def _receipt(export_id: str, finding_id: str, values: dict[str, str]) -> str:
    text = json.dumps([export_id, finding_id, values], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Reader:
    def __init__(self, db: Database, path: Path, today: date) -> None:
        self.db = db
        self.path = path
        self.today = today
        self.problems: list[AuditAppError] = []

    def problem(self, code: str, **params: Any) -> None:
        self.problems.append(InvalidInputError(code, **params))

    def read(self) -> LedgerPlan:
        wb = _open(self.path)
        meta, exported = _meta(wb, self.path)
        if meta.get("kind") != "department":
            raise InvalidInputError("ledger.not_department_workbook", path=self.path.name)
        language = str(meta.get("language") or "zh_CN")
        department = str(meta.get("department") or "")
        sheet = str(meta.get("sheet") or "")
        if sheet not in wb.sheetnames:
            raise InvalidInputError("ledger.sheet_missing", sheet=sheet, path=self.path.name)
        ws: Worksheet = wb[sheet]
        self._check_headers(ws, sheet, language)
        if self.problems:
            raise LedgerInvalidError(self.problems)
        found = self._rows(ws, sheet, exported)
        states = rectification_states(self.db, [fid for _row, fid, _cells in found], today=self.today)
        plans: list[RowPlan] = []
        for row, finding_id, cells in found:
            state = states.get(finding_id)
            where = CellRef(sheet, row)
            if state is None:
                self.problem("ledger.row_unknown", where=where)
                continue
            if state.institution_id != meta.get("institution_id"):
                self.problem("ledger.row_other_institution", where=where, institution=str(meta.get("institution", "")))
                continue
            plan = self._plan_row(row, finding_id, cells, exported[finding_id], state, meta, sheet, language)
            if plan is not None:
                plans.append(plan)
        if self.problems:
            raise LedgerInvalidError(self.problems)
        return LedgerPlan(
            path=self.path,
            export_id=str(meta.get("export_id", "")),
            department=department,
            institution=str(meta.get("institution", "")),
            institution_id=str(meta.get("institution_id", "")),
            exported_at=str(meta.get("exported_at", "")),
            language=language,
            rows=tuple(plans),
            missing_rows=len(exported) - len(found),
        )

    def _check_headers(self, ws: Worksheet, sheet: str, language: str) -> None:
        for n, column in enumerate(cols.COLUMNS, start=1):
            found = cell_text(ws.cell(row=cols.HEADER_ROW, column=n).value)
            if found != column.header(language):
                self.problem("ledger.header_changed", where=CellRef(sheet, cols.HEADER_ROW, n),
                             expected=column.header(language), found=found or "—")
                return

    def _rows(self, ws: Worksheet, sheet: str, exported: dict[str, Any]) -> list[tuple[int, str, dict[str, Any]]]:
        key_col = cols.index_of("key")
        seen: dict[str, int] = {}
        out: list[tuple[int, str, dict[str, Any]]] = []
        for row in range(cols.FIRST_ROW, ws.max_row + 1):
            cells = {c.key: ws.cell(row=row, column=n).value for n, c in enumerate(cols.COLUMNS, start=1)}
            if all(cell_text(v) == "" for v in cells.values()):
                continue
            key = parse_key(cell_text(cells["key"]))
            if key is None:
                self.problem("ledger.row_without_key", where=CellRef(sheet, row, key_col))
                continue
            finding_id, stamp = key
            if finding_id not in exported:
                self.problem("ledger.row_not_exported", where=CellRef(sheet, row, key_col))
                continue
            if finding_id in seen:
                self.problem("ledger.row_duplicate", where=CellRef(sheet, row, key_col), first=seen[finding_id])
                continue
            if stamp != exported[finding_id].get("updated_at"):
                self.problem("ledger.row_key_changed", where=CellRef(sheet, row, key_col))
                continue
            seen[finding_id] = row
            out.append((row, finding_id, cells))
        return out

    def _plan_row(
        self, row: int, finding_id: str, cells: dict[str, Any], snapshot: dict[str, Any],
        state: RectificationState, meta: dict[str, Any], sheet: str, language: str,
    ) -> RowPlan | None:
        before = dict(snapshot.get("values") or {})
        number = before.get("number", "")
        errors = len(self.problems)
        self._check_protected(row, sheet, cells, before)
        texts, dates, exported_status, target = self._read_values(row, sheet, cells, before, language)
        changed = {k: v for k, v in texts.items() if v != before.get(k, "")}
        # A status word that names the exported status in the other language is no change.
        if "status" in changed and target == exported_status:
            del changed["status"]
        if len(self.problems) > errors:
            return None
        if not changed:
            return RowPlan(row=row, number=number, finding_id=finding_id, outcome="unchanged")
        if exported_status in lifecycle.DONE_STATUSES:
            self.problem("ledger.row_done", where=CellRef(sheet, row), status=Term("rectification_status", exported_status))
            return None
        if "requested_deadline" in changed and dates["requested_deadline"] is not None and target == exported_status:
            target = "extension_requested"  # a new date asked for is a request for more time
        action = self._action(row, sheet, exported_status, target, texts, dates, state,
                              asked_new_date="requested_deadline" in changed)
        if len(self.problems) > errors:
            return None
        changes = tuple(FieldChange(k, before.get(k, ""), v) for k, v in changed.items())
        receipt = _receipt(str(meta.get("export_id", "")), finding_id, texts)
        rect = state.rectification
        exported_stamp = snapshot.get("updated_at", "")
        now_stamp = rect.updated_at.isoformat() if rect.updated_at else ""
        current = _current_texts(rect, language)
        if rect.ledger_receipt == receipt or (
            now_stamp != exported_stamp and all(current.get(k) == v for k, v in changed.items())
            and (action is None or lifecycle.normalise_status(rect.status) == target)
        ):
            return RowPlan(row=row, number=number, finding_id=finding_id, outcome="already", changes=changes)
        if now_stamp != exported_stamp:
            return RowPlan(
                row=row, number=number, finding_id=finding_id, outcome="conflict", changes=changes,
                status_from=exported_status, status_to=target, conflicts=_conflicts(before, changed, current),
            )
        return RowPlan(
            row=row, number=number, finding_id=finding_id, outcome="change", changes=changes, action=action,
            status_from=exported_status, status_to=target,
            change=_change(finding_id, rect, texts, dates, changed, action, receipt),
        )

    def _check_protected(self, row: int, sheet: str, cells: dict[str, Any], before: dict[str, Any]) -> None:
        """The columns the department may not change (number, statement …) still say what was exported."""
        for key in cols.PROTECTED:
            found = cell_text(cells.get(key))
            if found != before.get(key, ""):
                self.problem("ledger.protected_changed", where=CellRef(sheet, row, cols.index_of(key)),
                             exported=before.get(key, "") or "—", found=found or "—")

    def _read_values(
        self, row: int, sheet: str, cells: dict[str, Any], before: dict[str, Any], language: str,
    ) -> tuple[dict[str, str], dict[str, date | None], str, str]:
        """The department's values read as what they mean: texts as the export wrote them, dates,
        and the exported and the asked-for status (a problem for each cell that cannot be read)."""
        texts: dict[str, str] = {}
        dates: dict[str, date | None] = {}
        for key in ("completed_on", "requested_deadline"):
            try:
                dates[key] = parse_date(cells.get(key))
            except ValueError:
                self.problem("ledger.bad_date", where=CellRef(sheet, row, cols.index_of(key)),
                             value=cell_text(cells.get(key)))
                dates[key] = None
            parsed = dates[key]
            if parsed is not None and not in_date_range(parsed):  # the one range (auditapp.rules.dates)
                self.problem("ledger.date_out_of_range", where=CellRef(sheet, row, cols.index_of(key)),
                             value=parsed, min=DATE_MIN, max=DATE_MAX)
                dates[key] = parsed = None
            texts[key] = parsed.isoformat() if parsed else ""
        for key in ("owner", "measures", "completion", "extension_reason"):
            texts[key] = cell_text(cells.get(key))
        status_cell = cell_text(cells.get("status"))
        exported_status = parse_status(before.get("status", "")) or "open"
        target = parse_status(status_cell) if status_cell else exported_status
        if target is None:
            self.problem("ledger.status_unknown", where=CellRef(sheet, row, cols.index_of("status")), value=status_cell,
                         allowed=[Term("rectification_status", s) for s in lifecycle.DEPARTMENT_STATUSES])
            target = exported_status
        texts["status"] = label("rectification_status", target, language)
        return texts, dates, exported_status, target

    def _action(
        self, row: int, sheet: str, status: str, target: str, texts: dict[str, str], dates: dict[str, date | None],
        state: RectificationState, *, asked_new_date: bool,
    ) -> str | None:
        """The lifecycle action a changed status asks for, checked against the one table."""
        status_col = cols.index_of("status")
        if asked_new_date and dates["requested_deadline"] is not None and target != "extension_requested":
            self.problem("ledger.extension_with_other_status", where=CellRef(sheet, row, status_col),
                         status=Term("rectification_status", target))
            return None
        if target == status:
            return None
        if target not in lifecycle.DEPARTMENT_STATUSES:
            self.problem("ledger.status_not_allowed", where=CellRef(sheet, row, status_col),
                         status=Term("rectification_status", target),
                         allowed=[Term("rectification_status", s) for s in lifecycle.DEPARTMENT_STATUSES])
            return None
        name = lifecycle.action_to(status, target)
        action = lifecycle.ACTIONS.get(name or "")
        if action is None or "department" not in action.roles:
            allowed = [a.target for a in lifecycle.allowed_actions(status, "department") if a.target]
            self.problem("ledger.transition_not_allowed", where=CellRef(sheet, row, status_col),
                         status_from=Term("rectification_status", status), status_to=Term("rectification_status", target),
                         allowed=[Term("rectification_status", s) for s in allowed] or [Term("rectification_action", "none")])
            return None
        evidence = lifecycle.Evidence(
            measures=texts["measures"], note=texts["extension_reason"] if action.name == "request_extension" else "",
            new_deadline=dates["requested_deadline"], current_deadline=state.rectification.deadline,
        )
        for need in lifecycle.missing_needs(action, evidence):
            column = {"measures": "measures", "new_deadline": "requested_deadline", "reason": "extension_reason"}.get(need)
            self.problem(f"ledger.needs_{need}", where=CellRef(sheet, row, cols.index_of(column or "status")),
                         status=Term("rectification_status", target))
        if action.name == "request_extension" and dates["requested_deadline"] is not None:
            asked = dates["requested_deadline"]
            deadline = state.rectification.deadline
            if asked < self.today or (deadline is not None and asked <= deadline):
                self.problem("ledger.extension_not_later", where=CellRef(sheet, row, cols.index_of("requested_deadline")),
                             requested=asked, deadline=deadline or self.today)
        return action.name


def read_returned_workbook(db: Database, path: Path, *, today: date | None = None) -> LedgerPlan:
    """Validate a returned department workbook and plan its import (writes nothing)."""
    return _Reader(db, Path(path), today or date.today()).read()


def import_ledger(
    db: Database, path: Path, *, dry_run: bool = False, skip_conflicts: bool = False, today: date | None = None,
) -> LedgerImport:
    """Import a returned department workbook: every change in one transaction, or none.

    Conflicting rows stop the import unless ``skip_conflicts`` (then they stay as the app
    has them, and are listed). ``dry_run`` only validates and plans.
    """
    today = today or date.today()
    plan = read_returned_workbook(db, path, today=today)
    if dry_run:
        return LedgerImport(plan=plan, applied=0, dry_run=True)
    return apply_plan(db, plan, skip_conflicts=skip_conflicts, today=today)


def apply_plan(db: Database, plan: LedgerPlan, *, skip_conflicts: bool = False, today: date | None = None) -> LedgerImport:
    """Apply a plan read before (the GUI shows it first): one transaction; every row's version
    is checked again inside it, so a change made since the preview stops the whole import."""
    today = today or date.today()
    conflicts = [r for r in plan.rows if r.outcome == "conflict"]
    if conflicts and not skip_conflicts:
        raise LedgerConflictError("ledger.conflicts", count=len(conflicts), rows=[r.row for r in conflicts])
    changes = [r.change for r in plan.rows if r.outcome == "change" and r.change is not None]
    if changes:
        apply_changes(db, changes, role="department", actor=plan.actor, today=today)
    return LedgerImport(plan=plan, applied=len(changes), dry_run=False)


def _conflicts(before: dict[str, Any], changed: dict[str, str], current: dict[str, str]) -> tuple[ConflictField, ...]:
    """The cells the department changed while the app changed the row too, and what changed in
    the app alone (shown even where the department left the cell as exported)."""
    conflicts = tuple(
        ConflictField(column=k, exported=before.get(k, ""), app=current.get(k, ""), workbook=v)
        for k, v in changed.items()
    )
    others = tuple(
        ConflictField(column=k, exported=before.get(k, ""), app=current[k], workbook=before.get(k, ""))
        for k in current if k not in changed and current[k] != before.get(k, "")
    )
    return conflicts + others


def _change(
    finding_id: str, rect: RectificationInfo, texts: dict[str, str], dates: dict[str, date | None], changed: dict[str, str],
    action: str | None, receipt: str,
) -> RectificationChange:
    """The service call a row asks for: only the fields it changed, the action and its note."""
    note = ""
    if action == "report":
        note = texts["completion"]
    elif action == "request_extension":
        note = texts["extension_reason"]
    return RectificationChange(
        finding_id=finding_id,
        expected_updated_at=rect.updated_at,
        owner=texts["owner"] if "owner" in changed else None,
        measures=texts["measures"] if "measures" in changed else None,
        completion=texts["completion"] if "completion" in changed else None,
        completed_on=dates["completed_on"] if "completed_on" in changed else None,
        clear_completed_on="completed_on" in changed and dates["completed_on"] is None,
        action=action,
        note=note,
        new_deadline=dates["requested_deadline"] if action == "request_extension" else None,
        receipt=receipt,
    )
