"""A page's lines as the article model sees them: each line's shape, and a cache of what its text says."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from cleaner.text.patterns import compiled

_MARKER = compiled(r"^(?:[-*•·▪●◦‣►▶✓✔☐☑→»]|\d{1,3}[.)]|[a-zA-Z][.)]|\(\d{1,3}\)|step\s+\d+\b)\s*", regex.I)

_LABEL_VALUE = compiled(r"^[\p{L}\p{N}][\p{L}\p{N} ’'&/()-]{0,40}:\s+\S")

_URL = compiled(r"https?://|www\.|\.(?:com|org|net|io)\b", regex.I)

_EMAIL = compiled(r"\S@\S+\.\w")

_SEPARATORS = compiled(r"\s[|·•/»›>]\s")
_SEPARATOR_MARK = re.compile(r"[|·•/»›>]")

_CAPITALISED = compiled(r"^\p{Lu}")
# Whether _CAPITALISED takes a letter, for each letter met: one lookup a token, not a match.
_CAPITAL_FIRSTS: dict[str, bool] = {}

_WORDS = compiled(r"[\p{L}\p{N}’']+")

_DIGIT = compiled(r"\p{N}")

_LETTER = compiled(r"\p{L}")

_PRICE = compiled(r"[$€£¥]\s?\d|\d\s?(?:%|°|kg|g|ml|l|cm|mm|km|mph|oz|lb|lbs|cups?|tbsp|tsp)\b", regex.I)

# Function words of the languages the generic packs cover: a sentence of a list item or a table
# cell has them, a headline or a menu mostly does not.
_FUNCTION_WORDS_TEXT = """
    a an the and or but if of to in on at by for with from as is are was were be been being it its
    this that these those there here not no so than then too very can will would should could may
    might must do does did done have has had you your we our they their he his she her i my me us
    them which who whom whose what when where why how all any each some more most other such only
    own same just also into over under about after before between through during without within
    up down out off again further once because while until against among per via
    der die das und oder ist sind ein eine nicht mit von zu den dem des für auf im
    le la les et ou est sont un une des du pas avec pour dans sur par au aux
    el los las y o es son una del con por para en que se al lo
    o os as e é um uma do da dos das com não em no na
    il di che è per non con si gli
    het een en van is niet met voor op
    и в не на что с по это как из
"""

FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())

# Kinds of chrome that come after an article ends: what follows them is likelier tail.
END_KINDS = frozenset({"comments", "comment-widget", "author-bio"})

WORD_BINS = (0, 1, 2, 3, 5, 8, 12, 20, 35)  # lower bounds of the word-count buckets
_WORD_FEATURES = tuple(f"words:{bound}" for bound in WORD_BINS)
# _WORDS, _PRICE, _DIGIT and _LETTER for ASCII texts, where \p{L} is [A-Za-z], \p{N} is
# [0-9], "’" is absent, and ignoring case relates no other character to an ASCII letter: the
# standard library's re finds the same matches faster.
_ASCII_WORDS = re.compile(r"[A-Za-z0-9']+")
_ASCII_DIGIT = re.compile(r"[0-9]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_ASCII_PRICE = re.compile(
    r"[$€£¥]\s?\d|\d\s?(?:%|°|kg|g|ml|l|cm|mm|km|mph|oz|lb|lbs|cups?|tbsp|tsp)\b", re.IGNORECASE | re.ASCII
)


def _bin(value: float, bounds: Sequence[float]) -> int:
    """Index of the last bound that `value` reaches (0 when it reaches none); bounds ascend.

    >>> _bin(7, (0, 1, 2, 3, 5, 8)), _bin(-1, (0, 1)), _bin(8, (0, 1, 2, 3, 5, 8))
    (4, 0, 5)
    """
    return max(bisect_right(bounds, value) - 1, 0)


@dataclass(slots=True)  # not frozen: a frozen one sets each field through object.__setattr__
class PageLine:
    """What the model knows of one non-blank line of the page before any rule ran (made once
    per line and round, never changed)."""

    text: str
    words: int
    sentence: bool
    prose: bool
    data: bool
    block: int  # index of its paragraph block (a run of lines between blank lines)
    evidence: str | None  # the kind a vocabulary rule removed it as, if one did
    heading: str | None = None  # the role of the section heading it matches ("list", "end")


def end_mark(text: str) -> str | None:
    """The feature of how a line ends: a colon, a question or exclamation mark, a bracket, a
    digit; None for anything else (a full stop is what `sentence` says)."""
    stripped = text.rstrip()
    last = stripped[-1:] if stripped else ""
    if last == ":":
        return "end:colon"
    if last == "?":
        return "end:question"
    if last == "!":
        return "end:exclaim"
    if last in ")]":  # an empty end too, as it always was: a line of spaces
        return "end:bracket"
    if last.isdigit():
        return "end:digit"
    return None


def _may_be_marked(text: str) -> bool:
    """False when ASCII text cannot begin as _MARKER does: with -, *, a digit, "(", a letter
    and "." or ")", or "step"."""
    first = text[:1]
    if first.isalpha():
        return text[1:2] in (".", ")") or first in "sS"
    return first.isdigit() or first in "-*("


def _may_be_url(lowered: str) -> bool:
    """False when lower-case ASCII text holds none of what every match of _URL holds."""
    return (
        "http" in lowered
        or "www." in lowered
        or ".com" in lowered
        or ".org" in lowered
        or ".net" in lowered
        or ".io" in lowered
    )


def line_shape(text: str, words: int) -> list[str]:
    """The features of a line's own text."""
    return _shape(text, words)[0]


