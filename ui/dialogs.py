"""Small dialogs of the home screen and the visit runner: institution, new visit, free
finding, the cited source passage. Each collects input and calls one service; errors are
shown in the dialog and nothing is saved until the service accepts the input."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from auditapp.checklists import InstitutionProfile, Library
from auditapp.checklists.sources import SourceDocument
from auditapp.db import Database
from auditapp.errors import AuditAppError
from auditapp.services import institutions, visits
from auditapp.services.institutions import InstitutionInfo
from auditapp.services.jurisdiction import (
    JurisdictionInfo,
    current_sources,
    documents_words,
    institution_jurisdiction,
    normalise_institution_region,
    region_choices,
)
from auditapp.services.visits import FindingInfo, VisitInfo
from ui import messages
from ui.texts import localized

KIND_LABELS = {
    "general": "综合医院",
    "tcm": "中医医院",
    "integrated": "中西医结合医院",
    "specialist": "专科医院",
    "primary": "基层医疗机构",
}
KIND_LABELS_EN = {
    "general": "General hospital",
    "tcm": "TCM hospital",
    "integrated": "Integrated TCM-Western",
    "specialist": "Specialist hospital",
    "primary": "Primary care",
}
SEVERITY_LABELS = {"minor": "一般", "major": "较重", "critical": "严重"}
SEVERITY_LABELS_EN = {"minor": "Minor", "major": "Major", "critical": "Critical"}


def kind_label(kind: str) -> str:
    from ui.i18n import is_chinese

    return (KIND_LABELS if is_chinese() else KIND_LABELS_EN).get(kind, kind)


def severity_label(severity: str) -> str:
    from ui.i18n import is_chinese

    return (SEVERITY_LABELS if is_chinese() else SEVERITY_LABELS_EN).get(severity, severity)


def binding_sentence(info: JurisdictionInfo) -> str:
    """What the region makes of the checklists, in one sentence for a dialog."""
    if not info.region:
        return QCoreApplication.translate(
            "Jurisdiction", "No region recorded: every item is reference (good practice), none a local requirement.")
    if info.outside:
        return QCoreApplication.translate("Jurisdiction", "%1 lies outside every source document's region: every item is reference "
                  "(good practice written elsewhere), none a local requirement.").replace("%1", info.region)
    if not info.documents:
        return QCoreApplication.translate(
            "Jurisdiction", "Documents of %1 address other kinds of institution: every item is reference.").replace(
            "%1", info.region)
    from ui.i18n import is_chinese

    titles = documents_words(info.documents, current_sources(), "zh_CN" if is_chinese() else "en")
    return QCoreApplication.translate("Jurisdiction", "Binding documents (本地要求): %1").replace("%1", titles)


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class InstitutionDialog(QDialog):
    """Add or edit an institution and its departments."""

    def __init__(self, db: Database, institution: InstitutionInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.institution = institution
        self.result_info: InstitutionInfo | None = None
        self.setWindowTitle(self.tr("Edit institution") if institution else self.tr("New institution"))
        self.name_edit = QLineEdit(institution.name if institution else "")
        self.name_edit.setObjectName("nameEdit")
        self.kind_combo = QComboBox()
        for kind in KIND_LABELS:
            self.kind_combo.addItem(kind_label(kind), kind)
        self.level_combo = QComboBox()
        for level, text in ((1, self.tr("Level 1")), (2, self.tr("Level 2")), (3, self.tr("Level 3"))):
            self.level_combo.addItem(text, level)
        self.obstetrics_check = QCheckBox(self.tr("Has obstetrics (＃ items apply)"))
        self.lead_check = QCheckBox(self.tr("Leads a medical alliance (▲ items apply)"))
        # Region chooser: the regions the documents bind (and those above them), or typed.
        self.region_combo = QComboBox()
        self.region_combo.setObjectName("regionCombo")
        self.region_combo.setEditable(True)
        self.region_combo.addItem("")
        self.region_combo.addItems(region_choices())
        self.region_combo.setCurrentText(institution.region if institution else "")
        self.region_combo.lineEdit().setPlaceholderText(self.tr("e.g. 重庆市渝北区 (decides which documents bind it)"))
        self.region_edit = self.region_combo.lineEdit()
        self.binding_label = QLabel()
        self.binding_label.setObjectName("bindingLabel")
        self.binding_label.setWordWrap(True)
        self.departments_edit = QPlainTextEdit()
        self.departments_edit.setPlaceholderText(self.tr("One department per line, e.g. 门诊部"))
        if institution:
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(institution.kind)))
            self.level_combo.setCurrentIndex(max(0, self.level_combo.findData(institution.level)))
            self.obstetrics_check.setChecked(institution.has_obstetrics)
            self.lead_check.setChecked(institution.alliance_lead)
            self.departments_edit.setPlainText(
                "\n".join(d.name for d in institutions.list_departments(db, institution.id))
            )
        else:
            self.level_combo.setCurrentIndex(2)
            self._offer_default_departments()
            # The offer follows the kind (a TCM hospital has 治未病科, 中药房 …) until the
            # user edits the list by hand.
            self.kind_combo.currentIndexChanged.connect(self._offer_default_departments)
            self.obstetrics_check.toggled.connect(self._offer_default_departments)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Kind"), self.kind_combo)
        form.addRow(self.tr("Level"), self.level_combo)
        form.addRow("", self.obstetrics_check)
        form.addRow("", self.lead_check)
        form.addRow(self.tr("Region"), self.region_combo)
        form.addRow("", self.binding_label)
        form.addRow(self.tr("Departments"), self.departments_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self))
        self.region_combo.currentTextChanged.connect(self._show_binding)
        self.kind_combo.currentIndexChanged.connect(self._show_binding)
        self._show_binding()
        self.resize(520, 560)

    def _show_binding(self) -> None:
        """Which documents the region binds this institution to, as the user types it."""
        region = normalise_institution_region(self.region_combo.currentText())
        profile = InstitutionProfile(kind=self.kind_combo.currentData(), level=self.level_combo.currentData() or 1,
                                     region=region)
        self.binding_label.setText(binding_sentence(institution_jurisdiction(profile)))

    _offered = ""

    def _offer_default_departments(self) -> None:
        current = self.departments_edit.toPlainText()
        if current and current != self._offered:
            return  # typed by the user: keep it
        self._offered = "\n".join(
            institutions.default_departments(
                self.kind_combo.currentData(), has_obstetrics=self.obstetrics_check.isChecked()
            )
        )
        self.departments_edit.setPlainText(self._offered)

    def accept(self) -> None:
        departments = [d.strip() for d in self.departments_edit.toPlainText().splitlines() if d.strip()]
        try:
            if self.institution is None:
                self.result_info = institutions.add_institution(
                    self.db,
                    name=self.name_edit.text(),
                    kind=self.kind_combo.currentData(),
                    level=self.level_combo.currentData(),
                    has_obstetrics=self.obstetrics_check.isChecked(),
                    alliance_lead=self.lead_check.isChecked(),
                    region=self.region_edit.text(),
                    departments=departments,
                )
            else:
                self.result_info = institutions.update_institution(
                    self.db,
                    self.institution.id,
                    name=self.name_edit.text(),
                    kind=self.kind_combo.currentData(),
                    level=self.level_combo.currentData(),
                    has_obstetrics=self.obstetrics_check.isChecked(),
                    alliance_lead=self.lead_check.isChecked(),
                    region=self.region_edit.text(),
                    departments=departments,  # one transaction with the fields above
                )
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Cannot save the institution"), exc)
            return
        super().accept()


class NewVisitDialog(QDialog):
    """Start a visit: the institution's applicable checklists come pre-selected."""

    def __init__(
        self,
        db: Database,
        library: Library,
        institution: InstitutionInfo,
        *,
        inspector: str = "",
        mode: str = "self",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.library = library
        self.institution = institution
        self.result_info: VisitInfo | None = None
        self.setWindowTitle(self.tr("New visit — %1").replace("%1", institution.name))
        self.inspector_edit = QLineEdit(inspector)
        self.inspector_edit.setObjectName("inspectorEdit")
        from ui.roster_dialog import attach_roster_completer

        attach_roster_completer(self.inspector_edit, db, institution.id)  # a roster name links the visit to the leader
        self.mode_combo = QComboBox()
        self.mode_combo.addItem(self.tr("Self experience (院内自查)"), "self")
        self.mode_combo.addItem(self.tr("Bureau inspection (上级督查)"), "bureau")
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(mode)))
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        jurisdiction = institution_jurisdiction(institution.profile)
        self.binding_check = QCheckBox(self.tr("Local requirements only (只检查本地要求)"))
        self.binding_check.setObjectName("bindingOnlyCheck")
        self.binding_check.setToolTip(self.tr("Leave out the items only documents of other regions ask for"))
        self.binding_check.setEnabled(jurisdiction.bound)
        self.binding_label = QLabel(binding_sentence(jurisdiction))
        self.binding_label.setWordWrap(True)
        self.checklist_list = QListWidget()
        self.checklist_list.setObjectName("checklistList")
        profile: InstitutionProfile = institution.profile
        template = library.default_template_for(profile)
        preselected = set(visits.default_checklist_ids(library, profile))  # the rule start_visit uses
        for checklist in library.applicable_checklists(profile):
            item = QListWidgetItem(localized(checklist.title, checklist.title_en))
            item.setToolTip(localized(checklist.description) if checklist.description else "")
            item.setData(Qt.ItemDataRole.UserRole, checklist.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if checklist.id in preselected else Qt.CheckState.Unchecked)
            self.checklist_list.addItem(item)
        form = QFormLayout()
        form.addRow(self.tr("Inspector"), self.inspector_edit)
        form.addRow(self.tr("Mode"), self.mode_combo)
        form.addRow(self.tr("Date"), self.date_edit)
        form.addRow("", self.binding_check)
        form.addRow("", self.binding_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        hint = (
            self.tr("Checklists (pre-selected by template “%1”)").replace(
                "%1", localized(template.title, template.title_en)
            )
            if template
            else self.tr("Checklists")
        )
        layout.addWidget(QLabel(hint))
        layout.addWidget(self.checklist_list)
        layout.addWidget(_buttons(self))
        self.resize(560, 560)

    def selected_checklists(self) -> list[str]:
        out = []
        for row in range(self.checklist_list.count()):
            item = self.checklist_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def accept(self) -> None:
        chosen = self.selected_checklists()
        if not chosen:
            messages.show_info(self, self.tr("New visit"), self.tr("Choose at least one checklist."))
            return
        try:
            self.result_info = visits.start_visit(
                self.db,
                institution=self.institution.id,
                inspector=self.inspector_edit.text(),
                mode=self.mode_combo.currentData(),
                checklist_ids=chosen,
                visit_date=self.date_edit.date().toPython(),  # type: ignore[arg-type]
                library=self.library,
                binding_only=self.binding_check.isChecked(),
            )
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Cannot start the visit"), exc)
            return
        super().accept()


class FreeFindingDialog(QDialog):
    """其他问题: a problem no checklist item covers — mystery visits always find some."""

    def __init__(
        self,
        db: Database,
        visit_id: str,
        departments: list[str],
        parent: QWidget | None = None,
        *,
        finding: FindingInfo | None = None,
        amendment_reason: str | None = None,
    ) -> None:
        """A new free problem, or (``finding`` given) the correction of one."""
        super().__init__(parent)
        self.db = db
        self.visit_id = visit_id
        self.finding = finding
        self.amendment_reason = amendment_reason
        self.result_info: FindingInfo | None = None
        self.setWindowTitle(self.tr("Edit problem") if finding else self.tr("Other problem"))
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("findingText")
        self.text_edit.setPlaceholderText(self.tr("What did you find? Where, when, what a patient experiences."))
        self.area_edit = QLineEdit()
        self.area_edit.setPlaceholderText(self.tr("e.g. 门诊大厅"))
        self.severity_combo = QComboBox()
        for severity in SEVERITY_LABELS:
            self.severity_combo.addItem(severity_label(severity), severity)
        self.department_combo = QComboBox()
        self.department_combo.setEditable(True)
        self.department_combo.addItem("")
        self.department_combo.addItems(departments)
        if finding is not None:
            self.text_edit.setPlainText(finding.text)
            self.area_edit.setText(finding.area)
            self.severity_combo.setCurrentIndex(max(0, self.severity_combo.findData(finding.severity)))
            if finding.department and self.department_combo.findText(finding.department) < 0:
                self.department_combo.addItem(finding.department)
            self.department_combo.setCurrentText(finding.department)
        form = QFormLayout()
        form.addRow(self.tr("Problem"), self.text_edit)
        form.addRow(self.tr("Area"), self.area_edit)
        form.addRow(self.tr("Severity"), self.severity_combo)
        form.addRow(self.tr("Responsible department"), self.department_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self))
        self.resize(520, 380)

    def accept(self) -> None:
        amend = {"amend": True, "reason": self.amendment_reason} if self.amendment_reason else {}
        try:
            if self.finding is None:
                self.result_info = visits.add_finding(
                    self.db,
                    self.visit_id,
                    text=self.text_edit.toPlainText(),
                    area=self.area_edit.text(),
                    severity=self.severity_combo.currentData(),
                    department=self.department_combo.currentText().strip() or None,
                    **amend,
                )
            else:
                self.result_info = visits.update_finding(
                    self.db,
                    self.finding.id,
                    text=self.text_edit.toPlainText(),
                    area=self.area_edit.text(),
                    severity=self.severity_combo.currentData(),
                    department=self.department_combo.currentText().strip(),
                    expected_updated_at=self.finding.updated_at,
                    **amend,
                )
        except AuditAppError as exc:
            title = self.tr("Cannot save the problem") if self.finding else self.tr("Cannot add the problem")
            messages.show_error(self, title, exc)
            return
        super().accept()


