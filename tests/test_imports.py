"""The package's modules import each other without a cycle: each can be read, and imported,
after the modules it names at its top."""

from __future__ import annotations

import ast
from pathlib import Path

import cleaner

PACKAGE = Path(cleaner.__file__).parent


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_name(path: Path) -> str:
    """`cleaner/text/decoding.py` is `cleaner.text.decoding`; a package's `__init__.py` is the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def module_imports(path: Path) -> set[str]:
    """The cleaner modules `path` imports when it is imported: its module-level imports (not
    those inside functions, nor under `if TYPE_CHECKING:`), wherever they stand in the file."""
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If) and _type_checking(node):
                visit(node.orelse)
            elif isinstance(node, ast.If | ast.Try | ast.With):
                for part in ("body", "orelse", "finalbody", "handlers"):
                    for child in getattr(node, part, []):
                        visit(child.body if isinstance(child, ast.ExceptHandler) else [child])
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name in MODULES)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module in MODULES:
                    found.add(node.module)
                found.update(
                    f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES
                )

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found - {module_name(path)}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every elementary cycle's first appearance in a depth-first walk, as a path."""
    found, state, stack = [], {}, []

    def walk(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                found.append([*stack[stack.index(target) :], target])
            elif target not in state:
                walk(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            walk(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_the_package():
    graph = {name: module_imports(path) for name, path in MODULES.items()}
    assert graph["cleaner.cli.main"], "the walk found none of the command line's imports"
    assert cycles(graph) == []


def test_a_sub_package_imports_nothing_of_its_own():
    # Importing cleaner.engine.pipeline runs cleaner/engine/__init__.py first: were it to import
    # its modules, every module of a layer would load with any one of them.
    packages = [name for name, path in MODULES.items() if path.name == "__init__.py" and name != "cleaner"]
    assert len(packages) >= 6
    assert {name: module_imports(MODULES[name]) for name in packages} == {name: set() for name in packages}
