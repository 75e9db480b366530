"""The command registry: every ``auditapp`` command declared once, as data.

A command is a :class:`Command`: its group and name, a help line, its arguments
(:func:`arg`, :class:`OneOf`), the handler that does the work, and what the runner adds
for it (``--json`` for commands that list or create, ``--progress`` for long work). The
handler returns a value; the runner prints it as JSON (``--json``), as JSON lines
(``--progress``) or through the command's text renderer.

Start-up stays fast because nothing here imports a command module until it is needed:
:data:`GROUPS` names each group's module, the top-level parser lists the groups, and a
group's own parser (its subcommands, arguments and choices) is built only when that group
is on the command line or its help is asked for.
"""

from __future__ import annotations

import argparse
import functools
import importlib
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, cast

from auditapp import __version__

# Plain classes rather than dataclasses: importing dataclasses (and with it inspect) would
# cost a third of ``auditapp --version``.

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from auditapp.cli.context import Context

    Handler = Callable[[Context], Any]
    TextRenderer = Callable[[Any, Context], None]
    ArgCheck = Callable[[Any, str], Any]


class Group(NamedTuple):
    """A top-level word (``visit``, ``report`` …) and the module that declares its commands."""

    name: str
    help: str
    module: str


# Every command group, in the order ``auditapp --help`` lists them. A new group is one
# line here and a module under auditapp/cli/ that declares its commands with @command.
GROUPS: tuple[Group, ...] = (
    Group("checklists", "validate and list checklists", "auditapp.cli.checklists"),
    Group("demo", "create demo data (two hospitals with visits)", "auditapp.cli.demo"),
    Group("institution", "institutions (医疗机构)", "auditapp.cli.institution"),
    Group("department", "departments (科室) of an institution", "auditapp.cli.department"),
    Group("visit", "visits (体验/检查)", "auditapp.cli.visit"),
    Group("finding", "problems (问题) of a visit: list, edit, delete, restore", "auditapp.cli.finding"),
    Group("rectification", "rectifications (整改)", "auditapp.cli.rectification"),
    Group("ledger", "rectification ledger (整改台账): export, import a department's return, calendar",
          "auditapp.cli.ledger"),
    Group("notice", "write the rectification notice (整改通知书) of a visit as .docx", "auditapp.cli.ledger"),
    Group("photo", "photos (照片): import, list, verify, annotate, export", "auditapp.cli.photo"),
    Group("report", "write PDF reports (rectification list, visit, follow-up, summary, indicators)", "auditapp.cli.report"),
    Group("journey", "journey timing (就诊环节计时): stamp steps, list intervals", "auditapp.cli.journey"),
    Group("plan", "floor plans (平面图)", "auditapp.cli.plan"),
    Group("pin", "pins on floor plans: AED points, findings, facilities", "auditapp.cli.pin"),
    Group("indicator", "evaluation indicators (评估指标) reported per period: list, set, trend", "auditapp.cli.indicator"),
    Group("leader", "the leadership roster (领导班子) of an institution", "auditapp.cli.leader"),
    Group("duty", "the leaders' monthly duty (每月体验): leaders × months, done or missing", "auditapp.cli.duty"),
    Group("duty-plan", "who walks which route in which month (体验安排)", "auditapp.cli.duty"),
    Group("stats", "dashboard figures: trend, rectifications, recurring problems, heat map, ranking", "auditapp.cli.stats"),
    Group("backup", "database backups", "auditapp.cli.backup"),
    Group("trash", "deleted visits and institutions (回收站): list, restore", "auditapp.cli.trash"),
    Group("export", "write a package file (.auditpkg) to carry visits to another computer", "auditapp.cli.sync"),
    Group("import", "merge a package file into this database (validated whole first)", "auditapp.cli.sync"),
    Group("sync", "sync both ways with another database (SQLite file/folder or PostgreSQL URL)", "auditapp.cli.sync"),
    Group("conflicts", "conflicts found by sync: list, resolve", "auditapp.cli.sync"),
    Group("keys", "signing keys: this computer's, and the package signers it trusts", "auditapp.cli.keys"),
    Group("server", "a bureau's shared PostgreSQL: init, grant, revoke and list logins", "auditapp.cli.server"),
)


