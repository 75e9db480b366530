"""The current checklist item, large and readable, with one-tap answers.

The panel never writes to the database itself: it emits what the user asked for and the
visit runner turns that into an undoable command, so every path (buttons, keys, undo)
goes through the same service call.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from auditapp.checklists.schema import Item
from auditapp.services.visits import ItemView
from ui.dialogs import SEVERITY_LABELS, severity_label
from ui.i18n import is_chinese
from ui.texts import localized, target_text, unit_text

RESULT_COLOURS = {"conform": "#2e7d32", "nonconform": "#c62828", "na": "#616161"}


class ItemPanel(QWidget):
    answerRequested = Signal(str)  # result
    valueRequested = Signal(str)  # measured value or chosen option
    noteEdited = Signal(str)
    severityChosen = Signal(str)
    departmentChosen = Signal(str)
    basisClicked = Signal(int)  # index into item.basis
    leaveRequested = Signal()  # Esc, or ↓ on the note's last line: back to the item list
    readOnlyAttempt = Signal()  # typing into a finalized visit's note

    def __init__(self, parent: QWidget | None = None, *, source_title: Callable[[str], str] | None = None) -> None:
        super().__init__(parent)
        # Basis lines name the document by its title; the runner knows the library.
        self.source_title: Callable[[str], str] = source_title or (lambda short_name: short_name)
        self._view: ItemView | None = None
        self._loading = False
        self._note_dirty = False
        self._build_item_text()
        answers = self._build_result_buttons()
        values = self._build_value_row()
        self._build_note()
        details = self._build_details()
        self._build_layout(answers, values, details)

    def _build_item_text(self) -> None:
        """Where the item stands, its question (large), how to check it, and its clickable basis."""
        self.position_label = QLabel()
        self.position_label.setObjectName("positionLabel")
        self.question_label = QLabel()
        self.question_label.setObjectName("questionLabel")
        self.question_label.setWordWrap(True)
        qfont = QFont(self.question_label.font())
        qfont.setPointSizeF(qfont.pointSizeF() * 1.6)
        qfont.setBold(True)
        self.question_label.setFont(qfont)
        self.question_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.guidance_label = QLabel()
        self.guidance_label.setWordWrap(True)
        self.guidance_label.setStyleSheet("color: #455a64;")
        self.basis_label = QLabel()
        self.basis_label.setObjectName("basisLabel")
        self.basis_label.setWordWrap(True)
        self.basis_label.setTextFormat(Qt.TextFormat.RichText)
        self.basis_label.linkActivated.connect(lambda link: self.basisClicked.emit(int(link.split(":")[1])))
        self.basis_label.setToolTip(self.tr("Click a citation to read the passage in its document"))

    def _build_result_buttons(self) -> QHBoxLayout:
        """Conform / nonconform / not applicable: large, exclusive, keys 1–3."""
        self.result_buttons: dict[str, QPushButton] = {}
        self.result_group = QButtonGroup(self)
        self.result_group.setExclusive(True)
        row = QHBoxLayout()
        for key, result, text in (
            ("1", "conform", self.tr("Conform")),
            ("2", "nonconform", self.tr("Nonconform")),
            ("3", "na", self.tr("Not applicable")),
        ):
            button = self._result_button(key, result, text)
            self.result_group.addButton(button)
            self.result_buttons[result] = button
            row.addWidget(button)
        return row

    def _result_button(self, key: str, result: str, text: str) -> QPushButton:
        """One answer button, coloured by its result when checked."""
        button = QPushButton(f"{key}  {text}")
        button.setObjectName(f"answer_{result}")
        button.setCheckable(True)
        button.setMinimumHeight(56)
        bfont = QFont(button.font())
        bfont.setPointSizeF(bfont.pointSizeF() * 1.3)
        button.setFont(bfont)
        button.setStyleSheet(
            f"QPushButton:checked {{ background: {RESULT_COLOURS[result]}; color: white; font-weight: bold; }}"
        )
        button.setToolTip(self.tr("Key %1").replace("%1", key))
        button.clicked.connect(lambda _=False, r=result: self._result_clicked(r))
        return button

    def _build_value_row(self) -> QHBoxLayout:
        """The measured value, the chosen option or the text, with the target beside it."""
        self.value_spin = QDoubleSpinBox()
        self.value_spin.setObjectName("valueSpin")
        self.value_spin.setRange(0, 1_000_000)
        self.value_spin.setDecimals(1)
        self.value_spin.setMinimumHeight(40)
        self.value_spin.editingFinished.connect(self._value_finished)
        self.choice_combo = QComboBox()
        self.choice_combo.setObjectName("choiceCombo")
        self.choice_combo.activated.connect(self._choice_activated)
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("textValue")
        self.text_edit.editingFinished.connect(lambda: self._emit_value(self.text_edit.text()))
        self.target_label = QLabel()
        value_row = QHBoxLayout()
        value_row.addWidget(self.value_spin)
        value_row.addWidget(self.choice_combo)
        value_row.addWidget(self.text_edit)
        value_row.addWidget(self.target_label, 1)
        return value_row

    def _build_note(self) -> None:
        """The note, saved as the user types, and the notice of a save refused as stale."""
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setPlaceholderText(self.tr("Note: what exactly did you see? (saved as you type)"))
        self.note_edit.setMaximumHeight(110)
        # Save shortly after typing stops, and at once when focus leaves.
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(700)
        self._note_timer.timeout.connect(self.flush_note)
        self.note_edit.textChanged.connect(self._note_changed)
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.installEventFilter(self)
        # Shown when a save was refused because the answer changed elsewhere: the saved
        # text, while the box keeps what the user typed.
        self.stale_label = QLabel()
        self.stale_label.setObjectName("staleNoteLabel")
        self.stale_label.setWordWrap(True)
        self.stale_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stale_label.setStyleSheet("background: #fff7d6; border: 1px solid #e0b100; padding: 4px; color: #5c4400;")
        self.stale_label.hide()

    def _build_details(self) -> QFormLayout:
        """Severity and responsible department of a problem, and the "photo required" flag."""
        self.severity_combo = QComboBox()
        self.severity_combo.setObjectName("severityCombo")
        for severity in SEVERITY_LABELS:
            self.severity_combo.addItem(severity_label(severity), severity)
        self.severity_combo.activated.connect(lambda _i: self.severityChosen.emit(self.severity_combo.currentData()))
        self.department_combo = QComboBox()
        self.department_combo.setObjectName("departmentCombo")
        self.department_combo.setEditable(True)
        self.department_combo.activated.connect(lambda _i: self.departmentChosen.emit(self.department_combo.currentText()))
        self.department_combo.lineEdit().editingFinished.connect(self._department_edited)
        self.photo_flag = QLabel()
        self.photo_flag.setObjectName("photoFlag")
        self.photo_flag.setStyleSheet("color: #c62828; font-weight: bold;")

        details = QFormLayout()
        details.addRow(self.tr("Severity"), self.severity_combo)
        details.addRow(self.tr("Responsible department"), self.department_combo)
        return details

    def _build_layout(self, answers: QHBoxLayout, values: QHBoxLayout, details: QFormLayout) -> None:
        """The parts one above the other; the runner puts the photo strip in ``photo_container``."""
        layout = QVBoxLayout(self)
        layout.addWidget(self.position_label)
        layout.addWidget(self.question_label)
        layout.addWidget(self.guidance_label)
        layout.addWidget(self.basis_label)
        layout.addLayout(answers)
        layout.addLayout(values)
        layout.addWidget(self.stale_label)
        layout.addWidget(self.note_edit)
        layout.addLayout(details)
        layout.addWidget(self.photo_flag)
        self.photo_container = QVBoxLayout()
        layout.addLayout(self.photo_container)
        layout.addStretch(1)

    # -- showing -----------------------------------------------------------------

    def current_item_id(self) -> str | None:
        return self._view.item.id if self._view else None

    def show_item(self, view: ItemView | None, position: str, departments: list[str], *, editable: bool) -> None:
        self.flush_note()
        self._loading = True
        try:
            if view is None or self._view is None or view.item.id != self._view.item.id:
                self.stale_label.hide()
            self._view = view
            self.position_label.setText(position)
            if view is None:
                self.question_label.setText(self.tr("No item selected"))
                for w in (self.guidance_label, self.basis_label, self.target_label, self.photo_flag):
                    w.setText("")
                return
            item = view.item
            self.question_label.setText(localized(item.question, item.question_en))
            guidance = localized(item.guidance, item.guidance_en)
            self.guidance_label.setText((self.tr("How to check: ") + guidance) if guidance else "")
            self.basis_label.setText(self._basis_html(item, view))
            answer = view.answer
            result = answer.result if answer else None
            self.result_group.setExclusive(False)
            for key, button in self.result_buttons.items():
                button.setChecked(key == result)
            self.result_group.setExclusive(True)
            self._show_value_editor(item, answer.value if answer else "")
            note = answer.note if answer else ""
            if note != self.note_edit.toPlainText():  # keep the cursor where the user is typing
                self.note_edit.setPlainText(note)
            severity = answer.severity if answer and answer.result else item.severity
            self.severity_combo.setCurrentIndex(max(0, self.severity_combo.findData(severity)))
            self.department_combo.clear()
            self.department_combo.addItems(departments)
            dept = (answer.department if answer and answer.department else item.department) or ""
            if dept and self.department_combo.findText(dept) < 0:
                self.department_combo.addItem(dept)
            self.department_combo.setCurrentText(dept)
            self.update_photo_flag(view)
            for widget in (*self.result_buttons.values(), self.value_spin, self.choice_combo, self.text_edit,
                           self.severity_combo, self.department_combo):
                widget.setEnabled(editable)
            self.note_edit.setReadOnly(not editable)
        finally:
            self._loading = False

    def update_photo_flag(self, view: ItemView) -> None:
        if view.needs_photo:
            self.photo_flag.setText(self.tr("⚠ A photo is required for this nonconformity"))
        elif view.item.photo_required:
            self.photo_flag.setText("")
            self.photo_flag.setToolTip(self.tr("A photo is required when nonconforming"))
        else:
            self.photo_flag.setText("")

    def _basis_html(self, item: Item, view: ItemView | None = None) -> str:
        """The citations, each clause marked when inferred, led by whether the item binds the
        institution (本地要求: a document of its region requires it) or is reference (参考)."""
        colon = "：" if is_chinese() else ": "
        language = "zh_CN" if is_chinese() else "en"
        parts = []
        binding = view.binding if view is not None else None
        local = {id(b) for b in binding.bases} if binding is not None else set()
        for n, basis in enumerate(item.basis):
            title = html.escape(self.source_title(basis.source))
            mark = " ✔" if id(basis) in local else ""
            parts.append(
                f'<a href="basis:{n}">《{title}》{html.escape(basis.label(language))}</a>{mark}{colon}'
                f'<span style="color:#37474f">“{html.escape(basis.quote)}”</span>'
            )
        head = self.tr("Basis") + colon
        if binding is not None:
            tag = (self.tr("Local requirement (本地要求)") if binding.is_binding
                   else self.tr("Reference: good practice from documents of other regions (参考)"))
            colour = "#1b5e20" if binding.is_binding else "#6d4c41"
            head = f'<b style="color:{colour}">{html.escape(tag)}</b><br>' + head
        return head + "<br>".join(parts)

    def _show_value_editor(self, item: Item, value: str) -> None:
        kind = item.response.type
        self.value_spin.setVisible(kind in ("number", "duration"))
        self.choice_combo.setVisible(kind == "choice")
        self.text_edit.setVisible(kind == "text")
        target = item.response.target
        unit = item.response.unit or ("min" if kind == "duration" else "")
        shown_unit = unit_text(unit)
        self.value_spin.setSuffix(f" {shown_unit}" if shown_unit else "")
        self.target_label.setText(self.tr("Target: %1").replace("%1", target_text(target, unit)) if target else "")
        if kind in ("number", "duration"):
            try:
                self.value_spin.setValue(float(value) if value else 0.0)
            except ValueError:
                self.value_spin.setValue(0.0)
        elif kind == "choice":
            self.choice_combo.clear()
            self.choice_combo.addItem("", "")
            for option in item.response.options:
                self.choice_combo.addItem(option.label, option.value)
            self.choice_combo.setCurrentIndex(max(0, self.choice_combo.findData(value)))
        elif kind == "text":
            self.text_edit.setText(value)

    # -- editing -----------------------------------------------------------------

    def _result_clicked(self, result: str) -> None:
        if not self._loading:
            self.flush_note()
            self.answerRequested.emit(result)

    def _value_finished(self) -> None:
        self._emit_value(f"{self.value_spin.value():g}")

    def _choice_activated(self, _index: int) -> None:
        value = self.choice_combo.currentData()
        if value:
            self._emit_value(value)

    def _emit_value(self, value: str) -> None:
        if self._loading or self._view is None:
            return
        current = self._view.answer.value if self._view.answer else ""
        if value != current:
            self.valueRequested.emit(value)

    def _note_changed(self) -> None:
        if not self._loading:
            self._note_dirty = True
            self._note_timer.start()

    def flush_note(self) -> None:
        """Save a pending note edit now (called before moving to another item)."""
        if not self._note_dirty:
            return
        self._note_dirty = False
        self._note_timer.stop()
        if self._view is None:
            return
        current = self._view.answer.note if self._view.answer else ""
        text = self.note_edit.toPlainText()
        if text != current:
            self.noteEdited.emit(text)

    def _department_edited(self) -> None:
        if self._loading or self._view is None:
            return
        text = self.department_combo.currentText().strip()
        current = self._view.answer.department if self._view.answer else ""
        if text and text != current:
            self.departmentChosen.emit(text)

    # -- keyboard ----------------------------------------------------------------

    def focus_note(self) -> None:
        """Put the cursor at the end of the note (after 2: describe the problem)."""
        if self.note_edit.isReadOnly():
            return
        self.note_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.note_edit.moveCursor(QTextCursor.MoveOperation.End)

    def keep_unsaved_note(self, typed: str, stored: str) -> None:
        """After a refused save: the box keeps ``typed``, the banner shows ``stored``."""
        self._loading = True
        try:
            self.note_edit.setPlainText(typed)
            self.note_edit.moveCursor(QTextCursor.MoveOperation.End)
        finally:
            self._loading = False
        self._note_dirty = False
        saved = stored if stored else self.tr("(empty)")
        self.stale_label.setText(
            self.tr("This answer was changed elsewhere (another window or the command line) after you opened it. "
                    "Saved now: “%1”. The box below still holds your text; edit it to save it instead.").replace("%1", saved)
        )
        self.stale_label.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self.flush_note()
                self.leaveRequested.emit()
                return True
            cursor = self.note_edit.textCursor()
            at_end = cursor.atEnd() and not cursor.hasSelection()
            if event.key() == Qt.Key.Key_Down and not event.modifiers() and at_end:
                # ↓ at the very end of the note: done describing, back to the list.
                self.flush_note()
                self.leaveRequested.emit()
                return True
            if self.note_edit.isReadOnly() and event.text() and event.text().isprintable() and self._view is not None:
                self.readOnlyAttempt.emit()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc that no field used (a button, the photo strip, a closed combo) returns to the
        # list; an open popup or the photo editor handles its own Esc before this.
        if event.key() == Qt.Key.Key_Escape:
            self.flush_note()
            self.leaveRequested.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.flush_note()
        super().focusOutEvent(event)
