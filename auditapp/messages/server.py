"""Messages of the bureau server area (see auditapp.messages): init, logins, refused pushes, keys."""

from __future__ import annotations

from auditapp.messages import T, Text

_NOTHING = ("服务器上没有任何改动。", "Nothing was changed on the server.")

MESSAGES: dict[str, Text] = {
    "server.url_invalid": T(
        "{url} 不是数据库地址",
        "{url} is not a database address",
        hint=("请写成 postgresql://用户名@主机/数据库?sslmode=require 的形式。",
              "Write it as postgresql://user@host/database?sslmode=require."),
    ),
    "server.url_not_postgresql": T(
        "{url} 不是 PostgreSQL 服务器地址",
        "{url} is not a PostgreSQL server address",
        hint=("局管理服务器只能是 PostgreSQL：postgresql://用户名@主机/数据库。",
              "A bureau server is a PostgreSQL database: postgresql://user@host/database."),
    ),
    "server.cannot_connect": T(
        "无法连接 {url}：{reason}",
        "cannot connect to {url}: {reason}",
        hint=("请检查服务器是否运行、地址、用户名和密码（密码放在 ~/.pgpass 或 PGPASSFILE 中）以及 sslmode。",
              "Check that the server runs, the address, the user name and the password (kept in ~/.pgpass or PGPASSFILE) and sslmode."),
    ),
    "server.refused": T(
        "{url} 拒绝了这一操作：{reason}",
        "{url} refused the operation: {reason}",
        hint=("服务器上没有任何改动。请用拥有该数据库的管理员账号操作。",
              "Nothing was changed on the server. Use the administrator role that owns the database."),
    ),
    "server.not_admin": T(
        "{url} 的登录账号不是管理员（不能创建角色）",
        "the login of {url} is not an administrator (it cannot create roles)",
        hint=("server init/grant/revoke/list 须由局管理员用拥有数据库且有 CREATEROLE 权限的账号运行。",
              "server init/grant/revoke/list are run by the bureau's administrator "
              "with the role that owns the database and has CREATEROLE."),
    ),
    "server.not_initialised": T(
        "{url} 尚未设置为局管理服务器",
        "{url} has not been set up as a bureau server",
        cli=("请先运行 auditapp server init URL。", "Run auditapp server init URL first."),
        gui=("请管理员先运行 auditapp server init。", "Ask the administrator to run auditapp server init first."),
    ),
    "server.login_invalid": T(
        "登录名 {login} 不可用",
        "the login name {login} cannot be used",
        hint=("登录名用小写字母、数字和下划线，以字母开头，最多 63 个字符，且不能是 auditapp_hospital、auditapp_bureau 或 pg_ 开头。",
              "Use lower-case letters, digits and underscores, starting with a letter, at most 63 characters; "
              "not auditapp_hospital, auditapp_bureau or a name starting with pg_."),
    ),
    "server.grant_needs_one": T(
        "请指定医院登录所属的机构，或指定为局登录（二者只能选一）",
        "give the institutions of a hospital login, or make it a bureau login (one of the two)",
        cli=("使用 --institution 机构（可重复）或 --bureau。", "Use --institution INSTITUTION (repeatable) or --bureau."),
    ),
    "server.login_other_kind": T(
        "登录 {login} 已经是{kind}登录",
        "the login {login} is already a {kind} login",
        hint=("一个登录只能是医院登录或局登录之一；请换一个登录名，或先 server revoke。",
              "A login is either a hospital or a bureau login; choose another name or run server revoke first."),
    ),
    "server.institution_ambiguous": T(
        "服务器上有 {count} 家机构名为 {ref}",
        "{count} institutions on the server are named {ref}",
        cli=("请用机构编号（UUID）代替名称：auditapp institution list --json。",
             "Give the institution's id (UUID) instead of its name: auditapp institution list --json."),
    ),
    "server.institution_not_found": T(
        "服务器上没有名为 {ref} 的机构",
        "no institution named {ref} is on the server",
        cli=("请用机构编号（UUID，见 auditapp institution list --json）授权：医院第一次同步时会把机构带上服务器。",
             "Grant by the institution's id (UUID, see auditapp institution list --json): "
             "the hospital's first sync brings it to the server."),
    ),
    "server.login_not_found": T(
        "服务器上没有 auditapp 登录 {login}",
        "there is no auditapp login {login} on the server",
        cli=("用 auditapp server list URL 查看现有登录。", "See the logins with auditapp server list URL."),
    ),
    "server.push_refused": T(
        "{url} 拒绝了本机的更改（{table}）：{reason}",
        "{url} refused this computer's changes ({table}): {reason}",
        hint=("服务器和本机都没有任何改动（本次推送已整体撤销）。该登录只能写本机构的记录，不能改动局检查记录或已定稿的检查；"
              "请让局管理员检查授权（auditapp server list）。",
              "Nothing was changed on the server (the whole push was rolled back). This login may write only its own "
              "institutions' records, never a bureau visit or a visit finalized earlier; ask the bureau's administrator "
              "to check the grants (auditapp server list)."),
    ),
    "server.push_hidden": T(
        "{url} 不允许本登录修改 {count} 条记录（{table}）",
        "{url} does not let this login change {count} record(s) ({table})",
        hint=("服务器和本机都没有任何改动（本次推送已整体撤销）。请让局管理员检查授权（auditapp server list）。",
              "Nothing was changed on the server (the whole push was rolled back). Ask the bureau's administrator "
              "to check the grants (auditapp server list)."),
    ),
    "server.push_skipped": T(
        "{count} 条记录属于本登录无权写入的机构，未推送到 {url}",
        "{count} records of institutions this login may not write were not pushed to {url}",
        hint=("这些记录只能由有权限的账号推送；其余记录已同步。", "Only a login allowed to write them can push those records; the rest were synced."),
    ),
    "server.schema_not_migrated": T(
        "{url} 的数据库结构是 {current}，本程序需要 {head}",
        "the schema of {url} is {current}; this version of auditapp needs {head}",
        hint=("此登录不能升级服务器。" + _NOTHING[0] + "请局管理员运行 auditapp server init URL。",
              "This login cannot upgrade the server. " + _NOTHING[1] + " Ask the bureau's administrator to run auditapp server init URL."),
    ),
    "package.bad_signature": T(
        "软件包 {path} 的签名无效：内容在签名后被改动过，或签名是伪造的",
        "the signature of package {path} does not verify: it was changed after signing, or the signature is forged",
        hint=("没有导入任何内容。请向发送方重新索取软件包。", "Nothing was imported. Ask the sender for a new package."),
    ),
    "package.unsigned": T(
        "软件包 {path} 没有签名（由旧版本写出），无法确认来源",
        "package {path} is not signed (written by an older version): where it came from cannot be checked",
        hint=("请让对方用新版本重新导出，或在确认来源后再导入。", "Ask the sender to export again with a current version, or import only if you trust where it came from."),
    ),
    "package.unknown_signer": T(
        "软件包由未知的签名者“{label}”（指纹 {fingerprint}）签名",
        "the package is signed by a signer not seen before, \u201c{label}\u201d (fingerprint {fingerprint})",
        cli=("核对指纹无误后，可用 auditapp keys trust 软件包文件 将其加入信任列表。",
             "If the fingerprint is right (ask the sender), accept it with auditapp keys trust FILE.auditpkg."),
        gui=("核对指纹无误后，可将其加入信任列表。", "If the fingerprint is right (ask the sender), add it to the trust list."),
    ),
    "keys.signing_key_invalid": T(
        "签名密钥文件 {path} 不是 Ed25519 私钥",
        "the signing key file {path} is not an Ed25519 private key",
        hint=("请从备份恢复该文件，或删除它以生成新密钥（其他电脑需重新信任）。",
              "Restore the file from a backup, or delete it to make a new key (other computers must trust it again)."),
    ),
    "keys.trust_list_unreadable": T(
        "信任列表 {path} 无法读取",
        "the trust list {path} cannot be read",
        hint=("请从备份恢复该文件，或删除它后重新信任签名者。", "Restore it from a backup, or delete it and trust the signers again."),
    ),
    "keys.unsigned_cannot_trust": T(
        "该软件包没有签名，无从信任",
        "the package is not signed, so there is no signer to trust",
        hint=("请让对方用新版本重新导出已签名的数据包。", "Ask the sender to export a signed package with a current version."),
    ),
    "keys.not_trusted": T(
        "信任列表中没有指纹为 {fingerprint} 的签名者",
        "no signer with fingerprint {fingerprint} is in the trust list",
        cli=("用 auditapp keys list 查看信任列表。", "See the trust list with auditapp keys list."),
    ),
    "package.encrypted_needs_key": T(
        "软件包 {path} 已加密",
        "package {path} is encrypted",
        cli=("请用 --key 私钥文件 指定接收方的私钥（口令由 AUDITAPP_KEY_PASSPHRASE 提供或在终端输入）。",
             "Give the recipient's private key with --key KEYFILE (the passphrase in AUDITAPP_KEY_PASSPHRASE or typed in)."),
        gui=("请选择接收方的私钥文件并输入口令。", "Choose the recipient's private key file and enter its passphrase."),
    ),
    "package.not_encrypted": T("软件包 {path} 没有加密", "package {path} is not encrypted",
        hint=("导入时不需要给出密钥。", "Import it without a key."),
    ),
    "package.decrypt_failed": T(
        "软件包 {path} 无法解密：不是用这把密钥加密的，或文件已损坏、被截断",
        "package {path} cannot be decrypted: it was not encrypted for this key, or the file is damaged or cut short",
        hint=("没有导入任何内容。请确认密钥，或向发送方重新索取软件包。",
              "Nothing was imported. Check the key, or ask the sender for a new package."),
    ),
    "keys.passphrase_needed": T(
        "需要密钥口令",
        "the key's passphrase is needed",
        hint=("在终端运行时输入口令，或在脚本中设置环境变量 {env}。", "Type it in on a terminal, or set {env} in scripts."),
    ),
    "keys.passphrase_mismatch": T(
        "两次输入的口令不一致",
        "the two passphrases differ",
        hint=("请重新运行并输入相同的口令。", "Run it again and type the same passphrase twice."),
    ),
    "keys.wrong_passphrase": T(
        "无法打开密钥文件 {path}：口令不对，或不是密钥文件",
        "cannot open the key file {path}: wrong passphrase, or not a key file",
        hint=("请重新输入口令，并确认选对了密钥文件。", "Type the passphrase again and check that this is the right key file."),
        gui=("没有导入任何内容。请重新输入口令，并确认选对了密钥文件。",
             "Nothing was imported. Type the passphrase again and check that this is the right key file."),
    ),
    "keys.file_unreadable": T("无法读取密钥文件 {path}：{reason}", "cannot read the key file {path}: {reason}",
        hint=("请检查文件权限和路径。", "Check the file's permissions and path."),
    ),
    "keys.not_an_encryption_key": T(
        "{path} 不是加密用的密钥（X25519）",
        "{path} is not an encryption key (X25519)",
        cli=("用 auditapp keys create -o 文件 生成。", "Make one with auditapp keys create -o FILE."),
    ),
    "keys.not_a_public_key": T(
        "{path} 不是接收方的公钥文件",
        "{path} is not a recipient's public key file",
        cli=("公钥文件由接收方用 auditapp keys export-public 私钥文件 -o 公钥文件 生成。",
             "The recipient makes it with auditapp keys export-public KEYFILE -o PUBFILE."),
    ),
    "server.pgpass_unwritable": T(
        "无法把密码写入 libpq 密码文件 {path}：{detail}",
        "cannot write the password to libpq's password file {path}: {detail}",
        hint=("密码没有保存，其他内容未改动。请检查该文件及其所在文件夹是否可写，或用 PGPASSFILE 指定另一个文件。",
              "The password was not saved and nothing else was changed. Check that the file and its folder are "
              "writable, or name another file with PGPASSFILE."),
    ),
}
