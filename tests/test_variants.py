"""The samples still clean exactly when they arrive damaged: mojibake, CRLF, BOM, entities."""

from __future__ import annotations

import codecs

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import pytest

from cleaner import clean_bytes
from tests.conftest import CASES, sample_expected, sample_input, sample_spec


def removed(result) -> list[tuple[int, str, str]]:
    return [(line.number, r.kind, line.text) for r in result.removals for line in r.lines]


def spec(case: str) -> list[tuple[int, str, str]]:
    return [(r["line"], r["kind"], r["text"]) for r in sample_spec(case)["removed"]]


def mojibake(data: bytes) -> bytes:
    """UTF-8 bytes misread as Windows-1252, then saved again as UTF-8."""
    return data.decode("sloppy-windows-1252").encode("utf-8")


def crlf_bom_tabs(data: bytes) -> bytes:
    lines = data.decode("utf-8").split("\n")
    return codecs.BOM_UTF8 + "\r\n".join(line + "\t\t" if line else line for line in lines).encode()


def entity_apostrophes(data: bytes) -> bytes:
    text = data.decode("utf-8").replace("’", "&#8217;").replace("'", "&#39;")
    return text.encode("utf-8")


@pytest.mark.parametrize("damage", [mojibake, crlf_bom_tabs, entity_apostrophes])
@pytest.mark.parametrize("case", CASES)
def test_damaged_input_cleans_exactly(case, damage):
    data = damage(sample_input(case))
    assert data != sample_input(case)
    result = clean_bytes(data)
    assert result.text == sample_expected(case)
    assert removed(result) == spec(case)


@pytest.mark.parametrize("case", CASES)
def test_mojibake_is_reported_as_repairs(case):
    result = clean_bytes(mojibake(sample_input(case)))
    assert result.repairs
    assert all(repair.fixes for repair in result.repairs)


def test_windows_1252_bytes_decode_with_a_warning():
    data = sample_input(CASES[0]).decode("utf-8").encode("cp1252", errors="strict")
    result = clean_bytes(data, source="page.txt")
    assert result.encoding == "windows-1252"
    assert result.text == sample_expected(CASES[0])
    assert any("not valid UTF-8" in warning for warning in result.warnings)


@pytest.mark.parametrize(("old", "new"), [("0 Comments", "12 Comments"), ("0 0 vote", "5 3 votes")])
def test_other_widget_counts_are_still_the_widget(old, new):
    for case in CASES:
        data = sample_input(case).decode("utf-8")
        if old not in data:
            continue
        result = clean_bytes(data.replace(old, new).encode("utf-8"))
        assert result.text == sample_expected(case)
        want = [(n, k, new if t == old else t) for n, k, t in spec(case)]
        assert removed(result) == want
        break
    else:
        pytest.fail(f"no sample has {old!r}")
