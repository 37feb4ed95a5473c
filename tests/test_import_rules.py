"""The project's own modules are imported at the top of a module (docs/architecture.md, "Layers").

A function-local import hides a dependency (often a cycle) from the reader and from
import-linter. It is allowed only in `AppConfig.ready()` and in the command-line entry
points, which import models after `champion.setup_django()`. The few left below wait for
work on other branches; each says why. Do not add to the list: move the import up, or break
the cycle (types under TYPE_CHECKING, or the work moves to the caller).
"""

from __future__ import annotations

import ast
from pathlib import Path

import champion

SRC = Path(champion.__file__).resolve().parent

#: Command-line entry points: they set Django up, then import what the command needs.
ENTRY_POINTS = {"cli.py", "learning/content/cli.py"}


def _local_imports(tree: ast.AST) -> list[tuple[int, str, str]]:
    """(line, module imported, enclosing function) for each import inside a function."""
    found = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
                continue
            if function is not None and isinstance(child, ast.Import):
                found.extend((child.lineno, a.name, function) for a in child.names)
            elif function is not None and isinstance(child, ast.ImportFrom) and child.module:
                found.append((child.lineno, child.module, function))
            visit(child, function)

    visit(tree, None)
    return found


def test_no_function_imports_our_own_modules_outside_ready_and_the_entry_points():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        if "/migrations/" in name or name in ENTRY_POINTS:
            continue
        for line, module, function in _local_imports(ast.parse(path.read_text())):
            if not (module == "champion" or module.startswith("champion.")):
                continue
            if function == "ready" and path.name == "apps.py":
                continue
            offenders.append(f"{name}:{line} imports {module} inside {function}()")
    assert offenders == []


def test_the_rule_sees_an_import_inside_a_function():
    tree = ast.parse("def f():\n    if True:\n        from champion.core import audit\n")
    assert _local_imports(tree) == [(3, "champion.core", "f")]
