"""The bureau summary PDF's figures from the dashboard's computation: one computation, two outputs.

:func:`summary_data` returns the reports' own ``SummaryData`` built from
``auditapp.services.dashboard``, so the PDF prints the numbers the dashboard and
``auditapp stats`` show. Fields the report model does not have are left out (it and the
dashboard may grow at their own pace).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from auditapp.db import Database
from auditapp.reports import model
from auditapp.reports.data import basis_of, report_language, source_documents
from auditapp.services.dashboard import dashboard

if TYPE_CHECKING:
    from auditapp.checklists import Library


def _build(cls: type, **values: Any) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in values.items() if k in names})


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
) -> model.SummaryData:
    """Institutions side by side, as ``auditapp stats`` and the dashboard count them."""
    language = report_language(language)
    d = dashboard(db, institutions=institutions, date_from=date_from, date_to=date_to, today=today,
                  language=language, top_problems=top_problems, by_institution=True)
    coverage_cls = getattr(model, "VisitCoverage", None)

    def row(title: str, score: Any, coverage: Any = None) -> Any:
        return _build(model.SectionScoreRow, title=title, conform=score.conform, nonconform=score.nonconform,
                      not_applicable=score.not_applicable, weighted=score.weighted_nonconform, coverage=coverage)

    used = {key for inst in d.institutions for key in inst.sections}
    # Sections in the patient's path order (checklist order), as the heat map lists them.
    themes = {d.section_titles.get(k, k): None for k in [*d.section_titles, *sorted(used - set(d.section_titles))] if k in used}
    rows = []
    for inst in d.institutions:
        inst_themes = {}
        for key, score in inst.sections.items():
            title = d.section_titles.get(key, key)
            inst_themes[title] = row(title, score)
        rows.append(_build(
            model.InstitutionSummary, name=inst.name, kind=inst.kind, visits=inst.visits, overall=row("", inst.overall),
            themes=inst_themes, open_rectifications=inst.open_rectifications,
            overdue_rectifications=inst.overdue_rectifications, verified_rectifications=inst.done_rectifications,
            findings=inst.findings, monthly=inst.monthly, complete_visits=inst.complete_visits,
            coverage=inst.coverage_scored, coverage_all=inst.coverage,
        ))
    sources = source_documents(library) if any(p.basis for p in d.frequent) else {}
    problems = tuple(
        model.ProblemCount(
            text=p.text, count=p.findings, institutions=p.institutions,
            basis=basis_of(SimpleNamespace(basis=[SimpleNamespace(source=s, clause=c, quote=q) for s, c, q in p.basis]),
                           sources),
        )
        for p in d.frequent
    )
    incomplete = tuple(
        coverage_cls(institution=v.institution_name, visit_date=v.visit_date, report_number=v.report_number,
                     coverage=v.coverage, rate=v.rate)
        for v in sorted(d.incomplete_visits, key=lambda v: (v.institution_name, v.visit_date))
    ) if coverage_cls is not None else ()
    return _build(
        model.SummaryData, institutions=tuple(rows), themes=tuple(themes), problems=problems,
        months=tuple(m.month for m in d.months if m.rate is not None), date_from=date_from, date_to=date_to,
        incomplete=incomplete,
    )
