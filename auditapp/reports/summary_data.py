"""The bureau summary PDF's figures from the dashboard's computation: one computation, two outputs.

:func:`summary_data` returns the reports' own ``SummaryData`` built from
``auditapp.services.dashboard``, so the PDF prints the numbers the dashboard and
``auditapp stats`` show.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from types import SimpleNamespace
from typing import TYPE_CHECKING

from auditapp.db import Database
from auditapp.reports.contents import InstitutionSummary, ProblemCount, SectionScoreRow, SummaryData, VisitCoverage
from auditapp.reports.data import basis_of, report_language, source_documents
from auditapp.services.dashboard import dashboard

if TYPE_CHECKING:
    from auditapp.checklists import Library
    from auditapp.stats.figures import Dashboard, FrequentProblem, InstitutionFigure


def summary_data(
    db: Database,
    *,
    institutions: Sequence[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    today: date | None = None,
    top_problems: int = 15,
    library: Library | None = None,
    language: str | None = None,
) -> SummaryData:
    """Institutions side by side, as ``auditapp stats`` and the dashboard count them."""
    language = report_language(language)
    d = dashboard(db, institutions=institutions, date_from=date_from, date_to=date_to, today=today,
                  language=language, top_problems=top_problems, by_institution=True)
    return SummaryData(
        institutions=tuple(_institution_row(inst, d.section_titles) for inst in d.institutions),
        themes=_themes(d),
        problems=_problems(d.frequent, library),
        months=tuple(m.month for m in d.months if m.rate is not None),
        date_from=date_from,
        date_to=date_to,
        incomplete=tuple(
            VisitCoverage(institution=v.institution_name, visit_date=v.visit_date, report_number=v.report_number,
                          coverage=v.coverage, rate=v.rate)
            for v in sorted(d.incomplete_visits, key=lambda v: (v.institution_name, v.visit_date))
        ),
    )


def _themes(d: Dashboard) -> tuple[str, ...]:
    """The titles of the sections any institution was scored on, in the patient's path order
    (checklist order, as the heat map lists them), then the untitled ones by key."""
    used = {key for inst in d.institutions for key in inst.sections}
    keys = [*d.section_titles, *sorted(used - set(d.section_titles))]
    return tuple({d.section_titles.get(k, k): None for k in keys if k in used})


def _institution_row(inst: InstitutionFigure, section_titles: dict[str, str]) -> InstitutionSummary:
    themes = {}
    for key, score in inst.sections.items():
        title = section_titles.get(key, key)
        themes[title] = SectionScoreRow.of(title, score)
    return InstitutionSummary(
        name=inst.name, kind=inst.kind, visits=inst.visits, overall=SectionScoreRow.of("", inst.overall),
        themes=themes, open_rectifications=inst.open_rectifications,
        overdue_rectifications=inst.overdue_rectifications, verified_rectifications=inst.done_rectifications,
        findings=inst.findings, monthly=inst.monthly, complete_visits=inst.complete_visits,
        coverage=inst.coverage_scored, coverage_all=inst.coverage,
    )


def _problems(frequent: Sequence[FrequentProblem], library: Library | None) -> tuple[ProblemCount, ...]:
    """The most frequent problems with their citations (the source index is read only when one cites)."""
    sources = source_documents(library) if any(p.basis for p in frequent) else {}
    return tuple(
        ProblemCount(
            text=p.text, count=p.findings, institutions=p.institutions,
            basis=basis_of(SimpleNamespace(basis=[SimpleNamespace(source=s, clause=c, quote=q) for s, c, q in p.basis]),
                           sources),
        )
        for p in frequent
    )
