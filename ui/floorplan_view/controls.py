"""The floor-plan panel's controls: the tool bar above the plan and the bar for the selected pin."""

from __future__ import annotations

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtGui import (
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QWidget,
)

from ui.floorplan_view.pin_style import BLUE, GREEN, RED, TOUCH_HEIGHT, kind_text, touch


class PlanToolbar(QWidget):
    """The row above the plan: which plan, import, the kind of new pins, undo/redo, zoom.

    Only widgets: the panel connects them (it owns the plans, the undo stack and the view).
    """

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("planCombo")
        # Room for a plan's name, but not more: this bar is the widest row of the runner's
        # tabs, and its minimum took the item list down to ~190 px at 1280×720 in English.
        self.plan_combo.setMinimumWidth(160)
        touch(self.plan_combo)
        self.import_button = touch(QPushButton(self.tr("Import floor plan…")))
        self.import_progress = QProgressBar()
        self.import_progress.setRange(0, 0)
        self.import_progress.setMaximumWidth(120)
        self.import_progress.setTextVisible(False)
        self.import_progress.hide()

        self.kind_group = QButtonGroup(self)
        self.kind_group.setExclusive(True)
        self.kind_buttons: dict[str, QToolButton] = {}
        kind_box = QHBoxLayout()
        kind_box.setSpacing(0)
        for n, kind in enumerate(("aed", "finding", "facility"), start=1):
            button = QToolButton()
            button.setText(kind_text(kind))
            button.setCheckable(True)
            button.setMinimumSize(76, TOUCH_HEIGHT)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setShortcut(QKeySequence(f"Alt+{n}"))
            button.setToolTip(self.tr("New pins are of this kind (Alt+%1)").replace("%1", str(n)))
            colour = {"aed": GREEN, "finding": RED, "facility": BLUE}[kind].name()
            button.setStyleSheet(
                f"QToolButton {{ padding: 4px 12px; font-weight: bold; border: 2px solid {colour}; color: {colour};"
                f" background: white; }} QToolButton:checked {{ background: {colour}; color: white; }}"
                " QToolButton:disabled { border-color: #c0c0c0; color: #a0a0a0; }"
            )
            self.kind_group.addButton(button, n)
            self.kind_buttons[kind] = button
            kind_box.addWidget(button)
        self.kind_buttons["aed"].setChecked(True)

        self.zoom_out_button = _tool_button("−", self.tr("Zoom out (Ctrl+-)"))
        self.zoom_in_button = _tool_button("+", self.tr("Zoom in (Ctrl++)"))
        self.fit_button = touch(QPushButton(self.tr("Fit to window")))
        self.fit_button.setToolTip(self.tr("Show the whole plan (Ctrl+0)"))
        self.undo_button = _tool_button("↶", self.tr("Undo (Ctrl+Z)"))
        self.redo_button = _tool_button("↷", self.tr("Redo (Ctrl+Shift+Z)"))
        self.undo_button.clicked.connect(lambda _checked=False: undo_stack.undo())
        self.redo_button.clicked.connect(lambda _checked=False: undo_stack.redo())
        undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)

        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(QLabel(self.tr("Floor plan:")))
        bar.addWidget(self.plan_combo, 1)
        bar.addWidget(self.import_button)
        bar.addWidget(self.import_progress)
        bar.addSpacing(16)
        self.kind_label = QLabel(self.tr("New pin:"))
        bar.addWidget(self.kind_label)
        bar.addLayout(kind_box)
        bar.addSpacing(16)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.redo_button)
        bar.addSpacing(8)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_button)

    def pin_kind(self) -> str:
        """The kind new pins get (the checked kind button)."""
        for kind, button in self.kind_buttons.items():
            if button.isChecked():
                return kind
        return "aed"


def _tool_button(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setMinimumSize(TOUCH_HEIGHT, TOUCH_HEIGHT)
    font = button.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    button.setFont(font)
    return button


class PinBar(QWidget):
    """The row under the plan: what the selected pin is, and what can be done with it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pin_info = QLabel()
        self.pin_info.setWordWrap(True)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.link_button = QPushButton(self.tr("Link to current item"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.choose_link_button = QPushButton(self.tr("Link to…"))
        self.choose_link_button.setObjectName("chooseLinkButton")
        self.choose_link_button.setToolTip(self.tr("Point this problem pin at any item or problem of the visit"))
        self.aed_problem_button = QPushButton(self.tr("Record as problem"))
        self.aed_problem_button.setObjectName("aedToFindingButton")
        self.aed_problem_button.setToolTip(self.tr("A faulty, missing or blocked AED becomes a problem of this visit"))
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 4, 0, 0)
        bar.addWidget(self.pin_info, 1)
        for button in (self.edit_button, self.link_button, self.choose_link_button, self.aed_problem_button, self.delete_button):
            bar.addWidget(touch(button))
