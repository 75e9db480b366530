"""The words the reports print around the data: titles, headings, column labels and
sentences, in Simplified Chinese and English.

Stored values (statuses, severities, modes, kinds, AED states …) are not here: they
come from :mod:`auditapp.terms`, the one vocabulary the GUI and the command line use
too. A report is written in one language, chosen when it starts
(:func:`auditapp.language.current_language` unless the caller names one).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from auditapp.language import current_language, normalise
from auditapp.terms import label

# key -> (Chinese, English); placeholders in str.format syntax.
WORDS: dict[str, tuple[str, str]] = {
    # page frame
    "page_of": ("第 {n} 页 共 {total} 页", "Page {n} of {total}"),
    "section_page_of": ("{section}　本科室第 {n} 页 共 {total} 页", "{section}: page {n} of {total}"),
    "generated_at": ("生成时间 {at}", "Generated {at}"),
    "report_no": ("编号 {number}", "No. {number}"),
    # titles
    "title.rectification": ("整改清单", "Rectification list"),
    "title.visit": ("体验检查报告", "Visit report"),
    "title.followup": ("整改跟踪报告", "Rectification follow-up report"),
    "title.summary": ("体验检查汇总报告", "Summary report"),
    "title.indicators": ("评估指标报告", "Indicator report"),
    # visit facts
    "fact.institution": ("医疗机构", "Institution"),
    "fact.report_number": ("报告编号", "Report no."),
    "fact.visit_date": ("体验日期", "Visit date"),
    "fact.mode": ("检查方式", "Mode"),
    "fact.inspector": ("检查人", "Inspector"),
    "fact.findings": ("问题数", "Problems"),
    "fact.status": ("状态", "Status"),
    "fact.coverage": ("已答项目", "Items answered"),
    "fact.rate": ("总符合率", "Conformity"),
    "fact.open_rect": ("未完成整改", "Open rectifications"),
    "fact.kind": ("机构类型", "Kind"),
    "date_range": ("{first} 至 {last}", "{first} to {last}"),
    "items_count": ("{count} 项", "{count}"),
    "open_only_suffix": ("（仅未完成）", " (open only)"),
    # coverage and completeness
    "coverage": ("{answered} / {applicable} 项（{percent}）", "{answered} of {applicable} ({percent})"),
    "coverage_short": ("已答 {answered} / {applicable}", "{answered} of {applicable} answered"),
    "incomplete_visit": (
        "本次体验尚未完成：适用的 {applicable} 个检查项中只答了 {answered} 个（{percent}，完整体验至少 {threshold}），"
        "未检查的项目可能存在问题。",
        "This visit is incomplete: only {answered} of the {applicable} applicable items were answered ({percent}; "
        "a complete visit answers at least {threshold}). Items not checked may still have problems.",
    ),
    "incomplete_scores": (
        "以下得分只反映已检查的部分。",
        "The scores below describe only the part checked.",
    ),
    "no_items": ("本次体验没有检查项。", "This visit has no checklist items."),
    "no_problems_complete": (
        "已检查 {answered} / {applicable} 项，未发现需整改的问题。",
        "{answered} of {applicable} items checked; no problems needing rectification were found.",
    ),
    "no_problems_incomplete": (
        "目前尚未记录需整改的问题，但本次体验只检查了 {answered} / {applicable} 项（{percent}），不能据此认为没有问题。",
        "No problems needing rectification have been recorded yet, but only {answered} of {applicable} items were "
        "checked ({percent}): this does not show that there are none.",
    ),
    "no_problems_listed": ("未列出需整改的问题。", "No problems are listed."),
    "no_open_problems": ("本次体验没有尚未完成整改的问题。", "This visit has no open rectifications."),
    "visit_in_progress": ("进行中", "in progress"),
    # rectification list
    "rect.intro": (
        "请各责任科室按期完成整改，在“落实情况”栏填写整改结果并签字，连同整改前后照片交回；"
        "逾期未完成的问题将在下次体验时重点复查。",
        "Each responsible department fixes its problems by the deadline, writes the result under "
        "“Action taken” and signs, and returns the page with before and after photos; "
        "problems still open after the deadline are re-checked first on the next visit.",
    ),
    "rect.open_only_scope": ("本清单仅列出尚未完成整改的问题。", "This list shows only problems not yet fixed. "),
    "rect.problems": ("问题清单", "Problems"),
    "rect.summary_section": ("汇总", "Summary"),
    "rect.by_department": ("按责任科室汇总", "By responsible department"),
    "rect.by_department_note": (
        "以下按责任科室分节，每节另起一页，可分别交各科室。",
        "One section per responsible department follows, each on new pages, to hand to each department.",
    ),
    "rect.department_subtitle": ("{institution}　·　责任科室：{department}（{count} 项）", "{institution} · {department} ({count})"),
    "rect.no": ("编号 {number}", "No. {number}"),
    "rect.carried": ("（上次检查遗留，复查）", "(open from the last visit, re-check)"),
    "rect.severity": ("严重程度", "Severity"),
    "rect.status": ("状态", "Status"),
    "rect.problem": ("问题描述", "Problem"),
    "rect.measured": ("实测与要求", "Measured / target"),
    "rect.observed": ("现场记录", "Seen on site"),
    "rect.observed_inline": ("现场记录：{note}", "Seen on site: {note}"),
    "rect.location": ("位置", "Location"),
    "rect.basis": ("检查依据", "Basis"),
    # binding (本地要求) or reference (参考) for the visited institution
    "binding.tag": ("［本地要求］", "[local requirement]"),
    "reference.tag": ("［参考］", "[reference]"),
    "fact.jurisdiction": ("适用文件", "Binding documents"),
    "jurisdiction.bound": (
        "{institution}（{region}）受以下文件约束：{documents}。本次体验本地要求 {binding} 项（不符合 {binding_nc} 项），"
        "参考项目（外地文件中的良好做法）{reference} 项（不符合 {reference_nc} 项）。",
        "{institution} ({region}) is bound by {documents}. This visit has {binding} local requirements "
        "({binding_nc} not conforming) and {reference} reference items (good practice from elsewhere; "
        "{reference_nc} not conforming).",
    ),
    "jurisdiction.binding_only": ("本次体验只检查本地要求。", "This visit checked local requirements only."),
    "jurisdiction.outside": (
        "{institution}所在地区（{region}）不在任何依据文件的适用范围内：全部 {reference} 项都是参考（外地文件中的良好做法），"
        "不是本地强制要求；不符合 {reference_nc} 项。",
        "{institution}'s region ({region}) lies outside every source document's: all {reference} items are reference "
        "(good practice written elsewhere), none a local requirement; {reference_nc} not conforming.",
    ),
    "jurisdiction.unbound": (
        "{institution}（{region}）所在地区有依据文件，但都不适用于本机构类别：全部 {reference} 项都是参考；不符合 {reference_nc} 项。",
        "Documents of {institution}'s region ({region}) exist but none addresses its kind: all {reference} items are "
        "reference; {reference_nc} not conforming.",
    ),
    "jurisdiction.no_region": ("未填写所在地区", "region not recorded"),
    # indicator report
    "ind.fact.set": ("指标集", "Indicator set"),
    "ind.fact.region": ("所在地区", "Region"),
    "ind.fact.periods": ("统计期", "Periods"),
    "ind.fact.documents": ("要求填报的文件", "Required by"),
    "ind.intro": (
        "评估指标是医院的统计数据，按期填报，不在体验检查中作答。只列出本机构所在地区文件要求填报的指标；"
        "只有原文给出指标值时才判定是否达标，并只采用本机构所在地区文件、适用于本机构级别的目标。",
        "Indicators are the hospital's statistics, reported per period and not answered during the walk. Only the "
        "indicators the documents of the institution's region require are listed; a value is judged only where a "
        "document of that region sets a target for the institution's level.",
    ),
    "ind.none": (
        "{institution}（{region}）所在地区的文件不要求填报本指标集中的指标。",
        "No document of {institution}'s region ({region}) requires the indicators of this set.",
    ),
    "ind.no_values": ("尚未填报任何统计期的数值。", "No period has been reported yet."),
    "ind.older": ("共 {total} 个统计期，此处列出最近 {shown} 个。", "{total} periods; the latest {shown} are shown."),
    "ind.values": ("各期数值", "Values by period"),
    "ind.col.indicator": ("指标 / 要求填报的条款", "Indicator / required by"),
    "ind.col.target": ("目标（本地文件）", "Target (local documents)"),
    "ind.col.source": ("数据来源 / 说明（最近一期）", "Data source / note (latest)"),
    "ind.col.old_item": ("原检查项", "Former item"),
    "ind.no_target": ("原文未给出指标值：只记录，不判定", "No target in the documents: recorded, not judged"),
    "ind.no_longer": ("本机构已不须填报（所在地区已更正）", "No longer required of this institution (region corrected)"),
    "ind.legend": (
        "绿色：达到当期有效的目标；红色：未达到；黑色：当期没有有效目标。括号内为旧版体验记录中对原“评估指标”检查项的作答（该期没有按期填报的数值时显示）。",
        "Green: meets the target in force for the period; red: does not; black: no target in force. Values in brackets "
        "are answers old visits gave to the former indicator checklist (shown where the period has no reported value).",
    ),
    "ind.legacy": ("旧版体验记录中的指标作答", "Indicator answers from earlier visits"),
    "ind.legacy_intro": (
        "评估指标移出体验检查之前，以下作答随体验记录保存；原样保留，按体验日期归入统计期。",
        "Before the indicators left the walk these answers were recorded with visits; they are kept as they were, "
        "placed in the period of the visit date.",
    ),
    "rect.photos": ("现场照片", "Photos"),
    "rect.no_photos": ("无", "none"),
    "rect.department": ("责任科室", "Department"),
    "rect.owner": ("责任人", "Owner"),
    "rect.deadline": ("整改期限", "Deadline"),
    "rect.rect_status": ("整改状态", "Rectification"),
    "rect.measures": ("整改措施", "Measures"),
    "rect.action_taken": ("落实情况", "Action taken"),
    "rect.action_hint": ("（由责任科室填写整改结果并签字）", "(the department writes what was done and signs)"),
    "rect.overdue": ("已逾期", "overdue"),
    "rect.overdue_paren": ("（已逾期）", " (overdue)"),
    "rect.free_basis": ("—（其他问题，无对应条款）", "— (other problem, no clause)"),
    "rect.photo_label": ("图 {number}-{index}", "Fig. {number}-{index}"),
    "rect.col.no": ("编号", "No."),
    "rect.col.location": ("位置", "Location"),
    "rect.col.problem": ("问题描述", "Problem"),
    "rect.col.basis": ("检查依据", "Basis"),
    "rect.col.photos": ("照片", "Photos"),
    "rect.col.severity": ("严重程度", "Severity"),
    "rect.col.department": ("责任科室\n责任人", "Department\nowner"),
    "rect.col.deadline": ("整改期限", "Deadline"),
    "rect.col.measures": ("整改措施", "Measures"),
    "rect.col.status": ("状态", "Status"),
    "sum.department": ("责任科室", "Department"),
    "sum.findings": ("问题数", "Problems"),
    "sum.open": ("未完成", "Open"),
    "sum.overdue": ("其中逾期", "Overdue"),
    "sum.done": ("已完成", "Done"),
    "sum.total": ("合计", "Total"),
    "no_department": ("未指定科室", "no department"),
    "measured": ("实测 {value}（要求 {target}）", "measured {value} (target {target})"),
    "measured_no_target": ("实测 {value}", "measured {value}"),
    "plan_place": ("{plan}", "{plan}"),
    "pin_place": ("图钉 {pin}", "pin {pin}"),
    # sign-off
    "sign.title": ("签　字　确　认", "Signatures"),
    "sign.role": ("{role}（签字）：", "{role} (signature):"),
    "sign.date": ("日期：", "Date:"),
    "sign.inspector": ("检查人", "Inspector"),
    "sign.department_head": ("科室负责人", "Head of department"),
    "sign.leader": ("分管院领导", "Hospital leader in charge"),
    "date.year": ("年", "Y"),
    "date.month": ("月", "M"),
    "date.day": ("日", "D"),
    # visit report
    "visit.scores": ("一、分项得分", "1. Scores by area"),
    "visit.timings": ("二、就诊环节计时", "2. Journey timings"),
    "visit.answers": ("三、全部检查项", "3. All checklist items"),
    "visit.plans": ("四、平面图与图钉（AED 地图）", "4. Floor plans and pins (AED map)"),
    "visit.col.area": ("检查区域", "Area"),
    "visit.col.conform": ("符合", "Met"),
    "visit.col.nonconform": ("不符合", "Not met"),
    "visit.col.na": ("不适用", "N/A"),
    "visit.col.answered": ("已答", "Answered"),
    "visit.col.rate": ("符合率", "Conformity"),
    "visit.col.weighted": ("问题加权分", "Weighted problems"),
    "visit.total": ("合计", "Total"),
    "visit.rate_note": (
        "符合率 = 符合 ÷（符合 + 不符合），不适用和未答的项目不计；已答 = 已作答项目 / 适用项目（不适用的不计）；"
        "问题加权分：一般 1、较重 3、严重 5。",
        "Conformity = conforming ÷ (conforming + not conforming); not applicable and unanswered items are left out. "
        "Answered = items answered / items that apply (not applicable ones left out). "
        "Weighted problems: minor 1, major 3, critical 5.",
    ),
    "visit.chart_title": ("各区域符合率", "Conformity by area"),
    "visit.chart_part": ("各区域符合率（续）", "Conformity by area (continued)"),
    "chart.not_rated": ("未评价", "not rated"),
    "visit.no_timings": ("本次体验未记录就诊环节计时。", "No journey steps were timed on this visit."),
    "visit.col.time": ("时间", "Time"),
    "visit.col.step": ("环节", "Step"),
    "visit.col.note": ("备注", "Note"),
    "visit.col.interval": ("区间 / 计时项", "Interval / timed item"),
    "visit.col.minutes": ("用时", "Time taken"),
    "visit.col.target": ("目标", "Target"),
    "visit.col.met": ("是否达标", "Met"),
    "visit.col.source": ("依据", "Basis"),
    "visit.minutes": ("{minutes} 分钟", "{minutes} min"),
    "visit.early": ("提前 {minutes} 分钟", "{minutes} min early"),
    "visit.met": ("达标", "met"),
    "visit.not_met": ("未达标", "not met"),
    "visit.early_note": (
        "“提前”表示后一环节早于前一环节（例如早于预约时间就诊）。",
        "“early” means the later step came before the earlier one (for example, seen before the booked time).",
    ),
    "visit.total_journey": ("全程（{first} → {last}）", "Whole visit ({first} → {last})"),
    "visit.timed_item": ("检查项", "checklist item"),
    "visit.col.seq": ("序号", "No."),
    "visit.col.item": ("检查项 / 依据", "Item / basis"),
    "visit.col.result": ("结果", "Result"),
    "visit.col.value": ("数值（目标）", "Value (target)"),
    "visit.col.department": ("责任科室", "Dept."),
    "visit.col.photos": ("照片", "Pics"),
    "visit.no_plans": ("本机构尚未录入平面图。", "No floor plans have been added for this institution."),
    "visit.plan_pins": ("图钉 {count} 个，其中 AED {aed} 处", "{count} pins, {aed} of them AEDs"),
    "visit.plan_no_pins": ("无图钉", "no pins"),
    "visit.plan_missing": ("（平面图图片不可用，仅示意图钉相对位置）", "(floor plan image not available; pins at their relative positions)"),
    "visit.col.pin_no": ("编号", "No."),
    "visit.col.pin_kind": ("类型", "Kind"),
    "visit.col.pin_label": ("说明", "Label"),
    "visit.col.pin_status": ("状态", "Status"),
    "visit.status_final": ("已完成", "finalized"),
    "visit.status_amended": ("已完成，定稿后修改：{reasons}", "finalized, amended afterwards: {reasons}"),
    "photo_unreadable": ("照片无法读取", "photo cannot be read"),
    # follow-up
    "fu.as_of": ("截至日期", "As of"),
    "fu.total": ("整改总数", "Rectifications"),
    "fu.overdue": ("已逾期", "Overdue"),
    "fu.open": ("整改中（未逾期）", "Open (not overdue)"),
    "fu.done": ("已完成", "Done"),
    "fu.order_note": (
        "排列顺序：已逾期的问题在前（按整改期限由早到晚），其次为整改中的问题，最后为已完成的问题。"
        "序号在本报告内连续编排；“原编号”是问题在其体验报告和整改清单中的编号（报告编号-问题编号）。",
        "Order: overdue problems first (earliest deadline first), then open ones, then those done. "
        "Row numbers run through this report; “Ref.” is the problem's number in its visit's report and "
        "rectification list (report number–problem number).",
    ),
    "fu.group.overdue": ("一、已逾期（{count} 项）", "1. Overdue ({count})"),
    "fu.group.open": ("二、整改中（未逾期）（{count} 项）", "2. Open, not overdue ({count})"),
    "fu.group.done": ("三、已完成（{count} 项）", "3. Done ({count})"),
    "fu.none": ("无。", "None."),
    "fu.row": ("序号 {row}", "Row {row}"),
    "fu.ref": ("原编号 {ref}", "Ref. {ref}"),
    "fu.visit": ("{date} 体验", "visit of {date}"),
    "fu.days_overdue": ("逾期 {days} 天", "{days} days overdue"),
    "fu.verified_at": ("验收时间", "Verified on"),
    "fu.before": ("整改前", "Before"),
    "fu.after": ("整改后", "After"),
    "fu.no_before": ("无整改前照片", "no photo before"),
    "fu.no_after": ("尚无整改后照片", "no photo after yet"),
    "fu.history": ("状态记录", "History"),
    "fu.col.time": ("时间", "Time"),
    "fu.col.change": ("状态变化", "Status change"),
    "fu.col.note": ("说明", "Note"),
    "fu.col.actor": ("操作人", "By"),
    "fu.no_history": ("无记录", "no entries"),
    # summary
    "sum.subtitle": ("{range}　·　{institutions} 家医疗机构　·　{visits} 次体验", "{range} · {institutions} institutions · {visits} visits"),
    "sum.all_time": ("全部时间", "all dates"),
    "sum.earliest": ("最早", "earliest"),
    "sum.today": ("今", "today"),
    "sum.none": ("没有符合条件的医疗机构。", "No institution matches."),
    "sum.compare": ("一、机构对比（按主题符合率）", "1. Institutions compared (conformity by theme)"),
    "sum.ranking": ("二、排名", "2. Ranking"),
    "sum.problems": ("三、最常见的问题", "3. Most frequent problems"),
    "sum.trend": ("四、月度趋势（总符合率）", "4. Monthly trend (conformity)"),
    "sum.col.item": ("项目", "Measure"),
    "sum.row.kind": ("机构类型", "Kind"),
    "sum.row.visits": ("体验次数", "Visits"),
    "sum.row.complete_visits": ("其中计入得分", "of them scored"),
    "sum.row.coverage_all": ("已答项目（全部体验）", "Items answered (all visits)"),
    "sum.row.coverage": ("计入得分的体验", "in the visits scored"),
    "sum.row.rate": ("总符合率", "Conformity"),
    "sum.row.findings": ("发现问题数", "Problems found"),
    "sum.row.open": ("未完成整改", "Open rectifications"),
    "sum.row.overdue": ("其中逾期", "of them overdue"),
    "sum.row.verified": ("已验收", "Verified"),
    "sum.col.rank": ("名次", "Rank"),
    "sum.col.institution": ("医疗机构", "Institution"),
    "sum.col.rate": ("总符合率", "Conformity"),
    "sum.col.coverage": ("已答项目", "Answered"),
    "sum.col.weighted": ("问题加权分", "Weighted problems"),
    "sum.col.open": ("未完成整改", "Open"),
    "sum.col.overdue": ("逾期", "Overdue"),
    "sum.ranking_note": (
        "按总符合率由高到低排列；符合率相同时问题加权分低者在前。得分和排名只计完整的体验"
        "（已答项目不少于适用项目的 {threshold}）。",
        "Highest conformity first; on a tie, fewer weighted problems first. Scores and the ranking count only "
        "complete visits (at least {threshold} of the applicable items answered).",
    ),
    "sum.unranked": ("未排名", "not ranked"),
    "sum.unranked_reason": ("无完整体验", "no complete visit"),
    "sum.incomplete_title": ("未计入得分和排名的体验（未完成）", "Visits left out of scores and ranking (incomplete)"),
    "sum.incomplete_note": (
        "以下体验已答项目不足适用项目的 {threshold}，其符合率只反映已检查的部分，未计入机构得分和排名；"
        "其中发现的问题仍计入问题数和最常见的问题。",
        "These visits answered fewer than {threshold} of the applicable items: their conformity describes only the "
        "part checked, so they are left out of scores and the ranking; their problems still count among problems "
        "found and the most frequent problems.",
    ),
    "sum.col.visit_date": ("体验日期", "Date"),
    "sum.col.report_no": ("报告编号", "Report no."),
    "sum.col.visit_rate": ("已答部分符合率", "Conformity of the part checked"),
    "sum.col.problem": ("问题", "Problem"),
    "sum.col.count": ("出现次数", "Times"),
    "sum.col.institutions": ("涉及机构", "Institutions"),
    "sum.col.basis": ("依据", "Basis"),
    "sum.no_problems": ("所选范围内没有发现问题。", "No problems in the chosen range."),
    "sum.no_visits": ("所选时间内没有体验记录", "no visits in the chosen dates"),
    "sum.trend_top": (
        "图中只画出排名前 {count} 家机构的折线，全部机构的数值见下表。",
        "The chart draws the top {count} institutions of the ranking; the table gives every institution.",
    ),
}


class Wording:
    """The words of one report in one language: ``w("rect.problem")``, ``w.term("severity", s)``."""

    def __init__(self, language: str | None = None) -> None:
        self.language = normalise(language) or current_language()

    @property
    def chinese(self) -> bool:
        return self.language == "zh_CN"

    def __call__(self, key: str, /, **params: object) -> str:
        zh, en = WORDS[key]
        template = zh if self.chinese else en
        return template.format(**params) if params else template

    def term(self, group: str, value: object) -> str:
        """A stored value in the report's language (:func:`auditapp.terms.label`)."""
        return label(group, value, self.language)

    @property
    def gap(self) -> str:
        """Space between facts on one line: an ideographic space in Chinese."""
        return "　　" if self.chinese else " · "

    def pair(self, label: str, value: str) -> str:
        """ "严重程度：较重" / "Severity: major" (``value`` may be markup; ``label`` is escaped by the caller)."""
        return f"{label}：{value}" if self.chinese else f"{label}: {value}"

    def join(self, parts: Sequence[str]) -> str:
        return ("、" if self.chinese else ", ").join(p for p in parts if p)

    def dates(self, days: Sequence[date]) -> str:
        if not days:
            return "—"
        ordered = sorted(set(days))
        if len(ordered) == 1:
            return ordered[0].isoformat()
        return self("date_range", first=ordered[0].isoformat(), last=ordered[-1].isoformat())

    def percent(self, rate: float | None, digits: int = 1) -> str:
        return "—" if rate is None else f"{rate * 100:.{digits}f}%"
