"""Messages of the dashboard area: the leadership roster, the monthly duty and plan, statistics."""

from __future__ import annotations

from auditapp.messages import T, Text

MESSAGES: dict[str, Text] = {
    "leader.not_found": T(
        "找不到院领导“{ref}”",
        "no leader '{ref}'",
        cli=("用 auditapp leader list --institution X 查看机构的领导班子。",
             "List the roster with 'auditapp leader list --institution X'."),
        gui=("请在“领导班子”中选择，或先添加该领导。", "Choose one in the roster, or add the leader first."),
    ),
    "leader.name_missing": T(
        "院领导需要姓名",
        "a leader needs a name",
        cli=("用 --name 给出姓名。", "Give the name with --name."),
        gui=("请填写“姓名”。", "Fill in the Name field."),
    ),
    "leader.name_taken": T(
        "{institution}的领导班子中已有“{name}”",
        "the roster of {institution} already has '{name}'",
        hint=("同名时请加以区分（例如“张伟（副院长）”），或修改已有记录。",
              "Tell namesakes apart (e.g. '张伟 (vice president)'), or edit the existing entry."),
    ),
    "leader.dates_reversed": T(
        "任职结束日期 {active_to} 早于开始日期 {active_from}",
        "the end of office {active_to} is before its start {active_from}",
        cli=("检查 --active-from 和 --active-to。", "Check --active-from and --active-to."),
        gui=("请检查“任职起止”两个日期。", "Check the two dates under In office."),
    ),
    "leader.other_institution": T(
        "院领导“{leader}”不在该机构的领导班子中",
        "leader '{leader}' is not on this institution's roster",
        hint=("体验人只能从本机构的领导班子中选择；上级督查人员请直接填写姓名。",
              "A visit's leader comes from the institution's own roster; type a bureau inspector's name instead."),
    ),
    "duty.bad_month": T(
        "月份“{value}”无效",
        "'{value}' is not a month",
        hint=("请写成 YYYY-MM，例如 2026-03。", "Write it as YYYY-MM, e.g. 2026-03."),
    ),
    "duty.bad_months": T(
        "月数 {value} 无效",
        "{value} is not a usable number of months",
        hint=("请给出 1 到 36 之间的月数。", "Give between 1 and 36 months."),
    ),
    "duty.unknown_area": T(
        "体验区域 {areas} 不是已知的检查表",
        "the area(s) {areas} are not known checklists",
        hint=("可选区域（检查表编号）：{allowed}；其他路线请写在备注中。",
              "Areas are checklist ids: {allowed}; describe any other route in the note."),
    ),
    "duty.plan_empty": T(
        "体验安排需要至少一个区域或一段路线说明",
        "a plan entry needs at least one area or a route in words",
        cli=("用 --area 指定区域（可重复），或用 --note 写明路线。", "Name areas with --area (repeatable) or the route with --note."),
        gui=("请勾选区域，或在“路线说明”中填写。", "Tick an area or describe the route."),
    ),
    "duty.plan_not_found": T(
        "{leader} 在 {month} 没有体验安排",
        "{leader} has no plan for {month}",
        hint=("请用 auditapp duty-plan list 查看已有的体验安排。", "See auditapp duty-plan list for the plans there are."),
    ),
    "stats.bad_range": T(
        "统计期间的开始日期 {date_from} 晚于结束日期 {date_to}",
        "the period starts ({date_from}) after it ends ({date_to})",
        cli=("检查 --from 和 --to。", "Check --from and --to."),
        gui=("请检查“起止日期”。", "Check the From and To dates."),
    ),
    "stats.export_failed": T(
        "无法写入文件 {path}：{detail}",
        "the file {path} cannot be written: {detail}",
        hint=("请选择可写入的文件夹，并关闭已在其他程序中打开的同名文件。",
              "Choose a folder you can write to and close the file if another program has it open."),
    ),
}
