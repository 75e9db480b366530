"""Non-destructive annotation and redaction layers, and drawing them with Pillow.

Layers are vector data in fractions (0–1) of the picture's width and height, so they
fit the stored photo, its thumbnail and a print-sized copy alike. The same ``render``
is used by the GUI preview and by every export (reports, packages for other people).

Redactions destroy pixels: a solid box is a uniform fill; a blur box is pixelated to a
handful of blocks and then blurred, so faces and names cannot be recovered from the
output. Redactions are applied before any other layer is drawn.
"""

from __future__ import annotations

import io
import json
import stat
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from auditapp import paths
from auditapp.errors import InvalidInputError

Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Color = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]

# Pixelation block count along the longer side of a blur box: few enough that no
# feature of a face or a character survives.
BLUR_BLOCKS = 6
MAX_LAYERS = 500
MAX_LAYERS_FILE_BYTES = 1024 * 1024


def _storable_text(value: str) -> str:
    """Text a database can hold: no NUL, no lone surrogates (bytes that were not UTF-8)."""
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains characters that are not valid text (not UTF-8)") from None
    return value


LayerText = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_storable_text)]


class _Layer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Box(_Layer):
    x: Fraction
    y: Fraction
    w: Fraction
    h: Fraction

    def pixels(self, size: tuple[int, int]) -> tuple[int, int, int, int]:
        width, height = size
        left = round(self.x * width)
        top = round(self.y * height)
        right = min(width, max(left + 1, round((self.x + self.w) * width)))
        bottom = min(height, max(top + 1, round((self.y + self.h) * height)))
        return left, top, right, bottom


class RectLayer(Box):
    kind: Literal["rect"] = "rect"
    color: Color = "#e53935"
    width: Annotated[float, Field(gt=0, le=0.05)] = 0.006


class EllipseLayer(Box):
    kind: Literal["ellipse"] = "ellipse"
    color: Color = "#e53935"
    width: Annotated[float, Field(gt=0, le=0.05)] = 0.006


class RedactLayer(Box):
    kind: Literal["redact"] = "redact"
    mode: Literal["solid", "blur"] = "solid"


class ArrowLayer(_Layer):
    kind: Literal["arrow"] = "arrow"
    x1: Fraction
    y1: Fraction
    x2: Fraction
    y2: Fraction
    color: Color = "#e53935"
    width: Annotated[float, Field(gt=0, le=0.05)] = 0.008


class TextLayer(_Layer):
    kind: Literal["text"] = "text"
    x: Fraction
    y: Fraction
    text: LayerText
    color: Color = "#e53935"
    size: Annotated[float, Field(gt=0, le=0.3)] = 0.045


Layer = Annotated[
    RectLayer | EllipseLayer | RedactLayer | ArrowLayer | TextLayer,
    Field(discriminator="kind"),
]
_LAYERS = TypeAdapter(list[Layer])


def parse_layers(data: list[dict[str, Any]]) -> list[Layer]:
    """Validate stored or user-supplied layer dicts."""
    if isinstance(data, list) and len(data) > MAX_LAYERS:
        raise InvalidInputError("photo.bad_layer", where="-", detail=f"more than {MAX_LAYERS} layers")
    try:
        return _LAYERS.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "-"
        detail = str(first["msg"])[:200]
        if first["type"] == "string_unicode":
            detail = "holds characters that are not valid text (bytes that were not UTF-8)"
        raise InvalidInputError("photo.bad_layer", where=where, detail=detail) from exc
    except RecursionError:
        raise InvalidInputError("photo.bad_layer", where="-", detail="nested too deeply") from None


