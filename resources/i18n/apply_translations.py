"""Fill translations into the ``.ts`` file from tab-separated lines (context, English, 中文).

Workflow after adding UI strings:

    .venv/bin/pyside6-lupdate -no-obsolete ui/*.py ui/photos/*.py -ts resources/i18n/auditapp_zh_CN.ts
    .venv/bin/python resources/i18n/apply_translations.py new-strings.tsv
    .venv/bin/python resources/i18n/apply_translations.py --check

``--check`` lists sources still untranslated and exits 1 if there are any; the test suite
runs the same check so an untranslated string cannot reach a release.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).with_name("auditapp_zh_CN.ts")


def untranslated(tree: ET.ElementTree) -> list[tuple[str, str]]:
    out = []
    for ctx in tree.getroot().findall("context"):
        name = ctx.findtext("name", "")
        for message in ctx.findall("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
                if translation is not None and translation.get("type") in ("vanished", "obsolete"):
                    continue
                out.append((name, message.findtext("source", "")))
            elif message.get("numerus") == "yes":
                if not any((form.text or "").strip() for form in translation.findall("numerusform")):
                    out.append((name, message.findtext("source", "")))
            elif not (translation.text or "").strip():
                out.append((name, message.findtext("source", "")))
    return out


def apply(tree: ET.ElementTree, pairs: dict[tuple[str, str], str]) -> int:
    done = 0
    for ctx in tree.getroot().findall("context"):
        name = ctx.findtext("name", "")
        for message in ctx.findall("message"):
            key = (name, message.findtext("source", ""))
            if key in pairs:
                translation = message.find("translation")
                if translation is None:
                    translation = ET.SubElement(message, "translation")
                translation.attrib.pop("type", None)
                for child in list(translation):
                    translation.remove(child)
                if message.get("numerus") == "yes":
                    # Chinese has a single plural form.
                    translation.text = None
                    ET.SubElement(translation, "numerusform").text = pairs[key]
                else:
                    translation.text = pairs[key]
                done += 1
    return done


def read_tsv(path: Path) -> dict[tuple[str, str], str]:
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            context, source, target = line.split("\t")
            pairs[(context, source)] = target
    return pairs


def main(argv: list[str]) -> int:
    tree = ET.parse(TS)
    if argv == ["--check"]:
        missing = untranslated(tree)
        for context, source in missing:
            print(f"{context}\t{source}")
        return 1 if missing else 0
    pairs: dict[tuple[str, str], str] = {}
    for arg in argv:
        pairs.update(read_tsv(Path(arg)))
    done = apply(tree, pairs)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    print(f"{done} translations applied; {len(untranslated(tree))} still missing")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
