"""Messages of the checklists area (see auditapp.messages)."""

from __future__ import annotations

from auditapp.messages import T, Text

MESSAGES: dict[str, Text] = {
    "checklist.invalid_files": T(
        "检查表文件有 {count} 处问题：\n{problems}",
        "{count} problem(s) in checklist files:\n{problems}",
        hint=("按上面列出的文件和行号逐条修改，然后运行 auditapp checklists validate 再检查。",
              "Fix each problem at the file and line shown, then run 'auditapp checklists validate' again."),
    ),
    "checklist.folder_missing": T(
        "找不到检查表文件夹：{folder}",
        "Checklist folder not found: {folder}",
        cli=("检查 AUDITAPP_CHECKLISTS_DIR 指向的文件夹是否存在，或删除该环境变量以使用随软件发布的检查表。",
             "Check that AUDITAPP_CHECKLISTS_DIR names an existing folder, or unset it to use the checklists shipped with the app."),
        gui=("请重新安装软件，或请管理员检查检查表文件夹的设置。",
             "Reinstall the app, or ask your administrator to check the checklist folder setting."),
    ),
    "checklist.not_found": T(
        "没有检查表“{ref}”",
        "No checklist {ref!r}",
        hint=("已有的检查表：{known}。", "Known checklists: {known}."),
        cli=("已有的检查表：{known}（auditapp checklists list 列出全部）。",
             "Known checklists: {known} ('auditapp checklists list' shows them all)."),
    ),
    "checklist.item_not_found": T(
        "检查表库中没有检查项“{ref}”",
        "No checklist item {ref!r} in the library",
        hint=("检查项编号可能写错了，或该项已被删除；旧体验中的检查项仍保存在该次体验中。",
              "The item id may be misspelt or the item removed; items of old visits stay in those visits."),
    ),
    "checklist.unknown_tag": T(
        "未知的适用标签“{tag}”",
        "Unknown applicability tag {tag!r}",
        hint=("可用的标签：tcm（中医类）、tertiary（▲三级医院和医联体牵头医院）、obstetrics（＃有产科）。",
              "Use tcm, tertiary (▲ tertiary hospitals and alliance leads) or obstetrics (＃ with obstetrics)."),
    ),
    "indicator.value_not_number": T(
        "指标“{indicator}”的数值“{value}”不是数字",
        "The value {value!r} of indicator {indicator} is not a number",
        hint=("请填写数字，例如 62.5；百分比不要带 % 号。", "Enter a number such as 62.5; give percentages without the % sign."),
    ),
    "indicator.bad_period": T(
        "无法识别的统计期“{period}”",
        "Unrecognised reporting period {period!r}",
        hint=("按月写作 2024-03，按季度写作 2024-Q1，按年写作 2024。",
              "Write a month as 2024-03, a quarter as 2024-Q1 and a year as 2024."),
    ),
}
