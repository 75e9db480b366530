"""argparse's own usage messages in the user's language.

argparse words its errors in English (``the following arguments are required: …``).
The command line answers in Chinese by default, so the messages argparse can produce are
matched here and reworded; anything not matched is shown as argparse wrote it.
"""

from __future__ import annotations

import re

# (pattern over argparse's English message, Chinese wording with \\g<name> groups)
_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), words)
    for pattern, words in (
        (r"the following arguments are required: (?P<names>.+)", r"缺少必需的参数：\g<names>"),
        (r"one of the arguments (?P<names>.+) is required", r"必须给出以下参数之一：\g<names>"),
        (r"unrecognized arguments: (?P<names>.+)", r"无法识别的参数：\g<names>"),
        (r"invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)", r"无效的取值 \g<value>（可选：\g<choices>）"),
        (r"invalid int value: (?P<value>.+)", r"\g<value> 不是整数"),
        (r"invalid float value: (?P<value>.+)", r"\g<value> 不是数字"),
        (r"invalid (?P<type>\w+) value: (?P<value>.+)", r"无效的值 \g<value>"),
        (r"expected one argument", r"需要一个值"),
        (r"expected at most one argument", r"最多只能有一个值"),
        (r"expected at least one argument", r"至少需要一个值"),
        (r"expected (?P<n>\d+) arguments?", r"需要 \g<n> 个值"),
        (r"not allowed with argument (?P<other>.+)", r"不能与参数 \g<other> 同时使用"),
        (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)", r"选项 \g<option> 有歧义，可能是：\g<matches>"),
        (r"ignored explicit argument (?P<value>.+)", r"多余的值 \g<value>"),
        (r"unexpected option string: (?P<option>.+)", r"意外的选项：\g<option>"),
    )
)
_ARGUMENT = re.compile(r"argument (?P<name>[^:]+): (?P<rest>.*)", re.DOTALL)


def _translate_zh(message: str) -> str:
    for pattern, words in _ZH:
        match = pattern.fullmatch(message)
        if match:
            return match.expand(words)
    return message


def localise(message: str, language: str) -> str:
    """argparse's ``message`` in ``language`` (``zh_CN`` or ``en``)."""
    if language != "zh_CN":
        return message
    match = _ARGUMENT.fullmatch(message)
    if match:
        return f"参数 {match.group('name')}：{_translate_zh(match.group('rest'))}"
    return _translate_zh(message)
