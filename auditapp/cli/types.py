"""Argument types and checks shared by every command (declared once, used by every option).

Types (``type=``) turn text into values while parsing; a malformed value is a usage
error (exit 2) worded from the message catalog. Checks (``check=``) run after parsing,
before the handler, on values that are well formed but unusable (an output file in a
folder that does not exist): they raise an AuditAppError (exit 1) and nothing is
touched. Every ``-o`` of every command is declared with :func:`output_file`.
"""

from __future__ import annotations

import argparse
import errno
import math
import os
import re
import stat
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from auditapp.cli.registry import Arg, arg
from auditapp.errors import FileAccessError

# Dates a person can mean in this app (visits, deadlines, report ranges, --since). Outside
# this range a value is a typo (0000-01-01, 9999-12-31), and such dates also break date
# arithmetic further on (a deadline + one day).
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)


def _usage(code: str, **params: Any) -> argparse.ArgumentTypeError:
    from auditapp.messages import render_message

    return argparse.ArgumentTypeError(render_message(code, params))


_DATE_FORM = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def iso_date(text: str) -> date:
    """``YYYY-MM-DD`` between :data:`DATE_MIN` and :data:`DATE_MAX`."""
    form = _DATE_FORM.fullmatch(text.strip())
    if form is None:
        raise _usage("cli.date_invalid", value=text)
    if not DATE_MIN.year <= int(form.group(1)) <= DATE_MAX.year:
        raise _usage("cli.date_out_of_range", value=text, min=DATE_MIN, max=DATE_MAX)
    try:
        value = date.fromisoformat(form.group(0))
    except ValueError:
        raise _usage("cli.date_impossible", value=text) from None
    if not DATE_MIN <= value <= DATE_MAX:
        raise _usage("cli.date_out_of_range", value=text, min=DATE_MIN, max=DATE_MAX)
    return value


def local_time(text: str) -> datetime:
    """Wall-clock time as people write it: ``14:05`` (today) or an ISO date-time; returned in UTC."""
    stripped = text.strip()
    try:
        if len(stripped) <= 5 and ":" in stripped:
            hour, minute = (int(p) for p in stripped.split(":"))
            local = datetime.now().astimezone().replace(hour=hour, minute=minute, second=0, microsecond=0)
        else:
            local = datetime.fromisoformat(stripped)
    except ValueError:
        raise _usage("cli.time_invalid", value=text) from None
    if not DATE_MIN <= local.date() <= DATE_MAX:
        raise _usage("cli.date_out_of_range", value=text, min=DATE_MIN, max=DATE_MAX)
    try:
        if local.tzinfo is None:
            local = local.astimezone()
        return local.astimezone(UTC)
    except (OverflowError, OSError):
        raise _usage("cli.time_invalid", value=text) from None


def fraction(text: str) -> float:
    """A position on a floor plan: a finite number (the services check that it lies on the plan)."""
    try:
        value = float(text)
    except ValueError:
        raise _usage("cli.number_invalid", value=text) from None
    if not math.isfinite(value):  # nan, inf: "a number" only to float()
        raise _usage("cli.number_invalid", value=text)
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise _usage("cli.positive_int_invalid", value=text) from None
    if value <= 0:
        raise _usage("cli.positive_int_invalid", value=text)
    return value


# ---------------------------------------------------------------------------
# files the user names


def check_output_file(text: str, option: object) -> Path:
    """The output path ``text`` as a Path, refused when it cannot become a regular file we may write.

    A folder, a device node (``/dev/null``, ``/dev/sda``), a pipe or a socket, a folder
    that does not exist, or one we may not write: each gets its own message. An existing
    regular file is replaced (that is what ``-o`` means). ``option`` names the option in
    messages (``-o``; the GUI passes the field's name as a ``Words``).
    """
    if not text.strip():
        raise FileAccessError("cli.output_empty", option=option)
    if text.endswith(("/", os.sep)):
        raise FileAccessError("cli.output_is_folder", option=option, path=text)
    path = Path(text).expanduser()
    folder = path.parent
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise FileAccessError("cli.output_folder_is_file", option=option, path=text, folder=str(folder)) from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise FileAccessError("cli.output_name_too_long", option=option, path=text) from None
        raise FileAccessError("cli.output_unusable", option=option, path=text, reason=exc.strerror or str(exc)) from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise FileAccessError("cli.output_is_folder", option=option, path=text)
        if not stat.S_ISREG(info.st_mode):
            raise FileAccessError("cli.output_not_a_file", option=option, path=text)
        if not os.access(path, os.W_OK):
            raise FileAccessError("cli.output_not_writable", option=option, path=text)
        return path
    if os.path.islink(path):  # a link to nowhere: writing would create a file elsewhere
        raise FileAccessError("cli.output_not_a_file", option=option, path=text)
    if len(os.fsencode(path.name)) > 255:
        raise FileAccessError("cli.output_name_too_long", option=option, path=text)
    if not folder.is_dir():
        raise FileAccessError("cli.output_folder_missing", option=option, path=text, folder=str(folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FileAccessError("cli.output_folder_not_writable", option=option, path=text, folder=str(folder))
    return path


def output_file(metavar: str = "FILE", *, required: bool = True, help: str | None = None) -> Arg:
    """``-o/--output FILE``: the one declaration of an output file, checked before the command runs."""
    options: dict[str, Any] = {"metavar": metavar, "required": required, "dest": "output"}
    if help:
        options["help"] = help
    return arg("-o", "--output", check=check_output_file, **options)


# Past this a file given to the command line to read (a layers file) is not what it
# claims to be; the cap keeps /dev/zero or a disk image from filling memory.
MAX_INPUT_BYTES = 16 * 1024 * 1024


def check_input_file(text: str, option: object) -> Path:
    """The input path ``text`` as a Path, refused unless it is a readable regular file of sensible size.

    Pipes and devices are refused before anything opens them: reading a named pipe
    blocks for ever, ``/dev/zero`` never ends.
    """
    path = Path(text).expanduser()
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise FileAccessError("cli.input_missing", option=option, path=text) from None
    except OSError as exc:
        raise FileAccessError("cli.input_unusable", option=option, path=text, reason=exc.strerror or str(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise FileAccessError("cli.input_is_folder", option=option, path=text)
    if not stat.S_ISREG(info.st_mode):
        raise FileAccessError("cli.input_not_a_file", option=option, path=text)
    if info.st_size > MAX_INPUT_BYTES:
        raise FileAccessError("cli.input_too_large", option=option, path=text, limit_mb=MAX_INPUT_BYTES // (1024 * 1024))
    if not os.access(path, os.R_OK):
        raise FileAccessError("cli.input_not_readable", option=option, path=text)
    return path
