"""Argument types and checks shared by every command (declared once, used by every option).

Types (``type=``) turn text into values while parsing; a malformed or out-of-range
value raises an :class:`~auditapp.errors.InvalidInputError` with a catalog code, which
the registry (:meth:`auditapp.cli.registry.Arg.add_to`) completes with the option's name
and the runner prints like every other error: exit 1, one line saying which option, which
value and what is wrong, one line saying how to write it. Checks (``check=``) run after
parsing, before the handler, on values that are well formed but unusable (an output
file in a folder that does not exist). Either way nothing is touched. Every ``-o`` of
every command is declared with :func:`output_file`.
"""

from __future__ import annotations

import errno
import math
import os
import re
import stat
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from auditapp.cli.registry import Arg, arg
from auditapp.errors import FileAccessError, InvalidInputError
from auditapp.rules.dates import DATE_MAX, DATE_MIN, in_range, year_in_range


def _refuse(code: str, text: str, **params: Any) -> InvalidInputError:
    """A bad value; the registry adds ``option`` (the option it was given to)."""
    return InvalidInputError(code, value=text, **params)


_DATE_FORM = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH_FORM = re.compile(r"(\d{4})-(\d{2})")


def iso_date(text: str) -> date:
    """``YYYY-MM-DD`` between :data:`DATE_MIN` and :data:`DATE_MAX`."""
    form = _DATE_FORM.fullmatch(text.strip())
    if form is None:
        raise _refuse("cli.date_invalid", text)
    if not year_in_range(int(form.group(1))):
        raise _refuse("cli.date_out_of_range", text, min=DATE_MIN, max=DATE_MAX)
    try:
        value = date.fromisoformat(form.group(0))
    except ValueError:
        raise _refuse("cli.date_impossible", text) from None
    if not in_range(value):
        raise _refuse("cli.date_out_of_range", text, min=DATE_MIN, max=DATE_MAX)
    return value


def year_month(text: str) -> str:
    """``YYYY-MM`` (a duty month), returned as written once checked, within the one date range."""
    form = _MONTH_FORM.fullmatch(text.strip())
    if form is None or not 1 <= int(form.group(2)) <= 12:
        raise _refuse("cli.month_invalid", text)
    if not year_in_range(int(form.group(1))):
        raise _refuse("cli.month_out_of_range", text, min=DATE_MIN.year, max=DATE_MAX.year)
    return form.group(0)


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
        raise _refuse("cli.time_invalid", text) from None
    if not in_range(local.date()):
        raise _refuse("cli.date_out_of_range", text, min=DATE_MIN, max=DATE_MAX)
    try:
        if local.tzinfo is None:
            local = local.astimezone()
        utc = local.astimezone(UTC)
    except (OverflowError, OSError):
        raise _refuse("cli.time_invalid", text) from None
    if not in_range(utc.date()):  # 2100-12-31T23:00-05:00 is 2101 in UTC
        raise _refuse("cli.date_out_of_range", text, min=DATE_MIN, max=DATE_MAX)
    return utc


def fraction(text: str) -> float:
    """A position on a floor plan: a finite number (the services check that it lies on the plan)."""
    try:
        value = float(text)
    except ValueError:
        raise _refuse("cli.number_invalid", text) from None
    if not math.isfinite(value):  # nan, inf: "a number" only to float()
        raise _refuse("cli.number_invalid", text)
    return value


def positive_int(text: str) -> int:
    """A count that must be at least 1 (``--max-side``, ``--within``)."""
    try:
        value = int(text)
    except ValueError:
        raise _refuse("cli.positive_int_invalid", text) from None
    if value <= 0:
        raise _refuse("cli.positive_int_invalid", text)
    return value


def whole_number(text: str) -> int:
    """A whole number, zero or more (``--months``, ``--ahead``, ``--top``, ``--level``)."""
    try:
        value = int(text)
    except ValueError:
        raise _refuse("cli.whole_number_invalid", text) from None
    if value < 0:
        raise _refuse("cli.whole_number_invalid", text)
    return value


# Every type the command line's options use: tests/test_cli_bad_values.py feeds each a bad value.
TYPES = (iso_date, year_month, local_time, fraction, positive_int, whole_number)


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
