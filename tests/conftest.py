"""Shared fixtures: the bundled samples and a ready rule set."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cleaner import load_rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CASES = sorted(p.name.removesuffix(".input.txt") for p in SAMPLES.glob("*.input.txt"))


def sample_input(case: str) -> bytes:
    return (SAMPLES / f"{case}.input.txt").read_bytes()


def sample_expected(case: str) -> str:
    return (SAMPLES / f"{case}.expected.txt").read_text(encoding="utf-8")


def sample_spec(case: str) -> dict:
    return json.loads((SAMPLES / f"{case}.removed.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def builtin_rules():
    return load_rules()


def documented_exit_codes() -> dict[int, str]:
    """The README's table of exit codes (### Exit codes): each code and its meaning."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    return {int(code): meaning for code, meaning in re.findall(r"^\| (\d+) \| (.+) \|$", section, re.M)}
