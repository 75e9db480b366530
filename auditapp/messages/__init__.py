"""The message catalog: every user-facing error, in Chinese and English, by code.

Each area of the core keeps its messages in its own module here (``services``,
``database``, ``photos``, ``sync``, ``reports``, ``checklists``, ``cli``) so that the words
for one feature sit together and can be reviewed by a translator in one place. A code
maps to a :class:`Text`: the message (what went wrong, where) and an optional hint (how to
fix it), the hint optionally worded differently for the command line and the GUI.

Placeholders use ``str.format`` syntax; parameters are rendered by :func:`render_value`
(domain words translated, lists joined, dates in ISO form).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from auditapp.language import current_language, normalise

Audience = Literal["cli", "gui"]

# Modules of this package that hold a ``MESSAGES`` dict; loaded on first use so that
# importing an error class costs nothing at start-up.
_AREAS = ("services", "database", "photos", "sync", "reports", "checklists", "cli", "general", "dashboard", "ledger", "server")


@dataclass(frozen=True)
class Text:
    """One message in both languages.

    ``hint`` is shown to every audience unless ``cli_hint``/``gui_hint`` words it for
    one of them (the CLI names options, the GUI names fields and buttons).
    """

    zh: str
    en: str
    hint: tuple[str, str] | None = None
    cli_hint: tuple[str, str] | None = None
    gui_hint: tuple[str, str] | None = None


# A one-letter name on purpose: the catalogs read as tables of T(...) rows.
def T(  # noqa: N802
    zh: str, en: str, *, hint: tuple[str, str] | None = None, cli: tuple[str, str] | None = None,
    gui: tuple[str, str] | None = None,
) -> Text:
    """Compact constructor for catalog entries: ``T(zh, en, hint=(zh, en), cli=(zh, en))``."""
    return Text(zh=zh, en=en, hint=hint, cli_hint=cli, gui_hint=gui)


_catalog: dict[str, Text] | None = None


def catalog() -> Mapping[str, Text]:
    global _catalog
    if _catalog is None:
        merged: dict[str, Text] = {}
        for area in _AREAS:
            module = importlib.import_module(f"auditapp.messages.{area}")
            for code, text in module.MESSAGES.items():
                if code in merged:
                    raise RuntimeError(f"message code {code!r} defined twice (auditapp.messages.{area})")
                merged[code] = text
        _catalog = merged
    return _catalog


def _lang(language: str | None) -> str:
    return normalise(language) or current_language()


def render_value(value: Any, language: str) -> str:
    """A parameter as words: terms translated, sequences joined, dates in ISO form."""
    render = getattr(value, "render", None)
    if callable(render):
        return str(render(language))
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [render_value(v, language) for v in value]
        return ("、" if language == "zh_CN" else ", ").join(items)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _format(template: str, params: Mapping[str, Any], language: str) -> str:
    rendered = _Params({k: render_value(v, language) for k, v in params.items()})
    return template.format_map(rendered)


def render_message(code: str, params: Mapping[str, Any], language: str | None = None) -> str:
    language = _lang(language)
    text = catalog().get(code)
    if text is None:
        # Not a catalog code (a test fails on these); show what was given rather than nothing.
        return code
    return _format(text.zh if language == "zh_CN" else text.en, params, language)


def render_hint(code: str, params: Mapping[str, Any], language: str | None = None, audience: Audience = "cli") -> str:
    language = _lang(language)
    text = catalog().get(code)
    if text is None:
        legacy = params.get("hint")
        return str(legacy) if legacy else ""
    pair = (text.cli_hint if audience == "cli" else text.gui_hint) or text.hint
    if not pair:
        return ""
    return _format(pair[0] if language == "zh_CN" else pair[1], params, language)


def has_code(code: str) -> bool:
    return code in catalog()
