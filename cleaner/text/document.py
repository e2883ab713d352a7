"""The document model: numbered lines, paragraphs, prose detection and zones."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import regex

from cleaner.text.patterns import compiled
from cleaner.text.prefilter import fold

_LINE_BREAK = compiled(r"\r\n|\r|\n")
# A word is a run of letters and digits, but some scripts are written without spaces. There
# characters are counted instead, so that thresholds mean about the same everywhere: every two
# Chinese ideographs or Japanese kana count as one word (a Chinese word averages 1.5 to 2
# characters), and every five Thai, Lao, Khmer or Myanmar characters (vowel signs and tone
# marks included) count as one. Korean puts spaces between words, so Hangul is counted by
# words like the alphabets.
_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\u30fc"  # with ー, the kana length mark
_SOUTHEAST = r"\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
_WORD = compiled(rf"[{_CJK}]{{1,2}}|[^\W{_CJK}]+")
# The same with the Southeast Asian scripts, only for texts that hold one (a third slower).
_SOUTHEAST_WORD = compiled(rf"[{_CJK}]{{1,2}}|[{_SOUTHEAST}]{{1,5}}|[^\W{_CJK}{_SOUTHEAST}]+")
_SOUTHEAST_CHAR = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\ua9e0-\ua9ff\uaa60-\uaa7f\u19e0-\u19ff\U000116d0-\U000116e3]"
)
# Thai and Lao end sentences with a space, not a mark: a line of them is a sentence when it
# ends in a letter of those scripts and is long (twice the prose minimum), unlike a headline.
_UNMARKED_END = compiled(r"[\p{Thai}\p{Lao}]$")
# The same words in ASCII text, where the standard library's re finds them faster.
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")
_INNER_MARK = compiled(r"[.,;!?。，、！？；،؛]")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the document: its text and the number of the input line it came from."""

    number: int  # 1-based line of the input this text came from
    text: str

    def __hash__(self) -> int:
        # Equal lines have equal numbers. Lines are keys of the rules' dicts and sets on every
        # page; hashing the number alone builds no tuple of the two fields.
        return hash(self.number)


def split_lines(text: str) -> list[str]:
    r"""Split on LF, CRLF and CR, the line ends that editors count.

    >>> split_lines("a\r\nb\rc\n")
    ['a', 'b', 'c']
    """
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def word_count(text: str) -> int:
    """Words as runs of letters and digits, the same measure everywhere in the project.

    >>> word_count("Don't panic: 2 sleeps"), word_count("東京都の天気"), word_count("서울시는 15일")
    (5, 3, 2)
    >>> word_count("กรุงเทพมหานครประกาศมาตรการใหม่")  # 30 characters, 4 words
    6
    """
    if text.isascii():
        return len(_ASCII_WORD.findall(text))
    return len((_SOUTHEAST_WORD if _SOUTHEAST_CHAR.search(text) else _WORD).findall(text))


def paragraph_spans(lines: Sequence[Line]) -> list[tuple[int, int]]:
    """Index ranges [start, end) of the runs of non-blank lines.

    >>> paragraph_spans([Line(1, "a"), Line(2, "b"), Line(3, ""), Line(4, "c")])
    [(0, 2), (3, 4)]
    """
    spans = []
    start = None
    for index, line in enumerate(lines):
        if line.text and start is None:
            start = index
        elif not line.text and start is not None:
            spans.append((start, index))
            start = None
    if start is not None:
        spans.append((start, len(lines)))
    return spans


class ProseTest(NamedTuple):
    """What counts as a sentence, prose and a table row; set by a rule pack's [settings] table.

    A line is a sentence when it ends like one and not like a teaser ("Read on…"). Prose is a
    sentence of at least `min_words` words, or a line of at least `long_words` words with
    punctuation inside (a last paragraph that lost its full stop, not a flattened tag list).
    A data line is a table row: `data_min_tokens` tokens, a `data_digit_share` of them numeric.
    """

    min_words: int
    sentence_end: regex.Pattern[str]
    teaser_end: regex.Pattern[str] | None = None
    long_words: int = 0  # 0: no long-line exception
    data_min_tokens: int = 4
    data_digit_share: float = 0.5

    def is_sentence(self, text: str) -> bool:
        if not self.sentence_end.search(text):
            return bool(_UNMARKED_END.search(text)) and word_count(text) >= 2 * self.min_words
        return self.teaser_end is None or not self.teaser_end.search(text)

    def is_prose(self, text: str) -> bool:
        return self.is_prose_of(text, word_count(text))

    def is_prose_of(self, text: str, words: int, is_sentence: Callable[[str], bool] | None = None) -> bool:
        """is_prose() for a text whose word count is known; `is_sentence` may stand in for
        the method of that name (TextFacts passes its cached one)."""
        if words >= self.min_words and (is_sentence or self.is_sentence)(text):
            return True
        return 0 < self.long_words <= words and len(_INNER_MARK.findall(text)) >= 2

    def is_data(self, text: str) -> bool:
        """A table row such as "3 Jane Doe 5033 4 6 15".

        >>> ProseTest(10, regex.compile(r"[.]$")).is_data("3 Jane Doe 5033 4 6 15")
        True
        """
        tokens = text.split()
        if len(tokens) < self.data_min_tokens:
            return False
        # Count the tokens with a digit, stopping as soon as the answer is sure either way.
        need = self.data_digit_share * len(tokens)
        numeric = 0
        left = len(tokens)
        for token in tokens:
            left -= 1
            if not token.isalpha() and any(map(str.isdigit, token)):
                numeric += 1
                if numeric >= need:
                    return True
            elif numeric + left < need:
                return False
        return numeric >= need


