"""The dashboard window: trend, rectifications, recurring problems, heat map and ranking.

One computation (``auditapp.services.dashboard``) loads in a pool thread; the window
only draws the figures it gets back. Every chart can be saved as PNG and its numbers
exported to .xlsx (the same tables as ``auditapp stats --xlsx``); clicking a bar or a
cell lists the visits or problems behind it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from auditapp.db import Database
from auditapp.errors import AuditAppError
from auditapp.rules.duty import RANKING_BASIS
from auditapp.services import institutions
from auditapp.services.dashboard import dashboard, make_scope, problems_behind
from auditapp.stats.export import tables, write_table, write_workbook
from auditapp.stats.figures import Dashboard, default_period
from auditapp.terms import label
from ui import messages
from ui.workers import Op, run_op

_Index = QModelIndex | QPersistentModelIndex


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def rate_colour(rate: float | None) -> QColor:
    """Red (70 % or less) through amber (85 %) to green (100 %); grey when nothing was judged.

    Conformity mostly lies between 80 and 100 %: the scale spends its colours there.
    """
    if rate is None:
        return QColor("#eeeeee")
    t = max(0.0, min(1.0, (rate - 0.7) / 0.3))
    red, green = (int(230 - 130 * t), int(90 + 120 * t)) if t > 0.5 else (230, int(90 + 150 * t))
    return QColor(red, green, 110)


class RowsModel(QAbstractTableModel):
    """Rows of text behind one reset; the view asks only for the cells it shows (thousands of
    recurring problems cost nothing to load, unlike a table widget's items)."""

    def __init__(self, headers: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[list[str]] = []

    def set_rows(self, rows: list[list[str]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


def rows_view(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


class HeatMapModel(QAbstractTableModel):
    """Areas (checklist sections) × months; each cell the conformity of complete visits."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.figures: Dashboard | None = None

    def set_figures(self, figures: Dashboard | None) -> None:
        self.beginResetModel()
        self.figures = figures
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.figures is None else len(self.figures.heatmap.sections)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.figures is None else len(self.figures.heatmap.months)

    def cell_key(self, index: _Index) -> tuple[str, str] | None:
        if self.figures is None or not index.isValid():
            return None
        heat = self.figures.heatmap
        return heat.sections[index.row()][0], heat.months[index.column()]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        key = self.cell_key(index)
        if key is None or self.figures is None:
            return None
        score = self.figures.heatmap.cells.get(key)
        rate = score.rate if score else None
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if rate is None else f"{rate * 100:.0f}"
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(rate_colour(rate))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and score is not None:
            return self.tr("%1: %2 conforming, %3 not conforming").replace(
                "%1", self.figures.heatmap.sections[index.row()][1]).replace("%2", str(score.conform)).replace(
                "%3", str(score.nonconform))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.figures is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        heat = self.figures.heatmap
        if orientation == Qt.Orientation.Horizontal:
            return heat.months[section][2:]
        return heat.sections[section][1]


class DrillDialog(QDialog):
    """The visits or problems behind a figure; double-click a row to open its visit."""

    openVisit = Signal(str)

    def __init__(self, title: str, headers: list[str], rows: list[tuple[str, list[str]]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.model = RowsModel(headers, self)
        self.model.set_rows([cells for _vid, cells in rows])
        self.table = rows_view(self.model)
        self.table.setObjectName("drillTable")
        self.visit_ids = [visit_id for visit_id, _cells in rows]
        self.table.resizeColumnsToContents()
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        open_button = QPushButton(self.tr("Open visit"))
        open_button.clicked.connect(lambda: self._open(self.table.currentIndex().row()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("%n row(s)", "", len(rows))))
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(1000, 560)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.visit_ids):
            self.openVisit.emit(self.visit_ids[row])


class ChartPanel(QWidget):
    """A chart (or table) with its two exports: PNG of what is shown, .xlsx of its numbers."""

    def __init__(self, name: str, view: QWidget, owner: DashboardWindow) -> None:
        super().__init__()
        self.name = name
        self.view = view
        self.owner = owner
        self.setObjectName(f"panel_{name}")
        png = QPushButton(self.tr("Save as PNG…"))
        png.setObjectName(f"png_{name}")
        png.clicked.connect(self.save_png)
        xlsx = QPushButton(self.tr("Export numbers (.xlsx)…"))
        xlsx.setObjectName(f"xlsx_{name}")
        xlsx.clicked.connect(self.export_xlsx)
        self.note = QLabel()
        self.note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(png)
        row.addWidget(xlsx)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(view, 1)
        layout.addLayout(row)

    def save_png(self, path: str | None = None) -> Path | None:
        chosen = path or messages.choose_save_file(self, self.tr("Save chart"), f"{self.name}.png", "PNG (*.png)", key="dashboard")
        if not chosen:
            return None
        target = str(chosen)
        if not self.view.grab().save(target, "PNG"):
            messages.show_text_error(self, self.tr("Save chart"), self.tr("The image could not be written to %1").replace("%1", target))
            return None
        return Path(target)

    def export_xlsx(self, path: str | None = None) -> Path | None:
        figures = self.owner.figures
        if figures is None:
            return None
        target = path or messages.choose_save_file(self, self.tr("Export numbers"), f"{self.name}.xlsx", "Excel (*.xlsx)",
                                                   key="dashboard")
        if not target:
            return None
        title, table = tables(figures)[self.name]
        try:
            return write_table(target, title, table)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Export numbers"), exc)
            return None


class DashboardWindow(QWidget):
    """For one institution or all (bureau view), over a date range."""

    openVisit = Signal(str)
    loaded = Signal()

    def __init__(self, db: Database, *, institution_id: str | None = None, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.db = db
        self.today = today or date.today()
        self.figures: Dashboard | None = None
        self._task: Op | None = None
        self._pending = False
        self._drawing = False
        self.setWindowTitle(self.tr("Dashboard"))
        self.setObjectName("dashboardWindow")

        self.institution_combo = QComboBox()
        self.institution_combo.setObjectName("institutionCombo")
        self.institution_combo.addItem(self.tr("All institutions (bureau view)"), None)
        for inst in institutions.list_institutions(db):
            self.institution_combo.addItem(inst.name, inst.id)
        if institution_id is not None:
            self.institution_combo.setCurrentIndex(max(self.institution_combo.findData(institution_id), 0))
        first, last = default_period(self.today)
        self.from_edit = QDateEdit(QDate(first.year, first.month, first.day))
        self.to_edit = QDateEdit(QDate(last.year, last.month, last.day))
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.mode_combo = QComboBox()
        self.mode_combo.addItem(self.tr("All visits"), None)
        for mode in ("self", "bureau"):
            self.mode_combo.addItem(label("visit_mode", mode), mode)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.clicked.connect(self.reload)
        export_all = QPushButton(self.tr("Export all (.xlsx)…"))
        export_all.clicked.connect(self.export_all)
        bar = QHBoxLayout()
        bar.addWidget(self.institution_combo, 2)
        bar.addWidget(QLabel(self.tr("From")))
        bar.addWidget(self.from_edit)
        bar.addWidget(QLabel(self.tr("To")))
        bar.addWidget(self.to_edit)
        bar.addWidget(self.mode_combo)
        bar.addWidget(self.refresh_button)
        bar.addWidget(export_all)
        self.summary = QLabel()
        self.summary.setObjectName("dashboardSummary")
        self.summary.setWordWrap(True)

        self.tabs = QTabWidget()
        self.trend_view = self._chart_view()
        self.rect_view = self._chart_view()
        self.rank_view = self._chart_view()
        self.recurring_model = RowsModel([self.tr("Institution"), self.tr("Problem"), self.tr("Area"),
                                          self.tr("Consecutive visits"), self.tr("Last"), self.tr("Ongoing")], self)
        self.frequent_model = RowsModel([self.tr("Problem"), self.tr("Area"), self.tr("Found"), self.tr("Visits"),
                                         self.tr("Institutions")], self)
        self.recurring_table = rows_view(self.recurring_model)
        self.frequent_table = rows_view(self.frequent_model)
        self.heat_model = HeatMapModel(self)
        self.heat_view = QTableView()
        self.heat_view.setObjectName("heatMap")
        self.heat_view.setModel(self.heat_model)
        # Fixed sizes: sizing 46 × 24 cells to their contents took a quarter of a second on the GUI thread.
        self.heat_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.heat_view.horizontalHeader().setDefaultSectionSize(52)
        self.heat_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.heat_view.verticalHeader().setDefaultSectionSize(24)
        self.heat_view.clicked.connect(self._heat_clicked)
        recurring = QSplitter(Qt.Orientation.Vertical)
        recurring_title = self.tr("Recurring problems (屡查屡犯): not conforming on consecutive visits")
        recurring.addWidget(self._titled(recurring_title, self.recurring_table))
        recurring.addWidget(self._titled(self.tr("Most frequent problems"), self.frequent_table))
        self.panels = {
            "trend": ChartPanel("trend", self.trend_view, self),
            "departments": ChartPanel("departments", self.rect_view, self),
            "recurring": ChartPanel("recurring", recurring, self),
            "heatmap": ChartPanel("heatmap", self.heat_view, self),
            "ranking": ChartPanel("ranking", self.rank_view, self),
        }
        self.tabs.addTab(self.panels["trend"], self.tr("Trend"))
        self.tabs.addTab(self.panels["departments"], self.tr("Rectifications"))
        self.tabs.addTab(self.panels["recurring"], self.tr("Recurring problems"))
        self.tabs.addTab(self.panels["heatmap"], self.tr("Areas × months"))
        self.tabs.addTab(self.panels["ranking"], self.tr("Ranking"))
        self.recurring_table.doubleClicked.connect(self._recurring_clicked)
        self.frequent_table.doubleClicked.connect(self._frequent_clicked)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self.resize(1280, 740)
        self.reload()

    # -- building blocks ------------------------------------------------------------

    def _chart_view(self) -> QChartView:
        view = QChartView(QChart())
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(300)
        return view

    def _titled(self, title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(title))
        layout.addWidget(widget)
        return box

    # -- loading --------------------------------------------------------------------

    def scope_args(self) -> dict[str, Any]:
        inst = self.institution_combo.currentData()
        return {
            "institutions": [inst] if inst else None,
            "date_from": self.from_edit.date().toPython(),
            "date_to": self.to_edit.date().toPython(),
            "mode": self.mode_combo.currentData(),
        }

    def busy(self) -> bool:
        """Computing or still drawing the last figures."""
        return self._task is not None or self._drawing

    def reload(self) -> None:
        """Compute the figures in a pool thread; the window keeps drawing meanwhile."""
        if self._task is not None:
            self._pending = True
            return
        args = self.scope_args()
        db, today = self.db, self.today
        self.refresh_button.setEnabled(False)
        self.summary.setText(self.tr("Loading…"))
        from auditapp.language import current_language

        language = current_language()
        self._task = run_op(
            self,
            lambda _progress, _token: dashboard(db, today=today, language=language, **args),
            self._show,
            title=self.tr("Dashboard"),
            on_error=self._failed,
            on_finished=self._done,
            pool="cpu",
        )

    def _done(self) -> None:
        self._task = None
        self.refresh_button.setEnabled(True)
        if self._pending:
            self._pending = False
            self.reload()

    def _failed(self, exc: BaseException) -> None:
        """The user's error (a bug is logged and apologised for by run_op, not shown raw)."""
        self.summary.setText("")
        messages.show_failure(self, self.tr("Dashboard"), exc)

    def _show(self, figures: object) -> None:
        assert isinstance(figures, Dashboard)
        self.figures = figures
        r = figures.rectifications
        incomplete = len(figures.incomplete_visits)
        self.summary.setText(
            self.tr("%1 visits (%2 incomplete, left out of scores) · conformity %3 · coverage %4 · "
                    "rectifications: %5 open, %6 overdue, closure rate %7, median %8 days to close")
            .replace("%1", str(len(figures.visits))).replace("%2", str(incomplete))
            .replace("%3", _pct(figures.overall.rate)).replace("%4", figures.coverage.percent_text)
            .replace("%5", str(r.open)).replace("%6", str(r.overdue)).replace("%7", _pct(r.closure_rate))
            .replace("%8", "—" if r.median_days_to_close is None else f"{r.median_days_to_close:g}")
        )
        # One chart per turn of the event loop, so drawing never holds the window for long.
        steps = [
            lambda: self._draw_trend(figures),
            lambda: self._draw_departments(figures),
            lambda: self._fill_recurring(figures),
            lambda: self.heat_model.set_figures(figures),
            lambda: self._draw_ranking(figures),
        ]
        self.panels["heatmap"].note.setText(self.tr("Conformity (%) of complete visits per area and month; click a cell for its problems."))
        self._drawing = True
        self._run_steps(figures, steps)

    def _run_steps(self, figures: Dashboard, steps: list[Any]) -> None:
        if self.figures is not figures:  # newer figures arrived meanwhile
            return
        if not steps:
            self._drawing = False
            self.loaded.emit()
            return
        steps[0]()
        QTimer.singleShot(0, lambda: self._run_steps(figures, steps[1:]))

    # -- charts ---------------------------------------------------------------------

    def _new_chart(self, view: QChartView, title: str) -> QChart:
        """The view's chart emptied for new figures (one chart per view: replacing charts
        under a live view is where QtCharts crashes)."""
        chart = view.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(title)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        return chart

    def _draw_trend(self, d: Dashboard) -> None:
        chart = self._new_chart(self.trend_view, self.tr("Conformity by month (complete visits) and coverage"))
        rates = QBarSet(self.tr("Conformity %"))
        coverage = QLineSeries()
        coverage.setName(self.tr("Coverage % (answered / applicable)"))
        months = [m.month for m in d.months]
        for n, m in enumerate(d.months):
            rates.append(0.0 if m.rate is None else round(m.rate * 100, 1))
            coverage.append(n, 0.0 if m.coverage.rate is None else round(m.coverage.rate * 100, 1))
        rates.clicked.connect(lambda i: self.drill_month(months[i]) if 0 <= i < len(months) else None)
        bars = QBarSeries()
        bars.append(rates)
        chart.addSeries(bars)
        chart.addSeries(coverage)
        axis_x = QBarCategoryAxis()
        axis_x.append(months)
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setLabelFormat("%d")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        for series in (bars, coverage):
            series.attachAxis(axis_x)
            series.attachAxis(axis_y)
        incomplete = sum(m.incomplete_visits for m in d.months)
        self.panels["trend"].note.setText(
            self.tr("%1 incomplete visit(s) are not in the bars; click a bar for the visits of that month.")
            .replace("%1", str(incomplete)))

    def _draw_departments(self, d: Dashboard) -> None:
        chart = self._new_chart(self.rect_view, self.tr("Rectifications by department"))
        rows = list(d.rectifications.by_department[:15])
        names = [x.department or self.tr("No department") for x in rows]
        sets = []
        for title, attr in ((self.tr("Open"), "open"), (self.tr("Overdue"), "overdue"), (self.tr("Done"), "done")):
            bar_set = QBarSet(title)
            for x in rows:
                bar_set.append(getattr(x, attr))
            bar_set.clicked.connect(lambda i, attr=attr: self.drill_department(rows[i].department, attr) if 0 <= i < len(rows) else None)
            sets.append(bar_set)
        series = QBarSeries()
        for s in sets:
            series.append(s)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(names)
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        r = d.rectifications
        self.panels["departments"].note.setText(
            self.tr("Closure rate %1 (%2 of %3); median %4 days from the visit to verification. Click a bar for its problems.")
            .replace("%1", _pct(r.closure_rate)).replace("%2", str(r.done)).replace("%3", str(r.total))
            .replace("%4", "—" if r.median_days_to_close is None else f"{r.median_days_to_close:g}"))

    def _fill_recurring(self, d: Dashboard) -> None:
        yes = self.tr("yes")
        self.recurring_model.set_rows([
            [x.institution_name, x.text, x.section, str(x.visits), x.last_date.isoformat(), yes if x.ongoing else ""]
            for x in d.recurring
        ])
        self.frequent_model.set_rows([
            [p.text, p.section, str(p.findings), str(p.visits), str(p.institutions)] for p in d.frequent
        ])
        for table, widths in ((self.recurring_table, (150, 520, 150, 90, 90)), (self.frequent_table, (620, 160, 70, 70))):
            for col, width in enumerate(widths):
                table.setColumnWidth(col, width)
        self.panels["recurring"].note.setText(self.tr("Double-click a row for the visits behind it."))

    def _draw_ranking(self, d: Dashboard) -> None:
        chart = self._new_chart(self.rank_view, self.tr("Institutions on a comparable score (the same items, complete visits)"))
        rows = [r for r in d.ranking.rows if r.ranked][:15]  # the rest in the .xlsx (names stay readable)
        current = QBarSet(self.tr("This period %"))
        previous = QBarSet(self.tr("Previous period %"))
        for r in reversed(rows):  # the best at the top
            current.append(round((r.rate or 0) * 100, 1))
            previous.append(round((r.previous_rate or 0) * 100, 1))
        names = [f"{r.rank}. {r.name}" for r in reversed(rows)]
        ordered = list(reversed(rows))
        current.clicked.connect(lambda i: self.drill_institution(ordered[i].institution_id) if 0 <= i < len(ordered) else None)
        series = QHorizontalBarSeries()
        series.append(current)
        if d.ranking.previous_from is not None:
            series.append(previous)
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append(names)
        small = axis_y.labelsFont()
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        axis_y.setLabelsFont(small)
        axis_x = QValueAxis()
        low = min([r.rate or 0 for r in rows] + [r.previous_rate or 1 for r in rows] or [0])
        axis_x.setRange(max(0, int(low * 100) - 5), 100)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        series.attachAxis(axis_x)
        unranked = [r.name for r in d.ranking.rows if not r.ranked]
        flagged = sum(1 for r in d.ranking.rows if r.incomplete_visit_ids)
        note = self.tr("%1 common items; %2 institution(s) have incomplete visits (left out, see the .xlsx).").replace(
            "%1", str(len(d.ranking.common_items))).replace("%2", str(flagged))
        if unranked:
            note += " " + self.tr("Not ranked (no complete visit): %1").replace("%1", "、".join(unranked))
        note += " " + self.tr("Basis: %1 %2 (half-yearly evaluation).").replace("%1", RANKING_BASIS.source).replace(
            "%2", RANKING_BASIS.clause)
        self.panels["ranking"].note.setText(note)

    # -- drill-downs ----------------------------------------------------------------

    def _scope(self):  # type: ignore[no-untyped-def]
        return make_scope(self.db, **self.scope_args())

    def _visit_rows(self, visit_ids: list[str]) -> list[tuple[str, list[str]]]:
        assert self.figures is not None
        wanted = set(visit_ids)
        return [
            (v.id, [v.visit_date.isoformat(), v.institution_name, v.inspector, _pct(v.rate), v.coverage.percent_text,
                    "" if v.complete else self.tr("incomplete")])
            for v in self.figures.visits if v.id in wanted
        ]

    def _show_visits(self, title: str, visit_ids: list[str]) -> DrillDialog:
        headers = [self.tr("Date"), self.tr("Institution"), self.tr("Inspector"), self.tr("Conformity"),
                   self.tr("Coverage"), ""]
        return self._open_drill(DrillDialog(title, headers, self._visit_rows(visit_ids), self))

    def _show_problems(self, title: str, **filters: Any) -> DrillDialog:
        from auditapp.language import current_language

        rows = problems_behind(self.db, self._scope(), today=self.today, language=current_language(), **filters)
        headers = [self.tr("Date"), self.tr("Institution"), self.tr("Problem"), self.tr("Department"), self.tr("Status")]
        cells = [
            (p.visit_id, [p.visit_date.isoformat(), p.institution, p.text, p.department,
                          label("rectification_status", p.status) + (self.tr(" (overdue)") if p.overdue else "")])
            for p in rows
        ]
        return self._open_drill(DrillDialog(title, headers, cells, self))

    def _open_drill(self, dialog: DrillDialog) -> DrillDialog:
        dialog.openVisit.connect(self.openVisit)
        self.drill = dialog
        dialog.show()
        return dialog

    def drill_month(self, month: str) -> DrillDialog | None:
        if self.figures is None:
            return None
        ids = next((list(m.visit_ids) for m in self.figures.months if m.month == month), [])
        return self._show_visits(self.tr("Visits in %1").replace("%1", month), ids)

    def drill_department(self, department: str, which: str) -> DrillDialog:
        return self._show_problems(
            self.tr("Problems of %1").replace("%1", department or self.tr("No department")),
            department=department, open_only=which in ("open", "overdue"), overdue_only=which == "overdue")

    def drill_institution(self, institution_id: str) -> DrillDialog | None:
        if self.figures is None:
            return None
        ids = [v.id for v in self.figures.visits if v.institution_id == institution_id]
        name = next((v.institution_name for v in self.figures.visits if v.institution_id == institution_id), "")
        return self._show_visits(self.tr("Visits of %1").replace("%1", name), ids)

    def _heat_clicked(self, index: QModelIndex) -> None:
        key = self.heat_model.cell_key(index)
        if key is not None:
            section, month = key
            title = self.heat_model.headerData(index.row(), Qt.Orientation.Vertical)
            self._show_problems(f"{title} · {month}", section=section, month=month)

    def _recurring_clicked(self, index: QModelIndex) -> None:
        if self.figures is not None and 0 <= index.row() < len(self.figures.recurring):
            x = self.figures.recurring[index.row()]
            self._show_visits(f"{x.institution_name} · {x.text}", list(x.visit_ids))

    def _frequent_clicked(self, index: QModelIndex) -> None:
        if self.figures is not None and 0 <= index.row() < len(self.figures.frequent):
            p = self.figures.frequent[index.row()]
            if p.item_id:
                self._show_problems(p.text, item_id=p.item_id)

    def export_all(self, path: str | None = None) -> Path | None:
        if self.figures is None:
            return None
        target = path or messages.choose_save_file(self, self.tr("Export numbers"), "dashboard.xlsx", "Excel (*.xlsx)",
                                                   key="dashboard")
        if not target:
            return None
        try:
            return write_workbook(self.figures, target)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Export numbers"), exc)
            return None
