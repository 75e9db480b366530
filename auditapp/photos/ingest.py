"""Turning a photo file into what the app stores: upright, metadata-free, downscaled JPEG.

Phone photos carry GPS positions, device serials and maker notes; none of that may
leave the laptop, so nothing of the original file's metadata is copied. The capture
time is read first (it matters for the audit record) and kept in the database only.

Speed: a 12-megapixel JPEG is not fully decoded to be shrunk. libjpeg can decode at
1/2, 1/4 or 1/8 scale (Pillow's ``draft``); we pick the smallest scale whose result is
still at least ``DRAFT_TOLERANCE`` of the wanted long side, so a 4000 px photo is
decoded at 2000 px and stored at 2000 px instead of 2048 (2 % smaller, 4× less work).
"""

from __future__ import annotations

import io
import math
import os
import stat
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from PIL import Image

from auditapp.errors import PhotoError
from auditapp.rules.dates import DATE_MAX
from auditapp.settings import DEFAULT_PHOTO_MAX_SIDE
from auditapp.terms import Words

DEFAULT_MAX_SIDE = DEFAULT_PHOTO_MAX_SIDE  # the stored photo's longest side unless Settings say otherwise
THUMB_SIDE = 256
MAX_PIXELS = 80_000_000  # ~ a 10000×8000 panorama; beyond that a file is treated as a bomb
# Far above any camera or phone file (a 12 MP JPEG is 3-8 MB, a 50 MP HEIC ~15 MB); a
# larger file (a disk image, a 4 GB video, /dev/zero) is refused before it is read.
MAX_FILE_BYTES = 200 * 1024 * 1024
# A capture time outside this range is a camera whose clock was never set
# ("0000:00:00", "9999:…"): the photo is kept, its capture time is unknown.
EARLIEST_CAPTURE = datetime(1990, 1, 1, tzinfo=UTC)
LATEST_CAPTURE = datetime(DATE_MAX.year, DATE_MAX.month, DATE_MAX.day, 23, 59, 59, tzinfo=UTC)  # the one date range
DRAFT_TOLERANCE = 0.9
STORED_QUALITY = 85
THUMB_QUALITY = 80

_ORIENTATION_TAG = 0x0112
_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_OFFSET_TIME_ORIGINAL = 0x9011

_TRANSPOSE = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}

_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        import pillow_heif

        pillow_heif.register_heif_opener()
        _heif_registered = True


@dataclass(frozen=True)
class ProcessedPhoto:
    data: bytes
    thumbnail: bytes
    width: int
    height: int
    taken_at: datetime | None
    source_type: str
    mime: str = "image/jpeg"


