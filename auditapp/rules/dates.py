"""The one range of dates the app accepts, wherever a date enters: typed in the GUI, given to
the command line, stored by a service, read from a package or another database.

1970-01-01 to 2100-12-31, because:

- nothing an audit records is older than the Unix epoch, and times before it break
  ``datetime.timestamp()`` / ``astimezone()`` on Windows, where the app runs;
- a visit, a deadline or a report range past 2100 is a typing error (``2150`` for
  ``2015``, ``9999-12-31``), and near the end of Python's range date arithmetic (a time
  zone, "+ one day") overflows. 2100 leaves room for any deadline or office term.

The record rules (``auditapp.db.validation``) and the command line's argument types
(``auditapp.cli.types``) both read these two constants; nothing else states the range.
"""

from __future__ import annotations

from datetime import date, datetime

DATE_MIN = date(1970, 1, 1)
DATE_MAX = date(2100, 12, 31)


def in_range(day: date) -> bool:
    """``day`` lies within :data:`DATE_MIN` … :data:`DATE_MAX` (a datetime: its date)."""
    return DATE_MIN <= (day.date() if isinstance(day, datetime) else day) <= DATE_MAX


def year_in_range(year: int) -> bool:
    return DATE_MIN.year <= year <= DATE_MAX.year
