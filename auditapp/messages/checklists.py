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
        "The value {value!r} of indicator “{indicator}” is not a number",
        hint=("请填写数字，例如 62.5；百分比不要带 % 号。", "Enter a number such as 62.5; give percentages without the % sign."),
    ),
    "indicator.not_found": T(
        "没有评估指标“{ref}”",
        "No indicator {ref!r}",
        cli=("auditapp indicator list --institution 机构 --period 统计期 列出本机构须填报的指标及其编号。",
             "'auditapp indicator list --institution X --period P' lists the indicators the institution reports, with their ids."),
        gui=("请在列表中选择指标。", "Choose an indicator from the list."),
    ),
    "indicator.set_not_found": T(
        "没有统计指标集“{ref}”",
        "No indicator set {ref!r}",
        hint=("已有的指标集：{known}。", "Known indicator sets: {known}."),
    ),
    "indicator.not_applicable": T(
        "{institution}（所在地区：{region}）不填报指标“{indicator}”：要求填报它的文件不约束本机构",
        "{institution} (region: {region}) does not report “{indicator}”: no document binding the institution requires it",
        hint=("每个城市附件中的指标只由该地区的机构填报（▲指标只由三级医院和医联体牵头医院填报，＃指标只由有产科的机构填报）。地区填错时请先更正机构的所在地区。",
              "A city annex's indicators are reported only by institutions of that city (▲ ones by tertiary hospitals and "
              "alliance leads, ＃ ones by institutions with obstetrics). If the region is wrong, correct it first."),
        cli=("auditapp indicator list --institution 机构 --period 统计期 列出本机构须填报的指标；地区填错时用 auditapp institution edit 更正。",
             "'auditapp indicator list --institution X --period P' lists what it reports; correct a wrong region with 'auditapp institution edit'."),
    ),
    "indicator.period_kind": T(
        "“{set}”按{kind}填报，统计期“{period}”不是{kind}",
        "“{set}” is reported per {kind}; {period} is not a {kind}",
        hint=("例如 {example}。", "For example {example}."),
    ),
    "indicator.period_kind_any": T(
        "没有按“{period}”这种统计期填报的指标集",
        "No indicator set is reported per period like {period}",
        hint=("指标集按以下统计期填报：{kinds}。季度写作 2024-Q1，月写作 2024-03。",
              "The sets are reported per {kinds}. Write a quarter as 2024-Q1, a month as 2024-03."),
    ),
    "indicator.period_future": T(
        "统计期 {period} 尚未开始，不能填报",
        "The period {period} has not begun yet and cannot be reported",
        hint=("请填报已经开始或已经结束的统计期。", "Report a period that has begun or ended."),
    ),
    "indicator.periods_reversed": T(
        "起始统计期 {first} 晚于结束统计期 {last}",
        "The first period {first} is after the last period {last}",
        hint=("请交换两个统计期。", "Swap the two periods."),
    ),
    "indicator.value_missing": T(
        "指标“{indicator}”没有填写数值",
        "No value given for indicator “{indicator}”",
        cli=("用 --value 给出数值；要撤回已填的数值，用 auditapp indicator clear。",
             "Give --value; to withdraw a value already reported use 'auditapp indicator clear'."),
        gui=("请填写数值；要撤回已填的数值，清空后保存即可。", "Enter a value; to withdraw one, empty the cell and save."),
    ),
    "indicator.value_negative": T(
        "指标“{indicator}”的数值“{value}”不能为负数",
        "The value {value!r} of indicator “{indicator}” cannot be negative",
        hint=("请核对统计数据后重新填写。", "Check the statistics and enter the value again."),
    ),
    "indicator.value_not_yes_no": T(
        "指标“{indicator}”应填“是”或“否”，而不是“{value}”",
        "Indicator “{indicator}” takes yes or no, not {value!r}",
        cli=("用 --value 是 或 --value 否（也可写 yes / no）。", "Give --value yes or --value no (是 / 否 work too)."),
    ),
    "indicator.value_not_option": T(
        "指标“{indicator}”没有选项“{value}”",
        "Indicator “{indicator}” has no option {value!r}",
        hint=("可选：{options}。", "Options: {options}."),
    ),
    "indicator.bad_period": T(
        "无法识别的统计期“{period}”",
        "Unrecognised reporting period {period!r}",
        hint=("按月写作 2024-03，按季度写作 2024-Q1，按年写作 2024。",
              "Write a month as 2024-03, a quarter as 2024-Q1 and a year as 2024."),
    ),
    # -- answer values, judged by the item's response (checklists.schema.Response) --
    "answer.value_for_yesno": T(
        "检查项 {item} 只需回答符合、不符合或不适用，不接受测量值 {value}",
        "item {item} is answered conforming, nonconforming or not applicable; it takes no value such as {value}",
        cli=("去掉 --value，用 --result conform|nonconform|na 作答。", "Leave out --value and answer with --result conform|nonconform|na."),
    ),
    "answer.value_not_number": T(
        "检查项 {item} 需要一个数字，{value} 不是数字",
        "item {item} needs a number; {value} is not one",
        hint=("请只填数字，例如 25 或 2.5。", "Give just the number, e.g. 25 or 2.5."),
    ),
    "answer.value_not_finite": T(
        "检查项 {item} 需要一个有限的数字，不能是 {value}",
        "item {item} needs a finite number, not {value}",
        hint=("请填写实际测得的数字。", "Give the number actually measured."),
    ),
    "answer.value_negative": T(
        "检查项 {item} 的时长不能是负数（{value}）",
        "the duration of item {item} cannot be negative ({value})",
        hint=("请填写经过的分钟数（0 或更大）。", "Give the minutes that passed (0 or more)."),
    ),
    "answer.value_too_large": T(
        "检查项 {item} 的数值 {value} 大得不合理（最多 {limit}）",
        "the value {value} of item {item} is implausibly large (at most {limit})",
        hint=("请检查是否多输了数字。", "Check for extra digits."),
    ),
    "answer.value_unknown_option": T(
        "{value} 不是检查项 {item} 的选项（可选：{options}）",
        "{value} is not an option of item {item} (options: {options})",
        hint=("请从列出的选项中选择一个。", "Choose one of the options listed."),
    ),
    "answer.value_too_long": T(
        "检查项 {item} 的填写内容超过 {limit} 个字符",
        "the value given for item {item} is longer than {limit} characters",
        hint=("较长的说明请写在备注里。", "Put longer remarks in the note."),
    ),
}
