"""argparse's own usage errors as catalog errors: the same exit code, words and languages as every other error.

argparse reports a missing required argument, an unknown option or subcommand, an option
without its value … as one English sentence given to ``ArgumentParser.error``. The
registry's parsers hand that sentence here; it is matched to a catalog code
(``auditapp/messages/cli.py``, Chinese and English, with a hint naming ``--help`` of the
command concerned) and raised as :class:`~auditapp.cli.context.UsageError` (exit 1).
Bad *values* never get here: the registry's types and choices raise their own coded
errors naming the option (``auditapp.cli.registry.Arg.add_to``).
"""

from __future__ import annotations

import re
from typing import Any

from auditapp.cli.context import UsageError

_ARGUMENT = re.compile(r"argument (?P<option>[^:]+): (?P<rest>.*)", re.DOTALL)
_NAMES_SPLIT = re.compile(r",\s*|\s+")


def _compiled(*pairs: tuple[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each (pattern, catalog code) pair with its pattern compiled."""
    return tuple((re.compile(pattern, re.DOTALL), code) for pattern, code in pairs)


# (pattern over argparse's English sentence, catalog code). Groups become parameters.
_PATTERNS = _compiled(
    (r"the following arguments are required: (?P<names>.+)", "cli.usage_required"),
    (r"one of the arguments (?P<names>.+) is required", "cli.usage_one_required"),
    (r"unrecognized arguments: (?P<names>.+)", "cli.usage_unrecognized"),
    (r"ambiguous option: (?P<value>\S+) could match (?P<names>.+)", "cli.usage_ambiguous"),
    (r"unexpected option string: (?P<value>.+)", "cli.usage_unrecognized_option"),
)
_ARGUMENT_PATTERNS = _compiled(
    (r"invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)", "cli.usage_invalid_choice"),
    (r"expected (one|at most one|at least one|\d+) arguments?", "cli.usage_value_missing"),
    (r"not allowed with argument (?P<other>.+)", "cli.usage_not_allowed_with"),
    (r"ignored explicit argument (?P<value>.+)", "cli.usage_value_extra"),
    (r"invalid \w+ value: (?P<value>.+)", "cli.value_invalid"),
)
# What argparse calls the word after ``auditapp`` and after a group word (registry metavars).
_COMMAND_WORDS = {"COMMAND", "SUBCOMMAND"}


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _names(text: str) -> list[str]:
    return [_unquote(n) for n in _NAMES_SPLIT.split(text.strip()) if n]


def usage_error(message: str, prog: str) -> UsageError:
    """The catalog error for argparse's ``message`` raised by the parser of ``prog`` (``auditapp visit new``)."""
    argument = _ARGUMENT.fullmatch(message)
    if argument is not None:
        option, rest = argument.group("option"), argument.group("rest")
        for pattern, code in _ARGUMENT_PATTERNS:
            match = pattern.fullmatch(rest)
            if match is None:
                continue
            params: dict[str, Any] = {k: _unquote(v) for k, v in match.groupdict().items() if v is not None}
            if code == "cli.usage_invalid_choice":
                params["choices"] = _names(match.group("choices"))
                if option in _COMMAND_WORDS:
                    code = "cli.usage_unknown_command"
            return UsageError(code, option=option, prog=prog, **params)
        return UsageError("cli.usage_argument_other", option=option, prog=prog, text=rest)
    for pattern, code in _PATTERNS:
        match = pattern.fullmatch(message)
        if match is None:
            continue
        params = match.groupdict()
        raw = params.pop("names", "") or ""
        # argv words as typed (unrecognized), or argparse's comma-separated names of arguments
        names: str | list[str] = raw if code == "cli.usage_unrecognized" else _names(raw)
        if code == "cli.usage_required" and set(names) & _COMMAND_WORDS:
            return UsageError("cli.usage_command_missing", prog=prog)
        return UsageError(code, prog=prog, names=names, **{k: _unquote(v) for k, v in params.items()})
    return UsageError("cli.usage_other", prog=prog, text=message)
