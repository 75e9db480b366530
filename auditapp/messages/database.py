"""Messages of the database area (see auditapp.messages): the database file, backups and the
rules every record obeys (``auditapp.db.validation``)."""

from __future__ import annotations

from auditapp.messages import T, Text

_RESTORE = (
    "文件未作任何改动。可用 auditapp backup restore 恢复备份，或把该文件移走。",
    "The file was left unchanged. Restore a backup with 'auditapp backup restore', or move the file away.",
)
_RESTORE_GUI = (
    "文件未作任何改动。请在“设置”中选择其他数据文件夹，或用 auditapp backup restore 恢复备份。",
    "The file was left unchanged. Choose another data folder in Settings, or restore a backup with 'auditapp backup restore'.",
)
_FOLDER_CLI = (
    "用 --data-dir 或 AUDITAPP_DATA_DIR 指定一个可写的数据文件夹。",
    "Choose a writable data folder with --data-dir or AUDITAPP_DATA_DIR.",
)
_FOLDER_GUI = ("请在“设置”中选择一个可写的数据文件夹。", "Choose a writable data folder in Settings.")
_CLOSE_OTHER = (
    "请关闭正在使用该文件的另一个 auditapp（或其他程序）后重试。",
    "Close the other copy of auditapp (or the program holding the file) and try again.",
)

