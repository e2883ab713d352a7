"""Whitespace and Unicode normalization of lines: what makes two scrapes of a page equal."""

from __future__ import annotations

import re  # not regex: for plain character classes, re runs several times faster
import unicodedata

# Non-breaking and other Unicode spaces, tabs and stray vertical whitespace inside a line.
_SPACE_CHARS = r"\t\v\f\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000 "
_SPACES = re.compile(rf"[{_SPACE_CHARS}]+")
# Over a whole text, only the runs that change: a run holding a space other than the plain
# one, or two plain spaces or more (a lone plain space would become itself).
_SPACES_TO_FIX = re.compile(rf"[{_SPACE_CHARS[:-1]}][{_SPACE_CHARS}]*| [{_SPACE_CHARS}]+")
# Invisible characters that only break matching: zero-width space, word joiner, BOM, soft
# hyphen, Mongolian vowel separator. ZWJ/ZWNJ stay: emoji and Persian spelling need them.
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\u00ad\u180e]")
# Possessive, so that a long line that is not plain ASCII (say, a trailing space) fails in
# linear time instead of backtracking over every word boundary.
_PLAIN = re.compile(r"[\x21-\x7e]++(?: [\x21-\x7e]++)*+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the line ends of document.split_lines


def normalize_line(line: str) -> str:
    """Collapse every kind of space to one plain space, drop invisibles, strip, NFC.

    >>> normalize_line("  a\\u00a0\\u00a0b\\u200bc\\t ")
    'a bc'
    """
    if _PLAIN.fullmatch(line):
        return line
    line = _INVISIBLE.sub("", line)
    line = _SPACES.sub(" ", line).strip(" ")
    if not line.isascii():
        line = unicodedata.normalize("NFC", line)
    return line


def normalize_text(text: str) -> list[str]:
    r"""The lines of `text` (split at LF, CRLF and CR), each as normalize_line() makes it.

    The same result as normalizing line by line, several times faster: each substitution
    runs once over the whole text, and none of them can reach across a line break.

    >>> normalize_text("a\u00a0 b \r\n\u200bc\n")
    ['a b', 'c']
    """
    if not text:
        return []
    if "\r" in text:
        # Line ends first: a removed BOM between CR and LF must not join them into one.
        text = _LINE_BREAK.sub("\n", text)
    ends_with_break = text.endswith("\n")  # before a removal could make it so
    text = _INVISIBLE.sub("", text)
    text = _SPACES_TO_FIX.sub(" ", text)
    if not text.isascii():
        # NFC never composes across a line break or a space, so it can run before the split.
        text = unicodedata.normalize("NFC", text)
    lines = text.split("\n")
    if ends_with_break:
        lines.pop()
    return [line.strip(" ") for line in lines]
