"""Settings: language, inspector name, data folder, photo size; backups and restore."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from auditapp.db.backup import create_backup, list_backups
from auditapp.errors import AuditAppError
from auditapp.settings import Settings, save_settings
from ui import messages
from ui.i18n import LANGUAGES


class SettingsDialog(QDialog):
    restoreRequested = Signal(Path)

    def __init__(self, settings: Settings, *, data_dir: Path, engine: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.settings = settings
        self.data_dir = data_dir
        self.engine = engine
        self.saved_settings: Settings | None = None

        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(settings.language)))
        self.inspector_edit = QLineEdit(settings.inspector)
        self.inspector_edit.setObjectName("inspectorSetting")
        self.mode_combo = QComboBox()
        self.mode_combo.addItem(self.tr("Self experience (院内自查)"), "self")
        self.mode_combo.addItem(self.tr("Bureau inspection (上级督查)"), "bureau")
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(settings.default_mode)))
        self.data_dir_edit = QLineEdit(settings.data_dir or "")
        self.data_dir_edit.setPlaceholderText(str(data_dir))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.data_dir_edit, 1)
        folder_row.addWidget(browse)
        self.photo_side_spin = QSpinBox()
        self.photo_side_spin.setRange(800, 4096)
        self.photo_side_spin.setSingleStep(256)
        self.photo_side_spin.setSuffix(" px")
        self.photo_side_spin.setValue(settings.photo_max_side)

        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language_combo)
        form.addRow(self.tr("Inspector name"), self.inspector_edit)
        form.addRow(self.tr("Default visit mode"), self.mode_combo)
        form.addRow(self.tr("Data folder"), folder_row)
        form.addRow(self.tr("Stored photo size (long side)"), self.photo_side_spin)

        self.backup_list = QListWidget()
        self.backup_list.setObjectName("backupList")
        backup_now = QPushButton(self.tr("Back up now"))
        backup_now.clicked.connect(self._backup_now)
        restore = QPushButton(self.tr("Restore selected…"))
        restore.clicked.connect(self._restore_selected)
        backup_buttons = QHBoxLayout()
        backup_buttons.addWidget(backup_now)
        backup_buttons.addWidget(restore)
        backup_buttons.addStretch(1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Backups (made automatically once a day; the last 7 are kept)")))
        layout.addWidget(self.backup_list)
        layout.addLayout(backup_buttons)
        layout.addWidget(buttons)
        self.resize(640, 560)
        self._fill_backups()

    def _fill_backups(self) -> None:
        self.backup_list.clear()
        for backup in list_backups(self.data_dir):
            item = QListWidgetItem(f"{backup.path.name}    {backup.size / 1024:.0f} KB")
            item.setData(256, str(backup.path))
            self.backup_list.addItem(item)

    def _choose_folder(self) -> None:
        folder = messages.choose_folder(
            self, self.tr("Data folder"), key="data-folder", start=self.data_dir_edit.text() or str(self.data_dir)
        )
        if folder:
            self.data_dir_edit.setText(str(folder))

    def _backup_now(self) -> None:
        try:
            path = create_backup(self.engine, self.data_dir, reason="manual")  # type: ignore[arg-type]
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Backup failed"), exc)
            return
        self._fill_backups()
        messages.show_info(self, self.tr("Backup"), self.tr("Backup written: %1").replace("%1", str(path)))

    def _restore_selected(self) -> None:
        item = self.backup_list.currentItem()
        if item is None:
            messages.show_info(self, self.tr("Restore"), self.tr("Select a backup first."))
            return
        self.restoreRequested.emit(Path(item.data(256)))
        self._fill_backups()

    def accept(self) -> None:
        folder = self.data_dir_edit.text().strip() or None
        self.saved_settings = self.settings.model_copy(
            update={
                "language": self.language_combo.currentData(),
                "inspector": self.inspector_edit.text().strip(),
                "default_mode": self.mode_combo.currentData(),
                "data_dir": folder,
                "photo_max_side": self.photo_side_spin.value(),
            }
        )
        try:
            save_settings(self.saved_settings)
        except OSError as exc:
            messages.show_error(self, self.tr("Settings not saved"), messages.file_error(exc))
            return
        super().accept()
