"""The settings file read with the standard library only: what the first window needs.

The window's start-up must not wait for pydantic (about a tenth of a second to import),
yet it needs the language (for the translator) and the data folder before it can show
anything. :func:`quick_settings` reads those from the file *only when the file is
exactly the kind* :func:`auditapp.settings.save_settings` *writes* (a JSON object whose
known fields each have the type and value the model accepts); for anything unusual (a
string where a number belongs, an unknown language, a broken file) it answers None and
the caller loads the validated :class:`auditapp.settings.Settings` as before, which
reports the problem. So there is one set of rules: the field names, choices and bounds
below are the ones the pydantic model is built from (``tests/test_home_snapshot.py``
checks that they agree), and a file the quick read accepts is one the model accepts
with the same values.

The data-folder rule (:func:`resolve_data_dir`) lives here too, for the same reason:
the GUI's fast start and every command of the command line choose the folder with it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import platformdirs

from auditapp import paths
from auditapp.errors import InvalidInputError
from auditapp.language import LANGUAGES

SETTINGS_FILENAME = "settings.json"
# Longest side of a stored photo unless the user chose another (auditapp.photos.ingest
# resizes to it); kept here, below the photo code, because it is a setting's default.
DEFAULT_PHOTO_MAX_SIDE = 2048
PHOTO_MAX_SIDE_MIN = 800
PHOTO_MAX_SIDE_MAX = 4096
MODES = ("self", "bureau")
# A settings file is a few hundred bytes; a bigger one is not read by the quick path.
_QUICK_MAX_BYTES = 64 * 1024


def settings_path() -> Path:
    return Path(platformdirs.user_config_dir(paths.APP_NAME, paths.APP_AUTHOR)) / SETTINGS_FILENAME


@dataclass(frozen=True)
class QuickSettings:
    """The fields the first window needs, from a settings file the full model would accept alike."""

    language: str = LANGUAGES[0]
    data_dir: str | None = None


def _field_ok(name: str, value: object) -> bool:
    """Whether ``value`` is one the model takes unchanged for field ``name`` (strictly: no coercion)."""
    if name == "language":
        return isinstance(value, str) and value in LANGUAGES
    if name == "default_mode":
        return isinstance(value, str) and value in MODES
    if name == "inspector":
        return isinstance(value, str)
    if name == "data_dir":
        return value is None or isinstance(value, str)
    if name == "photo_max_side":
        return type(value) is int and PHOTO_MAX_SIDE_MIN <= value <= PHOTO_MAX_SIDE_MAX
    return True  # the model ignores unknown fields (extra="ignore")


QUICK_FIELDS = ("language", "inspector", "data_dir", "photo_max_side", "default_mode")


def quick_settings(path: Path | None = None) -> QuickSettings | None:
    """Language and data folder from the settings file, or None when the full load must decide.

    No file: the defaults (as :func:`auditapp.settings.load_settings`). A file that is not
    plainly valid: None, so that the caller's validated load reports it exactly as before.
    """
    path = path or settings_path()
    try:
        info = path.stat()
    except FileNotFoundError:
        return QuickSettings()
    except OSError:
        return None
    if info.st_size > _QUICK_MAX_BYTES:
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(raw, dict) or not all(_field_ok(str(k), v) for k, v in raw.items()):
        return None
    return QuickSettings(language=raw.get("language", LANGUAGES[0]), data_dir=raw.get("data_dir"))


class HasDataDir(Protocol):
    """Settings of either kind (the validated model or the quick read): the folder chosen in Settings."""

    @property
    def data_dir(self) -> str | None: ...


def explicit_data_dir(option: str | None) -> Path | None:
    """The folder named by ``--data-dir`` or ``$AUDITAPP_DATA_DIR``; None when neither is set.

    Refuses an empty or blank value (see :func:`resolve_data_dir`).
    """
    if option is not None:
        if not option.strip():
            raise InvalidInputError("settings.data_dir_option_empty")
        return Path(option).expanduser()
    env = os.environ.get(paths.DATA_DIR_ENV)
    if env is not None:
        if not env.strip():
            raise InvalidInputError("settings.data_dir_env_empty", env=paths.DATA_DIR_ENV)
        return Path(env).expanduser()
    return None


def resolve_data_dir(option: str | None = None, *, demo: bool = False, settings: HasDataDir | None = None) -> Path:
    """The data folder every part of the app works on: one rule for the GUI and every command.

    ``--data-dir`` (``option``) beats ``$AUDITAPP_DATA_DIR``, which beats the folder chosen
    in Settings, which beats the platform's user data folder; ``--demo`` without an
    explicit folder means the separate demo folder. An explicit folder that is empty or
    blank is refused rather than quietly replaced by the default: the user meant *some*
    folder, and silently opening another database is how audits get lost.
    ``settings`` may be given by a caller that has already loaded them (the GUI, which
    tolerates a broken settings file); otherwise they are read here when needed.
    """
    explicit = explicit_data_dir(option)
    if explicit is not None:
        return explicit
    if demo:
        return paths.demo_data_dir()
    if settings is None:
        from auditapp.settings import load_settings

        settings = load_settings()
    chosen = settings.data_dir
    if chosen is not None and chosen.strip():
        return Path(chosen).expanduser()
    return paths.default_data_dir()
