"""The domain's words in Chinese and English: one table for the CLI, the GUI, the reports and messages.

Stored values (``nonconform``, ``reported_fixed`` …) never reach a reader as they are;
everything that shows one asks :func:`label` for the word in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditapp.language import current_language, normalise

# group -> stored value -> (Chinese, English)
VOCABULARY: dict[str, dict[str, tuple[str, str]]] = {
    "institution_kind": {
        "general": ("综合医院", "general hospital"),
        "tcm": ("中医医院", "TCM hospital"),
        "integrated": ("中西医结合医院", "integrated Chinese-Western medicine hospital"),
        "specialist": ("专科医院", "specialist hospital"),
        "primary": ("基层医疗机构", "primary care institution"),
    },
    "level": {"1": ("一级", "level 1"), "2": ("二级", "level 2"), "3": ("三级", "level 3")},
    "visit_mode": {"self": ("院内自查", "self experience"), "bureau": ("上级督查", "bureau inspection")},
    "visit_status": {"in_progress": ("进行中", "in progress"), "finalized": ("已定稿", "finalized")},
    "result": {
        "conform": ("符合", "conforming"),
        "nonconform": ("不符合", "nonconforming"),
        "na": ("不适用", "not applicable"),
        "": ("未答", "unanswered"),
    },
    "severity": {"minor": ("一般", "minor"), "major": ("较重", "major"), "critical": ("严重", "critical")},
    "rectification_status": {
        "open": ("待整改", "open"),
        "in_progress": ("整改中", "in progress"),
        "reported_fixed": ("已报整改", "reported fixed"),
        "extension_requested": ("申请延期", "extension requested"),
        "verified": ("已验收", "verified"),
        "closed": ("已销号", "closed"),
        # written by versions before the full lifecycle; shown in old histories
        "reopened": ("重新整改", "reopened"),
    },
    "rectification_action": {
        "create": ("登记", "recorded"),
        "start": ("开始整改", "start"),
        "report": ("报整改完成", "report fixed"),
        "verify": ("验收通过", "verify"),
        "reject": ("驳回", "reject"),
        "request_extension": ("申请延期", "request extension"),
        "accept_extension": ("同意延期", "accept extension"),
        "refuse_extension": ("不同意延期", "refuse extension"),
        "close": ("销号", "close"),
        "reopen": ("重新整改", "reopen"),
        "reassign": ("变更责任科室", "change department"),
        # the department changed what it reports (owner, measures, completion) without a status change
        "update": ("更新整改情况", "details updated"),
        "none": ("无", "none"),
    },
    "journey_step": {
        "arrival": ("到达医院", "arrival"),
        "booked": ("预约就诊时间", "booked time"),
        "registration": ("挂号/签到", "registration / check-in"),
        "waiting": ("开始候诊", "waiting starts"),
        "consultation": ("医生接诊", "seen by the doctor"),
        "examination": ("检查检验", "examination"),
        "payment": ("缴费", "payment"),
        "pharmacy": ("取药", "pharmacy"),
        "leaving": ("离院", "leaving"),
    },
    # Whether an item binds the institution (its own authority's document requires it) or
    # is good practice written elsewhere (auditapp.checklists.binding).
    "binding": {"binding": ("本地要求", "local requirement"), "reference": ("参考", "reference")},
    "role": {"inspector": ("检查人员", "inspector"), "department": ("责任科室", "department")},
    "leader_role": {
        "president": ("院长", "president"),
        "party_secretary": ("党委书记", "party secretary"),
        "vice_president": ("副院长", "vice president"),
        "deputy_secretary": ("党委副书记", "deputy party secretary"),
        "discipline_secretary": ("纪委书记", "discipline inspection secretary"),
        "chief_accountant": ("总会计师", "chief accountant"),
        "other": ("其他班子成员", "other leadership member"),
    },
    "duty_state": {
        "done": ("已体验", "done"),
        "missing": ("未体验", "missing"),
        "due": ("本月待体验", "due this month"),
        "inactive": ("不在任", "not in office"),
        "future": ("计划中", "planned"),
    },
    "pin_kind": {"aed": ("AED", "AED"), "finding": ("问题", "problem"), "facility": ("设施", "facility")},
    "aed_status": {
        "": ("未检查", "not checked"),
        "ok": ("正常", "working"),
        "faulty": ("故障/耗材过期", "faulty / supplies expired"),
        "missing": ("未找到", "missing"),
        "blocked": ("被遮挡/无法取用", "blocked / not reachable"),
    },
    "finding_source": {
        "checklist": ("检查项", "checklist item"),
        "free": ("其他问题", "other problem"),
        "carried": ("复查", "re-check"),
        "journey": ("就诊计时", "journey timing"),
        "aed": ("AED 检查", "AED check"),
    },
    "conflict_kind": {
        "edit": ("两边都改过", "edited on both sides"),
        "delete": ("一边删除、一边修改", "deleted on one side, edited on the other"),
        "finalized": ("定稿后又被修改", "edited after the visit was finalized"),
        "immutable": ("对方改了创建后不能更改的内容（已拒绝）", "the other side changed what never changes (refused)"),
    },
    "record": {
        "institution": ("医疗机构", "institution"),
        "department": ("科室", "department"),
        "visit": ("体验记录", "visit"),
        "finding": ("问题", "problem"),
        "rectification": ("整改", "rectification"),
        "photo": ("照片", "photo"),
        "floor_plan": ("平面图", "floor plan"),
        "pin": ("图钉", "pin"),
        "journey_step": ("就诊环节", "journey step"),
        "answer": ("作答", "answer"),
        "item": ("检查项", "item"),
        "checklist": ("检查表", "checklist"),
        "leader": ("院领导", "leader"),
        "conflict": ("同步冲突", "sync conflict"),
        "visit_plan": ("体验安排", "visit plan"),
        "checklist_snapshot": ("检查表快照", "checklist snapshot"),
        "visit_checklist": ("体验记录所用检查表", "checklist of a visit"),
        "rectification_event": ("整改状态记录", "rectification status change"),
        "visit_amendment": ("体验记录修改", "amendment of a visit"),
        "indicator_value": ("指标数值", "indicator value"),
        "indicator_snapshot": ("指标集快照", "indicator set snapshot"),
        "indicator": ("评估指标", "indicator"),
    },
    "yes_no": {"yes": ("是", "yes"), "no": ("否", "no")},
    "period_kind": {"month": ("月", "month"), "quarter": ("季度", "quarter"), "year": ("年", "year")},
}


# The record word of each synced table (sync counts, conflicts and record-rule messages
# name tables in the reader's language through the "record" vocabulary).
TABLE_RECORDS = {
    "institutions": "institution",
    "departments": "department",
    "floor_plans": "floor_plan",
    "checklist_snapshots": "checklist_snapshot",
    "visits": "visit",
    "visit_checklists": "visit_checklist",
    "answers": "answer",
    "findings": "finding",
    "rectifications": "rectification",
    "rectification_events": "rectification_event",
    "photos": "photo",
    "visit_amendments": "visit_amendment",
    "journey_steps": "journey_step",
    "map_pins": "pin",
    "leaders": "leader",
    "visit_plans": "visit_plan",
    "indicator_snapshots": "indicator_snapshot",
    "indicator_values": "indicator_value",
}


def table_label(table: str, language: str | None = None) -> str:
    """A table's records in words ("visits" -> 体验记录 / visit); the table name if unknown."""
    return label("record", TABLE_RECORDS.get(table, table), language)


def label(group: str, value: object, language: str | None = None) -> str:
    """The word for a stored value; the value itself when the vocabulary lacks it."""
    lang = normalise(language) or current_language()
    key = "" if value is None else str(value)
    pair = VOCABULARY.get(group, {}).get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh_CN" else pair[1]


def labels(group: str, language: str | None = None) -> dict[str, str]:
    """Every value of ``group`` with its word, in vocabulary order (for choosers and help)."""
    return {value: label(group, value, language) for value in VOCABULARY.get(group, {})}


@dataclass(frozen=True)
class Term:
    """A domain word as an error parameter: rendered in the language of the message."""

    group: str
    value: object

    def render(self, language: str) -> str:
        return label(self.group, self.value, language)


@dataclass(frozen=True)
class Words:
    """Free text given in both languages (a field name, a short phrase) as a message parameter."""

    zh: str
    en: str

    def render(self, language: str) -> str:
        return self.zh if language == "zh_CN" else self.en
