"""Messages of the reports area (see auditapp.messages)."""

from __future__ import annotations

from auditapp.messages import T, Text

MESSAGES: dict[str, Text] = {
    "report.cancelled": T(
        "已取消生成报告，未写入文件。",
        "The report was cancelled; no file was written.",
    ),
    "report.layout_failed": T(
        "无法排版{report}（{subject}）：有内容放不进页面。",
        "The {report} of {subject} could not be laid out: some content does not fit on a page.",
        hint=(
            "这是本程序的问题，详细记录已写入日志文件。可先缩短特别长的备注、照片说明或名称后重试，并将日志发给维护人员。",
            "This is a fault of the program; the details are in the log file. Shortening a very long note, photo "
            "caption or name may help meanwhile; please send the log to whoever maintains the app.",
        ),
    ),
    "report.output_unwritable": T(
        "无法写入报告文件 {path}：{reason}。",
        "Cannot write the report file {path}: {reason}.",
        hint=("请选择一个可以写入的文件夹，或关闭正在打开该文件的程序。", "Choose a folder you can write to, or close the program that has the file open."),
        cli=("请用 -o 指定一个可以写入的位置。", "Give -o a location you can write to."),
        gui=("请在“保存位置”中选择一个可以写入的文件夹。", "Choose a folder you can write to as the save location."),
    ),
    "report.photo_service_missing": T(
        "照片服务不可用，报告中无法放入照片（{reason}）。",
        "The photo service is not available, so photos cannot be placed in the report ({reason}).",
        hint=("请重新安装本程序。", "Reinstall the app."),
    ),
    "report.date_range_reversed": T(
        "起始日期 {date_from} 晚于截止日期 {date_to}。",
        "The start date {date_from} is after the end date {date_to}.",
        cli=("请让 --from 不晚于 --to。", "Give a --from that is not after --to."),
        gui=("请把起始日期改为不晚于截止日期。", "Set the start date on or before the end date."),
    ),
}
