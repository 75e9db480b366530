"""Taking a photo with the laptop's own camera, on machines that have one.

QtMultimedia is imported only when a camera is wanted: it is a large add-on that a
trimmed build may lack or that may fail to load (no media backend), and importing,
annotating and redacting photos must keep working without it.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from auditapp.errors import AuditAppError
from ui import messages, window_state

JPEG_QUALITY = 92


class CameraUnavailableError(AuditAppError):
    """QtMultimedia cannot be loaded or no camera is connected."""


def _multimedia() -> tuple[ModuleType, ModuleType] | None:
    """QtMultimedia and QtMultimediaWidgets, or None when they cannot be loaded."""
    try:
        from PySide6 import QtMultimedia, QtMultimediaWidgets
    except ImportError:
        return None
    return QtMultimedia, QtMultimediaWidgets


def available_cameras() -> list[Any]:
    """The cameras Qt can see (``QCameraDevice`` objects); empty when there are none.

    Also empty when QtMultimedia itself cannot be loaded, so callers need one check only.
    """
    modules = _multimedia()
    if modules is None:
        return []
    try:
        return list(modules[0].QMediaDevices.videoInputs())
    except RuntimeError:  # a media backend that fails at run time is "no camera" to the user
        return []


class CameraDialog(QDialog):
    """A live preview with one big button that captures a still to a temporary JPEG.

    The caller owns the captured file (``captured_path()``) and removes its folder once
    the photo has been imported; the dialog itself removes it only when nothing was kept.
    """

    def __init__(self, parent: QWidget | None = None, *, device: Any = None) -> None:
        super().__init__(parent)
        modules = _multimedia()
        cameras = available_cameras()
        if modules is None or not cameras:
            raise CameraUnavailableError(self.tr("No camera was detected."))
        mm, mm_widgets = modules
        self.setWindowTitle(self.tr("Take photo"))
        window_state.fit_to_screen(self, (900, 640))
        self._cameras = cameras
        self._path: Path | None = None
        self._folder: Path | None = None

        self._preview = mm_widgets.QVideoWidget(self)
        self._preview.setMinimumSize(480, 320)
        self._session = mm.QMediaCaptureSession(self)
        self._capture = mm.QImageCapture(self)
        self._capture.setQuality(mm.QImageCapture.Quality.VeryHighQuality)
        self._session.setImageCapture(self._capture)
        self._session.setVideoOutput(self._preview)
        self._camera: Any = None
        self._mm = mm

        self._camera_choice = QComboBox(self)
        for camera in cameras:
            self._camera_choice.addItem(camera.description())
        self._camera_choice.setVisible(len(cameras) > 1)
        self._camera_choice.currentIndexChanged.connect(self._use_camera)

        self._status = QLabel(self.tr("Starting the camera…"), self)
        self._take_button = QPushButton(self.tr("Take photo"), self)
        self._take_button.setDefault(True)
        self._take_button.setEnabled(False)
        self._take_button.setMinimumHeight(56)
        self._take_button.clicked.connect(self._take)
        cancel = QPushButton(self.tr("Cancel"), self)
        cancel.setMinimumHeight(56)
        cancel.clicked.connect(self.reject)

        self._capture.readyForCaptureChanged.connect(self._ready_changed)
        self._capture.imageCaptured.connect(self._image_captured)
        self._capture.errorOccurred.connect(self._capture_failed)

        buttons = QHBoxLayout()
        buttons.addWidget(self._camera_choice)
        buttons.addWidget(self._status, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self._take_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self._preview, 1)
        layout.addLayout(buttons)

        start = 0
        if device is not None:
            start = next((i for i, c in enumerate(cameras) if c == device), 0)
        self._camera_choice.setCurrentIndex(start)
        self._use_camera(start)

    def captured_path(self) -> Path | None:
        """The JPEG written by the last capture, or None when the dialog was cancelled."""
        return self._path

    def _use_camera(self, index: int) -> None:
        if self._camera is not None:
            self._camera.stop()
            self._camera.deleteLater()
        self._camera = self._mm.QCamera(self._cameras[index], self)
        self._camera.errorOccurred.connect(self._camera_failed)
        self._session.setCamera(self._camera)
        self._camera.start()

    def _ready_changed(self, ready: bool) -> None:
        self._take_button.setEnabled(ready)
        self._status.setText("" if ready else self.tr("Starting the camera…"))

    def _take(self) -> None:
        self._take_button.setEnabled(False)
        self._capture.capture()

    def _image_captured(self, _request_id: int, image: QImage) -> None:
        """Write the still ourselves: ``captureToFile`` picks folders per backend."""
        self._folder = Path(tempfile.mkdtemp(prefix="auditapp-camera-"))
        path = self._folder / f"camera-{datetime.now():%Y%m%d-%H%M%S}.jpg"
        if image.isNull() or not image.save(str(path), "JPEG", JPEG_QUALITY):
            self._discard_folder()
            messages.show_error(self, self.tr("Camera"), self.tr("The photo could not be saved."))
            self._take_button.setEnabled(True)
            return
        self._path = path
        self.accept()

    def _capture_failed(self, _request_id: int, _error: Any, text: str) -> None:
        messages.show_error(self, self.tr("Camera"), self.tr("The photo could not be taken: %1").replace("%1", text))
        self._take_button.setEnabled(self._capture.isReadyForCapture())

    def _camera_failed(self, _error: Any, text: str) -> None:
        messages.show_error(self, self.tr("Camera"), self.tr("The camera cannot be used: %1").replace("%1", text))
        self.reject()

    def _discard_folder(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
        self._path = None

    def done(self, result: int) -> None:
        """Release the camera at once: another program may be waiting for it."""
        if self._camera is not None:
            self._camera.stop()
        if result != QDialog.DialogCode.Accepted:
            self._discard_folder()
        super().done(result)


__all__ = ["CameraDialog", "CameraUnavailableError", "available_cameras"]
