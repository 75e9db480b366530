"""Sync from the GUI: export a package, import one after seeing what it will change, sync
with another database (SQLite file or a bureau's PostgreSQL server), resolve conflicts.

All work runs in the database worker with a cancellable progress dialog; the merge engine
validates everything before writing, so a cancelled or failed run leaves the data as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from auditapp.db import Database
from auditapp.errors import AuditAppError
from auditapp.server import credentials
from auditapp.services import institutions
from auditapp.sync import (
    ImportPreview,
    MergeReport,
    SyncError,
    SyncResult,
    export_package,
    import_package,
    list_conflicts,
    resolve_conflict,
    sync_with,
)
from auditapp.terms import table_label
from ui import messages
from ui.workers import Op, OpFn, run_op


def _unless_wrong_passphrase(op: Any) -> Any:
    """``op()``, or the error when the passphrase did not open the key (the dialog asks again)."""
    try:
        return op()
    except SyncError as exc:
        if exc.code == "keys.wrong_passphrase":
            return exc
        raise


def _counts_rows(report: MergeReport) -> list[tuple[str, int, int, int]]:
    rows = []
    for table, change in report.counts.items():
        if change.new or change.updated or change.deleted:
            rows.append((table_label(table), change.new, change.updated, change.deleted))
    return rows


class SyncDialog(QDialog):
    """Three carriers, one dialog: package out, package in, direct sync."""

    dataChanged = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None, *, institution_id: str | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Sync and packages"))
        self.preview: ImportPreview | None = None
        self.last_result: Any = None
        self.op: Op | None = None  # the running (or last) operation
        tabs = QTabWidget()
        tabs.addTab(self._export_page(institution_id), self.tr("Export package"))
        tabs.addTab(self._import_page(), self.tr("Import package"))
        tabs.addTab(self._sync_page(), self.tr("Sync with a database"))
        self.tabs = tabs
        QWidget.setTabOrder(self.url_edit, self.password_edit)  # Tab from the address goes to its password
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(820, 560)

    def _run(self, title: str, op: OpFn, on_success: Callable[[Any], None]) -> Op:
        """One operation at a time behind the progress dialog; Cancel stops it between steps."""
        self.op = run_op(
            self,
            op,
            on_success,
            progress=title,
            title=title,
        )
        return self.op

    def busy(self) -> bool:
        return self.op is not None and self.op.is_running()

    # -- export ------------------------------------------------------------------

    def _export_page(self, institution_id: str | None) -> QWidget:
        page = QWidget()
        self.scope_combo = QComboBox()
        self.scope_combo.setObjectName("exportScope")
        self.scope_combo.addItem(self.tr("Everything on this computer"), None)
        for inst in institutions.list_institutions(self.db):
            self.scope_combo.addItem(inst.name, inst.id)
        if institution_id:
            self.scope_combo.setCurrentIndex(max(0, self.scope_combo.findData(institution_id)))
        self.since_check = QCheckBox(self.tr("Only what changed since"))
        self.since_edit = QDateEdit(QDate.currentDate().addMonths(-1))
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("yyyy-MM-dd")
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_check)
        since_row.addWidget(self.since_edit)
        since_row.addStretch(1)
        self.export_path = QLineEdit(str(Path.home() / (self.tr("visit-data") + ".auditpkg")))
        self.export_path.setObjectName("exportPath")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._choose_export_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.export_path, 1)
        path_row.addWidget(browse)
        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.export)
        self.export_status = QLabel()
        self.export_status.setWordWrap(True)
        form = QFormLayout(page)
        form.addRow(self.tr("What"), self.scope_combo)
        form.addRow("", since_row)
        form.addRow(self.tr("File"), path_row)
        form.addRow("", self.export_button)
        form.addRow("", self.export_status)
        return page

    def _choose_export_path(self) -> None:
        chosen = messages.choose_save_file(
            self, self.tr("Export package"), self.export_path.text(), self.tr("Packages (*.auditpkg)"), key="packages"
        )
        if chosen is not None:
            path = str(chosen)
            self.export_path.setText(path if path.endswith(".auditpkg") else path + ".auditpkg")

    def export(self) -> Op:
        out = Path(self.export_path.text()).expanduser()
        inst = self.scope_combo.currentData()
        since = self.since_edit.date().toPython() if self.since_check.isChecked() else None

        def op(progress: Any, cancelled: Any) -> Any:
            return export_package(
                self.db, out, institutions=[inst] if inst else None, since=since, progress=progress, cancel=cancelled
            )

        def done(result: Any) -> None:
            self.last_result = result
            visits = result.counts.get("visits", 0)
            self.export_status.setText(
                self.tr("Written %1: %2 visits, %3 photo files, %4 MB.")
                .replace("%1", str(result.path))
                .replace("%2", str(visits))
                .replace("%3", str(result.photo_files))
                .replace("%4", f"{result.bytes / 1e6:.1f}")
            )

        return self._run(self.tr("Exporting…"), op, done)

    # -- import ------------------------------------------------------------------

    def _import_page(self) -> QWidget:
        page = QWidget()
        self.import_path = QLineEdit()
        self.import_path.setObjectName("importPath")
        self.import_path.setPlaceholderText(self.tr("A .auditpkg file from another laptop"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._choose_import_path)
        self.check_button = QPushButton(self.tr("Check what it changes"))
        self.check_button.setObjectName("checkButton")
        self.check_button.clicked.connect(self.check_package)
        row = QHBoxLayout()
        row.addWidget(self.import_path, 1)
        row.addWidget(browse)
        row.addWidget(self.check_button)
        self.import_summary = QLabel(self.tr("Nothing is changed until you press Import."))
        self.import_summary.setWordWrap(True)
        self.signer_label = QLabel()
        self.signer_label.setObjectName("packageSigner")
        self.signer_label.setWordWrap(True)
        self.trust_button = QPushButton(self.tr("Trust this signer"))
        self.trust_button.setObjectName("trustSigner")
        self.trust_button.setVisible(False)
        self.trust_button.clicked.connect(self.trust_signer)
        signer_row = QHBoxLayout()
        signer_row.addWidget(self.signer_label, 1)
        signer_row.addWidget(self.trust_button)
        # (private key file, passphrase) that opened the encrypted package being checked;
        # the key file chosen for it, kept while a wrong passphrase is asked again
        self._unlocked: tuple[Path, bytes] | None = None
        self._key_file: Path | None = None
        self.import_table = self._counts_table()
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setObjectName("importButton")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.import_now)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addLayout(signer_row)
        layout.addWidget(self.import_summary)
        layout.addWidget(self.import_table, 1)
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def _counts_table(self) -> QTableWidget:
        table = QTableWidget(0, 4)
        table.setHorizontalHeaderLabels([self.tr("Records"), self.tr("New"), self.tr("Changed"), self.tr("Deleted")])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return table

    def _fill_counts(self, table: QTableWidget, report: MergeReport) -> None:
        rows = _counts_rows(report)
        table.setRowCount(len(rows))
        for r, (label, new, changed, deleted) in enumerate(rows):
            for c, value in enumerate((label, new, changed, deleted)):
                table.setItem(r, c, QTableWidgetItem(str(value)))

    def _choose_import_path(self) -> None:
        path = messages.choose_open_file(self, self.tr("Import package"), self.tr("Packages (*.auditpkg)"), key="packages")
        if path is not None:
            self.import_path.setText(str(path))
            self.check_package()

    def _unlock(self, path: Path) -> tuple[Path, bytes] | bool | None:
        """For an encrypted package: the private key file and its passphrase, asked for.

        None for a package that is not encrypted; False when the user cancelled.
        """
        from auditapp.sync import encryption

        if not encryption.is_encrypted(path):
            return None
        if self._unlocked is not None:
            return self._unlocked
        key = self._key_file
        if key is None:
            key = messages.choose_open_file(
                self,
                self.tr("Encrypted package: choose your private key file"),
                self.tr("Key files (*.key *.pem);;All files (*)"),
                key="keys",
            )
            if key is None:
                return False
        secret = messages.ask_password(self, self.tr("Encrypted package"), self.tr("Passphrase of the key %1:").replace("%1", key.name))
        if secret is None:
            return False
        return key, secret.encode("utf-8")

    def _show_signer(self, preview: ImportPreview) -> None:
        """Who signed the package (device label, short fingerprint) and whether this computer trusts them."""
        signer = preview.signer
        self.trust_button.setVisible(False)
        if signer is None or signer.status == "unsigned":
            text = self.tr("⚠ Not signed (made by an older version): where it came from cannot be checked.")
        else:
            who = (
                self.tr("%1 (fingerprint %2)").replace("%1", signer.label or self.tr("unnamed device")).replace("%2", signer.fingerprint)
            )
            if signer.status == "own":
                text = self.tr("Signed by this computer: %1.").replace("%1", who)
            elif signer.status == "trusted":
                text = self.tr("Signed by %1, in your trust list.").replace("%1", who)
            else:
                text = self.tr(
                    "⚠ Signed by %1, a signer not seen before. Check the fingerprint with the sender before you trust it."
                ).replace("%1", who)
                self.trust_button.setVisible(True)
        if preview.encrypted:
            text += " " + self.tr("The package was encrypted for your key.")
        self.signer_label.setText(text)

    def trust_signer(self) -> None:
        """Accept the package's signer into this data folder's trust list."""
        from auditapp.sync import signing

        if self.preview is None or self.preview.signer is None:
            return
        try:
            signing.trust(self.db.data_dir, self.preview.signer)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Cannot trust the signer"), exc)
            return
        self.preview = replace(self.preview, signer=replace(self.preview.signer, status="trusted"))
        self._show_signer(self.preview)

    def check_package(self, *, retry: bool = False) -> Op | None:
        """Plan the import of the package in the path field (writes nothing) and show what it would change.

        ``retry``: asked again after a wrong passphrase, with the key file chosen before.
        """
        path = Path(self.import_path.text()).expanduser()
        self.import_button.setEnabled(False)
        self.trust_button.setVisible(False)
        self.signer_label.clear()
        self.import_table.setRowCount(0)  # nothing of a package checked before stays on show
        self.import_summary.setText(self.tr("Nothing is changed until you press Import."))
        if self.preview is None or self.preview.path != path:
            self._unlocked = None
        if not retry:
            self._key_file = None
        self.preview = None
        unlock = self._unlock(path)
        if unlock is False:
            return None
        key, secret = unlock if isinstance(unlock, tuple) else (None, None)

        def done(outcome: ImportPreview | SyncError) -> None:
            if isinstance(outcome, SyncError):  # the passphrase did not open the key: say so, ask again
                messages.show_error(self, self.tr("Wrong passphrase"), outcome)
                self._unlocked = None
                self._key_file = key
                self.check_package(retry=True)
                return
            preview = outcome
            self.preview = preview
            self._unlocked = (key, secret) if key is not None and secret is not None else None
            self._show_signer(preview)
            report = preview.report
            self._fill_counts(self.import_table, report)
            changes = sum(c.changes for c in report.counts.values())
            text = self.tr("From %1 (app %2), made %3: %4 changes, %5 conflicts, %6 new photo files.")
            text = (
                text.replace("%1", preview.device_label or preview.device_id[:8])
                .replace("%2", preview.app_version)
                .replace("%3", preview.created_at.astimezone().strftime("%Y-%m-%d %H:%M"))
                .replace("%4", str(changes))
                .replace("%5", str(len(report.conflicts)))
                .replace("%6", str(report.new_photo_files))
            )
            if report.already_merged or changes == 0:
                text += " " + self.tr("Everything in it is already here.")
            self.import_summary.setText(text)
            self.import_button.setEnabled(changes > 0)

        return self._run(
            self.tr("Checking the package…"),
            lambda progress, cancelled: _unless_wrong_passphrase(
                lambda: import_package(
                    self.db, path, dry_run=True, key=key, passphrase=secret, progress=progress, cancel=cancelled
                )
            ),
            done,
        )

    def import_now(self) -> Op | None:
        if self.preview is None:
            return None
        path = self.preview.path
        signer = self.preview.signer
        if signer is None or signer.needs_warning:
            question = (
                self.tr("This package is not signed. Import it anyway?")
                if signer is None or signer.status == "unsigned"
                else self.tr("This package's signer is not in your trust list. Import it anyway?")
            )
            if not messages.ask_yes_no(self, self.tr("Import package"), question):
                return None
        key, secret = self._unlocked if self._unlocked is not None else (None, None)

        def done(result: ImportPreview) -> None:
            self.last_result = result
            self.preview = None
            self._unlocked = None
            self.import_button.setEnabled(False)
            changes = sum(c.changes for c in result.report.counts.values())
            self.import_summary.setText(
                self.tr("Imported: %1 changes, %2 conflicts recorded.")
                .replace("%1", str(changes))
                .replace("%2", str(len(result.report.conflicts)))
            )
            self.dataChanged.emit()

        return self._run(
            self.tr("Importing…"),
            lambda progress, cancelled: import_package(
                self.db, path, key=key, passphrase=secret, progress=progress, cancel=cancelled
            ),
            done,
        )

    # -- direct sync -------------------------------------------------------------

    def _sync_page(self) -> QWidget:
        page = QWidget()
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("syncUrl")
        self.url_edit.setPlaceholderText("postgresql+psycopg://inspector@bureau-server/audits  ·  /media/usb/auditapp")
        folder = QPushButton(self.tr("Choose a folder or file…"))
        folder.clicked.connect(self._choose_sync_target)
        self.url_edit.editingFinished.connect(self._target_edited)
        # shown while the address is typed, so Tab from it reaches the password
        self.url_edit.textChanged.connect(lambda _text: self.password_box.setVisible(self._server_url() is not None))
        row = QHBoxLayout()
        row.addWidget(self.url_edit, 1)
        row.addWidget(folder)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("syncPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("Password, if the server asks for one"))
        self.password_edit.textChanged.connect(self._show_password_source)
        self.save_password_check = QCheckBox(self.tr("Save the password"))
        self.save_password_check.setObjectName("savePassword")
        self.save_password_check.setChecked(True)
        self.save_password_check.toggled.connect(self._show_password_source)
        self.password_source_label = QLabel()
        self.password_source_label.setObjectName("passwordSource")
        self.password_source_label.setWordWrap(True)
        password_row = QHBoxLayout()
        password_row.addWidget(QLabel(self.tr("Server password")))
        password_row.addWidget(self.password_edit, 1)
        password_row.addWidget(self.save_password_check)
        self.password_box = QWidget()
        password_layout = QVBoxLayout(self.password_box)
        password_layout.setContentsMargins(0, 0, 0, 0)
        password_layout.addLayout(password_row)
        password_layout.addWidget(self.password_source_label)
        self.password_box.setVisible(False)
        self._password_source: credentials.PasswordSource | None = None
        hint = QLabel(
            self.tr(
                "Another data folder or SQLite file (a USB stick, a network share) or the bureau's PostgreSQL server. "
                "Changes go both ways; conflicting edits are kept with both values."
            )
        )
        hint.setWordWrap(True)
        self.preview_sync_button = QPushButton(self.tr("Preview"))
        self.preview_sync_button.clicked.connect(lambda: self.sync(dry_run=True))
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setObjectName("syncButton")
        self.sync_button.clicked.connect(lambda: self.sync(dry_run=False))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.preview_sync_button)
        buttons.addWidget(self.sync_button)
        self.sync_summary = QLabel()
        self.sync_summary.setWordWrap(True)
        self.pull_table = self._counts_table()
        self.push_table = self._counts_table()
        tables = QHBoxLayout()
        for title, table in ((self.tr("Into this computer"), self.pull_table), (self.tr("Into the other database"), self.push_table)):
            box = QVBoxLayout()
            box.addWidget(QLabel(title))
            box.addWidget(table)
            tables.addLayout(box)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.password_box)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.sync_summary)
        layout.addLayout(tables, 1)
        return page

    def _choose_sync_target(self) -> None:
        folder = messages.choose_folder(self, self.tr("Sync with a database"), key="sync")
        if folder is not None:
            self.url_edit.setText(str(folder))
            self._target_edited()

    def _server_url(self) -> str | None:
        """The address in the field when it is a PostgreSQL server's (the password row is for those)."""
        text = self.url_edit.text().strip()
        return text if text.startswith(("postgresql:", "postgresql+", "postgres:")) else None

    def _target_edited(self) -> None:
        """A password typed into the address moves to the password field: the address is safe to keep and show."""
        url = self._server_url()
        self.password_box.setVisible(url is not None)
        self._password_source = None
        if url is None:
            return
        try:
            bare, password = credentials.split_password(url)
            if password is not None:
                self.url_edit.setText(bare)
                self.password_edit.setText(password)
            self._password_source = credentials.password_source(bare)
        except AuditAppError:
            self._password_source = None  # a malformed address: the sync itself says what is wrong
        self._show_password_source()

    def _show_password_source(self) -> None:
        """Say in words where the password for the address comes from."""
        source = self._password_source
        if source is None:
            self.password_source_label.clear()
            return
        if self.password_edit.text():
            if not self.save_password_check.isChecked():
                text = self.tr("Password: the one typed above, for this sync only (not saved).")
            elif credentials.usable_keyring() is not None:
                text = self.tr("Password: the one typed above; after a successful sync it is saved in the system keyring.")
            else:
                text = self.tr("Password: the one typed above; after a successful sync it is saved in the .pgpass file %1.").replace(
                    "%1", str(credentials.pgpass_path())
                )
        else:
            words = {
                "keyring": self.tr("Password: saved in the system keyring."),
                "pgpass": self.tr("Password: from the .pgpass file %1.").replace("%1", source.detail),
                "service": self.tr("Password: from the service file entry %1.").replace("%1", source.detail),
                "environment": self.tr("Password: from the environment variable %1.").replace("%1", source.detail),
                "url": self.tr("Password: written in the address (it is not kept)."),
                "none": self.tr("Password: not saved, asked every time (type it above)."),
            }
            text = words[source.kind]
        self.password_source_label.setText(text)

    def _connect_target(self, target: str) -> str:
        """The address to connect with: the typed password added (in memory only) to a server's address."""
        password = self.password_edit.text()
        if not password or self._server_url() is None:
            return target
        from sqlalchemy.engine import make_url

        try:
            return make_url(target).set(password=password).render_as_string(hide_password=False)
        except Exception:
            return target  # a malformed address: the sync says what is wrong with it

    def _save_typed_password(self, target: str) -> None:
        """After a successful sync: keep the typed password where the next sync finds it."""
        password = self.password_edit.text()
        if not password or not self.save_password_check.isChecked() or self._server_url() is None:
            return
        try:
            self._password_source = credentials.save_password(target, password)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("The password was not saved"), exc)
            return
        self.password_edit.clear()
        self._show_password_source()

    def sync(self, *, dry_run: bool) -> Op | None:
        self._target_edited()
        plain_target = self.url_edit.text().strip()
        if not plain_target:
            messages.show_info(self, self.tr("Sync"), self.tr("Enter a folder, a file or a server address first."))
            return None
        target = self._connect_target(plain_target)

        def done(result: SyncResult) -> None:
            self.last_result = result
            self._fill_counts(self.pull_table, result.pulled)
            self._fill_counts(self.push_table, result.pushed)
            pulled = sum(c.changes for c in result.pulled.counts.values())
            pushed = sum(c.changes for c in result.pushed.counts.values())
            conflicts = len(result.pulled.conflicts) + len(result.pushed.conflicts)
            text = self.tr("Would bring in %1 and send %2 changes; %3 conflicts.") if dry_run else self.tr(
                "Brought in %1 and sent %2 changes; %3 conflicts recorded."
            )
            self.sync_summary.setText(text.replace("%1", str(pulled)).replace("%2", str(pushed)).replace("%3", str(conflicts)))
            self._save_typed_password(plain_target)
            if not dry_run:
                self.dataChanged.emit()

        return self._run(
            self.tr("Syncing…"),
            lambda progress, cancelled: sync_with(self.db, target, dry_run=dry_run, progress=progress, cancel=cancelled),
            done,
        )


