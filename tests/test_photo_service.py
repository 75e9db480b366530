"""Photo service: attach, dedup, crash atomicity, annotations, redactions burned into exports."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from auditapp import paths
from auditapp.db import open_database
from auditapp.db.models import Photo
from auditapp.errors import InvalidInputError, PhotoError, VisitFinalizedError
from auditapp.photos.annotations import parse_layers, render
from auditapp.progress import CancelToken
from auditapp.services import institutions, photos, visits
from test_photo_ingest import camera_jpeg


@pytest.fixture
def visit(db, fixture_library):  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="照片医院", kind="tcm", level=3)
    return visits.start_visit(db, institution=inst.id, inspector="王", library=fixture_library)


def _photo_rows(db) -> int:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return s.scalar(select(func.count(Photo.id))) or 0


def test_photo_attaches_to_an_item_and_clears_the_needs_photo_flag(db, visit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")
    view = next(v for v in visits.visit_detail(db, visit.id).items if v.item.id == "basics.toilets.clean")
    assert view.needs_photo
    [photo] = photos.add_photos(db, visit.id, [camera_jpeg(tmp_path / "a.jpg")], item_id="basics.toilets.clean")
    assert photo.answer_id is not None and photo.taken_at is not None
    view = next(v for v in visits.visit_detail(db, visit.id).items if v.item.id == "basics.toilets.clean")
    assert view.photo_count == 1 and not view.needs_photo
    [finding] = visits.visit_detail(db, visit.id).findings
    assert finding.photo_count == 1


def test_same_picture_twice_is_stored_once(db, visit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = camera_jpeg(tmp_path / "a.jpg")
    copy = tmp_path / "copy-of-a.jpg"
    copy.write_bytes(source.read_bytes())
    first, second = photos.add_photos(db, visit.id, [source, copy])
    assert first.sha256 == second.sha256 and first.id != second.id
    stored = list(paths.photos_dir(db.data_dir).rglob("*.jpg"))
    assert len(stored) == 2  # the photo and its thumbnail, once each


def test_bad_file_stores_nothing(db, visit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.jpg"
    bad.write_text("not a photo", encoding="utf-8")
    with pytest.raises(PhotoError, match=r"bad\.jpg"):
        photos.add_photos(db, visit.id, [bad])
    assert _photo_rows(db) == 0
    assert not list(paths.photos_dir(db.data_dir).rglob("*.jpg"))


def test_crash_between_file_and_row_leaves_no_row_and_the_orphan_is_cleaned(data_dir, db, visit, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    original = photos.Photo

    def crash(**_kwargs: object) -> None:
        raise SystemExit("simulated crash after the file was stored")

    monkeypatch.setattr(photos, "Photo", crash)
    with pytest.raises(SystemExit):
        photos.add_photos(db, visit.id, [camera_jpeg(tmp_path / "a.jpg")])
    monkeypatch.setattr(photos, "Photo", original)
    assert _photo_rows(db) == 0
    files = list(paths.photos_dir(data_dir).rglob("*.jpg"))
    assert len(files) == 2
    db.close()
    # A young orphan may belong to an import still running elsewhere: kept.
    reopened = open_database(data_dir)
    assert reopened.open_report.orphans_removed == 0
    reopened.close()
    old = time.time() - 2 * 3600
    journals = list((paths.photos_dir(data_dir) / ".pending").iterdir())
    assert len(journals) == 1  # written before the files were placed
    for f in [*files, *journals]:
        os.utime(f, (old, old))
    reopened = open_database(data_dir)
    assert reopened.open_report.orphans_removed == 2
    assert not journals[0].exists()
    assert not list(paths.photos_dir(data_dir).rglob("*.jpg"))
    reopened.close()


def test_verify_finds_a_damaged_and_a_missing_file(db, visit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    [photo] = photos.add_photos(db, visit.id, [camera_jpeg(tmp_path / "a.jpg")])
    assert photos.verify_photos(db) == []
    store = photos.photo_store(db)
    store.path(photo.sha256).write_bytes(b"rot")
    store.path(photo.thumb_sha256).unlink()
    problems = photos.verify_photos(db)
    assert any("does not match" in p for p in problems) and any("is missing" in p for p in problems)


def test_finalized_visit_takes_no_new_evidence_but_after_photos_and_redactions(db, visit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    finding = visits.add_finding(db, visit.id, text="轮椅损坏")
    [evidence] = photos.add_photos(db, visit.id, [camera_jpeg(tmp_path / "a.jpg")], finding_id=finding.id)
    visits.finalize_visit(db, visit.id)
    with pytest.raises(VisitFinalizedError):
        photos.add_photos(db, visit.id, [camera_jpeg(tmp_path / "b.jpg")])
    [after] = photos.add_photos(db, visit.id, [camera_jpeg(tmp_path / "c.jpg")], rectification_id=finding.id)
    assert after.kind == "after" and after.rectification_id == finding.rectification.id
    # Privacy beats read-only: a redaction can still be added to a finalized visit's photo.
    photos.set_annotations(db, evidence.id, [{"kind": "redact", "x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2}])
    with pytest.raises(VisitFinalizedError):
        photos.set_annotations(db, evidence.id, [{"kind": "arrow", "x1": 0, "y1": 0, "x2": 0.5, "y2": 0.5}])


def test_invalid_layers_are_refused(db, visit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    [photo] = photos.add_photos(db, visit.id, [camera_jpeg(tmp_path / "a.jpg")])
    with pytest.raises(InvalidInputError, match="invalid annotation layer"):
        photos.set_annotations(db, photo.id, [{"kind": "redact", "x": 1.5, "y": 0, "w": 0.1, "h": 0.1}])
    with pytest.raises(InvalidInputError):
        photos.set_annotations(db, photo.id, [{"kind": "sticker", "x": 0.1}])


@pytest.mark.parametrize("mode", ["solid", "blur"])
def test_redaction_is_burned_into_the_export(db, visit, tmp_path: Path, mode: str) -> None:  # type: ignore[no-untyped-def]
    # A noisy picture: every pixel differs from its neighbours.
    noise = Image.effect_noise((800, 600), 80).convert("RGB")
    noise.save(tmp_path / "face.jpg", quality=95)
    [photo] = photos.add_photos(db, visit.id, [tmp_path / "face.jpg"])
    photos.set_annotations(db, photo.id, [{"kind": "redact", "x": 0.25, "y": 0.25, "w": 0.5, "h": 0.5, "mode": mode}])
    exported = Image.open(io.BytesIO(photos.photo_export_jpeg(db, photo.id, max_side=800))).convert("L")
    inside = exported.crop((240, 180, 560, 420))
    outside = exported.crop((0, 0, 150, 150))
    lo_in, hi_in = inside.getextrema()
    lo_out, hi_out = outside.getextrema()
    spread_inside, spread_outside = hi_in - lo_in, hi_out - lo_out
    assert spread_outside > 100
    if mode == "solid":
        assert spread_inside <= 8 and hi_in <= 8  # uniform black (JPEG noise aside)
    else:
        # Pixelated and blurred: neighbouring pixels nearly equal, the noise is gone.
        diffs = [abs(inside.getpixel((x, y)) - inside.getpixel((x + 1, y))) for x in range(0, 300, 7) for y in range(0, 220, 7)]
        assert max(diffs) <= 12
    # The stored original is untouched.
    original = Image.open(photos.photo_store(db).path(photo.sha256)).convert("L").crop((240, 180, 560, 420))
    lo, hi = original.getextrema()
    assert hi - lo > 100


def test_annotation_shapes_are_drawn_where_they_belong() -> None:
    base = Image.new("RGB", (400, 300), "white")
    layers = parse_layers(
        [
            {"kind": "rect", "x": 0.1, "y": 0.1, "w": 0.3, "h": 0.3, "color": "#ff0000", "width": 0.01},
            {"kind": "arrow", "x1": 0.6, "y1": 0.8, "x2": 0.9, "y2": 0.8, "color": "#0000ff"},
            {"kind": "text", "x": 0.55, "y": 0.1, "text": "无扶手", "color": "#00aa00", "size": 0.08},
        ]
    )
    out = render(base, layers)
    assert out.getpixel((40, 75))[0] > 200 and out.getpixel((40, 75))[1] < 60  # rect's left edge is red
    assert out.getpixel((100, 75)) == (255, 255, 255)  # inside the rect stays untouched
    assert out.getpixel((300, 240))[2] > 200 and out.getpixel((300, 240))[0] < 60  # arrow shaft is blue
    text_box = out.crop((220, 30, 400, 90))
    pixels = [text_box.getpixel((x, y)) for x in range(text_box.width) for y in range(text_box.height)]
    assert sum(1 for r, g, _b in pixels if g > 120 and r < 100) > 50  # Chinese label drawn in green
    assert base.getpixel((40, 75)) == (255, 255, 255)  # the input image is not modified


def test_delete_and_restore(db, visit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    [photo] = photos.add_photos(db, visit.id, [camera_jpeg(tmp_path / "a.jpg")])
    photos.delete_photo(db, photo.id)
    assert photos.list_photos(db, visit.id) == []
    assert photos.photo_store(db).exists(photo.sha256)  # file kept for undo
    photos.restore_photo(db, photo.id)
    assert [p.id for p in photos.list_photos(db, visit.id)] == [photo.id]


def test_cancel_stops_between_photos_stores_nothing_and_progress_is_reported(db, visit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = [camera_jpeg(tmp_path / f"{n}.jpg", size=(300 + n, 200)) for n in range(5)]
    seen: list[tuple[int, int, str]] = []
    token = CancelToken()

    def progress(done: int, total: int, text: str) -> None:
        seen.append((done, total, text))
        if done >= 2:
            token.cancel()

    added = photos.add_photos(db, visit.id, files, progress=progress, cancel=token)
    # A batch is stored whole or not at all: cancelling keeps nothing of it.
    assert added == [] and seen == [(1, 5, "0.jpg"), (2, 5, "1.jpg")]
    assert _photo_rows(db) == 0
    assert not list(paths.photos_dir(db.data_dir).rglob("*.jpg"))
