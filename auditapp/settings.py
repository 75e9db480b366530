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
from auditapp.photos.ingest import DEFAULT_MAX_SIDE

SETTINGS_FILENAME = "settings.json"


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    language: Literal["zh_CN", "en"] = "zh_CN"
    inspector: str = ""
    # None = the platform's user data folder (or $AUDITAPP_DATA_DIR).
    data_dir: str | None = None
    photo_max_side: int = Field(default=DEFAULT_MAX_SIDE, ge=800, le=4096)
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


def effective_data_dir(settings: Settings) -> Path:
    """``$AUDITAPP_DATA_DIR`` beats the setting, which beats the platform default."""
    if os.environ.get(paths.DATA_DIR_ENV):
        return paths.default_data_dir()
    if settings.data_dir:
        return Path(settings.data_dir).expanduser()
    return paths.default_data_dir()
