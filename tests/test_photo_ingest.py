"""Photo ingest: upright, metadata stripped, downscaled, bad input refused with a clear error."""

from __future__ import annotations

import errno
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from auditapp.errors import PhotoError
from auditapp.photos.ingest import detect_type, process_image
from auditapp.photos.store import PhotoStore

QUADRANTS = {(0, 0): (220, 30, 30), (1, 0): (30, 200, 30), (0, 1): (30, 30, 220), (1, 1): (240, 240, 240)}
# What a camera stores for each EXIF orientation, given the upright picture.
STORED_FROM_UPRIGHT = {
    1: (),
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_90,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_270,),
}


def upright(width: int = 400, height: int = 240) -> Image.Image:
    image = Image.new("RGB", (width, height))
    for (qx, qy), color in QUADRANTS.items():
        image.paste(color, (qx * width // 2, qy * height // 2, (qx + 1) * width // 2, (qy + 1) * height // 2))
    return image


def camera_jpeg(path: Path, *, orientation: int = 1, size: tuple[int, int] = (400, 240), gps: bool = True) -> Path:
    image = upright(*size)
    for step in STORED_FROM_UPRIGHT[orientation]:
        image = image.transpose(step)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "SecretPhone 12"  # Model
    exif[0xA431] = "SERIAL-123456"  # BodySerialNumber (in IFD0 is fine for the test)
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = "2026:11:03 09:15:30"
    exif_ifd[0x9011] = "+08:00"
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = (31.0, 14.0, 5.0)
        gps_ifd[3] = "E"
        gps_ifd[4] = (121.0, 28.0, 10.0)
    image.save(path, format="JPEG", quality=92, exif=exif)
    return path


def _quadrant_colors(image: Image.Image) -> dict[tuple[int, int], tuple[int, ...]]:
    w, h = image.size
    return {(qx, qy): image.getpixel((qx * w // 2 + w // 4, qy * h // 2 + h // 4)) for qx, qy in QUADRANTS}


def _close(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return all(abs(x - y) < 40 for x, y in zip(a, b, strict=False))


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_gives_an_upright_picture(orientation: int, tmp_path: Path) -> None:
    processed = process_image(camera_jpeg(tmp_path / "p.jpg", orientation=orientation))
    image = Image.open(io.BytesIO(processed.data))
    assert image.size == (400, 240)
    colors = _quadrant_colors(image)
    for quadrant, expected in QUADRANTS.items():
        assert _close(colors[quadrant], expected), (orientation, quadrant, colors[quadrant])


def test_large_rotated_photo_is_downscaled_through_draft_and_upright(tmp_path: Path) -> None:
    processed = process_image(camera_jpeg(tmp_path / "big.jpg", orientation=6, size=(4000, 3000)))
    image = Image.open(io.BytesIO(processed.data))
    # 4000×3000 decoded at half scale (2000×1500, within 10 % of 2048) and turned upright.
    assert image.size == (2000, 1500) == (processed.width, processed.height)
    assert all(_close(c, QUADRANTS[q]) for q, c in _quadrant_colors(image).items())
    thumb = Image.open(io.BytesIO(processed.thumbnail))
    assert max(thumb.size) == 256


def test_smaller_stored_side_is_respected(tmp_path: Path) -> None:
    processed = process_image(camera_jpeg(tmp_path / "big.jpg", size=(4000, 3000)), max_side=1024)
    # Decoded at quarter scale: 1000 px, within the 10 % draft tolerance of 1024.
    assert 0.9 * 1024 <= max(processed.width, processed.height) <= 1024


def test_stored_file_has_no_metadata_at_all(tmp_path: Path) -> None:
    source = camera_jpeg(tmp_path / "gps.jpg", orientation=6)
    assert b"SecretPhone" in source.read_bytes()  # the fixture really carries it
    processed = process_image(source)
    for data in (processed.data, processed.thumbnail):
        image = Image.open(io.BytesIO(data))
        assert len(image.getexif()) == 0
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert b"Exif" not in data[:4096] and b"SecretPhone" not in data and b"SERIAL" not in data
        assert not any(marker in data[:200] for marker in (b"\xff\xe1",))  # no APP1 segment


def test_capture_time_is_kept_in_utc(tmp_path: Path) -> None:
    processed = process_image(camera_jpeg(tmp_path / "t.jpg"))
    assert processed.taken_at == datetime(2026, 11, 3, 1, 15, 30, tzinfo=UTC)


def test_png_with_transparency_and_webp_are_accepted(tmp_path: Path) -> None:
    rgba = Image.new("RGBA", (120, 80), (255, 0, 0, 0))
    rgba.save(tmp_path / "a.png")
    processed = process_image(tmp_path / "a.png")
    assert Image.open(io.BytesIO(processed.data)).getpixel((10, 10)) == pytest.approx((255, 255, 255), abs=3)
    upright().save(tmp_path / "b.webp", format="WEBP")
    assert process_image(tmp_path / "b.webp").source_type == "webp"


def test_heic_round_trip(tmp_path: Path) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    path = tmp_path / "IMG_0001.HEIC"
    upright().save(path, format="HEIF", quality=90)
    processed = process_image(path)
    assert processed.source_type == "heif"
    image = Image.open(io.BytesIO(processed.data))
    assert image.format == "JPEG" and image.size == (400, 240)
    assert all(_close(c, QUADRANTS[q]) for q, c in _quadrant_colors(image).items())


def test_type_is_detected_by_content_not_extension(tmp_path: Path) -> None:
    png_named_jpg = tmp_path / "photo.jpg"
    upright().save(png_named_jpg, format="PNG")
    assert process_image(png_named_jpg).source_type == "png"
    assert detect_type(b"GIF89a....") is None


def _truncated(tmp_path: Path) -> Path:
    data = camera_jpeg(tmp_path / "full.jpg", size=(800, 600)).read_bytes()
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 2])
    return path


def _bomb(tmp_path: Path) -> Path:
    # A PNG header claiming 20000×20000 pixels: rejected before any decoding.
    path = tmp_path / "bomb.png"
    Image.new("1", (20000, 20000)).save(path, format="PNG", optimize=True)
    return path


def _moderate_bomb(tmp_path: Path) -> Path:
    # Under Pillow's own limit, over ours.
    path = tmp_path / "wide.png"
    Image.new("1", (10000, 8500)).save(path, format="PNG", optimize=True)
    return path


BAD_INPUTS = {
    "empty": (lambda p: ((p / "empty.jpg").write_bytes(b"") and None) or p / "empty.jpg", "empty.jpg: the file is empty"),
    "text_renamed_jpg": (
        lambda p: ((p / "notes.jpg").write_text("购物清单\n牛奶\n", encoding="utf-8") and None) or p / "notes.jpg",
        "notes.jpg: not a supported photo (the content is",
    ),
    "pdf_renamed_jpg": (
        lambda p: ((p / "scan.jpg").write_bytes(b"%PDF-1.7\n%...") and None) or p / "scan.jpg",
        "scan.jpg: not a supported photo (the content is a PDF document)",
    ),
    "gif_unsupported": (
        lambda p: Image.new("RGB", (10, 10)).save(p / "anim.gif") or p / "anim.gif",
        "anim.gif: not a supported photo (the content is a GIF image",
    ),
    "truncated": (_truncated, "cut.jpg: the file is truncated"),
    "bomb": (_bomb, "bomb.png: "),
    "bomb_below_pillow_limit": (_moderate_bomb, "wide.png: 10000×8500 pixels is more than the 80 megapixels allowed"),
    "vanished": (lambda p: p / "gone.jpg", "gone.jpg: the file no longer exists"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_with_a_clear_message(case: str, tmp_path: Path) -> None:
    make, message = BAD_INPUTS[case]
    path = make(tmp_path)
    with pytest.raises(PhotoError) as info:
        process_image(path)
    assert str(info.value).startswith(message), str(info.value)
    if case.startswith("bomb"):
        assert "decompression bomb" in str(info.value)


def test_store_keeps_one_copy_and_verifies(tmp_path: Path) -> None:
    store = PhotoStore(tmp_path / "photos")
    first = store.put(b"same bytes")
    assert store.put(b"same bytes") == first
    assert len(list(store.hashes())) == 1 and store.verify() == []
    store.path(first).write_bytes(b"tampered")
    assert len(store.verify()) == 1


def test_full_disk_is_reported_and_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    store = PhotoStore(tmp_path / "photos")

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(PhotoError, match="is full"):
        store.put(b"x" * 1000)
    assert list((tmp_path / "photos").rglob("*")) == [] or all(p.is_dir() for p in (tmp_path / "photos").rglob("*"))
