"""The floor plan's dialogs: choose and name a plan image, edit a pin, link a problem pin."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from auditapp.db import Database
from auditapp.services.floorplans import PinInfo
from auditapp.services.pin_kinds import AED_STATUSES
from ui import messages
from ui.floorplan_view.pin_style import aed_status_text, kind_text, touch


def choose_plan_file(parent: QWidget | None) -> Path | None:
    """Ask for a plan image; kept in one function so tests and a shared dialog helper can replace it."""
    return messages.choose_open_file(
        parent,
        QCoreApplication.translate("FloorPlanPanel", "Import floor plan"),
        QCoreApplication.translate("FloorPlanPanel", "Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.heic)"),
        key="plans",
    )




class PlanImportDialog(QDialog):
    """Name and floor of a plan being imported; the name is what people pick plans by."""

    def __init__(self, image: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import floor plan"))
        self.name_edit = touch(QLineEdit(image.stem))
        self.name_edit.setPlaceholderText(self.tr("e.g. Outpatient building, ground floor"))
        self.floor_edit = touch(QLineEdit())
        self.floor_edit.setPlaceholderText(self.tr("e.g. 1F"))
        form = QFormLayout(self)
        form.addRow(self.tr("File:"), QLabel(image.name))
        form.addRow(self.tr("Plan name:"), self.name_edit)
        form.addRow(self.tr("Floor:"), self.floor_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.name_edit.textChanged.connect(
            lambda text: buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()))
        )
        self.resize(480, self.sizeHint().height())


class PinEditDialog(QDialog):
    """Label and (for an AED) the checked status of one pin, plus link and delete for touch users.

    ``choice`` says what the user asked for: "save", "link" or "delete".
    """

    def __init__(self, pin: PinInfo, number: int, *, can_link: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = ""
        self.setWindowTitle(self.tr("Pin %1").replace("%1", f"{number} · {kind_text(pin.kind)}"))
        form = QFormLayout(self)
        self.label_edit = QLineEdit(pin.label)
        touch(self.label_edit)
        self.label_edit.setPlaceholderText(self.tr("Where exactly, e.g. next to the registration desk"))
        form.addRow(self.tr("Label:"), self.label_edit)
        self.status_combo = QComboBox()
        touch(self.status_combo)
        for status in AED_STATUSES:
            self.status_combo.addItem(aed_status_text(status), status)
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(pin.status)))
        if pin.kind == "aed":
            form.addRow(self.tr("Check status:"), self.status_combo)
        else:
            self.status_combo.hide()
        self.link_button = touch(QPushButton(self.tr("Link to current item")))
        self.link_button.setEnabled(can_link)
        self.delete_button = touch(QPushButton(self.tr("Delete pin")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.link_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.accepted.connect(lambda: self._finish("save"))
        buttons.rejected.connect(self.reject)
        self.link_button.clicked.connect(lambda: self._finish("link"))
        self.delete_button.clicked.connect(lambda: self._finish("delete"))
        form.addRow(buttons)
        self.resize(520, self.sizeHint().height())

    def _finish(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def label(self) -> str:
        return self.label_edit.text().strip()

    def status(self) -> str:
        return str(self.status_combo.currentData() or "")


class LinkChooserDialog(QDialog):
    """Pick what a problem pin points at: any problem or any item of the visit."""

    def __init__(self, db: Database, visit_id: str, parent: QWidget | None = None) -> None:
        from auditapp.services import visits
        from ui.texts import localized

        super().__init__(parent)
        self.setWindowTitle(self.tr("Link the pin to…"))
        self.choice: tuple[str, str] | None = None  # ("finding" | "item", id)
        detail = visits.visit_detail(db, visit_id)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search…"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("linkChoices")
        self.list.setWordWrap(True)
        for finding in detail.findings:
            text = self.tr("Problem No. %1: %2").replace("%1", str(finding.seq)).replace(
                "%2", (finding.statement or finding.text).splitlines()[0] if (finding.statement or finding.text) else ""
            )
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, ("finding", finding.id))
            self.list.addItem(entry)
        for view in detail.items:
            entry = QListWidgetItem(self.tr("Item: %1").replace("%1", localized(view.item.question, view.item.question_en)))
            entry.setData(Qt.ItemDataRole.UserRole, ("item", view.item.id))
            self.list.addItem(entry)
        self.search.textChanged.connect(self._filter)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(640, 520)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.list.count()):
            entry = self.list.item(row)
            entry.setHidden(bool(needle) and needle not in entry.text().casefold())

    def select(self, kind: str, ref: str) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == (kind, ref):
                self.list.setCurrentRow(row)
                return True
        return False

    def accept(self) -> None:
        entry = self.list.currentItem()
        if entry is None:
            return
        self.choice = tuple(entry.data(Qt.ItemDataRole.UserRole))  # type: ignore[assignment]
        super().accept()


# --------------------------------------------------------------------------- AED map

