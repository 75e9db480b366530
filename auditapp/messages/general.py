"""Messages of the general area (see auditapp.messages): settings and the data folder."""

from __future__ import annotations

from auditapp.messages import T, Text

MESSAGES: dict[str, Text] = {
    "work.cancelled": T("已取消，未做任何更改。", "Cancelled; nothing was changed."),
    "settings.data_dir_option_empty": T(
        "--data-dir 指定的数据文件夹为空",
        "--data-dir names no folder (the value is empty)",
        hint=("请写出数据文件夹的路径，例如 --data-dir ~/审计数据；不写 --data-dir 则使用设置中选定的文件夹。",
              "Give the data folder's path, e.g. --data-dir ~/audit-data; leave --data-dir out to use the folder chosen in Settings."),
    ),
    "settings.data_dir_env_empty": T(
        "环境变量 {env} 已设置但为空",
        "the environment variable {env} is set but empty",
        hint=("请给 {env} 写上数据文件夹的路径，或删除该变量（unset {env}）以使用设置中选定的文件夹。",
              "Set {env} to the data folder's path, or remove it (unset {env}) to use the folder chosen in Settings."),
    ),
}
