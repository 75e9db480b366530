"""Photos placed at print resolution.

A photo is requested from the photo service already upright, with annotations and
redactions burned in, and at the pixel size its placed box needs at ``PRINT_DPI``; it
is then embedded as JPEG. Embedding stored photos at full size makes a 100-photo list
tens of times larger and slower (see tests/bench/bench_reports.py).
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Table, TableStyle

from auditapp.reports.styles import RULE, Paragraph, Styles, text

# (photo id, longest side in pixels) -> JPEG bytes, upright, annotations and redactions burned in.
PhotoLoader = Callable[[str, int], bytes]

PRINT_DPI = 200
JPEG_QUALITY = 85
# A delivered photo up to this much larger than needed is embedded as it is (re-encoding
# would cost time and quality for little size).
OVERSIZE_TOLERANCE = 1.15


@dataclass(frozen=True)
class PhotoRef:
    """A photo to place: its id for the loader and its stored size for the layout."""

    id: str
    width: int = 0
    height: int = 0
    caption: str = ""
    kind: str = "evidence"
    taken_at: datetime | None = None


@dataclass(frozen=True)
class Placement:
    """How photos are embedded: ``dpi=None`` embeds the loader's bytes unchanged (benchmark only)."""

    dpi: int | None = PRINT_DPI
    quality: int = JPEG_QUALITY


def fit(width: float, height: float, box_w: float, box_h: float) -> tuple[float, float]:
    """The largest size with the photo's aspect ratio inside the box."""
    if width <= 0 or height <= 0:
        width, height = 4, 3
    scale = min(box_w / width, box_h / height)
    return width * scale, height * scale


def pixels_for(points: float, dpi: int) -> int:
    return max(16, math.ceil(points / 72 * dpi))


def print_jpeg(data: bytes, width_pt: float, height_pt: float, placement: Placement) -> bytes:
    """JPEG bytes no larger than the placed size needs at ``placement.dpi``, upright, RGB."""
    if placement.dpi is None:
        return data
    need_w, need_h = pixels_for(width_pt, placement.dpi), pixels_for(height_pt, placement.dpi)
    with PILImage.open(io.BytesIO(data)) as im:
        orientation = im.getexif().get(0x0112, 1)
        ok_size = im.width <= need_w * OVERSIZE_TOLERANCE and im.height <= need_h * OVERSIZE_TOLERANCE
        if im.format == "JPEG" and im.mode in ("RGB", "L") and ok_size and orientation in (0, 1):
            return data
        if orientation in (5, 6, 7, 8):
            im.draft("RGB", (need_h, need_w))
        else:
            im.draft("RGB", (need_w, need_h))
        out = ImageOps.exif_transpose(im)
        if out.mode not in ("RGB", "L"):
            out = out.convert("RGB")
        if out.width > need_w or out.height > need_h:
            out = out.resize(_within(out.width, out.height, need_w, need_h), PILImage.Resampling.LANCZOS)
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=placement.quality, optimize=False)
        return buf.getvalue()


def _within(w: int, h: int, max_w: int, max_h: int) -> tuple[int, int]:
    scale = min(max_w / w, max_h / h, 1.0)
    return max(1, round(w * scale)), max(1, round(h * scale))


def _size_of(data: bytes) -> tuple[int, int]:
    with PILImage.open(io.BytesIO(data)) as im:
        w, h = im.size
        if im.getexif().get(0x0112, 1) in (5, 6, 7, 8):
            w, h = h, w
    return w, h


class MissingPhoto(Flowable):
    """A framed grey box standing in for a photo that could not be read."""

    def __init__(self, width: float, height: float, message: str, font: str) -> None:
        super().__init__()
        self.width, self.height, self.message, self.font = width, height, message, font

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(RULE)
        c.setFillColorRGB(0.94, 0.94, 0.94)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=1)
        c.setFillColor(RULE)
        c.setFont(self.font, 8)
        c.drawCentredString(self.width / 2, self.height / 2 - 3, self.message)


def request_side(ref: PhotoRef, box_w: float, box_h: float, placement: Placement) -> int:
    """The longest side in pixels that ``photo_flowable`` asks the loader for."""
    w, h = fit(ref.width, ref.height, box_w, box_h)
    return pixels_for(max(w, h), placement.dpi or PRINT_DPI)


