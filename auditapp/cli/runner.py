"""The one runner of every command: parse, check, run, print, map errors to exit codes.

Exit codes: 0 ok (``--help`` and ``--version`` too); 1 an error the user can act on — one
line ``auditapp: error: …`` (or ``auditapp: 错误：…``) saying what is wrong and where (the
option and the value), then one hint line saying how to fix it, on stderr, and nothing
changed; 130 interrupted. Bad usage is such an error: a malformed or out-of-range value
(``--date 2150-01-01``, ``--severity huge``), an unknown option or subcommand, a missing
required argument — argparse's own errors are reworded from the message catalog
(:mod:`auditapp.cli.usage_words`), never argparse's exit 2 and English usage text. A bug
(any other exception) gets one short line naming the log file its traceback went to
(:mod:`auditapp.bug_log`), exit 1.
Hostile surroundings are handled here once for every command: arguments that are not
UTF-8, stdout closed early (``auditapp visit list | head -1``), a terminal that cannot
show Chinese.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import TYPE_CHECKING, Any

from auditapp.cli.context import Context, UsageError
from auditapp.cli.output import emit_event, emit_json, jsonable, print_error
from auditapp.cli.registry import Command, build_parser
from auditapp.errors import AuditAppError

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``auditapp`` with ``argv`` (default ``sys.argv[1:]``); returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    _make_output_safe()
    try:
        code = _main(args_list)
        sys.stdout.flush()  # here, so that a reader gone away is noticed while we can still exit quietly
        return code
    except BrokenPipeError:
        # The reader went away (``| head``): nobody is left to tell, so leave quietly.
        _silence_stdout()
        return 1
    except KeyboardInterrupt:
        return 130


def _main(argv: list[str]) -> int:
    bad = _first_non_utf8(argv)
    if bad is not None:
        position, shown = bad
        _print_code("cli.argument_not_utf8", position=position, value=shown)
        return 1
    parser = build_parser()
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown:
            from auditapp.cli.usage_words import usage_error

            prog = getattr(getattr(args, "command_parser", None), "prog", parser.prog)
            raise usage_error(f"unrecognized arguments: {' '.join(unknown)}", prog)
    except SystemExit as exit_:  # --help, --version
        return _exit_code(exit_)
    except AuditAppError as exc:  # a bad value or bad usage: refused before anything is opened
        print_error(exc.message(), exc.hint(audience="cli"))
        return 1
    ctx = Context(args)
    cmd: Command | None = getattr(args, "command_spec", None)
    try:
        if args.data_dir is not None:
            from auditapp.settings_file import explicit_data_dir  # no pydantic: the GUI starts through here

            explicit_data_dir(args.data_dir)  # refuses --data-dir "" whatever the command
        if cmd is None:
            if args.command is not None:  # a group word without its subcommand (argparse catches it first)
                raise UsageError("cli.usage_command_missing", prog=f"{parser.prog} {args.command}")
            return _run_gui(args)
        return _run_command(cmd, ctx)
    except BrokenPipeError:
        raise
    except AuditAppError as exc:
        _report_error(ctx, exc.code, exc.message(), exc.hint(audience="cli"), exc.hint(audience="gui"))
        return 1
    except OSError as exc:
        code, params = _os_error(exc)
        _report_code(ctx, code, **params)
        return 1
    except MemoryError:
        _report_code(ctx, "cli.out_of_memory")
        return 1
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        from auditapp.bug_log import write_bug_log

        log = write_bug_log(exc, data_dir=ctx.resolved_data_dir, argv=argv)
        if log is None:
            _report_code(ctx, "cli.internal_error_unlogged", kind=type(exc).__name__)
        else:
            _report_code(ctx, "cli.internal_error", kind=type(exc).__name__, log=str(log))
        return 1


def _run_command(cmd: Command, ctx: Context) -> int:
    for dest, option, check in cmd.checks():
        value = getattr(ctx.args, dest, None)
        if value is not None:
            setattr(ctx.args, dest, check(value, option))
    value = cmd.handler(ctx)
    if ctx.machine_progress:
        fields = jsonable(value)
        emit_event("result", **(fields if isinstance(fields, dict) else {"value": fields}))
    elif cmd.json and ctx.json:
        emit_json(value)
    elif cmd.renderer is not None:
        cmd.renderer(value, ctx)
    elif value is not None:
        print(value)
    sys.stdout.flush()
    return ctx.status


def _run_gui(args: argparse.Namespace) -> int:
    from auditapp.settings_file import explicit_data_dir

    explicit_data_dir(None)  # an empty $AUDITAPP_DATA_DIR is refused here, on the terminal
    try:
        from ui.app import run
    except ImportError as exc:  # pragma: no cover - only without the GUI installed
        _print_code("cli.gui_unavailable", reason=str(exc))
        return 1
    return int(run(data_dir=args.data_dir, demo=args.demo))


# ---------------------------------------------------------------------------
# errors


def _print_code(code: str, **params: Any) -> None:
    from auditapp.messages import render_hint, render_message

    print_error(render_message(code, params), render_hint(code, params, audience="cli"))


def _report_code(ctx: Context, code: str, **params: Any) -> None:
    from auditapp.messages import render_hint, render_message

    _report_error(
        ctx,
        code,
        render_message(code, params),
        render_hint(code, params, audience="cli"),
        render_hint(code, params, audience="gui"),
    )


def _report_error(ctx: Context, code: str, message: str, hint: str, gui_hint: str) -> None:
    if ctx.machine_progress:
        from auditapp.messages import has_code

        with contextlib.suppress(OSError):
            emit_event("error", code=code if has_code(code) else None, message=message, hint=hint, gui_hint=gui_hint)
    print_error(message, hint)


# errno → catalog code for file problems the user can fix (disk full, no permission …).
_ERRNO_CODES = {
    errno.ENOSPC: "cli.os_disk_full",
    errno.EDQUOT: "cli.os_disk_full",
    errno.EACCES: "cli.os_permission",
    errno.EPERM: "cli.os_permission",
    errno.EROFS: "cli.os_read_only",
    errno.ENOENT: "cli.os_missing",
    errno.EISDIR: "cli.os_is_folder",
    errno.ENOTDIR: "cli.os_not_folder",
    errno.ENAMETOOLONG: "cli.os_name_too_long",
    errno.EIO: "cli.os_io",
}


def _os_error(exc: OSError) -> tuple[str, dict[str, Any]]:
    path = exc.filename if exc.filename is not None else ""
    code = _ERRNO_CODES.get(exc.errno or -1, "cli.os_other")
    return code, {"path": str(path) or "?", "reason": exc.strerror or type(exc).__name__}


# ---------------------------------------------------------------------------
# surroundings


def _first_non_utf8(argv: Sequence[str]) -> tuple[int, str] | None:
    """The first argument holding bytes that were not UTF-8 (decoded by Python as lone surrogates)."""
    for position, text in enumerate(argv, start=1):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            shown = "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)
            return position, shown
    return None


def _exit_code(exit_: SystemExit) -> int:
    if exit_.code is None:
        return 0
    if isinstance(exit_.code, int):
        return exit_.code
    return 1


def _make_output_safe() -> None:
    """Text that cannot be encoded is written as escapes, never a UnicodeEncodeError.

    That covers a terminal that cannot show Chinese (ASCII, a legacy code page) and text
    holding lone surrogates (a damaged database row) on a UTF-8 terminal alike.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