class Arg(NamedTuple):
    """One ``add_argument`` call, plus an optional ``check`` the runner applies after parsing.

    ``check(value, option)`` returns the value the handler gets (a Path for a file name)
    or raises an AuditAppError (exit 1) for values that are well formed but unusable —
    an output file in a folder that does not exist, say. Checks run before the handler,
    so a refused command has touched nothing.
    """

    flags: tuple[str, ...]
    options: dict[str, Any]
    check: ArgCheck | None = None

    @property
    def name(self) -> str:
        """The argument as the user knows it: the option (``--date``) or a positional's metavar (``VISIT``)."""
        if self.flags[0].startswith("-"):
            longs = [f for f in self.flags if f.startswith("--")]
            return (longs or list(self.flags))[0]
        return str(self.options.get("metavar") or self.flags[0].upper())

    def add_to(self, parser: argparse.ArgumentParser | Any) -> argparse.Action:
        options = dict(self.options)
        if options.get("type") is not None or options.get("choices") is not None:
            options["type"] = _value_parser(self.name, options.get("type"), options.get("choices"), options.get("default"))
        return parser.add_argument(*self.flags, **options)


def _value_parser(option: str, convert: Callable[[str], Any] | None, choices: Any, default: Any) -> Callable[[str], Any]:
    """``convert`` (an argument type) and the ``choices`` check as one step that names ``option`` when it refuses.

    Every bad value on the command line is refused here: the type's own coded error (a
    date out of range …) gets the option's name; anything else a type raises, and a value
    not among the choices, gets a catalog code of its own. These errors are not
    ``ValueError``: argparse lets them through, the runner prints them (exit 1).
    """

    def parse(text: str) -> Any:
        from auditapp.errors import AuditAppError, InvalidInputError

        try:
            value = convert(text) if convert is not None else text
        except (AuditAppError, TypeError, ValueError, argparse.ArgumentTypeError) as exc:
            if isinstance(exc, AuditAppError) and choices is None:
                exc.params.setdefault("option", option)
                raise
            if choices is not None:  # "--level x": the fix is one of the choices
                raise InvalidInputError("cli.choice_invalid", option=option, value=text, choices=_shown(choices)) from None
            raise InvalidInputError("cli.value_invalid", option=option, value=text) from None
        # argparse converts a string default too; that one is the command's own choice.
        if choices is not None and value not in choices and not (isinstance(default, str) and text == default):
            raise InvalidInputError("cli.choice_invalid", option=option, value=text, choices=_shown(choices))
        return value

    parse.__name__ = getattr(convert, "__name__", "str")
    return parse


def _shown(choices: Any) -> list[str]:
    return [str(c) for c in choices if str(c)]


def arg(*flags: str, check: ArgCheck | None = None, **options: Any) -> Arg:
    """Declare an argument exactly as ``ArgumentParser.add_argument`` takes it."""
    return Arg(flags, options, check)


class OneOf:
    """Arguments of which at most one may be given (``required=True``: exactly one)."""

    def __init__(self, *args: Arg, required: bool = False) -> None:
        self.args = args
        self.required = required