class ConflictsDialog(QDialog):
    """Both values of every conflict a sync found; the user keeps one side."""

    resolved = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Sync conflicts"))
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("conflictTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Record"),
                self.tr("What happened"),
                self.tr("Field"),
                self.tr("This computer"),
                self.tr("Other side"),
                self.tr("Now applied"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.keep_local = QPushButton(self.tr("Keep this computer's value"))
        self.keep_local.clicked.connect(lambda: self.resolve_selected("local"))
        self.keep_remote = QPushButton(self.tr("Keep the other side's value"))
        self.keep_remote.clicked.connect(lambda: self.resolve_selected("remote"))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        self.empty_label = QLabel(self.tr("No open conflicts."))
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_local)
        buttons.addWidget(self.keep_remote)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(1000, 520)
        self.refresh()

    def refresh(self) -> None:
        self.conflicts = list_conflicts(self.db)
        rows: list[tuple[str, list[str]]] = []
        kinds = {
            "edit": self.tr("edited on both sides"),
            "delete": self.tr("deleted on one side, edited on the other"),
            "finalized": self.tr("edited after the visit was finalized"),
        }
        for conflict in self.conflicts:
            local, remote = conflict.values("local"), conflict.values("remote")
            for field in conflict.fields or [""]:
                rows.append(
                    (
                        conflict.id,
                        [
                            f"{table_label(conflict.table)} {conflict.record_id[:8]}",
                            kinds.get(conflict.kind, conflict.kind),
                            field,
                            "" if conflict.local_values is None else str(local.get(field, "")),
                            "" if conflict.remote_values is None else str(remote.get(field, "")),
                            {"local": self.tr("this computer"), "remote": self.tr("other side")}.get(
                                conflict.applied, conflict.applied
                            ),
                        ],
                    )
                )
        self.table.setRowCount(len(rows))
        for r, (conflict_id, cells) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, conflict_id)
                self.table.setItem(r, c, item)
        self.empty_label.setVisible(not rows)
        for button in (self.keep_local, self.keep_remote):
            button.setEnabled(bool(rows))

    def resolve_selected(self, keep: str) -> None:
        items = self.table.selectedItems()
        if not items:
            return
        conflict_id = items[0].data(Qt.ItemDataRole.UserRole)
        try:
            resolve_conflict(self.db, conflict_id, keep)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Cannot resolve the conflict"), exc)
            return
        self.refresh()
        self.resolved.emit()
