"""The core's layers point one way: each module imports only its own layer or those below.

Beside ``test_architecture.py`` (no Qt in the core). Every import counts, at the top of a
module or inside a function: a function-local import that reaches upwards is still a
cycle, only hidden until the function runs. Layers, lowest first:

- shared: errors, messages, words, language, settings, paths, rules, scoring, progress …
- formats: ``checklists`` and ``photos`` (the checklist files and the photo store on
  disk); they know nothing of the database, which validates records against them;
- ``db`` (models, engine, migrations);
- ``lookups`` (a record by id, id prefix or name);
- ``stats`` (the dashboard's grouped queries);
- ``services`` (what a user can do);
- ``reports`` and ``sync``, which use the services' public names;
- the command line.

Nothing imports a ``_private`` name from another module (the owner keeps the right to
change it), and nothing in ``auditapp`` imports ``ui`` but the CLI entry point, which
opens the window when no command is given.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO_ROOT
from source_support import parse_file, walk_file

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "shared",
        (
            "auditapp",
            "auditapp.__init__",
            "auditapp.bug_log",
            "auditapp.errors",
            "auditapp.jsonable",
            "auditapp.language",
            "auditapp.messages",
            "auditapp.paths",
            "auditapp.progress",
            "auditapp.rules",
            "auditapp.safe_json",
            "auditapp.scoring",
            "auditapp.settings",
            "auditapp.settings_file",
            "auditapp.terms",
        ),
    ),
    ("formats", ("auditapp.checklists", "auditapp.photos")),
    ("db", ("auditapp.db",)),
    ("lookups", ("auditapp.lookups",)),
    ("stats", ("auditapp.stats",)),
    ("services", ("auditapp.services",)),
    # The bureau server's tenancy (auditapp.server) and direct sync use each other: sync
    # filters pushes by the login's institutions, the server migrates through replica.
    (
        "reports, sync, server, ledger, notice",
        ("auditapp.ledger", "auditapp.notice", "auditapp.reports", "auditapp.server", "auditapp.sync"),
    ),
    ("cli", ("auditapp.cli", "auditapp.__main__")),
)

# `auditapp` without a command opens the GUI, so the CLI runner imports ui (lazily).
MAY_IMPORT_UI = {"auditapp.cli.runner"}


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name of the importing file
    target: str  # dotted module name imported
    name: str | None  # the name taken from it (``from target import name``), if any
    line: int
    local: bool  # inside a function or class body, not at module level


def layer_of(module: str) -> int | None:
    """Index of the layer holding ``module`` (longest matching prefix), None outside auditapp."""
    best: tuple[int, int] | None = None
    for index, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix or (module.startswith(prefix + ".") and prefix != "auditapp")
            if matches and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    return None if best is None else best[1]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(dotted: str, root: Path) -> bool:
    base = root.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports_of(path: Path, root: Path) -> list[Import]:
    """Every import of ``path`` (relative ones resolved), with the line and whether it is local."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = parse_file(path)
    top_level = {id(node) for node in tree.body}
    # Imports under `if TYPE_CHECKING:` at module level count too: they are the same
    # dependency, and a type-only import upwards still says the layer is wrong.
    for node in tree.body:
        if isinstance(node, ast.If | ast.Try):
            top_level.update(id(child) for child in ast.walk(node))
    found: list[Import] = []
    for node in walk_file(path):
        local = id(node) not in top_level
        if isinstance(node, ast.Import):
            found.extend(Import(module, alias.name, None, node.lineno, local) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if _is_module(submodule, root):
                    found.append(Import(module, submodule, None, node.lineno, local))
                else:
                    found.append(Import(module, target, alias.name, node.lineno, local))
    return found


def _private_attributes(path: Path, root: Path, imports: list[Import]) -> list[str]:
    """``module._name`` on a module bound by ``import``/``from … import module``."""
    aliases: set[str] = set()
    for node in walk_file(path):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if any(i.line == node.lineno and i.name is None and i.target.endswith("." + alias.name) for i in imports):
                    aliases.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            aliases.update(alias.asname for alias in node.names if alias.asname and alias.name.startswith("auditapp."))
    module = module_name(path, root)
    return [
        f"{module}:{node.lineno} uses private {node.value.id}.{node.attr}"
        for node in walk_file(path)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in aliases
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]


def violations(root: Path, package: str = "auditapp") -> list[str]:
    """Every import in ``root/package`` that breaks the layer order, one line each."""
    out: list[str] = []
    for path in sorted((root / package).rglob("*.py")):
        if "migrations" in path.parts and "versions" in path.parts:
            continue  # revisions are frozen history: they import only alembic and sqlalchemy
        imports = imports_of(path, root)
        for imp in imports:
            where = f"{imp.importer}:{imp.line}{' (in a function)' if imp.local else ''}"
            if imp.target == "ui" or imp.target.startswith("ui."):
                if imp.importer not in MAY_IMPORT_UI:
                    out.append(f"{where} imports the GUI ({imp.target})")
                continue
            if imp.target != package and not imp.target.startswith(package + "."):
                continue
            own, their = layer_of(imp.importer), layer_of(imp.target)
            if own is None or their is None:
                out.append(f"{where}: {imp.importer if own is None else imp.target} is in no layer (add it to LAYERS)")
            elif their > own:
                out.append(
                    f"{where} imports {imp.target} upwards ({LAYERS[own][0]} -> {LAYERS[their][0]})"
                )
            if imp.name and imp.name.startswith("_") and not imp.name.startswith("__") and imp.target != imp.importer:
                out.append(f"{where} imports private {imp.target}.{imp.name}")
        out.extend(_private_attributes(path, root, imports))
    return out


def test_the_core_imports_only_downwards_and_public_names() -> None:
    assert violations(REPO_ROOT) == []


def test_every_core_module_is_in_a_layer() -> None:
    modules = [module_name(p, REPO_ROOT) for p in (REPO_ROOT / "auditapp").rglob("*.py")]
    assert [m for m in modules if layer_of(m) is None] == []


def test_services_reach_no_report_sync_or_cli_module() -> None:
    # Spelled out on its own: the rule the issue names first, independent of LAYERS' order.
    bad = [
        f"{imp.importer}:{imp.line} -> {imp.target}"
        for path in (REPO_ROOT / "auditapp" / "services").rglob("*.py")
        for imp in imports_of(path, REPO_ROOT)
        if imp.target.startswith(("auditapp.reports", "auditapp.sync", "auditapp.cli"))
    ]
    assert bad == []


# The checker itself, on a small made-up tree: each kind of violation is caught.


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for rel in list(files):
        for parent in Path(rel).parents:
            if str(parent) != ".":
                (tmp_path / parent / "__init__.py").touch()
    return tmp_path


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from auditapp.services.photos import clean\n", "imports auditapp.services.photos upwards (db -> services)"),
        ("def f():\n    from auditapp.services import photos\n", "(in a function) imports auditapp.services.photos upwards"),
        ("from ..services import photos\n", "imports auditapp.services.photos upwards"),
        ("import ui.app\n", "imports the GUI (ui.app)"),
        ("from auditapp.errors import _private\n", "imports private auditapp.errors._private"),
        ("from auditapp import errors\nerrors._hidden()\n", "uses private errors._hidden"),
        ("import auditapp.errors as e\ne._hidden\n", "uses private e._hidden"),
    ],
)
def test_the_checker_catches(tmp_path: Path, source: str, expected: str) -> None:
    root = _tree(
        tmp_path,
        {
            "auditapp/db/engine.py": source,
            "auditapp/services/photos.py": "def clean(): ...\n",
            "auditapp/errors.py": "def _private(): ...\n",
            "ui/app.py": "",
        },
    )
    found = violations(root)
    assert any(expected in line for line in found), found


def test_the_checker_allows_downward_and_own_layer_imports(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "auditapp/services/visits.py": (
                "from auditapp.db import models\nfrom auditapp.services import common\n"
                "from auditapp.errors import NotFoundError\ndef f():\n    from auditapp.lookups import require\n"
            ),
            "auditapp/services/common.py": "",
            "auditapp/db/models.py": "",
            "auditapp/lookups.py": "def require(): ...\n",
            "auditapp/errors.py": "class NotFoundError(Exception): ...\n",
        },
    )
    assert violations(root) == []