def read_layers_file(path: Path) -> list[Any]:
    """Layers from a JSON file a user names (``photo annotate --layers``), checked before parsing.

    The one reader of such files, so every way a file can be wrong has its own message
    wherever it is read: not a regular file (a pipe would block for ever), larger than
    :data:`MAX_LAYERS_FILE_BYTES`, not UTF-8, not JSON (line and column), NaN or
    Infinity, a nesting bomb, not a list. Each layer is validated by :func:`parse_layers`
    afterwards (by the service that stores them).
    """
    from auditapp.safe_json import JSON_MAX_DEPTH, JsonNotFiniteError, JsonTooDeepError, loads_json

    path = Path(path)
    shown = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInputError("photo.layers_not_a_file", path=shown)
        if info.st_size > MAX_LAYERS_FILE_BYTES:
            raise InvalidInputError("photo.layers_too_large", path=shown, limit_kb=MAX_LAYERS_FILE_BYTES // 1024)
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInputError("photo.layers_unreadable", path=shown, reason=exc.strerror or str(exc)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError("photo.layers_not_utf8", path=shown, offset=exc.start) from None
    try:
        layers = loads_json(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError("photo.layers_not_json", path=shown, line=exc.lineno, column=exc.colno, reason=exc.msg) from None
    except JsonNotFiniteError as exc:
        raise InvalidInputError("photo.layers_not_finite", path=shown, value=exc.constant) from None
    except JsonTooDeepError:
        raise InvalidInputError("photo.layers_too_deep", path=shown, limit=JSON_MAX_DEPTH) from None
    if not isinstance(layers, list):
        raise InvalidInputError("photo.layers_not_list", path=shown)
    return layers


def dump_layers(layers: list[Layer]) -> list[dict[str, Any]]:
    return [layer.model_dump(mode="json") for layer in layers]


@lru_cache(maxsize=8)
def _font(pixel_size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(paths.cjk_font_path()), pixel_size, index=0)


def _stroke(width_fraction: float, size: tuple[int, int]) -> int:
    return max(1, round(width_fraction * max(size)))


def _redact(image: Image.Image, layer: RedactLayer) -> None:
    box = layer.pixels(image.size)
    if layer.mode == "solid":
        image.paste((0, 0, 0), box)
        return
    region = image.crop(box)
    w, h = region.size
    scale = BLUR_BLOCKS / max(w, h)
    tiny = region.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.BOX)
    blocky = tiny.resize((w, h), Image.Resampling.NEAREST)
    image.paste(blocky.filter(ImageFilter.GaussianBlur(radius=max(1, max(w, h) // (BLUR_BLOCKS * 3)))), box)


def _arrow(draw: ImageDraw.ImageDraw, layer: ArrowLayer, size: tuple[int, int]) -> None:
    import math

    width, height = size
    x1, y1, x2, y2 = layer.x1 * width, layer.y1 * height, layer.x2 * width, layer.y2 * height
    stroke = _stroke(layer.width, size)
    draw.line((x1, y1, x2, y2), fill=layer.color, width=stroke)
    angle = math.atan2(y2 - y1, x2 - x1)
    head = stroke * 4
    points = [(x2, y2)]
    for offset in (math.radians(150), math.radians(-150)):
        points.append((x2 + head * math.cos(angle + offset), y2 + head * math.sin(angle + offset)))
    draw.polygon(points, fill=layer.color)


def render(image: Image.Image, layers: list[Layer], *, burn_redactions: bool = True) -> Image.Image:
    """A copy of ``image`` with ``layers`` drawn; redactions first, then marks."""
    out = image.convert("RGB") if image.mode != "RGB" else image.copy()
    size = out.size
    if burn_redactions:
        for layer in layers:
            if isinstance(layer, RedactLayer):
                _redact(out, layer)
    draw = ImageDraw.Draw(out)
    for layer in layers:
        if isinstance(layer, RedactLayer):
            if not burn_redactions:  # preview for the editor: show where the box is
                draw.rectangle(layer.pixels(size), outline="#1e88e5", width=_stroke(0.004, size))
        elif isinstance(layer, RectLayer):
            draw.rectangle(layer.pixels(size), outline=layer.color, width=_stroke(layer.width, size))
        elif isinstance(layer, EllipseLayer):
            draw.ellipse(layer.pixels(size), outline=layer.color, width=_stroke(layer.width, size))
        elif isinstance(layer, ArrowLayer):
            _arrow(draw, layer, size)
        elif isinstance(layer, TextLayer):
            font = _font(max(8, round(layer.size * max(size))))
            position = (layer.x * size[0], layer.y * size[1])
            draw.text(position, layer.text, fill=layer.color, font=font, stroke_width=2, stroke_fill="#ffffff")
    return out


def export_jpeg(stored: bytes, layers: list[Layer], *, max_side: int = 1200, quality: int = 85) -> bytes:
    """The picture as it may leave the app: downscaled, annotated, redactions burned in."""
    image: Image.Image = Image.open(io.BytesIO(stored))
    if max(image.size) > max_side * 2 and image.format == "JPEG":
        image.draft("RGB", (max(1, image.width * max_side // max(image.size)), max(1, image.height * max_side // max(image.size))))
    image = image.convert("RGB")
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    out = io.BytesIO()
    render(image, layers).save(out, format="JPEG", quality=quality)
    return out.getvalue()
