"""The README's two commands are the ones CI runs."""

from __future__ import annotations

from tests.conftest import ROOT


def test_ci_runs_the_readme_install_and_test_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install = "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]' && .venv/bin/cleaner clean samples/*.input.txt"
    assert install in readme
    assert "python3 -m venv .venv" in ci
    assert ".venv/bin/pip install -q -e '.[dev]' && .venv/bin/cleaner clean samples/*.input.txt" in ci
    assert ".venv/bin/python -m pytest" in readme and ".venv/bin/python -m pytest" in ci


def test_every_test_the_guarantees_name_exists():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Guarantees", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(test_\w+)`", section))
    defined = {
        match
        for path in (ROOT / "tests").glob("test_*.py")
        for match in re.findall(r"^def (test_\w+)\(", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert len(named) > 20
    assert named - defined == set()
