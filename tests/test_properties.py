"""Properties: cleaning never crashes and a second pass changes nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Options, clean_bytes, clean_text
from tests.conftest import CASES, sample_input

# Lines built from words that the rules know, so that rules fire in random arrangements.
CHROME = [
    "in ,",
    "What do you think?",
    "Subscribe",
    "Notify of",
    "guest",
    "0 Comments",
    "Inline Feedbacks",
    "View all comments",
    "0 0 vote",
    "Article Rating",
    "Report",
    "Support us on Patreon!",
    "Photo by X via REUTERS",
    "",
    "",
    "",
]
PROSE = st.text(alphabet=st.sampled_from("abc xyz.,’“”\u00a0\t&#;\u200bÃ©â€™"), min_size=0, max_size=80)
LINE = st.one_of(st.sampled_from(CHROME), PROSE)
DOCUMENT = st.lists(LINE, max_size=40).map("\n".join)
IDEMPOTENT = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@IDEMPOTENT
@given(st.text())
def test_any_text_cleans_and_cleaning_twice_is_cleaning_once(text):
    once = clean_text(text).text
    assert clean_text(once).text == once


@IDEMPOTENT
@given(DOCUMENT)
def test_documents_of_chrome_and_prose_are_stable(text):
    once = clean_text(text).text
    assert clean_text(once).text == once


@IDEMPOTENT
@given(st.binary())
def test_any_bytes_either_clean_or_raise_a_cleaner_error(data):
    from cleaner.errors import CleanerError

    try:
        result = clean_bytes(data)
    except CleanerError:
        return
    assert clean_text(result.text).text == result.text


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(CASES), st.integers(0, 60), st.integers(0, 60))
def test_samples_cut_anywhere_are_stable(case, start, stop):
    lines = sample_input(case).decode("utf-8").split("\n")
    text = "\n".join(lines[start : start + stop])
    once = clean_text(text, Options()).text
    assert clean_text(once).text == once


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_ascii_words_are_counted_as_the_general_pattern_counts_them(text):
    from cleaner.text.document import _WORD, word_count

    assert word_count(text) == len(_WORD.findall(text))