class Command:
    """A command as the runner sees it; made by :func:`command`."""

    def __init__(
        self,
        *,
        group: str,
        name: str | None,
        help: str,
        handler: Handler,
        args: tuple[Arg | OneOf, ...] = (),
        json: bool = False,
        progress: bool = False,
        renderer: TextRenderer | None = None,
        description: str | None = None,
    ) -> None:
        self.group = group
        self.name = name  # None: the group word is the command itself (``auditapp demo``)
        self.help = help
        self.handler = handler
        self.args = args
        self.json = json
        self.progress = progress
        self.renderer = renderer
        self.description = description

    def __repr__(self) -> str:
        return f"<Command auditapp {self.words}>"

    @property
    def words(self) -> str:
        return self.group if self.name is None else f"{self.group} {self.name}"

    def text(self, renderer: TextRenderer) -> TextRenderer:
        """Decorator: how the result reads without ``--json`` (``renderer(value, ctx)``)."""
        self.renderer = renderer
        return renderer

    def checks(self) -> list[tuple[str, str, ArgCheck]]:
        """(dest, option name, check) of every argument that has a check."""
        found = []
        for item in self.args:
            for a in item.args if isinstance(item, OneOf) else (item,):
                if a.check is not None:
                    dest = a.options.get("dest") or _dest_of(a.flags)
                    found.append((dest, a.flags[0], a.check))
        return found


def _dest_of(flags: tuple[str, ...]) -> str:
    longs = [f for f in flags if f.startswith("--")]
    name = (longs or list(flags))[0]
    return name.lstrip("-").replace("-", "_")


_COMMANDS: dict[str, list[Command]] = {}


def command(
    words: str,
    *,
    help: str,
    args: Sequence[Arg | OneOf] = (),
    json: bool = False,
    progress: bool = False,
    text: TextRenderer | None = None,
    description: str | None = None,
) -> Callable[[Handler], Command]:
    """Declare a command: ``@command("visit list", help=…, args=[…], json=True)``.

    ``json=True`` for every command that lists or creates something: the registry adds
    ``--json`` and the runner prints the handler's value as JSON. ``progress=True`` adds
    ``--progress``: progress and the result as JSON lines on stdout (read by the GUI).
    """
    group, _, name = words.partition(" ")
    if group not in {g.name for g in GROUPS}:
        raise ValueError(f"command group {group!r} is not in auditapp.cli.registry.GROUPS")

    def register(handler: Handler) -> Command:
        cmd = Command(
            group=group,
            name=name or None,
            help=help,
            handler=handler,
            args=tuple(args),
            json=json,
            progress=progress,
            renderer=text,
            description=description,
        )
        existing = _COMMANDS.setdefault(group, [])
        if any(c.name == cmd.name for c in existing):
            raise ValueError(f"command 'auditapp {cmd.words}' declared twice")
        existing.append(cmd)
        return cmd

    return register


def commands_of(group: str) -> list[Command]:
    """The commands of ``group``, importing its module on first use."""
    spec = next(g for g in GROUPS if g.name == group)
    importlib.import_module(spec.module)
    return list(_COMMANDS.get(group, []))


def all_commands() -> list[Command]:
    """Every declared command (imports every command module: for tests and docs, not start-up)."""
    return [cmd for g in GROUPS for cmd in commands_of(g.name)]


