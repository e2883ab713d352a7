"""clean_text() pauses the cyclic garbage collector, so cleaning must not make reference cycles."""

from __future__ import annotations

import gc

import pytest

from cleaner import Options, clean_text
from cleaner.engine.pipeline import UnknownSiteError
from tests.conftest import CASES, sample_input
from tests.reference import REFERENCE


def test_cleaning_leaves_no_reference_cycles_behind(builtin_rules):
    options = Options(rules=builtin_rules)
    texts = [sample_input(case).decode("utf-8") for case in CASES]
    texts += [path.read_text(encoding="utf-8") for path in sorted(REFERENCE.glob("page-00*.input.txt"))]
    clean_text(texts[0], options)  # first-use caches
    gc.collect()
    gc.disable()
    try:
        for text in texts:
            clean_text(text, options)
        assert gc.collect() < 100  # not some for every document or line
    finally:
        gc.enable()


def test_the_collector_is_back_on_after_a_clean_and_after_an_error(builtin_rules):
    assert gc.isenabled()
    clean_text("Title\n\nA line.\n", Options(rules=builtin_rules))
    assert gc.isenabled()
    with pytest.raises(UnknownSiteError):
        clean_text("x", Options(rules=builtin_rules, sites=("no-such-site",)))
    assert gc.isenabled()
    gc.disable()
    try:
        clean_text("Title\n\nA line.\n", Options(rules=builtin_rules))
        assert not gc.isenabled()  # a caller's choice stays
    finally:
        gc.enable()
