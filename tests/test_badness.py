"""The repair gate's BADNESS_RE with hyperscan answers as ftfy's own pattern does."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.text.badness import _SPACES_BELOW, BadnessTest, _branches, _spaces
from tests.mojibake_corpus import lines as mojibake_lines

ftfy_badness = pytest.importorskip("ftfy.badness")
pytest.importorskip("hyperscan")
BADNESS_RE = ftfy_badness.BADNESS_RE


@pytest.fixture(scope="module")
def built() -> BadnessTest:
    test = BadnessTest(BADNESS_RE)
    assert test.build(), "ftfy's pattern is read and the database built"
    return test


def test_every_branch_is_written_out_and_most_go_to_hyperscan():
    split = _branches(BADNESS_RE)
    assert split is not None
    scanned, rest = split
    assert len(scanned) > 3 * len(rest)


def test_the_answer_is_ftfys_on_a_mojibake_corpus(built):
    lines = mojibake_lines(3000)
    found = [built.search(line) for line in lines]
    assert found == [BADNESS_RE.search(line) is not None for line in lines]
    assert any(found) and not all(found)


# Characters of BADNESS_RE's own classes, letters, spaces, and a lone surrogate.
_ALPHABET = (
    "aZ09 \t.,'\"-_éÉàÃÂâ€™œŸ¢£¤¥§©®°±µ¶·¸¹º»¼½¾¿×÷ĀŁƒˆ˜–—‘’“”„†‡•…‰‹›™ΒΓΞВГРС│┌═░▒▓ﬁ\ufffd\x85\x9d\ud800"
)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=12))
def test_the_answer_is_ftfys_on_any_text(built, text):
    assert built.search(text) == (BADNESS_RE.search(text) is not None)


def test_before_the_database_is_built_ftfys_pattern_answers():
    test = BadnessTest(BADNESS_RE)
    assert test.search("Ã©tÃ©") is True
    assert test.search("été") is False


def test_every_character_of_pythons_whitespace_class_is_below_the_bound_looked_at():
    beyond = "".join(chr(code) for code in range(_SPACES_BELOW, 0x110000) if not 0xD800 <= code < 0xE000)
    assert re.findall(r"\s", beyond) == []
    assert {9, 10, 32, 0xA0, 0x2029, 0x3000} <= set(_spaces())
