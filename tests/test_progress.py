"""One progress callback and one cancel token for every long operation (auditapp.progress)."""

from __future__ import annotations

import threading
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from auditapp import paths
from auditapp.db.models import FloorPlan, Photo
from auditapp.progress import Cancelled, CancelToken, Progress, check, is_cancelled
from auditapp.reports import api as reports_api
from auditapp.reports.layout import ReportCancelled
from auditapp.services import demo, floorplans, institutions, photos
from auditapp.sync import api as sync_api
from auditapp.sync.errors import SyncCancelled

LONG_OPERATIONS: list[Callable[..., Any]] = [
    photos.add_photos,
    floorplans.add_floor_plan,
    demo.create_demo_data,
    reports_api.render_rectification_list,
    reports_api.render_visit_report,
    reports_api.render_followup_report,
    reports_api.render_summary_report,
    sync_api.export_package,
    sync_api.import_package,
    sync_api.preview_package,
    sync_api.sync_with,
]


@pytest.mark.parametrize("operation", LONG_OPERATIONS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_every_long_operation_takes_progress_and_a_cancel_token(operation: Callable[..., Any]) -> None:
    hints = typing.get_type_hints(operation)
    assert hints["progress"] == Progress | None
    assert hints["cancel"] == CancelToken | None


def test_a_token_is_cancelled_once_and_from_any_thread() -> None:
    token = CancelToken()
    assert not token.cancelled and not is_cancelled(token)
    token.raise_if_cancelled()  # nothing yet
    check(token)
    worker = threading.Thread(target=token.cancel)
    worker.start()
    worker.join()
    assert token.cancelled and is_cancelled(token)
    with pytest.raises(Cancelled) as raised:
        token.raise_if_cancelled()
    assert raised.value.code == "work.cancelled"
    assert raised.value.message("en") == "Cancelled; nothing was changed."
    assert "取消" in raised.value.message("zh_CN")
    token.cancel()  # a second cancel is harmless
    assert token.cancelled


def test_no_token_means_never_cancelled() -> None:
    assert not is_cancelled(None)
    check(None)


def test_the_areas_cancellations_are_one_kind() -> None:
    # A background-work helper catches Cancelled and knows the user chose it.
    assert issubclass(SyncCancelled, Cancelled) and issubclass(ReportCancelled, Cancelled)
    assert SyncCancelled().code != ReportCancelled().code  # each keeps its own words


def test_cancelling_a_floor_plan_import_changes_nothing(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="平面图医院", kind="general", level=3)
    image = tmp_path / "plan.png"
    Image.new("RGB", (1600, 900), (240, 240, 240)).save(image)
    token = CancelToken()
    seen: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, text: str) -> None:
        seen.append((done, total, text))
        token.cancel()  # the user presses Cancel while the image is being decoded

    photo_dir = paths.photos_dir(db.data_dir)
    before = sorted(photo_dir.rglob("*")) if photo_dir.exists() else []
    with pytest.raises(Cancelled):
        floorplans.add_floor_plan(db, inst.id, image, name="一层", progress=progress, cancel=token)
    assert seen == [(0, 2, "plan.png")]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(FloorPlan)) == 0
        assert session.scalar(select(func.count()).select_from(Photo)) == 0
    assert (sorted(photo_dir.rglob("*")) if photo_dir.exists() else []) == before


def test_a_floor_plan_import_reports_its_steps(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="平面图医院", kind="general", level=3)
    image = tmp_path / "plan.png"
    Image.new("RGB", (800, 600), (240, 240, 240)).save(image)
    seen: list[tuple[int, int]] = []
    plan = floorplans.add_floor_plan(db, inst.id, image, name="一层", progress=lambda d, t, _text: seen.append((d, t)))
    assert plan.name == "一层" and seen == [(0, 2), (1, 2), (2, 2)]
