"""Administrative regions (行政区划) of institutions and source documents, as a hierarchy.

A region is written the way Chinese documents name it, from the province down:
``北京市``, ``重庆市渝北区``, ``江苏省淮安市``, ``江苏省苏州市吴中区``, ``吉林省长春市``. A
document of a region binds every institution inside it: a 吉林省 document binds a hospital
of 吉林省长春市, a district's document binds only that district. ``institutions.region``
is free text in the database, so :func:`normalise_region` turns what a user typed into the
canonical form and :func:`known_regions` gives the list a chooser offers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# The province-level municipalities: "北京市" is a province, "北京市朝阳区" one of its districts.
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

# One administrative level ends at one of these words; "新区" and "开发区" end a district.
# A bare "州" is not one: it ends city names (苏州市, 杭州市) far more often than levels.
_SUFFIXES = (
    "特别行政区", "自治区", "自治州", "自治县", "开发区", "新区", "地区",
    "省", "市", "盟", "区", "县", "旗",
)
_PART = re.compile(r".+?(?:" + "|".join(_SUFFIXES) + ")")
_WS = re.compile(r"\s+")


@dataclass(frozen=True, order=True)
class Region:
    """A region as its parts from the top: ``("江苏省", "苏州市", "吴中区")``."""

    parts: tuple[str, ...]

    @property
    def name(self) -> str:
        """The canonical written form, e.g. ``江苏省苏州市吴中区``."""
        return "".join(self.parts)

    @property
    def is_empty(self) -> bool:
        return not self.parts

    def contains(self, other: Region) -> bool:
        """Whether ``other`` lies in this region (a region contains itself)."""
        return bool(self.parts) and other.parts[: len(self.parts)] == self.parts

    def __str__(self) -> str:
        return self.name


NO_REGION = Region(())


def parse_region(text: str) -> Region:
    """The parts of a written region; text without a level word is one part as given.

    "重庆 渝北区" and "重庆市渝北区" are the same region; a bare "北京" is read as 北京市.
    """
    flat = _WS.sub("", text or "")
    if not flat:
        return NO_REGION
    for city in MUNICIPALITIES:
        if flat == city[:-1] or (flat.startswith(city[:-1]) and not flat.startswith(city)):
            flat = city + flat[len(city) - 1 :]
            break
    parts = _PART.findall(flat)
    rest = flat[sum(len(p) for p in parts) :]
    if rest:
        parts.append(rest)
    return Region(tuple(parts))


def normalise_region(text: str, known: Iterable[Region | str] = ()) -> str:
    """The canonical name of a typed region.

    A name that is only the tail of a known region (``渝北区`` for ``重庆市渝北区``,
    ``长春市`` for ``吉林省长春市``) is completed from it when exactly one known region
    ends that way, so a hospital typed as "渝北区" is still bound by the district's document.
    """
    candidates = {k if isinstance(k, Region) else parse_region(k) for k in known}
    region = parse_region(_with_province(text, candidates))
    if region.is_empty:
        return ""
    if region in candidates:
        return region.name
    matches = {c for c in candidates if len(c.parts) > len(region.parts) and c.parts[-len(region.parts) :] == region.parts}
    if len(matches) == 1:
        return next(iter(matches)).name
    return region.name


def _with_province(text: str, known: Iterable[Region]) -> str:
    """"吉林长春市" → "吉林省长春市": a known province written without its level word."""
    flat = _WS.sub("", text or "")
    for region in known:
        top = region.parts[0] if region.parts else ""
        for suffix in ("省", "自治区"):
            if top.endswith(suffix):
                short = top[: -len(suffix)]
                if flat.startswith(short) and not flat.startswith(top) and len(flat) > len(short):
                    return top + flat[len(short):]
    return flat


def known_regions(document_regions: Iterable[Region | str]) -> list[str]:
    """Regions a chooser offers: those the documents name and every region above them.

    ``江苏省苏州市吴中区`` brings ``江苏省`` and ``江苏省苏州市`` with it, so a hospital
    elsewhere in the province or city can be recorded precisely too.
    """
    names: set[Region] = set()
    for entry in document_regions:
        region = entry if isinstance(entry, Region) else parse_region(entry)
        for n in range(1, len(region.parts) + 1):
            names.add(Region(region.parts[:n]))
    return [r.name for r in sorted(names)]