def detect_type(head: bytes) -> str | None:
    """The image type from the first bytes (never from the file name)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"):
        return "heif"
    return None


def describe_content(head: bytes) -> Words:
    """Words for what a non-image file really is, for the error message."""
    known = {
        b"%PDF": Words("PDF 文档", "a PDF document"),
        b"PK\x03\x04": Words("zip 压缩包（或 Office 文档）", "a zip archive (or Office document)"),
        b"GIF8": Words("GIF 图片（不支持，请另存为 PNG 或 JPEG）", "a GIF image (not supported; save it as PNG or JPEG)"),
        b"BM": Words("BMP 图片（不支持，请另存为 PNG 或 JPEG）", "a BMP image (not supported; save it as PNG or JPEG)"),
        b"II*\x00": Words("TIFF 图片（不支持，请另存为 JPEG）", "a TIFF image (not supported; save it as JPEG)"),
        b"MM\x00*": Words("TIFF 图片（不支持，请另存为 JPEG）", "a TIFF image (not supported; save it as JPEG)"),
    }
    for magic, name in known.items():
        if head.startswith(magic):
            return name
    if head[4:8] == b"ftyp":
        brand = head[8:12].decode("latin-1")
        return Words(f"品牌为 {brand!r} 的 ISO 媒体文件（视频？）", f"an ISO media file of brand {brand!r} (a video?)")
    if _looks_like_text(head[:64]):
        return Words("文本", "text")
    return Words("不是图片", "not an image")


def _looks_like_text(head: bytes) -> bool:
    """Printable UTF-8 (a character cut at the end of ``head`` allowed): notes, CSV, HTML …"""
    if not head:
        return False
    text = head.decode("utf-8", "ignore") if len(head.decode("utf-8", "ignore").encode()) >= len(head) - 3 else ""
    return bool(text) and all(ch.isprintable() or ch in "\t\n\r" for ch in text)


def _kind_of(mode: int) -> Words:
    if stat.S_ISDIR(mode):
        return Words("文件夹", "a folder")
    if stat.S_ISFIFO(mode):
        return Words("命名管道", "a named pipe")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Words("设备", "a device")
    if stat.S_ISSOCK(mode):
        return Words("套接字", "a socket")
    return Words("特殊文件", "a special file")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} B"


def _name(path: Path) -> str:
    return path.name or str(path)


def read_photo_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a photo file, refusing anything that is not a regular file of sane size.

    Type and size are checked on the open descriptor before reading (opened without
    blocking): a named pipe would block for ever, ``/dev/zero`` never ends, a 4 GB
    file exhausts memory. The read itself is bounded too, for a file that grows.
    """
    name = _name(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise PhotoError("photo.file_gone", name=name, path=str(path)) from None
    except IsADirectoryError:
        raise PhotoError("photo.not_a_file", name=name, what=_kind_of(stat.S_IFDIR)) from None
    except OSError as exc:
        raise PhotoError("photo.unreadable", name=name, reason=exc.strerror or str(exc)) from exc
    chunks: list[bytes] = []
    total = 0
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise PhotoError("photo.not_a_file", name=name, what=_kind_of(info.st_mode))
        if info.st_size > max_bytes:
            raise PhotoError("photo.file_too_big", name=name, size=_mb(info.st_size), limit=_mb(max_bytes))
        while True:
            chunk = os.read(fd, min(4 * 1024 * 1024, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise PhotoError("photo.file_too_big", name=name, size=_mb(total), limit=_mb(max_bytes))
    except OSError as exc:
        raise PhotoError("photo.unreadable", name=name, reason=exc.strerror or str(exc)) from exc
    finally:
        os.close(fd)
    if not total:
        raise PhotoError("photo.empty", name=name)
    return b"".join(chunks)


def check_photo_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A quick check before a batch starts (kind of file, size, image signature); the image type.

    Reads only the first bytes, so a batch import or the GUI can refuse a bad file
    before anything is stored. Decoding problems are found by :func:`process_image`.
    """
    path = Path(path)
    name = _name(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise PhotoError("photo.file_gone", name=name, path=str(path)) from None
    except OSError as exc:
        raise PhotoError("photo.unreadable", name=name, reason=exc.strerror or str(exc)) from exc
    if not stat.S_ISREG(info.st_mode):
        raise PhotoError("photo.not_a_file", name=name, what=_kind_of(info.st_mode))
    if info.st_size == 0:
        raise PhotoError("photo.empty", name=name)
    if info.st_size > max_bytes:
        raise PhotoError("photo.file_too_big", name=name, size=_mb(info.st_size), limit=_mb(max_bytes))
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError as exc:
        raise PhotoError("photo.unreadable", name=name, reason=exc.strerror or str(exc)) from exc
    kind = detect_type(head[:32])
    if kind is None:
        raise PhotoError("photo.unsupported", name=name, content=describe_content(head))
    return kind


def _taken_at(exif: Image.Exif) -> datetime | None:
    """EXIF DateTimeOriginal as UTC; without an offset tag it is the laptop's local time.

    A missing, malformed or impossible time (cameras write "0000:00:00 00:00:00", or a
    year 9999, when their clock was never set) gives None: the photo is still evidence.
    """
    try:
        sub = exif.get_ifd(_EXIF_IFD)
        raw = sub.get(_DATETIME_ORIGINAL) or exif.get(0x0132)  # DateTime as a fallback
        offset = sub.get(_OFFSET_TIME_ORIGINAL)
    except Exception:  # a damaged EXIF block must not cost the photo
        return None
    if not raw:
        return None
    try:
        naive = datetime.strptime(str(raw).strip("\x00 ").strip(), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    when: datetime | None = None
    try:
        if offset:
            try:
                sign = -1 if str(offset).startswith("-") else 1
                hours, minutes = str(offset).strip("+-\x00 ").split(":")
                tz = timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
                when = naive.replace(tzinfo=tz).astimezone(UTC)
            except ValueError:
                when = None
        if when is None:
            when = naive.astimezone().astimezone(UTC)
    except (OverflowError, ValueError, OSError):
        return None
    if not EARLIEST_CAPTURE <= when <= LATEST_CAPTURE:
        return None
    return when


def _draft_scale(long_side: int, max_side: int) -> int:
    for scale in (8, 4, 2):
        if long_side / scale >= max_side * DRAFT_TOLERANCE:
            return scale
    return 1


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode != "RGB":
        return image.convert("RGB")
    return image


def _jpeg_bytes(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # No exif=, no icc_profile=: nothing of the original's metadata is written.
    image.save(out, format="JPEG", quality=quality, optimize=False)
    return out.getvalue()


def process_image(
    path: Path,
    *,
    max_side: int = DEFAULT_MAX_SIDE,
    thumb_side: int = THUMB_SIDE,
    max_pixels: int = MAX_PIXELS,
) -> ProcessedPhoto:
    """Read ``path`` and return the stored JPEG, its thumbnail and the capture time.

    Raises PhotoError, naming the file, for anything that is not a usable photo.
    """
    path = Path(path)
    raw = read_photo_file(path)
    name = _name(path)
    kind = detect_type(raw[:32])
    if kind is None:
        raise PhotoError("photo.unsupported", name=name, content=describe_content(raw[:64]))
    if kind == "heif":
        _register_heif()
    megapixels = max_pixels // 1_000_000
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(raw))
            width, height = image.size
            if width * height > max_pixels:
                raise PhotoError("photo.too_many_pixels", name=name, width=width, height=height, limit=megapixels)
            exif = image.getexif()
            try:
                orientation = int(exif.get(_ORIENTATION_TAG, 1) or 1)
            except (TypeError, ValueError):
                orientation = 1
            taken_at = _taken_at(exif)
            if kind == "jpeg":
                scale = _draft_scale(max(width, height), max_side)
                if scale > 1:
                    image.draft("RGB", (math.ceil(width / scale), math.ceil(height / scale)))
            image.load()
            image = _to_rgb(image)
            if max(image.size) > max_side:
                image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
            for step in _TRANSPOSE.get(orientation, ()):
                image = image.transpose(step)
            data = _jpeg_bytes(image, STORED_QUALITY)
            thumb = image.copy()
            thumb.thumbnail((thumb_side, thumb_side), Image.Resampling.BILINEAR, reducing_gap=2.0)
            thumb_data = _jpeg_bytes(thumb, THUMB_QUALITY)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError) as exc:
        raise PhotoError("photo.bomb", name=name, limit=megapixels) from exc
    except Exception as exc:
        # Decoders meet hostile bytes here and fail in many ways (OSError, SyntaxError,
        # struct.error, IndexError …): each is a damaged file, not a bug of ours.
        text = str(exc)
        if "truncated" in text or "broken data stream" in text or "premature end" in text.lower():
            raise PhotoError("photo.truncated", name=name) from exc
        raise PhotoError("photo.damaged", name=name, kind=kind.upper(), detail=text[:200] or type(exc).__name__) from exc
    return ProcessedPhoto(
        data=data,
        thumbnail=thumb_data,
        width=image.width,
        height=image.height,
        taken_at=taken_at,
        source_type=kind,
    )
