"""line_shape() gives what it gave before it took its shortcuts: the ASCII fast paths, the
gates in front of patterns, the letter count only where it is needed."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.engine.page import (
    _CAPITALISED,
    _DIGIT,
    _EMAIL,
    _LABEL_VALUE,
    _LETTER,
    _MARKER,
    _PRICE,
    _SEPARATORS,
    _URL,
    _WORDS,
    FUNCTION_WORDS,
    WORD_BINS,
    TextCache,
    _bin,
    end_mark,
    line_shape,
)
from cleaner.text.document import word_count

ROOT = Path(__file__).resolve().parent.parent


def reference_shape(text: str, words: int) -> list[str]:
    """line_shape() as it was, every pattern run on every text."""
    features = [f"words:{WORD_BINS[_bin(words, WORD_BINS)]}"]
    end = end_mark(text)  # not made faster: shared with line_shape
    if end is not None:
        features.append(end)
    if _MARKER.match(text):
        features.append("marker")
    if _LABEL_VALUE.match(text):
        features.append("label-value")
    if text.count("|") >= 2 or text.startswith("|"):
        features.append("pipe-row")
    if _URL.search(text):
        features.append("url")
    if _EMAIL.search(text):
        features.append("email")
    if "©" in text or "(c)" in text.lower():
        features.append("copyright-sign")
    if len(_SEPARATORS.findall(text)) >= 2:
        features.append("separators")
    if _PRICE.search(text):
        features.append("quantity")
    tokens = _WORDS.findall(text)
    letters = len(_LETTER.findall(text))
    if not letters:
        features.append("no-letters")
    elif len(text) >= 4 and _DIGIT.search(text) and len(_DIGIT.findall(text)) > 0.3 * len(text):
        features.append("digit-heavy")
    if tokens:
        alpha = [t for t in tokens if t[0].isalpha()]
        if len(alpha) >= 2:
            capitalised = sum(1 for t in alpha if _CAPITALISED.match(t))
            share = capitalised / len(alpha)
            if share >= 0.99:
                features.append("caps:all")
            elif share >= 0.6:
                features.append("caps:most")
            if text.isupper() and letters >= 4:
                features.append("upper")
        if len(tokens) >= 4:
            function = sum(1 for t in tokens if t.lower() in FUNCTION_WORDS) / len(tokens)
            features.append(f"function:{_bin(function, (0, 0.1, 0.2, 0.3, 0.45))}")
    if len(text) >= 400:
        features.append("long-chars")
    return features


def texts() -> list[str]:
    files = [*(ROOT / "samples").glob("*.input.txt"), *(ROOT / "tests" / "languages").glob("*.txt")]
    found = {line for path in sorted(files) for line in path.read_text(encoding="utf-8").splitlines()}
    found |= {
        "WWW.EXAMPLE.COM",
        "Mail me: a@b.io",
        "5 KG of flour",
        "$ 5",
        "3 cups",
        "ÀÉÎ ÕÜ Straße",
        "İstanbul Ünye",
        "1 2 3 4",
        "ﬁne Ǆemal ǅemal",
        "ＡＢＣ １２３",
        "Ⅻ Ⓐ ⅰ",
        "①②③ items",
        "x\u2028y",
        "Price:\u00a05\u00a0kg",
        "5\x1ckg",
        "(c) 2024",
        "tbsp|tsp|cups",
        "a'b’c d’e'f",
        "٣ كغ",
        "L" + "a" * 40 + ": the longest label",
        "L" + "a" * 41 + ": one too long",
        "s) step",
        "(3) items",
    }
    return sorted(found)


def reference_content_words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORDS.findall(text) if len(w) > 3)


def test_line_shape_is_as_it_was_on_sample_and_language_texts():
    cache = TextCache()
    shaped_first = TextCache()  # takes the content words from the shape's tokens
    for text in texts():
        words = word_count(text)
        assert line_shape(text, words) == reference_shape(text, words), text
        assert cache.content_words(text) == reference_content_words(text)
        assert shaped_first.shape(text, words) == reference_shape(text, words)
        assert shaped_first.content_words(text) == reference_content_words(text), text


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            "aAzZkK sS019.:/@|()$€%°-–’'\u00a0\x1c\tßİıÉé١٢ＡΣσςǅⅫ①" + "wcomrgnetiolbpu"
        ),
        max_size=60,
    )
)
def test_line_shape_is_as_it_was_on_any_text(text):
    words = word_count(text)
    assert line_shape(text, words) == reference_shape(text, words)
    cache = TextCache()
    cache.shape(text, words)
    assert cache.content_words(text) == reference_content_words(text)


_FRAGMENTS = (
    "http", "HTTPS://", "https:/", "www.", "WwW.", "ww.", ".com", ".CoM", ".io", ".IOS", ".org",
    ".net", ".nets", " | ", " / ", " » ", " › ", " > ", " · ", " • ", "|", "/", " ", "x", "Word",
    "(c)", "(C)", "©", "İ", "\u212a", "ſ", "a@b.io", "5 kg", "1", ".", "\u2003|\u2003",
    "-", "*", "•", "(", ")", "12", "1234", "a", "B", "s", "S", "Step", "STEP ", "step 2", ":",
    ": ", "Label", "\t",
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=12).map("".join))
def test_line_shape_is_as_it_was_on_texts_of_urls_separators_markers_and_labels(text):
    # The gates in front of _URL, _SEPARATORS, _MARKER and _LABEL_VALUE let through every
    # text those match.
    words = word_count(text)
    assert line_shape(text, words) == reference_shape(text, words)
