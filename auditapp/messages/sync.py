"""Messages of the sync area (see auditapp.messages): package files, direct sync, conflicts.

Codes ``package.*`` are raised as ``PackageError``; the part after the dot, with
dashes, is the machine-readable check name (``package.zip_slip`` → ``zip-slip``).
"""

from __future__ import annotations

from auditapp.messages import T, Text

_NOTHING = ("未导入任何内容。请让发送方重新导出一个数据包。", "Nothing was imported. Ask the sender for a new package.")
_NOTHING_CHANGED = ("两边都未作任何改动。", "Nothing was changed on either side.")


def _pkg(zh: str, en: str, hint: tuple[str, str] = _NOTHING) -> Text:
    return T(zh, en, hint=hint)


MESSAGES: dict[str, Text] = {
    # -- reading a package -------------------------------------------------
    "package.not_found": _pkg(
        "数据包文件 {path} 不存在", "the package file {path} does not exist",
        ("请检查文件名。", "Check the file name."),
    ),
    "package.not_a_file": _pkg(
        "{path} 不是普通文件（是文件夹、管道或设备），不能作为数据包导入",
        "{path} is not a regular file (a folder, a pipe or a device) and cannot be imported",
        ("请给出 .auditpkg 文件的路径。", "Give the path of an .auditpkg file."),
    ),
    "package.unreadable": _pkg("无法读取数据包 {path}：{reason}", "cannot read the package {path}: {reason}"),
    "package.not_a_package": _pkg(
        "{path} 不是 auditapp 数据包（不是可读的 zip 文件：{detail}）",
        "{path} is not an auditapp package (not a readable zip file: {detail})",
    ),
    "package.zip_slip": _pkg(
        "数据包成员 {member} 指向数据包之外（绝对路径或“..”）",
        "package member {member} points outside the package (absolute path or '..')",
    ),
    "package.unexpected_member": _pkg(
        "数据包成员 {member} 不属于 auditapp 数据包格式",
        "package member {member} is not part of the auditapp package format",
    ),
    "package.oversized_member": _pkg(
        "数据包成员 {member} 解压后超过允许的大小（{limit} 字节）",
        "package member {member} unpacks to more than the {limit} bytes allowed",
    ),
    "package.damaged": _pkg(
        "数据包成员 {member} 无法读取（压缩数据已损坏：{detail}）",
        "package member {member} cannot be read (damaged compressed data: {detail})",
    ),
    "package.unsupported_compression": _pkg(
        "数据包成员 {member} 使用了不支持的压缩方式（{method}）；auditapp 只写入不压缩或 deflate 压缩的成员",
        "package member {member} uses an unsupported compression method ({method}); auditapp packages use only stored or deflate",
    ),
    "package.malformed_json": _pkg(
        "数据包成员 {member} 不是有效的 JSON：{detail}",
        "package member {member} is not valid JSON: {detail}",
    ),
    "package.too_many_members": _pkg(
        "数据包有 {count} 个成员，最多允许 {limit} 个",
        "the package has {count} members; at most {limit} are allowed",
    ),
    "package.duplicate_member": _pkg(
        "数据包成员 {member} 出现了不止一次", "package member {member} appears more than once",
    ),
    "package.encrypted": _pkg("数据包成员 {member} 已加密", "package member {member} is encrypted"),
    "package.zip_bomb": _pkg(
        "数据包成员 {member} 压缩率异常高（疑似 zip 炸弹）",
        "package member {member} is compressed suspiciously well (a zip bomb?)",
    ),
    "package.oversized_package": _pkg(
        "数据包解压后超过 {limit} 字节", "the package unpacks to more than {limit} bytes",
    ),
    "package.manifest_not_first": _pkg(
        "数据包的 manifest.json 不是第一个成员", "the package's manifest.json is not its first member",
    ),
    "package.missing_manifest": _pkg(
        "数据包中没有 manifest.json（这是 auditapp 数据包吗？）",
        "the package has no manifest.json (is it an auditapp package?)",
    ),
    "package.unknown_format": _pkg(
        "manifest.json 描述的不是 auditapp 数据包", "manifest.json does not describe an auditapp package",
    ),
    "package.unknown_format_version": _pkg(
        "数据包使用格式版本 {version}；本版本 auditapp 读取版本 {known}",
        "the package uses format version {version}; this version of auditapp reads version {known}",
        ("未导入任何内容。请安装写出该数据包的 auditapp 版本（或更新版本）。",
         "Nothing was imported. Install the auditapp version that wrote the package (or newer)."),
    ),
    "package.newer_schema": _pkg(
        "数据包由更新版本的 auditapp 写入（结构版本 {schema}）；本版本只认识到 {known}",
        "the package was written by a newer version of auditapp (schema {schema}); this version knows schemas up to {known}",
        ("未导入任何内容。请安装更新版本的 auditapp 后再导入。",
         "Nothing was imported. Install the newer version of auditapp, then import again."),
    ),
    "package.manifest_field_missing": _pkg(
        "manifest.json：缺少 {key}，或其类型不对", "manifest.json: {key} is missing or has the wrong type",
    ),
    "package.manifest_bad_device": _pkg(
        "manifest.json：device_id {value} 不是设备编号", "manifest.json: device_id {value} is not a device id",
    ),
    "package.manifest_text_too_long": _pkg(
        "manifest.json：{key} 应是不超过 {limit} 个字符的文本", "manifest.json: {key} must be a text of at most {limit} characters",
    ),
    "package.manifest_text_invalid": _pkg(
        "manifest.json：{key} 含有无效字符", "manifest.json: {key} holds invalid characters",
    ),
    "package.manifest_bad_member_entry": _pkg(
        "manifest.json：{member} 的条目缺少 sha256 或 size", "manifest.json: the entry of {member} needs sha256 and size",
    ),
    "package.bad_manifest_time": _pkg(
        "manifest.json：{what} 不是带时区、在 {lo} 至 {hi} 之间的 ISO 时间：{value}",
        "manifest.json: {what} is not an ISO time with time zone between {lo} and {hi}: {value}",
    ),
    "package.unknown_table": _pkg(
        "数据包成员 {member} 含有未知数据表 {table} 的记录",
        "package member {member} holds records of an unknown table {table}",
    ),
    "package.bad_records": _pkg("数据包成员 {member}：{detail}", "package member {member}: {detail}"),
    "package.bad_record": _pkg(
        "数据包成员 {member} 第 {row} 行（{record}）：{problem}",
        "package member {member}, row {row} ({record}): {problem}",
    ),
    "package.hash_mismatch": _pkg(
        "数据包成员 {member} 与 manifest 中的 sha256 不符（已损坏或被改动）",
        "package member {member} does not match the sha256 in the manifest (damaged or altered)",
    ),
    "package.photo_misnamed": _pkg(
        "照片成员 {member} 的名称不是其内容的校验值", "photo member {member} is not named by its content hash",
    ),
    "package.photo_changed": _pkg(
        "导入时数据包中的照片 {sha}… 发生了变化", "photo {sha}… changed inside the package while importing",
    ),
    "package.missing_member": _pkg(
        "数据包成员 {member} 列在 manifest 中，但并不存在",
        "package member {member} is listed in the manifest but missing",
    ),
    "package.unlisted_member": _pkg(
        "数据包成员 {member} 未列在 manifest 中（被篡改？）",
        "package member {member} is not listed in the manifest (tampered?)",
    ),
    "package.duplicate_record": _pkg(
        "{source} 中 {record}记录 {id} 出现了两次", "{record} record {id} appears twice in {source}",
    ),
    "package.duplicate_key": _pkg(
        "{source} 中有两条{record}记录的 {fields} 相同（{values}）",
        "two {record} records in {source} have the same {fields} ({values})",
    ),
    "package.missing_parent": _pkg(
        "{source} 中的{record}记录 {id} 引用了{parent} {parent_id}，但它既不在其中，也不在本数据库中（共 {count} 处）",
        "{record} record {id} in {source} refers to {parent} {parent_id}, which is neither in it nor in this database ({count} such reference(s))",
    ),
    "package.foreign_leader": T(
        "{source} 中的{record}记录 {id} 不符合规则：{problem}",
        "{record} record {id} in {source} breaks a rule: {problem}",
        hint=("未作任何改动。请在对方数据库中为该记录选择本机构的院领导，再重新导出或同步。",
              "Nothing was changed. In the other database, pick a leader of the record's own institution, "
              "then export or sync again."),
    ),
    "package.missing_photo": _pkg(
        "{source} 的记录需要的 {count} 个照片文件既不在其中，也不在{target}上（第一个：{sha}…）",
        "{count} photo file(s) that the records of {source} need are neither in it nor on {target} (first: {sha}…)",
    ),
    "package.read_only": T("数据包文件是只读的", "a package file is read-only",
        hint=("请把数据包复制到可写的位置后再试。", "Copy the package to a place you can write, then try again."),
    ),
    # -- writing a package -------------------------------------------------
    "sync.export_photos_missing": T(
        "要导出的记录有 {count} 个照片文件不在本机照片库中（第一个：{sha}…）",
        "{count} photo file(s) of the exported records are missing from this computer's photo store (first: {sha}…)",
        hint=("运行 auditapp photo verify 查看是哪些；从备份恢复 photos 文件夹后再导出。",
              "Run 'auditapp photo verify' to see which; restore the photos folder from a backup, then export again."),
    ),
    "sync.export_photo_changed": T(
        "导出时照片文件 {sha}… 发生了变化", "photo file {sha}… changed while it was being exported",
        hint=("请重新导出。", "Export again."),
    ),
    "sync.export_nothing": T(
        "没有可导出的内容：没有记录符合所选范围", "nothing to export: no record matches the selection",
        hint=("请检查所选的体验记录、机构或日期。", "Check the visits, institutions or date."),
    ),
    "sync.export_not_a_file": T(
        "{path} 不是普通文件（是文件夹、管道或设备），不能把数据包写到这里",
        "cannot write the package to {path}: it is not a regular file (a folder, a pipe or a device)",
        cli=("请在 -o 后给出新文件的名称，例如 -o 甲医院.auditpkg。", "Give the name of a new file after -o, e.g. -o hospital.auditpkg."),
        gui=("请选择一个文件名，而不是文件夹或设备。", "Choose a file name, not a folder or a device."),
    ),
    "sync.export_unwritable": T(
        "无法写入数据包 {path}：{reason}", "cannot write the package {path}: {reason}",
        hint=("请选择一个可写的文件位置。", "Choose a writable place for the file."),
    ),
    # -- photo files in transit --------------------------------------------
    "sync.photo_damaged": T(
        "来自{source}的照片文件 {sha}… 已损坏（其内容的校验值是 {actual}…）",
        "photo file {sha}… from {source} is damaged (its content hashes to {actual}…)",
        hint=("未作任何改动。请在发送方设备上运行 auditapp photo verify。",
              "Nothing was changed. Run 'auditapp photo verify' on the device that sent it."),
    ),
    "sync.photo_unwritable": T(
        "无法把照片文件写入 {folder}：{reason}", "cannot write photo files to {folder}: {reason}",
        hint=("请腾出磁盘空间（或检查文件夹权限）后重新同步。未作任何改动。",
              "Free some disk space (or check the folder's permissions) and sync again. Nothing was changed."),
    ),
    "sync.photo_missing": T("{source}中缺少照片文件 {sha}…", "photo file {sha}… is missing from {source}", hint=_NOTHING_CHANGED),
    "sync.photo_not_sent": T(
        "需要照片文件 {sha}…，但发送方没有提供", "photo file {sha}… is needed but the sender did not provide it",
        hint=_NOTHING_CHANGED,
    ),
    # -- merging -----------------------------------------------------------
    "sync.bad_record": T(
        "来自{source}的{record}记录 {id} 不符合规则：{problem}",
        "{record} record {id} from {source} breaks a rule: {problem}",
        hint=("未作任何改动。请在对方数据库中修正该记录后再同步。",
              "Nothing was changed. Correct that record in the other database, then sync again."),
    ),
    "sync.merge_refused": T(
        "合并到{target}时被数据库拒绝：{detail}", "the merge into {target} was refused by the database: {detail}",
        hint=("未作任何改动。请连同所同步的数据包或数据库一起报告此问题。",
              "Nothing was changed. Please report this with the package or database you synced with."),
    ),
    "sync.cancelled": T("同步已取消；未作任何改动", "sync cancelled; nothing was changed"),
    # -- the other side of a direct sync -------------------------------------
    "sync.peer_unreadable": T(
        "无法读取 {target}：{detail}", "cannot read {target}: {detail}",
        hint=("请检查地址、用户名和密码。", "Check the address, the user name and the password."),
    ),
    "sync.peer_too_new": T(
        "{target} 由更新版本的 auditapp 写入（结构版本 {schema}）；本版本只认识到 {known}",
        "{target} was written by a newer version of auditapp (schema {schema}); this version knows schemas up to {known}",
        hint=("请在本机安装更新版本的 auditapp。未作任何改动。",
              "Install the newer version of auditapp on this computer. Nothing was changed."),
    ),
    "sync.peer_is_self": T(
        "{path} 是本机自己的数据库", "{path} is this computer's own database",
        hint=("请给出另一个数据库的路径。", "Give the path of the other database."),
    ),
    "sync.peer_folder_missing": T(
        "文件夹 {folder} 不存在", "folder {folder} does not exist",
        hint=("请插入 U 盘或挂载共享文件夹后重试。", "Plug in the stick or mount the share, then retry."),
    ),
    "sync.peer_driver": T(
        "无法使用 {target}：{detail}", "cannot use {target}: {detail}",
        hint=("请安装 psycopg（pip install 'psycopg[binary]'）。", "Install psycopg (pip install 'psycopg[binary]')."),
    ),
    "sync.peer_unreachable": T(
        "无法连接到 {target}：{detail}", "cannot connect to {target}: {detail}",
        hint=("请检查服务器是否运行，以及地址、用户名和密码是否正确。",
              "Check that the server runs and the address, user name and password are right."),
    ),
    "sync.peer_bad_url": T("{target} 不是数据库地址：{detail}", "{target} is not a database address: {detail}",
        hint=("请给出数据文件夹、.sqlite3 文件或 postgresql://用户@主机/数据库 地址。", "Give a data folder, a .sqlite3 file or a postgresql://user@host/database address."),
    ),
    "sync.peer_in_memory": T(
        "不能与内存中的 SQLite 数据库同步", "an in-memory SQLite database cannot be synced with",
        hint=("请给出文件路径。", "Give a file path."),
    ),
    "sync.peer_unsupported": T(
        "不能与 {backend} 数据库同步（{target}）", "cannot sync with {backend} databases ({target})",
        hint=("请使用另一个 auditapp 的 SQLite 文件或 PostgreSQL 服务器（postgresql+psycopg://用户:密码@主机/数据库）。",
              "Use another auditapp SQLite file or a PostgreSQL server (postgresql+psycopg://user:password@host/db)."),
    ),
    "sync.peer_open_failed": T("无法打开 {target}：{detail}", "cannot open {target}: {detail}",
        hint=("请检查地址、网络和登录信息，然后再试。", "Check the address, the network and the login, then try again."),
    ),
    # -- conflicts ----------------------------------------------------------
    "conflict.ambiguous": T(
        "冲突编号前缀 {ref} 不唯一", "conflict id prefix {ref} is ambiguous",
        hint=("请多给几位编号。", "Give more characters of the id."),
    ),
    "conflict.not_found": T(
        "没有冲突 {ref}", "no conflict {ref}",
        cli=("用 auditapp conflicts list 查看冲突。", "List them with 'auditapp conflicts list'."),
    ),
    "conflict.unknown_side": T(
        "未知的一方 {keep}", "unknown side {keep}",
        cli=("请用 --keep local 或 --keep remote。", "Use --keep local or --keep remote."),
    ),
    "conflict.already_resolved": T(
        "冲突 {id} 已经解决过了（保留了 {kept}）", "conflict {id} was already resolved (kept {kept})",
        cli=("用 auditapp conflicts list 查看未解决的冲突。", "List open conflicts with 'auditapp conflicts list'."),
    ),
    "conflict.record_gone": T(
        "{record}记录 {id} 在本机已不存在", "{record} record {id} no longer exists here",
        hint=("它已被之后的同步改名或删除；该冲突无法应用。",
              "It was renamed or removed by a later sync; the conflict cannot be applied."),
    ),
    "conflict.immutable": T(
        "不能保留对方的值：{problem}", "the other side's value cannot be kept: {problem}",
        cli=("请用 --keep local 保留本机的值。", "Keep this computer's value with --keep local."),
        gui=("请选择“保留本机的值”。", "Choose to keep this computer's value."),
    ),
}
