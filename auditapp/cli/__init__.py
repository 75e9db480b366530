"""The ``auditapp`` command line: scripting and batch work over the same services as the GUI.

Layout:

- ``registry.py`` — :func:`command` and :func:`arg`, the declaration of every command;
  ``GROUPS`` lists the top-level words and the module declaring each group's commands.
- ``runner.py`` — :func:`main`: parses, runs the handler, prints JSON or text, maps
  errors to exit codes (0 ok, 1 an error — bad usage included — with one clear line
  and a hint), and deals
  once for every command with broken pipes, non-UTF-8 arguments and bugs (logged, see
  ``auditapp.bug_log``).
- ``types.py`` — argument types (dates, months, times, numbers) and checks (``-o`` output
  files); ``usage_words.py`` — argparse's own errors as catalog codes.
- ``context.py`` — what a handler gets: ``ctx.args``, ``ctx.data_dir``, ``ctx.db()``.
- ``output.py`` — JSON, JSON lines, tables, error lines.
- one module per command group: ``checklists``, ``demo``, ``institution``,
  ``department``, ``visit``, ``rectification``, ``photo``, ``report``, ``journey``,
  ``plan``, ``pin``, ``backup``, ``sync`` (export, import, sync, conflicts).

Adding a command is a few lines in its group's module::

    @command("visit delete", help="move a visit to the trash", json=True, text=print_id,
             args=[arg("visit", metavar="VISIT")])
    def delete(ctx: Context) -> Any:
        from auditapp.services.visits import delete_visit   # import inside: start-up stays fast

        with ctx.db() as db:
            return delete_visit(db, ctx.args.visit)

Rules the registry relies on:

- ``json=True`` on every command that lists or creates something (the registry adds
  ``--json``; the runner prints the returned value). Give a text renderer with
  ``text=`` or ``@delete.text`` for the plain output; a returned string is printed.
- Choices come from the core's constants (``auditapp.db.models``, ``auditapp.terms``,
  ``auditapp.services.pin_kinds`` …), never written out here.
- Every output file is ``output_file()`` (checked before the command runs); every date
  is ``type=iso_date``. Errors are raised as AuditAppError with a catalog code (the
  words of this package's own errors are in ``auditapp/messages/cli.py``); handlers
  never print errors or call ``sys.exit``.
- Heavy imports (services, SQLAlchemy, ReportLab, the sync engine) go inside handlers.
  A group module is imported only when its group is used, so it may import constants
  from the core at the top.
- A new top-level word is a line in ``registry.GROUPS`` and a new module.
"""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """The ``auditapp`` entry point (``pyproject.toml``: ``auditapp = "auditapp.cli:main"``)."""
    from auditapp.cli.runner import main as run

    return run(argv)


__all__ = ["main"]
