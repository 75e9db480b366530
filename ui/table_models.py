"""Qt table models over service results: each owns a row list behind one reset method."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from auditapp.terms import label
from ui.home_snapshot import HomeRow

if TYPE_CHECKING:  # the first window shows a snapshot before the services (SQLAlchemy) are imported
    from auditapp.services.institutions import InstitutionInfo
    from auditapp.services.visits import VisitInfo

Row = TypeVar("Row")
_Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("TableModels", text)


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """A read-only table of frozen dataclass rows; subclasses say how to show a cell.

    Until the database is open at start-up it may instead show the rows of the last
    session as they were displayed (:meth:`show_snapshot`, ``ui/home_snapshot.py``);
    :meth:`rendered` gives those strings for the current rows.
    """

    headers: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._snapshot: list[HomeRow] | None = None
        # Subclasses translating in their own context (self.tr) replace these after super().__init__.
        self._header_labels: tuple[str, ...] = tuple(tr(h) for h in self.headers)

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._snapshot = None
        self.endResetModel()

    def show_snapshot(self, rows: Sequence[HomeRow]) -> None:
        """Show rows as they were displayed last time (no row objects until :meth:`set_rows`)."""
        self.beginResetModel()
        self._rows = []
        self._snapshot = list(rows)
        self.endResetModel()

    def snapshot_row(self, row: int) -> HomeRow | None:
        """The shown snapshot row, None when the model holds real rows."""
        return None if self._snapshot is None else self._snapshot[row]

    def rendered(self) -> list[HomeRow]:
        """What the table displays, row by row: what a snapshot keeps (needs rows with an ``id``)."""
        if self._snapshot is not None:
            return list(self._snapshot)
        columns = range(self.columnCount())
        return [HomeRow(str(getattr(r, "id")), tuple(self.display(r, c) for c in columns)) for r in self._rows]  # noqa: B009

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid():
            return 0
        return len(self._snapshot) if self._snapshot is not None else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._header_labels)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._header_labels[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        if self._snapshot is not None:
            shown = self._snapshot[index.row()]
            if role == Qt.ItemDataRole.DisplayRole and 0 <= index.column() < len(shown.cells):
                return shown.cells[index.column()]
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def display(self, row: Row, column: int) -> str:
        raise NotImplementedError


KIND_LABELS = {
    "general": QT_TRANSLATE_NOOP("TableModels", "General"),
    "tcm": QT_TRANSLATE_NOOP("TableModels", "TCM"),
    "integrated": QT_TRANSLATE_NOOP("TableModels", "Integrated"),
    "specialist": QT_TRANSLATE_NOOP("TableModels", "Specialist"),
    "primary": QT_TRANSLATE_NOOP("TableModels", "Primary care"),
}
MODE_LABELS = {"self": QT_TRANSLATE_NOOP("TableModels", "Self experience"), "bureau": QT_TRANSLATE_NOOP("TableModels", "Bureau inspection")}
AMENDED_LABEL = QT_TRANSLATE_NOOP("TableModels", "%1, amended")
LEVEL_LABELS = {
    1: QT_TRANSLATE_NOOP("TableModels", "Level 1"),
    2: QT_TRANSLATE_NOOP("TableModels", "Level 2"),
    3: QT_TRANSLATE_NOOP("TableModels", "Level 3"),
}


class InstitutionTableModel(RowTableModel["InstitutionInfo"]):
    NAME, KIND, LEVEL, REGION, VISITS, OPEN = range(6)
    headers = (
        QT_TRANSLATE_NOOP("TableModels", "Institution"),
        QT_TRANSLATE_NOOP("TableModels", "Kind"),
        QT_TRANSLATE_NOOP("TableModels", "Level"),
        QT_TRANSLATE_NOOP("TableModels", "Region"),
        QT_TRANSLATE_NOOP("TableModels", "Visit count"),
        QT_TRANSLATE_NOOP("TableModels", "Open rectifications"),
    )

    def display(self, row: InstitutionInfo, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.KIND:
            return tr(KIND_LABELS.get(row.kind, row.kind))
        if column == self.LEVEL:
            return tr(LEVEL_LABELS.get(row.level, str(row.level)))
        if column == self.REGION:
            return row.region  # the region decides which documents bind it (本地要求)
        if column == self.VISITS:
            return str(row.visit_count)
        return str(row.open_rectifications)


class VisitTableModel(RowTableModel["VisitInfo"]):
    DATE, MODE, INSPECTOR, STATUS, PROGRESS, SCORE, OPEN = range(7)
    headers = (
        QT_TRANSLATE_NOOP("TableModels", "Date"),
        QT_TRANSLATE_NOOP("TableModels", "Mode"),
        QT_TRANSLATE_NOOP("TableModels", "Inspector"),
        QT_TRANSLATE_NOOP("TableModels", "Status"),
        QT_TRANSLATE_NOOP("TableModels", "Answered"),
        QT_TRANSLATE_NOOP("TableModels", "Conformity"),
        QT_TRANSLATE_NOOP("TableModels", "Open rectifications"),
    )

    def display(self, row: VisitInfo, column: int) -> str:
        if column == self.DATE:
            return row.visit_date.isoformat()
        if column == self.MODE:
            return tr(MODE_LABELS.get(row.mode, row.mode))
        if column == self.INSPECTOR:
            return row.inspector
        if column == self.STATUS:
            # The vocabulary's word (已定稿), as the runner and reports say it.
            status = label("visit_status", row.status)
            return tr(AMENDED_LABEL).replace("%1", status) if row.status == "finalized" and row.amended else status
        if column == self.PROGRESS:
            return f"{row.answered_count}/{row.item_count}"
        if column == self.SCORE:
            return row.score.percent_text
        return str(row.open_rectifications)
