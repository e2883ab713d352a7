"""The gate in front of ftfy: whatever it lets through unrepaired, ftfy would not change."""

from __future__ import annotations

import itertools

from ftfy import chardata, fix_and_explain
from ftfy.badness import BADNESS_RE
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.engine.pipeline import Options, _prepare, _prepare_by_line
from cleaner.text.normalization import normalize_line, normalize_text
from cleaner.text.repair import _TYPOGRAPHIC, _config, _ftfy_repair, _round_trip, may_need_repair, repair_line
from tests import mojibake_corpus

CHARMAP = [*chardata.CHARMAP_ENCODINGS, "windows-1252"]

ASCII_SAMPLE = "aZz .,1'\"\t-"


def test_the_typographic_set_holds_nothing_an_ftfy_fixer_rewrites():
    rewritten = set(chardata.CONTROL_CHARS) | set(chardata.LIGATURES) | set(chardata.WIDTH_MAP)
    for char in _TYPOGRAPHIC:
        assert ord(char) not in rewritten and not 0x80 <= ord(char) < 0xA0
        assert fix_and_explain(char, _config(False)).text == char


def test_no_short_sequence_of_gate_characters_looks_like_mojibake_to_ftfy():
    # ftfy's mojibake patterns are at most six characters long; three-character windows of
    # the allowed characters, with letters and punctuation around them, never match.
    alphabet = _TYPOGRAPHIC + ASCII_SAMPLE
    for length in (1, 2, 3):
        for chars in itertools.product(alphabet, repeat=length):
            text = "".join(chars)
            assert not BADNESS_RE.search(text), text
            assert not may_need_repair(text)


# Text mixing what the gate lets through with what it must not: mojibake, entities,
# controls, ligatures, wide forms, combining marks, CR and LF, BOMs and odd spaces.
PIECES = [
    *_TYPOGRAPHIC,
    *ASCII_SAMPLE,
    *("â€™", "Ã©", "Â ", "Ã ", "&amp;", "&#10;", "\x85", "\x1b[0m", "\x07", "ﬁ", "Ｗ"),
    *("e\u0301", "\u0301", "\r", "\n", "\r\n", "\ufeff", "\u200b", "\u00ad", "é", "œ", "Ø"),
]
MIXED = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(MIXED, st.booleans(), st.booleans())
def test_the_fast_path_gives_what_line_by_line_repair_gives(text, ascii_quotes, repair):
    options = Options(ascii_quotes=ascii_quotes, repair=repair)
    assert _prepare(text, options) == _prepare_by_line(text, options)


@settings(max_examples=400, deadline=None)
@given(MIXED)
def test_text_the_gate_passes_is_left_alone_by_ftfy_line_by_line(text):
    if not may_need_repair(text):
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            assert fix_and_explain(line, _config(False)).text == line


@settings(max_examples=400, deadline=None)
@given(MIXED)
def test_normalizing_the_whole_text_is_normalizing_each_line(text):
    from cleaner.text.document import split_lines

    assert normalize_text(text) == [normalize_line(line) for line in split_lines(text)]


def test_the_round_trip_repairs_as_ftfy_does_over_generated_mojibake():
    # tests/mojibake_corpus.py: every Unicode block used in text, read as each of ftfy's
    # single-byte encodings; bench/mojibake_diff.py runs the same over many more lines.
    taken = 0
    for line in mojibake_corpus.lines(1500, seed=6):
        for ascii_quotes in (False, True):
            expected = _ftfy_repair(line, ascii_quotes) if may_need_repair(line, ascii_quotes) else (line, ())
            assert repair_line(line, ascii_quotes) == expected, line
            taken += _round_trip(line, ascii_quotes) is not None
    assert taken > 1000  # the round trip, not ftfy, repaired most of them


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x2FFF)), st.sampled_from(CHARMAP))
def test_the_round_trip_of_any_text_read_in_the_wrong_encoding_is_ftfys(text, encoding):
    import ftfy.bad_codecs  # noqa: F401

    damaged = text.encode("utf-8").decode(encoding, errors="replace")
    for ascii_quotes in (False, True):
        if may_need_repair(damaged, ascii_quotes):
            assert repair_line(damaged, ascii_quotes) == _ftfy_repair(damaged, ascii_quotes)
