"""The store of the modules' compiled patterns: what comes from it is the pattern asked for, and
a store that is damaged or that others could have written is not used."""

from __future__ import annotations

import pytest
import regex

import cleaner.engine.page
from cleaner.text import patterns


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A cache directory of its own, and the module's state as in a new process."""
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    monkeypatch.setattr(patterns, "_made", {})
    monkeypatch.setattr(patterns, "_stored", None)
    return tmp_path


def new_process(monkeypatch):
    monkeypatch.setattr(patterns, "_made", {})
    monkeypatch.setattr(patterns, "_stored", None)


def test_a_stored_pattern_is_the_one_asked_for(fresh, monkeypatch):
    made = patterns.compiled(r"(?i)\bbridge\b", regex.I)
    patterns.save()
    [store] = fresh.glob("patterns-*.pickle")
    new_process(monkeypatch)
    again = patterns.compiled(r"(?i)\bbridge\b", regex.I)
    assert again is patterns._stored[(r"(?i)\bbridge\b", int(regex.I))]  # from the store
    assert (again.pattern, again.flags) == (made.pattern, made.flags)
    assert again.findall("The Bridge and the bridges; a bridge.") == ["Bridge", "bridge"]
    other = patterns.compiled(r"\bferry\b")  # not stored: compiled as before
    assert other.search("the ferry") is not None and store.exists()


def test_a_damaged_store_is_ignored(fresh, monkeypatch):
    patterns.compiled(r"\d+")
    patterns.save()
    [store] = fresh.glob("patterns-*.pickle")
    store.write_bytes(store.read_bytes()[:40])
    new_process(monkeypatch)
    assert patterns.compiled(r"\d+").findall("12 of 345") == ["12", "345"]
    assert patterns._stored == {}


def test_a_store_others_could_have_written_is_not_trusted(fresh, monkeypatch):
    patterns.compiled(r"\d+")
    patterns.save()
    [store] = fresh.glob("patterns-*.pickle")
    store.chmod(0o666)
    new_process(monkeypatch)
    patterns.compiled(r"\d+")
    assert patterns._stored == {}


def test_nothing_is_stored_without_a_cache(fresh, monkeypatch):
    monkeypatch.setenv("CLEANER_NO_CACHE", "1")
    patterns.compiled(r"\d+")
    patterns.save()
    assert list(fresh.iterdir()) == []


def test_the_modules_patterns_go_through_the_store():
    # A module-level pattern of the article model is one the store would give back.
    assert any(pattern is cleaner.engine.page._MARKER for pattern in patterns._made.values())
