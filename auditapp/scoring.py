"""Conformity scores (DESIGN.md "Scores").

Conformity rate = conform / (conform + nonconform); not-applicable and unanswered items
are left out. Severity weights are shown next to the rate so that one critical
problem is not hidden by many trivial passes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SEVERITY_WEIGHTS = {"minor": 1, "major": 3, "critical": 5}


@dataclass(frozen=True)
class Score:
    conform: int
    nonconform: int
    not_applicable: int
    weighted_nonconform: int

    @property
    def rate(self) -> float | None:
        """Conformity rate in 0–1, or None when nothing was judged."""
        judged = self.conform + self.nonconform
        return self.conform / judged if judged else None

    @property
    def percent_text(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate * 100:.1f}%"


def score_answers(answers: Iterable[tuple[str | None, str]]) -> Score:
    """Score (result, severity) pairs."""
    conform = nonconform = na = weighted = 0
    for result, severity in answers:
        if result == "conform":
            conform += 1
        elif result == "nonconform":
            nonconform += 1
            weighted += SEVERITY_WEIGHTS.get(severity, 1)
        elif result == "na":
            na += 1
    return Score(conform=conform, nonconform=nonconform, not_applicable=na, weighted_nonconform=weighted)


# A visit that answered less than this share of the items that apply to it is
# *incomplete*: its conformity rate describes only the part walked, so it is shown with
# its coverage, never as "no problems found", and left out of rankings (bureau summary,
# dashboard). One threshold for every place that compares or judges visits.
COMPLETE_COVERAGE = 0.8


@dataclass(frozen=True)
class Coverage:
    """How much of a visit was walked: items answered of the items that apply.

    An item marked 不适用 does not apply, so it counts in neither figure; a measured
    value without a target (a recorded indicator) counts as answered.
    """

    answered: int
    applicable: int

    @property
    def rate(self) -> float | None:
        """Answered share in 0–1, or None when nothing applies."""
        return self.answered / self.applicable if self.applicable else None

    @property
    def complete(self) -> bool:
        """At least :data:`COMPLETE_COVERAGE` of the applicable items answered."""
        rate = self.rate
        return rate is not None and rate >= COMPLETE_COVERAGE - 1e-9

    @property
    def percent_text(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate * 100:.0f}%"

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(self.answered + other.answered, self.applicable + other.applicable)


def coverage_of(answers: Iterable[tuple[str | None, str]], total: int) -> Coverage:
    """Coverage of a visit with ``total`` items from its (result, value) answers."""
    answered = na = 0
    for result, value in answers:
        if result == "na":
            na += 1
        elif result is not None or str(value or "").strip():
            answered += 1
    return Coverage(answered=answered, applicable=max(total - na, 0))
