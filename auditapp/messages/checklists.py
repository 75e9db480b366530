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
}
