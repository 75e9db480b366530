"""User settings (language, inspector name, data folder, photo size) in the config folder.

Kept outside the database on purpose: the data folder itself is a setting, and a
damaged database must not take the language or inspector name with it. Written
atomically so a crash while saving never leaves half a file; a broken file is reported
and the defaults are used, never silently overwritten.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auditapp import paths
from auditapp.errors import InvalidInputError

SETTINGS_FILENAME = "settings.json"
# Longest side of a stored photo unless the user chose another (auditapp.photos.ingest
# resizes to it); kept here, below the photo code, because it is a setting's default.
DEFAULT_PHOTO_MAX_SIDE = 2048


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    language: Literal["zh_CN", "en"] = "zh_CN"
    inspector: str = ""
    # None = the platform's user data folder (or $AUDITAPP_DATA_DIR).
    data_dir: str | None = None
    photo_max_side: int = Field(default=DEFAULT_PHOTO_MAX_SIDE, ge=800, le=4096)
    default_mode: Literal["self", "bureau"] = "self"


def settings_path() -> Path:
    return Path(platformdirs.user_config_dir(paths.APP_NAME, paths.APP_AUTHOR)) / SETTINGS_FILENAME


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults when there are none yet."""
    path = path or settings_path()
    if not path.exists():
        return Settings()
    try:
        return Settings.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise InvalidInputError("settings.unreadable", path=path, detail=str(exc).splitlines()[0]) from exc


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(settings.model_dump_json(indent=2))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


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


def resolve_data_dir(option: str | None = None, *, demo: bool = False, settings: Settings | None = None) -> Path:
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
    chosen = (settings if settings is not None else load_settings()).data_dir
    if chosen is not None and chosen.strip():
        return Path(chosen).expanduser()
    return paths.default_data_dir()
