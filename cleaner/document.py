"""The document model: numbered lines, paragraphs, prose detection and zones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

_LINE_BREAK = regex.compile(r"\r\n|\r|\n")
_WORD = regex.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based line of the input this text came from
    text: str


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
    """Words as runs of letters and digits, the same measure everywhere in the project."""
    return len(_WORD.findall(text))


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


@dataclass(frozen=True, slots=True)
class ProseTest:
    """What counts as a sentence-like paragraph; set by a rule pack's [settings] table."""

    min_words: int
    sentence_end: regex.Pattern[str]

    def is_prose(self, text: str) -> bool:
        return word_count(text) >= self.min_words and bool(self.sentence_end.search(text))


@dataclass(frozen=True, slots=True)
class Zones:
    """Line indexes bounding the body: head is before `first`, tail is after `last`."""

    first: int  # index of the first line of the first prose paragraph
    last: int  # index of the last line of the last prose paragraph

    @classmethod
    def of(cls, lines: Sequence[Line], prose: ProseTest) -> Zones:
        spans = [
            span
            for span in paragraph_spans(lines)
            if prose.is_prose(" ".join(line.text for line in lines[span[0] : span[1]]))
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
