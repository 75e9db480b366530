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
