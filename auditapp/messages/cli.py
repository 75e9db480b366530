"""Messages of the cli area (see auditapp.messages): arguments, files named on the command line, the runner."""

from __future__ import annotations

from auditapp.messages import T, Text

_OUTPUT_FIX = ("请用 -o 指定一个可写文件夹中的普通文件名，例如 -o ~/报告/整改清单.pdf。",
               "Give -o a plain file name in a folder you can write to, e.g. -o ~/reports/list.pdf.")
_OUTPUT_FIX_GUI = ("请点击“浏览…”，选择一个可写文件夹中的普通文件名。",
                   "Click Browse… and choose a plain file name in a folder you can write to.")

MESSAGES: dict[str, Text] = {
    # --- the arguments themselves: refused while parsing, exit 1, nothing opened ---
    "cli.argument_not_utf8": T(
        "第 {position} 个命令行参数（{value}）不是有效的 UTF-8 文本",
        "command-line argument {position} ({value}) is not valid UTF-8 text",
        hint=("请重新输入该参数，并确认终端使用 UTF-8 编码（例如 LANG=zh_CN.UTF-8）。",
              "Type the argument again and make sure the terminal uses UTF-8 (e.g. LANG=en_US.UTF-8)."),
    ),
    # Bad values ({option} is added by auditapp.cli.registry.Arg.add_to).
    "cli.date_invalid": T(
        "参数 {option}：{value!r} 不是有效日期，请按 年-月-日 书写",
        "argument {option}: {value!r} is not a valid date; write YYYY-MM-DD",
        hint=("请按 年-月-日 书写，例如 {option} 2026-03-15。", "Write it as YYYY-MM-DD, e.g. {option} 2026-03-15."),
    ),
    "cli.date_impossible": T(
        "参数 {option}：日历上没有 {value!r} 这一天（月份为 1–12，日期不超过当月天数）",
        "argument {option}: there is no such day as {value!r} (months run 1–12, days up to the month's length)",
        hint=("请检查月份和日期，例如 {option} 2026-02-28。", "Check the month and the day, e.g. {option} 2026-02-28."),
    ),
    "cli.date_out_of_range": T(
        "参数 {option}：日期 {value!r} 超出可接受的范围（{min} 至 {max}）",
        "argument {option}: the date {value!r} is outside the accepted range ({min} to {max})",
        hint=("请检查年份是否输错，给出 {min} 至 {max} 之间的日期。",
              "Check the year for a typo and give a date from {min} to {max}."),
    ),
    "cli.month_invalid": T(
        "参数 {option}：{value!r} 不是有效月份",
        "argument {option}: {value!r} is not a month",
        hint=("请按 年-月 书写（月份为 01–12），例如 {option} 2026-03。",
              "Write it as YYYY-MM (months 01–12), e.g. {option} 2026-03."),
    ),
    "cli.month_out_of_range": T(
        "参数 {option}：月份 {value!r} 超出可接受的范围（{min} 年至 {max} 年）",
        "argument {option}: the month {value!r} is outside the accepted range (years {min} to {max})",
        hint=("请检查年份是否输错，例如 {option} 2026-03。", "Check the year for a typo, e.g. {option} 2026-03."),
    ),
    "cli.time_invalid": T(
        "参数 {option}：{value!r} 不是有效时间",
        "argument {option}: {value!r} is not a time",
        hint=("请写 时:分（今天，如 {option} 14:05）或 年-月-日T时:分（如 {option} 2026-03-15T14:05）。",
              "Write HH:MM (today, e.g. {option} 14:05) or YYYY-MM-DDTHH:MM (e.g. {option} 2026-03-15T14:05)."),
    ),
    "cli.number_invalid": T(
        "参数 {option}：{value!r} 不是数字",
        "argument {option}: {value!r} is not a number",
        hint=("请写 0 到 1 之间的小数，例如 {option} 0.25。", "Write a fraction from 0 to 1, e.g. {option} 0.25."),
    ),
    "cli.positive_int_invalid": T(
        "参数 {option}：{value!r} 不是正整数",
        "argument {option}: {value!r} is not a positive whole number",
        hint=("请写 1 或更大的整数，例如 {option} 7。", "Write a whole number of 1 or more, e.g. {option} 7."),
    ),
    "cli.whole_number_invalid": T(
        "参数 {option}：{value!r} 不是非负整数",
        "argument {option}: {value!r} is not a whole number of 0 or more",
        hint=("请写 0 或更大的整数，例如 {option} 6。", "Write a whole number of 0 or more, e.g. {option} 6."),
    ),
    "cli.choice_invalid": T(
        "参数 {option}：无效的取值 {value!r}（可选：{choices}）",
        "argument {option}: invalid choice {value!r} (choose from {choices})",
        hint=("请从上面列出的取值中选一个（区分大小写）。", "Use one of the values listed (they are case-sensitive)."),
    ),
    "cli.value_invalid": T(
        "参数 {option}：无效的值 {value!r}",
        "argument {option}: invalid value {value!r}",
        hint=("请查看 --help 中该参数的写法。", "See --help for how to write this argument."),
    ),
    # argparse's own errors (auditapp.cli.usage_words); {prog} is the command, e.g. "auditapp visit new".
    "cli.usage_required": T(
        "{prog}：缺少必需的参数 {names}",
        "{prog}: the following arguments are required: {names}",
        hint=("请补上 {names}；用法见 {prog} --help。", "Add {names}; see {prog} --help."),
    ),
    "cli.usage_one_required": T(
        "{prog}：必须给出以下参数之一：{names}",
        "{prog}: one of the arguments {names} is required",
        hint=("请给出其中一个；用法见 {prog} --help。", "Give one of them; see {prog} --help."),
    ),
    "cli.usage_unrecognized": T(
        "{prog}：无法识别的参数 {names}",
        "{prog}: unrecognized arguments: {names}",
        hint=("请检查拼写，或删去这些参数；可用的参数见 {prog} --help。",
              "Check the spelling or leave them out; {prog} --help lists the arguments."),
    ),
    "cli.usage_unrecognized_option": T(
        "{prog}：无法识别的选项 {value}",
        "{prog}: unrecognized option {value}",
        hint=("请检查拼写；可用的参数见 {prog} --help。", "Check the spelling; {prog} --help lists the arguments."),
    ),
    "cli.usage_ambiguous": T(
        "{prog}：选项 {value} 有歧义，可能是 {names}",
        "{prog}: the option {value} is ambiguous; it could be {names}",
        hint=("请写出完整的选项名。", "Write the option's full name."),
    ),
    "cli.usage_invalid_choice": T(
        "参数 {option}：无效的取值 {value!r}（可选：{choices}）",
        "argument {option}: invalid choice {value!r} (choose from {choices})",
        hint=("请从上面列出的取值中选一个；用法见 {prog} --help。", "Use one of the values listed; see {prog} --help."),
    ),
    "cli.usage_unknown_command": T(
        "{prog}：没有 {value!r} 这个命令（可用：{choices}）",
        "{prog}: there is no command {value!r} (available: {choices})",
        hint=("请检查拼写；命令列表见 {prog} --help。", "Check the spelling; {prog} --help lists the commands."),
    ),
    "cli.usage_command_missing": T(
        "{prog}：缺少要执行的命令",
        "{prog}: a command is missing",
        hint=("请在后面加上一个命令；命令列表见 {prog} --help。", "Add one of its commands; {prog} --help lists them."),
    ),
    "cli.usage_value_missing": T(
        "参数 {option}：缺少取值",
        "argument {option}: its value is missing",
        hint=("请在 {option} 后面写上取值；用法见 {prog} --help。",
              "Write the value after {option}; see {prog} --help."),
    ),
    "cli.usage_value_extra": T(
        "参数 {option}：不接受取值（多余的 {value!r}）",
        "argument {option}: takes no value (got {value!r})",
        hint=("请只写 {option}，不带 =取值。", "Write just {option}, without =VALUE."),
    ),
    "cli.usage_not_allowed_with": T(
        "参数 {option}：不能与参数 {other} 同时使用",
        "argument {option}: not allowed with argument {other}",
        hint=("请只保留其中一个。", "Keep only one of them."),
    ),
    "cli.usage_argument_other": T(
        "参数 {option}：{text}",
        "argument {option}: {text}",
        hint=("用法见 {prog} --help。", "See {prog} --help."),
    ),
    "cli.usage_other": T(
        "{prog}：命令行有误（{text}）",
        "{prog}: the command line is not right ({text})",
        hint=("用法见 {prog} --help。", "See {prog} --help."),
    ),
    "cli.date_range_reversed": T(
        "开始日期 {start} 晚于结束日期 {end}",
        "the start date {start} is after the end date {end}",
        cli=("请交换 --from 和 --to 的日期。", "Swap the dates of --from and --to."),
        gui=("请交换开始日期和结束日期。", "Swap the start and end dates."),
    ),
    "cli.pins_scope_missing": T(
        "没有说明要列出哪些图钉",
        "no pins were chosen to list",
        cli=("请加上 --plan 平面图 或 --institution 医疗机构。", "Give --plan PLAN or --institution X."),
    ),
    "cli.pin_link_choice": T(
        "请说明图钉要关联到什么",
        "say what the pin should point at",
        cli=("给出 --item 检查项 或 --finding 问题，或用 --clear 取消关联（只能选其一）。",
             "Give --item ITEM or --finding ID, or --clear to unlink (one of them)."),
    ),
    # --- output files (-o): checked before the command runs; exit 1, nothing written ---
    "cli.output_empty": T(
        "{option} 的文件名为空",
        "the file name given to {option} is empty",
        cli=_OUTPUT_FIX,
        gui=_OUTPUT_FIX_GUI,
    ),
    "cli.output_is_folder": T(
        "{option} {path}：这是一个文件夹，不是文件",
        "{option} {path}: this is a folder, not a file",
        hint=("请在文件夹后面加上文件名，例如 {path}/报告.pdf。", "Add a file name after the folder, e.g. {path}/report.pdf."),
    ),
    "cli.output_not_a_file": T(
        "{option} {path}：这不是普通文件（是设备、管道、套接字或失效的链接），不能写入",
        "{option} {path}: not a regular file (a device, pipe, socket or broken link); it will not be written",
        cli=_OUTPUT_FIX,
        gui=_OUTPUT_FIX_GUI,
    ),
    "cli.output_not_writable": T(
        "{option} {path}：没有写入该文件的权限",
        "{option} {path}: you may not write this file",
        hint=("请换一个文件名，或者先修改该文件的权限。", "Choose another file name, or change the file's permissions first."),
    ),
    "cli.output_folder_missing": T(
        "{option} {path}：文件夹 {folder} 不存在",
        "{option} {path}: the folder {folder} does not exist",
        hint=("请先创建该文件夹（mkdir -p {folder}），或换一个已有的文件夹。",
              "Create the folder first (mkdir -p {folder}) or choose one that exists."),
    ),
    "cli.output_folder_is_file": T(
        "{option} {path}：{folder} 是一个文件，不是文件夹",
        "{option} {path}: {folder} is a file, not a folder",
        cli=_OUTPUT_FIX,
        gui=_OUTPUT_FIX_GUI,
    ),
    "cli.output_folder_not_writable": T(
        "{option} {path}：没有在文件夹 {folder} 中写入的权限",
        "{option} {path}: you may not write in the folder {folder}",
        hint=("请换一个您有写入权限的文件夹，例如您的主目录。", "Choose a folder you can write to, such as your home folder."),
    ),
    "cli.output_name_too_long": T(
        "{option} {path}：文件名太长（最多 255 字节）",
        "{option} {path}: the file name is too long (at most 255 bytes)",
        hint=("请换一个短一些的文件名。", "Choose a shorter file name."),
    ),
    "cli.output_unusable": T(
        "{option} {path}：无法使用这个路径（{reason}）",
        "{option} {path}: this path cannot be used ({reason})",
        cli=_OUTPUT_FIX,
        gui=_OUTPUT_FIX_GUI,
    ),
    # --- input files read by the command line itself ---
    "cli.input_missing": T(
        "{option} {path}：文件不存在",
        "{option} {path}: the file does not exist",
        hint=("请检查文件名和所在文件夹。", "Check the file name and its folder."),
    ),
    "cli.input_is_folder": T(
        "{option} {path}：这是一个文件夹，不是文件",
        "{option} {path}: this is a folder, not a file",
        hint=("请指定文件夹中的某个文件。", "Name a file inside the folder."),
    ),
    "cli.input_not_a_file": T(
        "{option} {path}：这不是普通文件（是设备、管道或套接字），不能读取",
        "{option} {path}: not a regular file (a device, pipe or socket); it will not be read",
        hint=("请指定一个保存在磁盘上的普通文件。", "Name an ordinary file saved on disk."),
    ),
    "cli.input_too_large": T(
        "{option} {path}：文件太大（上限 {limit_mb} MB）",
        "{option} {path}: the file is too large (the limit is {limit_mb} MB)",
        hint=("请确认选对了文件。", "Check that this is the right file."),
    ),
    "cli.input_not_readable": T(
        "{option} {path}：没有读取该文件的权限",
        "{option} {path}: you may not read this file",
        hint=("请修改文件权限，或把它复制到您能读取的位置。", "Change its permissions or copy it somewhere you can read it."),
    ),
    "cli.input_unusable": T(
        "{option} {path}：无法使用这个路径（{reason}）",
        "{option} {path}: this path cannot be used ({reason})",
        hint=("请检查文件名和所在文件夹。", "Check the file name and its folder."),
    ),
    # --- files the command could not read or write while running (from the operating system) ---
    "cli.os_disk_full": T(
        "{path}：磁盘空间不足，未能写完",
        "{path}: the disk is full; writing stopped",
        hint=("请腾出磁盘空间或换一个磁盘，然后再运行一次。", "Free some space or use another disk, then run the command again."),
    ),
    "cli.os_permission": T(
        "{path}：没有访问权限",
        "{path}: permission denied",
        hint=("请换一个您有权限的位置，或修改权限后再试。", "Use a place you have access to, or change the permissions and try again."),
    ),
    "cli.os_read_only": T(
        "{path}：所在磁盘是只读的",
        "{path}: the disk is read-only",
        hint=("请换一个可写的磁盘或文件夹。", "Use a disk or folder that can be written."),
    ),
    "cli.os_missing": T(
        "{path}：文件或文件夹不存在",
        "{path}: no such file or folder",
        hint=("请检查路径是否正确。", "Check the path."),
    ),
    "cli.os_is_folder": T(
        "{path}：这是一个文件夹，不是文件",
        "{path}: this is a folder, not a file",
        hint=("请指定一个文件。", "Name a file."),
    ),
    "cli.os_not_folder": T(
        "{path}：路径中的某一部分不是文件夹",
        "{path}: part of the path is not a folder",
        hint=("请检查路径是否正确。", "Check the path."),
    ),
    "cli.os_name_too_long": T(
        "{path}：文件名或路径太长",
        "{path}: the file name or path is too long",
        hint=("请换一个短一些的名称或位置。", "Use a shorter name or place."),
    ),
    "cli.os_io": T(
        "{path}：读写磁盘时出错（{reason}）",
        "{path}: the disk reported an error ({reason})",
        hint=("请检查磁盘或 U 盘是否连接正常，然后再试。", "Check that the disk or USB stick is connected properly, then try again."),
    ),
    "cli.os_other": T(
        "{path}：操作系统拒绝了这次读写（{reason}）",
        "{path}: the operating system refused this ({reason})",
        hint=("请检查该文件或文件夹，然后再试。", "Check the file or folder, then try again."),
    ),
    "cli.out_of_memory": T(
        "内存不足，命令未能完成",
        "not enough memory to finish the command",
        hint=("请关闭其他程序，或分几次处理较少的数据。", "Close other programs or process less at a time."),
    ),
    # --- the runner ---
    "cli.gui_unavailable": T(
        "无法打开图形界面（{reason}）",
        "the GUI is not available ({reason})",
        hint=("请重新安装 auditapp（包括 PySide6），或使用命令行。", "Reinstall auditapp with PySide6, or use the command line."),
    ),
    "cli.internal_error": T(
        "程序内部出错（{kind}），这是程序的缺陷，不是您的操作错误。详细信息已写入 {log}",
        "an internal error ({kind}) stopped the command; this is a bug, not your mistake. Details were written to {log}",
        hint=("请把该文件和您运行的命令一起发给技术支持。", "Please send that file and the command you ran to support."),
    ),
    "cli.internal_error_unlogged": T(
        "程序内部出错（{kind}），这是程序的缺陷，不是您的操作错误；详细信息也无法写入日志",
        "an internal error ({kind}) stopped the command; this is a bug, not your mistake, and no log could be written",
        hint=("请把您运行的命令和这条消息发给技术支持。", "Please send the command you ran and this message to support."),
    ),
}
