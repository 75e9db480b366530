"""The window never freezes: a heartbeat timer measures the longest gap in the event loop
while 30 photos are imported (worker thread) and while a report with photos is generated
(a separate process, see ui/report_process.py)."""

from __future__ import annotations

import functools
import io
import time
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QElapsedTimer, QTimer

from auditapp.services import institutions, photos, visits
from ui.app import create_application
from ui.photos.strip import PhotoStrip
from ui.reports_dialog import ReportDialog

LIMIT_MS = 100
# Stalls are measured in wall time: run after the parallel part, with the cores to themselves.
pytestmark = pytest.mark.alone


class Heartbeat:
    """Ticks every 5 ms; the longest gap between ticks is the longest stall the user saw."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.longest_ms = 0
        self._last = 0

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.longest_ms = max(self.longest_ms, now - self._last)
        self._last = now

    def __enter__(self) -> Heartbeat:
        self.clock.start()
        self._last = 0
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()


@pytest.fixture
def visit(db, fixture_library):  # type: ignore[no-untyped-def]
    create_application()
    inst = institutions.add_institution(db, name="流畅医院", kind="general", level=3)
    return visits.start_visit(db, institution=inst.id, inspector="王", library=fixture_library)


@functools.cache
def _camera_jpeg() -> bytes:
    """One 12-megapixel JPEG like a phone's (noise, so it compresses as a photo does)."""
    base = Image.effect_noise((400, 300), 60).convert("RGB").resize((4000, 3000))
    out = io.BytesIO()
    base.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _camera_jpegs(folder: Path, count: int) -> list[Path]:
    """``count`` 12-megapixel JPEGs that decode to different pixels, so none is deduplicated.

    Encoding each one costs ~0.4 s; instead the DC step of the first quantisation table of
    one encoded photo is changed per copy: every copy still costs a full decode and re-encode to
    import, and each decodes to a slightly different picture.
    """
    folder.mkdir()
    data = _camera_jpeg()
    table = data.index(b"\xff\xdb") + 5  # DQT marker, length (2), precision/id (1): the 64 entries
    out = []
    for n in range(count):
        variant = bytearray(data)
        variant[table] = 1 + (variant[table] - 1 + n) % 255  # the DC step: each block's brightness
        path = folder / f"IMG_{n:04d}.jpg"
        path.write_bytes(variant)
        out.append(path)
    return out


def test_importing_30_photos_never_stalls_the_window(qtbot, db, visit, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    files = _camera_jpegs(tmp_path / "camera", 30)
    item = visits.visit_detail(db, visit.id).items[0].item.id
    strip = PhotoStrip(db)
    qtbot.addWidget(strip)
    strip.set_target(visit.id, item_id=item)
    strip.show()
    started = time.perf_counter()
    with Heartbeat() as beat:
        strip.import_files(files)
        qtbot.waitUntil(lambda: not strip.busy() and strip.photo_count() == 30, timeout=120_000)
    took = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n30 photos imported in {took:.1f} s; longest event-loop stall {beat.longest_ms} ms")
    assert len(photos.list_photos(db, visit.id)) == 30
    assert beat.longest_ms < LIMIT_MS


def test_generating_a_report_never_stalls_the_window(qtbot, db, visit, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    detail = visits.visit_detail(db, visit.id)
    files = _camera_jpegs(tmp_path / "camera", 6)
    for n, view in enumerate(detail.items[:6]):
        visits.answer_item(db, visit.id, view.item.id, result="nonconform", note="现场发现问题" * 20)
        photos.add_photos(db, visit.id, [files[n]], item_id=view.item.id)
    dialog = ReportDialog(db, visit_id=visit.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path_edit.setText(str(tmp_path / "list.pdf"))
    with Heartbeat() as beat, qtbot.waitSignal(dialog.reportGenerated, timeout=120_000):
        dialog.generate()
    with capsys.disabled():
        print(f"\nreport generated; longest event-loop stall {beat.longest_ms} ms")
    assert (tmp_path / "list.pdf").stat().st_size > 10_000
    assert beat.longest_ms < LIMIT_MS
