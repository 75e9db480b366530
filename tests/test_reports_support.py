"""Helpers for the report tests: photos of exact sizes put into the real photo store
(without going through ingest, which would downscale them) and read back through the
real photo service, so reports are tested on the path users take.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

from auditapp import paths
from auditapp.db import Database
from auditapp.db.models import Finding, FloorPlan, JourneyStep, MapPin, Photo, Rectification, Visit
from auditapp.photos.store import PhotoStore
from auditapp.reports.api import db_photo_loader


def make_jpeg(width: int, height: int, *, seed: int = 0, quality: int = 90) -> bytes:
    """A photo-like JPEG: gradient background with coloured shapes (compresses like a photo)."""
    rng = random.Random(seed)
    im = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(im)
    for y in range(0, height, 6):
        draw.rectangle([0, y, width, y + 6], fill=(30 + 200 * y // height, 90 + seed % 120, 200 - 120 * y // height))
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(width // 30 + 5, width // 4), rng.randrange(height // 30 + 5, height // 4)
        draw.ellipse([x, y, x + w, y + h], fill=tuple(rng.randrange(256) for _ in range(3)))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def store(db: Database) -> PhotoStore:
    return PhotoStore(paths.photos_dir(db.data_dir))


def add_photo(
    db: Database,
    *,
    visit_id: str | None = None,
    finding_id: str | None = None,
    answer_id: str | None = None,
    rectification_id: str | None = None,
    kind: str = "evidence",
    width: int = 1600,
    height: int = 1200,
    seed: int = 0,
    caption: str = "",
    redactions: list[tuple[float, float, float, float]] | None = None,
    data: bytes | None = None,
) -> str:
    """Write a Photo row and its file; redactions are (x, y, w, h) fractions of the photo."""
    data = data or make_jpeg(width, height, seed=seed)
    sha = store(db).put(data)
    annotations = [{"kind": "redact", "mode": "solid", "x": x, "y": y, "w": w, "h": h} for x, y, w, h in redactions or []]
    with db.session() as session:
        photo = Photo(
            visit_id=visit_id,
            finding_id=finding_id,
            answer_id=answer_id,
            rectification_id=rectification_id,
            kind=kind,
            sha256=sha,
            width=width,
            height=height,
            byte_size=len(data),
            caption=caption,
            annotations=annotations,
        )
        session.add(photo)
        session.flush()
        return photo.id


def loader_for(db: Database):  # type: ignore[no-untyped-def]
    """The real loader: ``auditapp.services.photos.photo_export_jpeg``."""
    return db_photo_loader(db)


def raw_loader_for(db: Database):  # type: ignore[no-untyped-def]
    """Stored bytes as they are, ignoring the requested size (for the unscaled comparison)."""

    def load(photo_id: str, max_side: int) -> bytes:
        with db.session() as session:
            photo = session.get(Photo, photo_id)
            assert photo is not None
            return store(db).read(photo.sha256)

    return load


def finding_rows(db: Database, visit_id: str) -> list[tuple[str, str | None, str | None]]:
    """(finding id, answer id, rectification id) of a visit's findings."""
    with db.session() as session:
        out = []
        for f in session.query(Finding).filter(Finding.visit_id == visit_id, Finding.deleted_at.is_(None)).order_by(Finding.seq):
            rect = session.query(Rectification).filter(Rectification.finding_id == f.id).one_or_none()
            out.append((f.id, f.answer_id, rect.id if rect else None))
        return out


def add_journey(db: Database, visit_id: str, minutes: list[tuple[str, str, int]]) -> None:
    """Journey steps (step, label, minutes after 08:00 UTC of the visit date)."""
    with db.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        start = datetime(visit.visit_date.year, visit.visit_date.month, visit.visit_date.day, 0, 30, tzinfo=UTC)
        for step, label, offset in minutes:
            session.add(JourneyStep(visit_id=visit_id, step=step, label=label, at=start + timedelta(minutes=offset)))


def add_floor_plan(db: Database, institution_id: str, visit_id: str | None, pins: list[tuple[str, float, float, str]]) -> str:
    data = make_jpeg(1400, 900, seed=99)
    photo_id = add_photo(db, kind="floorplan", width=1400, height=900, data=data)
    with db.session() as session:
        sha = session.get(Photo, photo_id).sha256  # type: ignore[union-attr]
        plan = FloorPlan(institution_id=institution_id, name="门诊楼一层", floor="1F", image_sha256=sha, width=1400, height=900)
        session.add(plan)
        session.flush()
        for kind, x, y, label in pins:
            session.add(MapPin(floor_plan_id=plan.id, visit_id=visit_id, kind=kind, x=x, y=y, label=label))
        return plan.id


# ---------------------------------------------------------------------------
# reading PDFs back with poppler-utils


_TEXTS: dict[tuple[str, bool, int, int, int], str] = {}


