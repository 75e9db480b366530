"""Pin kinds and AED check states: plain constants, importable without the database layer
(the command line builds its argument choices from them at every start)."""

from __future__ import annotations

PIN_KINDS = ("aed", "finding", "facility")
PIN_KIND_LABELS = {"aed": "AED", "finding": "问题", "facility": "设施"}
# Status of an AED as checked on a visit (blank = not checked yet).
AED_STATUSES = ("", "ok", "faulty", "missing", "blocked")
AED_STATUS_LABELS = {"": "未检查", "ok": "正常", "faulty": "故障/耗材过期", "missing": "未找到", "blocked": "被遮挡/无法取用"}