class TextFacts:
    """What rules ask of a text (its words; sentence, prose, table row), each worked out once.

    One per document, shared by every rule and every round: the same lines are asked about by
    many rules, and again in the next round. Texts are the keys, so a copy of a line is free.
    """

    __slots__ = ("_data", "_folded", "_prose", "_sentence", "_words", "memo", "prose")

    def __init__(self, prose: ProseTest) -> None:
        self.prose = prose
        self._words: dict[str, int] = {}
        self._sentence: dict[str, bool] = {}
        self._prose: dict[str, bool] = {}
        self._data: dict[str, bool] = {}
        self._folded: dict[str, str | None] = {}
        self.memo: dict[object, dict] = {}  # per-rule answers, keyed by the rule's id()

    def words(self, text: str) -> int:
        count = self._words.get(text)
        if count is None:
            count = self._words[text] = word_count(text)
        return count

    def paragraphs(self, lines: Sequence[Line]) -> list[tuple[int, int, int]]:
        """(start, end, words) of each run of non-blank lines, as paragraph_spans() finds them."""
        words = self.words
        spans = []
        start = None
        count = 0
        for index, line in enumerate(lines):
            text = line.text
            if text:
                if start is None:
                    start, count = index, 0
                count += words(text)
            elif start is not None:
                spans.append((start, index, count))
                start = None
        if start is not None:
            spans.append((start, len(lines), count))
        return spans

    def folded(self, text: str) -> str | None:
        """prefilter.fold(text): what patterns' required strings are looked for in."""
        try:
            return self._folded[text]
        except KeyError:
            folded = self._folded[text] = fold(text)
            return folded

    def is_sentence(self, text: str) -> bool:
        found = self._sentence.get(text)
        if found is None:
            found = self._sentence[text] = self.prose.is_sentence(text)
        return found

    def is_prose(self, text: str, words: int | None = None) -> bool:
        """ProseTest.is_prose(); `words` may pass the count when the caller knows it."""
        found = self._prose.get(text)
        if found is None:
            count = self.words(text) if words is None else words
            found = self._prose[text] = self.prose.is_prose_of(text, count, self.is_sentence)
        return found

    def is_data(self, text: str) -> bool:
        found = self._data.get(text)
        if found is None:
            found = self._data[text] = self.prose.is_data(text)
        return found

    def rule_memo(self, rule: object) -> dict:
        """A dict for one rule's own per-text answers in this document."""
        memo = self.memo.get(id(rule))
        if memo is None:
            memo = self.memo[id(rule)] = {}
        return memo


class Zones(NamedTuple):
    """Line indexes bounding the body: head is before `first`, tail is after `last`."""

    first: int  # index of the first line of the first prose paragraph
    last: int  # index of the last line of the last prose paragraph

    @classmethod
    def of_paragraphs(
        cls, lines: Sequence[Line], paragraphs: list[tuple[int, int, int]], facts: TextFacts
    ) -> Zones:
        """Zones of `lines`, given their paragraphs as TextFacts.paragraphs() finds them."""
        spans = [
            (start, end)
            for start, end, words in paragraphs
            if facts.is_prose(" ".join(line.text for line in lines[start:end]), words)
        ]
        if not spans:
            # No prose at all: every line is both head and tail.
            return cls(first=len(lines), last=-1)
        return cls(first=spans[0][0], last=spans[-1][1] - 1)

    def contains(self, zone: str, index: int) -> bool:
        if zone == "head":
            return index < self.first
        if zone == "tail":
            return index > self.last
        if zone == "edges":
            return index < self.first or index > self.last
        return True