def _shape(text: str, words: int) -> tuple[list[str], list[str], list[str] | None]:
    """line_shape(), and the text's tokens (_WORDS) and, for four tokens or more, the same in
    lower case, from which TextCache takes the content words without finding them again."""
    lowered: list[str] | None = None
    features = [_WORD_FEATURES[_bin(words, WORD_BINS)]]
    end = end_mark(text)
    if end is not None:
        features.append(end)
    ascii = text.isascii()
    if (not ascii or _may_be_marked(text)) and _MARKER.match(text):
        features.append("marker")
    # A label is one character and up to 40 more before its colon.
    if text.find(":", 1, 42) >= 0 and _LABEL_VALUE.match(text):
        features.append("label-value")
    if text.count("|") >= 2 or text.startswith("|"):
        features.append("pipe-row")
    # In ASCII text, ignoring case relates ASCII letters only: the lower-case text holds what
    # every match of _URL needs, else _URL cannot match.
    lowered_text = text.lower()
    if ("." in text or "://" in text) and (not ascii or _may_be_url(lowered_text)) and _URL.search(text):
        features.append("url")
    if "@" in text and _EMAIL.search(text):
        features.append("email")
    if "©" in text or "(c)" in lowered_text:
        features.append("copyright-sign")
    if _SEPARATOR_MARK.search(text) and len(_SEPARATORS.findall(text)) >= 2:
        features.append("separators")
    # Every match of _PRICE holds a digit, and a text without \p{N} holds none.
    digits = _ASCII_DIGIT if ascii else _DIGIT
    digit = digits.search(text) is not None
    if digit and (_ASCII_PRICE if ascii else _PRICE).search(text):
        features.append("quantity")
    tokens = (_ASCII_WORDS if ascii else _WORDS).findall(text)
    if (_ASCII_LETTER if ascii else _LETTER).search(text) is None:
        features.append("no-letters")
    elif len(text) >= 4 and digit and len(digits.findall(text)) > 0.3 * len(text):
        features.append("digit-heavy")
    if tokens:
        if ascii:  # first letters: isalpha() is [A-Za-z] and isupper() [A-Z]
            firsts = [t[0] for t in tokens]
            alphas = sum(map(str.isalpha, firsts))
            capitalised = sum(map(str.isupper, firsts))
        else:
            firsts = [t[0] for t in tokens if t[0].isalpha()]
            alphas = len(firsts)
            capitals = _CAPITAL_FIRSTS
            for first in set(firsts).difference(capitals):
                capitals[first] = _CAPITALISED.match(first) is not None
            capitalised = sum(map(capitals.__getitem__, firsts))
        if alphas >= 2:
            share = capitalised / alphas
            if share >= 0.99:
                features.append("caps:all")
            elif share >= 0.6:
                features.append("caps:most")
            if text.isupper() and len(_LETTER.findall(text)) >= 4:
                features.append("upper")
        if len(tokens) >= 4:
            # An ASCII text's tokens in lower case are its lower case's tokens.
            lowered = _ASCII_WORDS.findall(lowered_text) if ascii else [t.lower() for t in tokens]
            function = sum(map(FUNCTION_WORDS.__contains__, lowered)) / len(tokens)
            features.append(f"function:{_bin(function, (0, 0.1, 0.2, 0.3, 0.45))}")
    if len(text) >= 400:
        features.append("long-chars")
    return features, tokens, lowered


class TextCache:
    """What the model works out from a text alone (its shape, its content words), kept for
    the rounds of one document: the same lines are read again in every round."""

    __slots__ = ("shapes", "words")

    def __init__(self) -> None:
        self.shapes: dict[str, list[str]] = {}
        self.words: dict[str, frozenset[str]] = {}

    def shape(self, text: str, words: int) -> list[str]:
        found = self.shapes.get(text)
        if found is None:
            found, tokens, lowered = _shape(text, words)
            self.shapes[text] = found
            if text not in self.words:
                if lowered is None:
                    lowered = [token.lower() for token in tokens]
                # As content_words() finds them: _WORDS tokens, the same in ASCII text.
                self.words[text] = frozenset(
                    [low for token, low in zip(tokens, lowered, strict=True) if len(token) > 3]
                )
        return found

    def content_words(self, text: str) -> frozenset[str]:
        found = self.words.get(text)
        if found is None:
            words = (_ASCII_WORDS if text.isascii() else _WORDS).findall(text)
            found = self.words[text] = frozenset([w.lower() for w in words if len(w) > 3])
        return found
