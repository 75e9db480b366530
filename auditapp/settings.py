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

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auditapp.errors import InvalidInputError

# The stdlib half (the file's place, the data-folder rule, the quick read of the first
# window) lives in auditapp.settings_file; its names are re-exported here.
from auditapp.settings_file import (
    DEFAULT_PHOTO_MAX_SIDE,
    PHOTO_MAX_SIDE_MAX,
    PHOTO_MAX_SIDE_MIN,
    SETTINGS_FILENAME,
    explicit_data_dir,
    resolve_data_dir,
    settings_path,
)

__all__ = [
    "DEFAULT_PHOTO_MAX_SIDE",
    "SETTINGS_FILENAME",
    "Settings",
    "explicit_data_dir",
    "load_settings",
    "resolve_data_dir",
    "save_settings",
    "settings_path",
]


class Settings(BaseModel):
    """The validated settings. The choices and bounds are settings_file's (LANGUAGES, MODES,
    PHOTO_MAX_SIDE_*), which its quick read uses too; a test keeps the two in step."""

    model_config = ConfigDict(extra="ignore")

    language: Literal["zh_CN", "en"] = "zh_CN"
    inspector: str = ""
    # None = the platform's user data folder (or $AUDITAPP_DATA_DIR).
    data_dir: str | None = None
    photo_max_side: int = Field(default=DEFAULT_PHOTO_MAX_SIDE, ge=PHOTO_MAX_SIDE_MIN, le=PHOTO_MAX_SIDE_MAX)
    default_mode: Literal["self", "bureau"] = "self"


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