class SourcePassageDialog(QDialog):
    """The cited document with the quoted requirement highlighted: trust comes from seeing it."""

    def __init__(self, document: SourceDocument, quote: str, clause: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{document.title} {clause}")
        clause_label = self.tr("Clause")
        header = QLabel(
            f"<b>{document.title}</b><br>{document.issuer}　{document.number}　{document.date}<br>{clause_label} {clause}"
        )
        header.setWordWrap(True)
        header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.browser = QTextBrowser()
        self.browser.setObjectName("sourceText")
        self.browser.setPlainText(document.text())
        font = self.browser.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.browser.setFont(font)
        self.found = self._highlight(document, quote)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(self.browser)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(760, 620)

    def _highlight(self, document: SourceDocument, quote: str) -> bool:
        passage = document.find_passage(quote, context_lines=0)
        if passage is None:
            return False
        first, last, _text = passage
        block_first = self.browser.document().findBlockByLineNumber(first - 1)
        block_last = self.browser.document().findBlockByLineNumber(last - 1)
        cursor = QTextCursor(block_first)
        cursor.setPosition(block_last.position() + block_last.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(Qt.GlobalColor.yellow)
        fmt.setFontWeight(QFont.Weight.Bold)
        cursor.mergeCharFormat(fmt)
        self.browser.setTextCursor(QTextCursor(block_first))
        self.browser.ensureCursorVisible()
        self.highlighted_text = cursor.selectedText()
        return True


class AmendReasonDialog(QDialog):
    """修改（需说明原因）: a finalized visit changes only with a reason, kept in the change log."""

    def __init__(self, db: Database, visit_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.visit_id = visit_id
        self.result_info: visits.AmendmentInfo | None = None
        self.setWindowTitle(self.tr("Amend a finalized visit"))
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("amendReason")
        self.reason_edit.setPlaceholderText(self.tr("e.g. a photo of item 12 was attached to the wrong item"))
        note = QLabel(
            self.tr("Every change made now is logged with this reason, and reports show the visit as amended.")
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #455a64;")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("This visit is finalized. Why must it change?")))
        layout.addWidget(self.reason_edit)
        layout.addWidget(note)
        layout.addWidget(_buttons(self))
        self.resize(520, 180)

    def accept(self) -> None:
        try:
            self.result_info = visits.begin_amendment(self.db, self.visit_id, self.reason_edit.text())
        except AuditAppError as exc:
            messages.show_error(self, self.tr("The visit cannot be amended"), exc)
            return
        super().accept()
