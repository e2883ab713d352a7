"""Whitespace and Unicode normalization of one line: what makes two scrapes of a page equal."""

from __future__ import annotations

import unicodedata

import regex

# Non-breaking and other Unicode spaces, tabs and stray vertical whitespace inside a line.
_SPACES = regex.compile(r"[\t\v\f\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000 ]+")
# Invisible characters that only break matching: zero-width space, word joiner, BOM, soft
# hyphen, Mongolian vowel separator. ZWJ/ZWNJ stay: emoji and Persian spelling need them.
_INVISIBLE = regex.compile(r"[\u200b\u2060\ufeff\u00ad\u180e]")
# Possessive, so that a long line that is not plain ASCII (say, a trailing space) fails in
# linear time instead of backtracking over every word boundary.
_PLAIN = regex.compile(r"[\x21-\x7e]++(?: [\x21-\x7e]++)*+")


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
