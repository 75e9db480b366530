"""Rebuild ``auditapp-symbols.ttf``: the few symbols the checklists use, from DejaVu Sans.

The bundled WenQuanYi Micro Hei draws ▲ and △ at half the size of a Chinese character,
so "医联体牵头医院（适用▲项目）" showed a speck. Qt takes each character from the
first family of the application font that has it, so this tiny font goes first and the
Chinese text still comes from WenQuanYi. DejaVu's licence (Bitstream Vera licence, see
LICENSE-dejavu.txt) allows modified copies under another name, hence the family name.

    pip install fonttools
    python resources/fonts/make_symbol_font.py /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SYMBOLS = "▲△▼▽"
# A space of another width, or fontconfig calls the font monospaced (all glyphs equal) and
# Qt then treats text in the application font as code (QTextDocument.toMarkdown).
EXTRA = " \u00a0"
FAMILY = "AuditApp Symbols"
HERE = Path(__file__).resolve().parent


def main(source: str) -> None:
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in SYMBOLS + EXTRA])
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16):
            record.string = FAMILY
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "")
        elif record.nameID == 3:
            record.string = f"{FAMILY}; subset of DejaVu Sans"
    target = HERE / "auditapp-symbols.ttf"
    font.save(target)
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
