"""Which language the user reads: one answer for the GUI, the command line and the reports.

Simplified Chinese unless the user chose English in Settings. ``AUDITAPP_LANG`` overrides
the setting (scripts and tests); the GUI sets the language it installed explicitly, so
messages raised by the core are worded in the language of the window around them.
"""

from __future__ import annotations

import os

LANGUAGE_ENV = "AUDITAPP_LANG"
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")

_explicit: str | None = None
_from_settings: str | None = None


def normalise(language: str | None) -> str | None:
    """``zh``, ``zh_CN``, ``zh-CN.UTF-8`` → ``zh_CN``; ``en``, ``en_US`` → ``en``; else None."""
    if not language:
        return None
    text = language.strip().lower().replace("-", "_")
    if text.startswith("zh"):
        return "zh_CN"
    if text.startswith("en"):
        return "en"
    return None


def set_language(language: str | None) -> None:
    """Fix the language for this process (the GUI calls this when it installs a translator)."""
    global _explicit
    _explicit = normalise(language)


def _settings_language() -> str:
    global _from_settings
    if _from_settings is None:
        try:
            from auditapp.settings import load_settings

            _from_settings = load_settings().language
        except Exception:
            _from_settings = DEFAULT_LANGUAGE
    return _from_settings


def current_language() -> str:
    """``zh_CN`` or ``en``."""
    if _explicit:
        return _explicit
    env = normalise(os.environ.get(LANGUAGE_ENV))
    if env:
        return env
    return normalise(_settings_language()) or DEFAULT_LANGUAGE


def is_chinese(language: str | None = None) -> bool:
    return (normalise(language) if language else current_language()) == "zh_CN"


def forget_cached_settings() -> None:
    """After Settings are saved, the next message reads the language again."""
    global _from_settings
    _from_settings = None