def pdf_text(path: Path, *, layout: bool = False) -> str:
    """pdftotext's text of ``path``; a file read before and unchanged since is not read again.

    ``check_report`` reads every report, and tests then look for their own words in it.
    Unchanged means the same inode, size and nanosecond mtime (a report is written to a
    new file and renamed into place, so a rewrite always changes the inode).
    """
    import subprocess

    st = Path(path).stat()
    key = (str(path), layout, st.st_ino, st.st_size, st.st_mtime_ns)
    if key not in _TEXTS:
        args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
        _TEXTS[key] = subprocess.run(args, capture_output=True, check=True).stdout.decode("utf-8")
    return _TEXTS[key]


def pdf_page_texts(path: Path) -> list[str]:
    return pdf_text(path).split("\f")[:-1]


def pdf_info(path: Path) -> dict[str, str]:
    import subprocess

    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdf_fonts(path: Path) -> list[dict[str, str]]:
    import subprocess

    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout.splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type... encoding emb sub uni object ID: the flags are the 5th..3rd from the end
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def pdf_images(path: Path) -> list[dict[str, str]]:
    import subprocess

    lines = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True, text=True).stdout.splitlines()
    header = lines[0].split()
    return [dict(zip(header, line.split(), strict=False)) for line in lines[2:]]


def render_page(path: Path, page: int, dpi: int, out_dir: Path) -> Image.Image:
    import subprocess

    prefix = out_dir / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile", str(path), str(prefix)],
        check=True,
    )
    with Image.open(f"{prefix}.png") as im:
        return im.convert("L").copy()


def dark_box(page: Image.Image) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) inside the tallest dark rectangle on a rendered page."""
    px = page.load()
    # Rows whose longest run of dark pixels is long: the redaction box (and nothing else that tall).
    runs: list[tuple[int, int, int]] = []
    for y in range(page.height):
        best, start = (0, 0, 0), None
        for x in range(page.width + 1):
            dark = x < page.width and px[x, y] < 60
            if dark and start is None:
                start = x
            elif not dark and start is not None:
                if x - start > best[0]:
                    best = (x - start, start, x)
                start = None
        if best[0] >= 40:
            runs.append((y, best[1], best[2]))
    assert runs, "no redaction box found on the page"
    # The tallest group of consecutive rows with the same run is the box.
    groups: list[list[tuple[int, int, int]]] = []
    for run in runs:
        if groups and run[0] == groups[-1][-1][0] + 1 and abs(run[1] - groups[-1][-1][1]) <= 2:
            groups[-1].append(run)
        else:
            groups.append([run])
    box = max(groups, key=len)
    assert len(box) >= 40
    top, bottom = box[0][0] + 3, box[-1][0] - 3
    left, right = max(r[1] for r in box) + 3, min(r[2] for r in box) - 3
    return top, bottom, left, right


# ---------------------------------------------------------------------------
# whole-report checks: every page has content, the page numbers agree


def page_ink(path: Path, *, dpi: int = 30) -> list[int]:
    """Dark pixels inside the body frame of each page (the running header and footer left out).

    Rendered with pdftoppm at low resolution in grey; the body is the page minus the
    report margins (auditapp.reports.layout), so a page holding nothing but its header
    and footer counts 0.
    """
    import subprocess
    import tempfile

    from auditapp.reports.layout import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(path), f"{tmp}/p"], check=True)
        counts = []
        for png in sorted(Path(tmp).glob("p-*.pgm")):
            with Image.open(png) as im:
                scale = dpi / 72
                top, bottom, side = int(MARGIN_TOP * scale) + 1, int(MARGIN_BOTTOM * scale) + 1, int(MARGIN_X * scale) - 1
                body = im.crop((side, top, im.width - side, im.height - bottom))
                counts.append(sum(body.histogram()[:200]))
        return counts


def blank_pages(path: Path) -> list[int]:
    """Page numbers (1-based) with no ink in the body frame."""
    return [n for n, ink in enumerate(page_ink(path), start=1) if ink < 3]


def check_report(path: Path, pages: int, *expected: str) -> list[str]:
    """The checks every rendered report passes; returns the page texts (whitespace removed).

    pdfinfo, the returned count and every footer agree on the page count; no page is
    blank; each expected text is somewhere in the report.
    """
    import re

    assert int(pdf_info(path)["Pages"]) == pages >= 1
    texts = [re.sub(r"\s+", "", t) for t in pdf_page_texts(path)]
    assert len(texts) == pages
    for number, page_text in enumerate(texts, start=1):
        assert f"{number}" in page_text and (f"第{number}页共{pages}页" in page_text or f"Page{number}of{pages}" in page_text), number
    assert blank_pages(path) == [], f"blank pages in {path.name}"
    joined = "".join(texts)
    for text in expected:
        assert re.sub(r"\s+", "", text) in joined, text
    return texts