# ---------------------------------------------------------------------------
# parsers


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are errors like every other of the command line."""

    def error(self, message: str) -> NoReturn:
        """argparse's usage error as a catalog error (exit 1, the user's language), never its exit 2."""
        from auditapp.cli.usage_words import usage_error

        raise usage_error(message, self.prog)


class _ParsersOnDemand(dict[str, Any]):
    """A subparser map (name -> parser) whose parsers are built the first time argparse looks one up.

    argparse reads the map as ``choices`` (``in``, iteration for its error message) and
    picks the chosen parser with ``[name]``; both work with the names alone.
    """

    def __init__(self) -> None:
        super().__init__()
        self._builders: dict[str, Callable[[], argparse.ArgumentParser]] = {}

    def declare(self, name: str, build: Callable[[], argparse.ArgumentParser]) -> None:
        self._builders[name] = build
        super().__setitem__(name, None)

    def __getitem__(self, name: str) -> argparse.ArgumentParser:
        parser = super().__getitem__(name)
        if parser is None:
            parser = self._builders.pop(name)()
            super().__setitem__(name, parser)
        return parser

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self else default  # noqa: SIM401 (self.get is this method)

    def values(self) -> Any:
        return [self[name] for name in self]

    def items(self) -> Any:
        return [(name, self[name]) for name in self]


class SubparsersOnDemand(argparse._SubParsersAction):
    """Subcommands whose parsers are built only when their word is on the command line (or help asks).

    ``auditapp visit list`` needs three parsers (top level, group, command) out of about
    120; building one costs argparse a gettext catalog lookup on disk, so building them
    all took ~14 ms of every run (and most of an in-process test's ``main()`` call).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._on_demand = _ParsersOnDemand()
        self._name_parser_map = self.choices = self._on_demand

    def add_parser_on_demand(self, name: str, help: str, build: Callable[[str], argparse.ArgumentParser]) -> None:
        """Declare subcommand ``name`` (listed in help at once); ``build(prog)`` makes its parser when needed."""
        if name in self._on_demand:
            raise argparse.ArgumentError(self, f"conflicting subparser: {name}")
        self._choices_actions.append(self._ChoicesPseudoAction(name, (), help))
        prog = f"{self._prog_prefix} {name}"
        self._on_demand.declare(name, functools.partial(build, prog))


class GroupParser(Parser):
    """The parser of one group, filled with its commands the first time it is used."""

    def __init__(self, *args: Any, group: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._group = group
        self._filled = False

    def _fill(self) -> None:
        if self._filled:
            return
        self._filled = True
        cmds = commands_of(self._group)
        if len(cmds) == 1 and cmds[0].name is None:
            self.set_defaults(command_spec=cmds[0], command_parser=self)
            add_arguments(self, cmds[0])
            return
        sub = cast(
            "SubparsersOnDemand",
            self.add_subparsers(
                dest="subcommand", metavar="SUBCOMMAND", required=True, parser_class=Parser, action=SubparsersOnDemand
            ),
        )
        for cmd in cmds:
            sub.add_parser_on_demand(cmd.name or "", cmd.help, functools.partial(_command_parser, cmd))

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        self._fill()
        return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        self._fill()
        return super().format_usage()

    def format_help(self) -> str:
        self._fill()
        return super().format_help()


def add_arguments(parser: argparse.ArgumentParser, cmd: Command) -> None:
    for item in cmd.args:
        if isinstance(item, OneOf):
            group = parser.add_mutually_exclusive_group(required=item.required)
            for a in item.args:
                a.add_to(group)
        else:
            item.add_to(parser)
    if cmd.json:
        parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    if cmd.progress:
        parser.add_argument(
            "--progress",
            action="store_true",
            help='print progress and the result as JSON lines on stdout ({"event": "progress", "done": …, "total": …})',
        )


DATA_DIR_HELP = (
    "data folder (default: $AUDITAPP_DATA_DIR, else the folder chosen in Settings, else the user data folder)"
)


def build_parser() -> Parser:
    """The top-level parser: global options and one (still empty) parser per group."""
    parser = Parser(
        prog="auditapp",
        description="Mystery-patient hospital audits (以普通患者身份体验就医流程). Without a command, opens the GUI.",
    )
    parser.add_argument("--version", action="version", version=f"auditapp {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    parser.add_argument(
        "--demo", action="store_true", help="use the demo data folder (and open the GUI on demo data without a command)"
    )
    sub = cast(
        "SubparsersOnDemand",
        parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=GroupParser, action=SubparsersOnDemand),
    )
    for group in GROUPS:
        sub.add_parser_on_demand(group.name, group.help, functools.partial(_group_parser, group))
    return parser


def _group_parser(group: Group, prog: str) -> GroupParser:
    return GroupParser(prog=prog, description=group.help, group=group.name)


def _command_parser(cmd: Command, prog: str) -> Parser:
    parser = Parser(prog=prog, description=cmd.description or cmd.help)
    parser.set_defaults(command_spec=cmd, command_parser=parser)
    add_arguments(parser, cmd)
    return parser
