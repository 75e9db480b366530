"""Messages of the ledger area: the department workbook, the notice, the deadline calendar
(see auditapp.messages). A bad workbook's message names the sheet, row and column
(``{where}``) so the office can find the cell and send it back to the department."""

from __future__ import annotations

from auditapp.messages import T, Text

_RE_EXPORT = (
    "请从本程序重新导出该科室的台账发给科室填写，不要复制其他表格的行。",
    "Export the department's workbook from this app again and have it filled in; do not copy rows from other files.",
)

MESSAGES: dict[str, Text] = {
    # scope and output
    "ledger.scope_missing": T(
        "请指定体验记录或医疗机构",
        "name a visit or an institution",
        cli=("使用 --visit V 或 --institution X。", "Use --visit V or --institution X."),
    ),
    "ledger.department_not_found": T(
        "医疗机构“{institution}”没有科室“{department}”",
        "institution '{institution}' has no department '{department}'",
        cli=("auditapp department list --institution X 列出全部科室。", "'auditapp department list --institution X' lists them."),
        gui=("请从列表中选择科室。", "Choose a department from the list."),
    ),
    "ledger.department_missing": T(
        "科室台账需要科室名称",
        "a department workbook needs a department",
        cli=("在 --for-department 后写科室名称。", "Give the department after --for-department."),
        gui=("请选择科室。", "Choose the department."),
    ),
    "ledger.within_negative": T(
        "天数不能为负数：{within}",
        "the number of days cannot be negative: {within}",
        cli=("--within 请给 0 或更大的天数。", "Give --within 0 or more days."),
    ),
    "ledger.output_is_folder": T(
        "{path} 是文件夹，不能作为输出文件",
        "{path} is a folder, not a file name",
        hint=("请给出文件名。", "Give a file name."),
    ),
    "ledger.output_folder_missing": T(
        "输出文件夹 {folder} 不存在",
        "the folder {folder} does not exist",
        hint=("请先建立该文件夹，或换一个位置保存。", "Create it first or save somewhere else."),
    ),
    "ledger.output_suffix": T(
        "输出文件 {path} 的扩展名应为 {suffix}",
        "the output file {path} should end in {suffix}",
        hint=("WPS/Excel 靠扩展名识别文件类型。", "WPS and Excel recognise the file by its extension."),
    ),
    # opening a returned workbook
    "ledger.file_missing": T(
        "找不到文件 {path}",
        "there is no file {path}",
        hint=("请检查文件名和位置。", "Check the name and folder."),
    ),
    "ledger.file_is_folder": T("{path} 是文件夹，不是工作簿", "{path} is a folder, not a workbook",
        hint=("请选择文件夹中的 .xlsx 台账文件。", "Choose the .xlsx ledger file inside the folder."),
    ),
    "ledger.not_a_file": T(
        "{path} 不是普通文件（设备、管道或套接字），不能作为工作簿读取",
        "{path} is not a regular file (a device, pipe or socket) and cannot be read as a workbook",
        hint=("请选择科室返回的 .xlsx 文件。", "Choose the .xlsx file the department returned."),
    ),
    "ledger.not_a_workbook": T(
        "{path} 不是 Excel 工作簿（.xlsx）",
        "{path} is not an Excel workbook (.xlsx)",
        hint=("请导入科室填写后返回的 .xlsx 文件；WPS 中请“另存为 Excel 工作簿(*.xlsx)”。",
              "Import the .xlsx file the department returned; in WPS use Save as 'Excel workbook (*.xlsx)'."),
    ),
    "ledger.old_or_encrypted": T(
        "{path} 是旧版 .xls 文件或设置了打开密码，无法读取",
        "{path} is an old .xls file or is protected by a password to open it",
        hint=("请在 WPS/Excel 中取消打开密码，并另存为 .xlsx 后再导入。",
              "Remove the password to open in WPS or Excel and save it as .xlsx, then import it."),
    ),
    "ledger.damaged": T(
        "{path} 已损坏或不完整（可能未传完）",
        "{path} is damaged or incomplete (perhaps not fully copied)",
        hint=("请让科室重新发送文件。", "Ask the department to send the file again."),
    ),
    "ledger.not_ours": T(
        "{path} 不是本程序导出的科室整改台账",
        "{path} is not a department ledger exported by this app",
        hint=_RE_EXPORT,
    ),
    "ledger.format_too_new": T(
        "{path} 由更新版本的程序导出（格式 {version}）",
        "{path} was exported by a newer version of the app (format {version})",
        hint=("请安装新版本后再导入。", "Install the newer version to import it."),
    ),
    "ledger.meta_damaged": T(
        "{path} 的隐藏校验表已被改动，无法确认各行导出时的内容",
        "the hidden check sheet of {path} was changed; what each row held at export cannot be confirmed",
        hint=_RE_EXPORT,
    ),
    "ledger.not_department_workbook": T(
        "{path} 是完整整改台账，不是发给科室填写的台账",
        "{path} is the full ledger, not a workbook for a department to fill in",
        cli=("用 auditapp ledger export --for-department D 导出科室台账，科室填写后再导入。",
             "Export one with 'auditapp ledger export --for-department D'; import it once the department filled it in."),
        gui=("请在问题清单中用“导出科室台账”生成，科室填写后再导入。",
             "Make one with 'Export department workbook' on the problems page; import it once the department filled it in."),
    ),
    "ledger.sheet_missing": T(
        "{path} 中没有工作表“{sheet}”（可能被改名或删除）",
        "{path} has no sheet '{sheet}' (renamed or deleted?)",
        hint=("请把工作表名称改回“{sheet}”。", "Rename the sheet back to '{sheet}'."),
    ),
    "ledger.header_changed": T(
        "{where}：表头应为“{expected}”，现为“{found}”（列被移动、插入或删除）",
        "{where}: the header should be '{expected}' but is '{found}' (a column was moved, inserted or deleted)",
        hint=("请恢复原来的列；不要插入、删除或移动列。", "Put the columns back as exported; do not insert, delete or move columns."),
    ),
    "ledger.problems": T(
        "工作簿中有 {count} 处问题，未导入任何内容：",
        "the workbook has {count} problems; nothing was imported:",
        hint=("请按下面各行改正工作簿，保存后再导入。", "Correct the workbook as each line below says, save it and import it again."),
    ),
    # rows
    "ledger.row_without_key": T(
        "{where}：这一行没有行标识（可能是手工插入的行）",
        "{where}: the row has no row key (a row inserted by hand?)",
        hint=("新问题请在程序中登记；请删除该行。", "Record new problems in the app; delete this row."),
    ),
    "ledger.row_not_exported": T(
        "{where}：这一行不是随本工作簿导出的（可能从其他台账复制而来）",
        "{where}: this row was not exported with this workbook (copied from another ledger?)",
        hint=_RE_EXPORT,
    ),
    "ledger.row_duplicate": T(
        "{where}：与第 {first} 行是同一问题（行被复制）",
        "{where}: the same problem as row {first} (the row was copied)",
        hint=("请删除重复的行。", "Delete the copy."),
    ),
    "ledger.row_key_changed": T(
        "{where}：行标识被改动",
        "{where}: the row key was changed",
        hint=_RE_EXPORT,
    ),
    "ledger.row_unknown": T(
        "{where}：该问题不在本数据库中（已删除，或台账来自另一个数据库）",
        "{where}: this problem is not in this database (deleted, or the ledger comes from another database)",
        hint=("请在导出该台账的电脑上导入，或先同步数据。", "Import it on the computer that exported it, or sync first."),
    ),
    "ledger.row_other_institution": T(
        "{where}：该问题不属于“{institution}”",
        "{where}: this problem does not belong to '{institution}'",
        hint=_RE_EXPORT,
    ),
    "ledger.protected_changed": T(
        "{where}：此单元格不应由科室修改；导出时为“{exported}”，现为“{found}”",
        "{where}: this cell is not for the department to change; it was '{exported}' and is now '{found}'",
        hint=("请改回原值，只填写黄色单元格。", "Put the value back; fill in only the yellow cells."),
    ),
    "ledger.bad_date": T(
        "{where}：“{value}”不是日期",
        "{where}: '{value}' is not a date",
        hint=("请填写日期，如 2026-12-20。", "Enter a date such as 2026-12-20."),
    ),
    "ledger.date_out_of_range": T(
        "{where}：日期 {value} 超出可接受的范围（{min} 至 {max}）",
        "{where}: the date {value} is outside the accepted range ({min} to {max})",
        hint=("请检查年份是否输错，填写 {min} 至 {max} 之间的日期。",
              "Check the year for a typo and enter a date from {min} to {max}."),
    ),
    "ledger.status_unknown": T(
        "{where}：整改状态“{value}”无法识别",
        "{where}: the status '{value}' is not known",
        hint=("请从下拉列表选择：{allowed}。", "Choose from the list: {allowed}."),
    ),
    "ledger.status_not_allowed": T(
        "{where}：科室不能将整改状态设为“{status}”",
        "{where}: a department cannot set the status to '{status}'",
        hint=("科室可选：{allowed}；验收和销号由检查人员在程序中完成。",
              "A department may choose: {allowed}; verifying and closing are done by the inspector in the app."),
    ),
    "ledger.transition_not_allowed": T(
        "{where}：不能从“{status_from}”改为“{status_to}”",
        "{where}: the status cannot go from '{status_from}' to '{status_to}'",
        hint=("此时科室可改为：{allowed}。", "From here a department may choose: {allowed}."),
    ),
    "ledger.row_done": T(
        "{where}：该问题的整改状态已是“{status}”，科室不能再修改",
        "{where}: this problem is already '{status}'; the department can no longer change it",
        hint=("请恢复该行原来的内容。", "Put the row back as it was."),
    ),
    "ledger.needs_measures": T(
        "{where}：设为“{status}”需要填写整改措施",
        "{where}: '{status}' needs the measures taken",
        hint=("请填写整改措施。", "Fill in the measures."),
    ),
    "ledger.needs_new_deadline": T(
        "{where}：申请延期需要填写申请延期至的日期",
        "{where}: an extension request needs the new date",
        hint=("请填写申请延期至，如 2026-12-31。", "Fill in the new date, e.g. 2026-12-31."),
    ),
    "ledger.needs_reason": T(
        "{where}：申请延期需要填写延期理由",
        "{where}: an extension request needs a reason",
        hint=("请填写延期理由。", "Fill in the reason."),
    ),
    "ledger.needs_evidence": T(
        "{where}：设为“{status}”需要整改后照片或验收意见",
        "{where}: '{status}' needs an after-photo or a verification note",
        hint=("请附上整改后照片，或在备注中写明复查情况。", "Attach an after-photo, or write what the check found in the note."),
    ),
    "ledger.extension_not_later": T(
        "{where}：申请延期至 {requested} 不晚于当前期限 {deadline}",
        "{where}: the extension to {requested} is not later than the deadline {deadline}",
        hint=("请填写晚于当前期限且不早于今天的日期。", "Give a date after the current deadline and not before today."),
    ),
    "ledger.extension_with_other_status": T(
        "{where}：填写了申请延期至，但整改状态为“{status}”",
        "{where}: a new date is asked for but the status is '{status}'",
        hint=("申请延期请把整改状态设为“申请延期”；否则请清空申请延期至。",
              "To ask for more time set the status to 'extension requested'; otherwise clear the new date."),
    ),
    "ledger.conflicts": T(
        "有 {count} 行在导出后已在程序中修改（第 {rows} 行），未导入任何内容",
        "{count} rows were changed in the app after the export (rows {rows}); nothing was imported",
        cli=("用 --dry-run 查看双方的值；确认后用 --skip-conflicts 导入其余各行（冲突行保持程序中的值）。",
             "See both values with --dry-run; then --skip-conflicts imports the other rows (conflicting rows keep the app's values)."),
        gui=("冲突行已在预览中列出双方的值；可选择只导入其余各行。",
             "The preview lists both values of each conflicting row; you may import the other rows only."),
    ),
    # notice
    "notice.no_problems": T(
        "体验记录 {visit} 中{department}没有需要整改的问题",
        "visit {visit} has no problems to rectify{department}",
        hint=("通知书只列出未完成整改的问题。", "The notice lists the problems not yet fixed."),
    ),
    # calendar
    "calendar.no_deadlines": T(
        "没有设定整改期限的未完成问题",
        "no open problem has a deadline",
        hint=("请先在问题清单中为整改设定期限。", "Set deadlines for the rectifications first."),
    ),
}
