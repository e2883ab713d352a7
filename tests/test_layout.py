"""The package's layout: modules short enough to read, and the imports the README shows."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import cleaner
from tests.conftest import ROOT

PACKAGE = Path(cleaner.__file__).parent
MOST_LINES = 400


def long_modules(package: Path) -> dict[str, int]:
    """The modules under `package` of more than MOST_LINES lines, with their lengths."""
    lines = {
        path.relative_to(package.parent).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in package.rglob("*.py")
    }
    return {name: count for name, count in lines.items() if count > MOST_LINES}


def test_no_module_is_over_400_lines():
    assert len(list(PACKAGE.rglob("*.py"))) > 40, "the walk found too few modules"
    assert long_modules(PACKAGE) == {}


def test_a_module_over_the_limit_is_found(tmp_path):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "sub" / "long.py").write_text("x = 1\n" * (MOST_LINES + 1), encoding="utf-8")
    (tmp_path / "pkg" / "short.py").write_text("x = 1\n" * MOST_LINES, encoding="utf-8")
    assert long_modules(tmp_path / "pkg") == {"pkg/sub/long.py": MOST_LINES + 1}


def test_every_import_the_readme_shows_works():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(
        r"^(?:from (cleaner[\w.]*) import ([\w, ]+)|import (cleaner[\w.]*))$", readme, re.MULTILINE
    )
    assert len(shown) >= 5
    for module, names, plain in shown:
        imported = importlib.import_module(module or plain)
        for name in filter(None, (n.strip() for n in names.split(","))):
            assert hasattr(imported, name), f"{module}.{name}"


EXCEPTION_CLASS = re.compile(r"^class (\w+)\((?:\w+Error|Exception|CleanerError)\):", re.M)


def exception_classes(package: Path) -> dict[str, str]:
    """Each exception class defined under `package`, with the module it is defined in."""
    found = {}
    for path in package.rglob("*.py"):
        for name in EXCEPTION_CLASS.findall(path.read_text(encoding="utf-8")):
            found[name] = path.relative_to(package.parent).as_posix()
    return found


def test_every_exception_of_the_package_is_in_errors_py():
    found = exception_classes(PACKAGE)
    assert {"CleanerError", "RecordFileError", "UsageError", "UnknownSiteError"} <= set(found)
    assert {name: where for name, where in found.items() if where != "cleaner/errors.py"} == {}
