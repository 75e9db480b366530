"""The leaders' monthly duty (每月体验): who owes a visit in which month, and where that rule comes from.

yubei-2023 四(四) asks every member of the leadership team to walk the patient's path
as an ordinary patient every month; huaian-2023 四(一) adds that what they find goes on
a problem list kept up to date and followed to the end. The GUI and the CLI show these
citations wherever the duty is shown, so nobody has to take the matrix on trust.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

Month = str  # "2026-03"


@dataclass(frozen=True)
class Citation:
    source: str  # short name in checklists/sources/index.yaml
    clause: str
    quote: str  # verbatim from the seed text (tests check it is there)


DUTY_BASIS: tuple[Citation, ...] = (
    Citation("yubei-2023", "四(四)", "领导班子成员每月要以普通患者身份定期体验就医流程"),
    Citation(
        "huaian-2023",
        "四(一)",
        "领导班子成员以普通患者身份体验就医流程，主动查找突出问题，及时建立问题清单，逐条优化改善，定期动态更新，全程跟踪问效",
    ),
)
# The half-yearly evaluation whose results the city publishes per institution: the
# default period of the bureau ranking and its "change since the previous period".
RANKING_BASIS = Citation("huaian-2023", "三(二)2", "市卫健委每半年对本地区改善就医感受、提升患者体验主题活动开展情况进行阶段性评估")
RANKING_PERIOD_MONTHS = 6

# Cell states of the duty matrix.
DONE = "done"  # a visit with something recorded in that month
MISSING = "missing"  # owed, the month is over, nothing done
DUE = "due"  # owed in the current month, not done yet
INACTIVE = "inactive"  # not in office that month: nothing owed
FUTURE = "future"  # a month still to come (the plan only)
CELL_STATES = (DONE, MISSING, DUE, INACTIVE, FUTURE)


def month_of(day: date) -> Month:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(text: str) -> date:
    """First day of a ``YYYY-MM`` month; ValueError when it is not one."""
    year, _, month = text.strip().partition("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return date(int(year), int(month), 1)


def add_months(month: Month, n: int) -> Month:
    first = parse_month(month)
    index = first.year * 12 + first.month - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last`` inclusive (empty when last < first)."""
    out: list[Month] = []
    month = first
    while month <= last:
        out.append(month)
        month = add_months(month, 1)
    return out


def last_months(n: int, today: date) -> list[Month]:
    """The ``n`` months up to and including the current one."""
    current = month_of(today)
    return month_range(add_months(current, -(n - 1)), current)


def month_bounds(month: Month) -> tuple[date, date]:
    first = parse_month(month)
    following = parse_month(add_months(month, 1))
    return first, following - timedelta(days=1)


def in_office(month: Month, active_from: date | None, active_to: date | None) -> bool:
    """A leader owes the month when in office on any day of it (dates inclusive, None open-ended).

    The document says every month, without exception for a month begun or ended in office.
    """
    first, last = month_bounds(month)
    return (active_from is None or active_from <= last) and (active_to is None or active_to >= first)


def cell_state(month: Month, *, owed: bool, done: bool, today: date) -> str:
    """State of one leader × month cell; a visit done counts even outside the time in office."""
    current = month_of(today)
    if done:
        return DONE
    if month > current:
        return FUTURE
    if not owed:
        return INACTIVE
    return DUE if month == current else MISSING