class PrefetchingLoader:
    """Loads the photos a layout will ask for on worker threads, ahead of the layout.

    Decoding, scaling and encoding photos is most of a photo-heavy report's time and
    Pillow releases the GIL for it, so a few threads overlap it with the layout. A
    request that was not announced is loaded on the spot.
    """

    def __init__(self, loader: PhotoLoader, requests: Iterable[tuple[str, int]], *, workers: int | None = None) -> None:
        self._loader = loader
        keys = list(dict.fromkeys(requests))
        workers = workers if workers is not None else min(4, os.cpu_count() or 1)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="report-photo") if workers > 1 and len(keys) > 1 else None
        self._futures: dict[tuple[str, int], Future[bytes]] = {}
        if self._pool is not None:
            for key in keys:
                self._futures[key] = self._pool.submit(loader, *key)

    def __call__(self, photo_id: str, max_side: int) -> bytes:
        future = self._futures.pop((photo_id, max_side), None)
        if future is None:
            return self._loader(photo_id, max_side)
        return future.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._futures.clear()

    def __enter__(self) -> PrefetchingLoader:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def photo_flowable(
    loader: PhotoLoader, ref: PhotoRef, box_w: float, box_h: float, *, placement: Placement, font: str,
    missing_text: str = "照片无法读取",
) -> Flowable:
    """The photo scaled into the box, or a placeholder if it cannot be loaded."""
    w, h = fit(ref.width, ref.height, box_w, box_h)
    side = request_side(ref, box_w, box_h, placement)
    try:
        data = loader(ref.id, side)
        real_w, real_h = _size_of(data)
        w, h = fit(real_w, real_h, box_w, box_h)
        data = print_jpeg(data, w, h, placement)
    except Exception as exc:
        from auditapp.errors import AuditAppError

        if not isinstance(exc, (AuditAppError, OSError, ValueError, PILImage.DecompressionBombError)):
            raise
        return MissingPhoto(w, h, missing_text, font)
    return Image(io.BytesIO(data), width=w, height=h)


def photo_cell(
    loader: PhotoLoader,
    ref: PhotoRef,
    label: str,
    box_w: float,
    box_h: float,
    *,
    styles: Styles,
    placement: Placement,
    missing_text: str = "照片无法读取",
) -> list[Flowable]:
    """A photo with its caption below; both live in one table cell so they never part.

    The caption is cut to :data:`CAPTION_LIMIT` characters: under a photo it names the
    picture, and a longer one would make the photo's row taller than a page.
    """
    caption = label
    if ref.caption:
        caption += " " + clip_text(ref.caption, CAPTION_LIMIT)
    if ref.taken_at is not None:
        caption += f"（{ref.taken_at.astimezone().strftime('%Y-%m-%d %H:%M')}）"
    image = photo_flowable(loader, ref, box_w, box_h, placement=placement, font=styles.caption.fontName,
                           missing_text=missing_text)
    return [image, Paragraph(text(caption), styles.caption)]


CAPTION_LIMIT = 120


def clip_text(value: str, limit: int) -> str:
    """``value`` on one line, cut with "…" after ``limit`` characters."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


PHOTO_GAP = 3 * mm


def grid_cell_width(width: float, columns: int) -> float:
    return (width - PHOTO_GAP * (columns - 1)) / columns


def photo_rows(
    loader: PhotoLoader,
    refs: Sequence[PhotoRef],
    *,
    labels: Sequence[str],
    width: float,
    columns: int,
    max_height: float,
    styles: Styles,
    placement: Placement,
    missing_text: str = "照片无法读取",
) -> list[Table]:
    """Photos in rows of ``columns``; each row is its own table so pages break between rows."""
    gap = PHOTO_GAP
    cell_w = grid_cell_width(width, columns)
    rows: list[Table] = []
    for start in range(0, len(refs), columns):
        cells: list[object] = []
        for ref, label in zip(refs[start : start + columns], labels[start : start + columns], strict=False):
            cells.append(photo_cell(loader, ref, label, cell_w, max_height, styles=styles, placement=placement,
                                    missing_text=missing_text))
        cells += [""] * (columns - len(cells))
        table = Table([cells], colWidths=[cell_w + (gap if i < columns - 1 else 0) for i in range(columns)])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-2, -1), gap),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        rows.append(table)
    return rows