MESSAGES: dict[str, Text] = {
    # -- the database file -------------------------------------------------
    "database.folder_not_writable": T(
        "无法在 {folder} 中创建数据库：该文件夹不可写",
        "cannot create the database in {folder}: the folder is not writable",
        cli=_FOLDER_CLI,
        gui=_FOLDER_GUI,
    ),
    "database.folder_not_creatable": T(
        "无法创建数据文件夹 {folder}：{reason}",
        "cannot create the data folder {folder}: {reason}",
        cli=_FOLDER_CLI,
        gui=_FOLDER_GUI,
    ),
    "database.is_folder": T(
        "{path} 是文件夹，不是数据库文件",
        "{path} is a folder, not a database file",
        hint=("请把它移走，或指定另一个数据文件夹。", "Move it away, or use another data folder."),
    ),
    "database.not_a_file": T(
        "{path} 不是普通文件（是管道或设备），不能作为数据库打开",
        "{path} is not a regular file (a pipe or a device) and cannot be opened as a database",
        hint=("请把它移走，或指定另一个数据文件夹。", "Move it away, or use another data folder."),
    ),
    "database.empty_file": T(
        "数据库文件 {path} 是空的（0 字节）：它的内容已丢失，不会被当作新数据库覆盖",
        "the database file {path} is empty (0 bytes): its content was lost, and it is not replaced by a new database",
        cli=(
            "文件未作任何改动。用 auditapp backup list 查看备份，用 auditapp backup restore 文件 恢复；"
            "确实要从头开始时，先把空文件移走。",
            "The file was left unchanged. List backups with 'auditapp backup list' and restore one with "
            "'auditapp backup restore FILE'; to start afresh on purpose, move the empty file away first.",
        ),
        gui=_RESTORE_GUI,
    ),
    "database.unreadable": T(
        "无法读取数据库文件 {path}：{reason}",
        "cannot read the database file {path}: {reason}",
        hint=("请检查文件的权限和所在磁盘。", "Check the file's permissions and the disk it is on."),
    ),
    "database.not_sqlite": T(
        "{path} 不是 auditapp 数据库（不是 SQLite 文件）",
        "{path} is not an auditapp database (not a SQLite file)",
        cli=_RESTORE,
        gui=_RESTORE_GUI,
    ),
    "database.not_auditapp": T(
        "{path} 是 SQLite 数据库，但不是 auditapp 的（没有结构版本）",
        "{path} is a SQLite database but not one of auditapp's (no schema version)",
        cli=("文件未作任何改动。请用 --data-dir 指向 auditapp 的数据文件夹。",
             "The file was left unchanged. Point --data-dir at an auditapp data folder."),
        gui=_RESTORE_GUI,
    ),
    "database.damaged": T(
        "数据库 {path} 已损坏：{detail}",
        "the database {path} is damaged: {detail}",
        cli=_RESTORE,
        gui=_RESTORE_GUI,
    ),
    "database.integrity_failed": T(
        "数据库 {path} 未通过完整性检查：{detail}",
        "the database {path} failed its integrity check: {detail}",
        cli=_RESTORE,
        gui=_RESTORE_GUI,
    ),
    "database.undecodable_text": T(
        "数据库 {path} 中有无法读取的文字（不是 UTF-8 编码），文件已损坏：{detail}",
        "the database {path} holds text that is not valid UTF-8, so the file is damaged: {detail}",
        cli=_RESTORE,
        gui=_RESTORE_GUI,
    ),
    "database.bad_json": T(
        "数据库 {path} 中有无法读取的 JSON 数据（{detail}），文件已损坏",
        "the database {path} holds JSON data that cannot be read ({detail}), so the file is damaged",
        cli=_RESTORE,
        gui=_RESTORE_GUI,
    ),
    "database.bad_json_unplaced": T(
        "数据库中有无法读取的 JSON 数据（{detail}），文件已损坏",
        "a database holds JSON data that cannot be read ({detail}), so the file is damaged",
        cli=_RESTORE,
        gui=_RESTORE_GUI,
    ),
    "database.too_new": T(
        "{path} 由更新版本的 auditapp 写入（结构版本 {schema}）；本版本只认识到 {known}",
        "{path} was written by a newer version of auditapp (schema {schema}); this version knows schemas up to {known}",
        hint=("请安装更新版本的 auditapp。数据库未作任何改动。", "Install the newer version of auditapp. The database was left unchanged."),
    ),
    "database.locked": T(
        "数据库 {path} 被另一个程序锁定",
        "the database {path} is locked by another program",
        hint=_CLOSE_OTHER,
    ),
    "database.read_only": T(
        "数据库 {path} 是只读的（文件或所在文件夹不可写）",
        "the database {path} is read-only (the file or its folder cannot be written)",
        cli=("请给自己写权限，或把数据文件夹复制到可写位置并用 --data-dir 指定。",
             "Give yourself write permission, or copy the data folder somewhere writable and use --data-dir."),
        gui=("请给自己写权限，或在“设置”中选择一个可写的数据文件夹。",
             "Give yourself write permission, or choose a writable data folder in Settings."),
    ),
    "database.disk_full": T(
        "数据库 {path} 所在磁盘已满，修改未保存",
        "the disk holding the database {path} is full; the change was not saved",
        hint=("请腾出磁盘空间后重试。", "Free some disk space and try again."),
    ),
    "database.refused": T(
        "数据库 {path} 拒绝了这次操作：{detail}",
        "the database {path} refused the operation: {detail}",
        hint=("修改未保存。如果反复出现，请连同数据文件夹一起报告。",
              "Nothing was saved. If it happens again, please report it with the data folder."),
    ),
    "database.invalid_text": T(
        "文字“{text}”含有无效字符（来自非 UTF-8 编码），无法保存或查找",
        "the text '{text}' contains invalid characters (it was not UTF-8) and cannot be saved or searched for",
        hint=("请以 UTF-8 编码重新输入该文字。", "Type the text again as UTF-8."),
    ),
    # -- backups -----------------------------------------------------------
    "backup.folder_failed": T(
        "无法创建备份文件夹 {folder}：{reason}",
        "cannot create the backup folder {folder}: {reason}",
        hint=("请检查数据文件夹的权限和可用空间。", "Check the data folder's permissions and free space."),
    ),
    "backup.write_failed": T(
        "备份到 {path} 失败：{reason}",
        "the backup to {path} failed: {reason}",
        hint=("请检查数据文件夹所在磁盘的可用空间。", "Check free disk space in the data folder."),
    ),
    "backup.not_found": T(
        "备份文件 {path} 不存在",
        "the backup file {path} does not exist",
        cli=("用 auditapp backup list 查看现有备份。", "'auditapp backup list' lists the backups."),
    ),
    "backup.not_a_file": T(
        "{path} 不是普通文件，不能作为备份恢复",
        "{path} is not a regular file and cannot be restored",
        cli=("用 auditapp backup list 查看现有备份。", "'auditapp backup list' lists the backups."),
    ),
    "backup.empty": T(
        "备份文件 {path} 是空的（0 字节），不能恢复",
        "the backup file {path} is empty (0 bytes) and cannot be restored",
        hint=("请选择另一个备份。", "Choose another backup."),
    ),
    "backup.not_sqlite": T(
        "{path} 不是 SQLite 数据库，不能恢复",
        "{path} is not a SQLite database, so it cannot be restored",
        hint=("请选择另一个备份。", "Choose another backup."),
    ),
    "backup.damaged": T(
        "备份 {path} 已损坏：{detail}",
        "the backup {path} is damaged: {detail}",
        hint=("请选择另一个备份。", "Choose another backup."),
    ),
    "backup.integrity_failed": T(
        "备份 {path} 未通过完整性检查（{detail}）",
        "the backup {path} failed its integrity check ({detail})",
        hint=("请选择另一个备份。", "Choose another backup."),
    ),
    "backup.not_auditapp": T(
        "{path} 不是 auditapp 数据库（没有结构版本）",
        "{path} is not an auditapp database (no schema version)",
        hint=("请选择 auditapp 的备份文件。", "Choose one of auditapp's backup files."),
    ),
    "backup.too_new": T(
        "备份 {path} 由更新版本的 auditapp 写入（结构版本 {schema}）；本版本只认识到 {known}，恢复后将无法使用",
        "the backup {path} was written by a newer version of auditapp (schema {schema}); this version knows schemas up to {known}",
        hint=("数据库未作任何改动。请安装更新版本的 auditapp 再恢复。",
              "The database was left unchanged. Install the newer version of auditapp to restore it."),
    ),
    "backup.target_not_a_file": T(
        "{path} 不是普通文件（是文件夹、管道或设备），不能把备份恢复到这里",
        "{path} is not a regular file (a folder, a pipe or a device), so no backup can be restored over it",
        hint=("请先把它移走，再恢复备份。", "Move it away first, then restore the backup."),
    ),
    "backup.restore_failed": T(
        "无法恢复到 {path}：{reason}",
        "cannot restore into {path}: {reason}",
        hint=_CLOSE_OTHER,
    ),
    # -- the rules of every record (auditapp.db.validation) ------------------
    "record.not_text": T("“{field}”必须是文字", "the {field} must be text"),
    "record.too_long": T(
        "“{field}”最多 {limit} 个字符，这里有 {length} 个",
        "the {field} may have at most {limit} characters; this one has {length}",
        hint=("请缩短后重试。", "Shorten it and try again."),
    ),
    "record.required": T(
        "“{field}”不能为空",
        "the {field} must not be empty",
        hint=("请填写后重试。", "Fill it in and try again."),
    ),
    "record.nul_character": T(
        "“{field}”含有空字符（NUL），无法保存",
        "the {field} contains a NUL character and cannot be saved",
        hint=("请删去该字符后重试。", "Remove that character and try again."),
    ),
    "record.invalid_characters": T(
        "“{field}”含有无效字符（来自非 UTF-8 编码的文字），无法保存",
        "the {field} contains invalid characters (text that was not UTF-8) and cannot be saved",
        hint=("请以 UTF-8 编码重新输入或保存该文字。", "Type the text again, or save its file as UTF-8."),
    ),
    "record.not_whole_number": T("“{field}”必须是整数，不能是 {value}", "the {field} must be a whole number, not {value}"),
    "record.not_number": T("“{field}”必须是数字，不能是 {value}", "the {field} must be a number, not {value}"),
    "record.not_finite": T(
        "“{field}”必须是有限的数字，不能是 {value}",
        "the {field} must be a finite number, not {value}",
    ),
    "record.not_bool": T("“{field}”必须是“是”或“否”，不能是 {value}", "the {field} must be true or false, not {value}"),
    "record.not_date": T("“{field}”必须是日期（年-月-日），不能是 {value}", "the {field} must be a date (YYYY-MM-DD), not {value}"),
    "record.not_datetime": T(
        "“{field}”必须是带时区的时间，不能是 {value}",
        "the {field} must be a time with a time zone, not {value}",
    ),
    "record.naive_datetime": T(
        "“{field}” {value} 没有时区",
        "the {field} ({value}) has no time zone",
    ),
    "record.date_out_of_range": T(
        "“{field}” {value} 不在 {lo} 至 {hi} 之间",
        "the {field} ({value}) is not between {lo} and {hi}",
        hint=("请检查日期（年份）是否输入正确。", "Check the date, especially the year."),
    ),
    "record.not_allowed": T(
        "“{field}”不能是 {value}（可用：{choices}）",
        "the {field} cannot be {value} (allowed: {choices})",
    ),
    "record.out_of_range": T(
        "“{field}”必须在 {lo} 到 {hi} 之间，不能是 {value}",
        "the {field} must be between {lo} and {hi}, not {value}",
    ),
    "record.bad_hash": T(
        "“{field}”不是有效的 SHA-256 校验值：{value}",
        "the {field} is not a SHA-256 hash: {value}",
    ),
    "record.bad_json": T(
        "“{field}”不是有效的 JSON：{detail}",
        "the {field} is not valid JSON: {detail}",
    ),
    "record.too_deep": T(
        "“{field}”嵌套超过 {limit} 层",
        "the {field} is nested more than {limit} levels deep",
    ),
    "record.bad_item_ids": T(
        "“{field}”必须是检查项编号的列表",
        "the {field} must be a list of item ids",
    ),
    "record.bad_checklist_ids": T(
        "“{field}”必须是检查表编号的列表（最多 {limit} 个，不含空格）",
        "the {field} must be a list of checklist ids (at most {limit}, without spaces)",
    ),
    "record.bad_month": T(
        "“{field}”不是 {lo} 至 {hi} 年间的月份（格式 YYYY-MM，例如 2026-03）：{value}",
        "the {field} is not a month from {lo} to {hi} (YYYY-MM, e.g. 2026-03): {value}",
    ),
    "record.bad_basis": T(
        "“{field}”必须是依据（文件、条款、原文）的列表",
        "the {field} must be a list of citations (source, clause, quote)",
    ),
    "record.bad_layers": T(
        "“{field}”无效：{detail}",
        "the {field} is not valid: {detail}",
    ),
    "record.bad_snapshot": T(
        "“{field}”不是有效的检查表：{detail}",
        "the {field} is not a valid checklist: {detail}",
    ),
    "record.snapshot_hash_mismatch": T(
        "{record}的内容与其“{field}”不符（内容被改动过）",
        "the content of the {record} does not match its {field} (the content was altered)",
    ),
    "record.snapshot_mismatch": T(
        "“{field}” {value} 与快照内容不符",
        "the {field} ({value}) does not match the snapshot's content",
    ),
    "record.leader_other_institution": T(
        "“{field}”（{leader}）不在{record}所属机构的领导班子中",
        "the {field} ({leader}) is not on the roster of the {record}'s institution",
        hint=("只能选择本机构领导班子中的院领导；这条记录未被保存。",
              "Only a leader on the institution's own roster can be named; the record was not saved."),
        cli=("请用 auditapp leader list --institution 机构 查看本机构的院领导，再用 --leader 指定。",
             "See auditapp leader list --institution X for its roster, then give --leader."),
        gui=("请从本机构的领导班子名单中选择院领导。", "Pick a leader from this institution's roster."),
    ),
    "record.immutable": T(
        "“{field}”创建后不能更改",
        "the {field} never changes after it is created",
        hint=("这次修改未被采用。", "The change was not applied."),
    ),
    "record.unknown_columns": T(
        "{record}含有未知的字段：{columns}",
        "the {record} record has unknown fields: {columns}",
    ),
    "record.missing_field": T(
        "{record}缺少“{field}”",
        "the {record} record lacks its {field}",
    ),
    "record.no_id": T("{record}没有记录编号", "the {record} record has no record id"),
}
