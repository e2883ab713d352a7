"""A seeded generator of mojibake lines: text from many Unicode blocks, damaged as scrapers do.

Each line is a short text of words from one or two scripts (with ASCII words, digits, typographic
punctuation and emoji), encoded as UTF-8 and decoded with one of ftfy's single-byte encodings
(its CHARMAP_ENCODINGS, the strict Windows-1252 with replacement characters, or none), sometimes
twice, sometimes only in part, sometimes with the no-break spaces turned into plain ones or an
entity added. tests/test_repair_gate.py compares cleaner's repair with ftfy's on a few thousand
of them; bench/mojibake_diff.py on many more.
"""

from __future__ import annotations

import random

# Blocks of characters used in text, as (first, last) code points.
BLOCKS = (
    (0x00C0, 0x00FF),  # Latin-1 letters
    (0x0100, 0x017F),  # Latin Extended-A
    (0x0180, 0x024F),  # Latin Extended-B
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x0530, 0x058F),  # Armenian
    (0x05D0, 0x05EA),  # Hebrew
    (0x0620, 0x064A),  # Arabic
    (0x0900, 0x097F),  # Devanagari
    (0x0980, 0x09FF),  # Bengali
    (0x0E01, 0x0E5B),  # Thai
    (0x10A0, 0x10FF),  # Georgian
    (0x3041, 0x3096),  # Hiragana
    (0x30A1, 0x30FA),  # Katakana
    (0x4E00, 0x9FFF),  # CJK ideographs
    (0xAC00, 0xD7A3),  # Hangul syllables
    (0x2010, 0x2027),  # General punctuation
    (0x20A0, 0x20BF),  # Currency
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical operators
    (0x2500, 0x257F),  # Box drawing
    (0x1F300, 0x1F5FF),  # Pictographs
    (0x1F600, 0x1F64F),  # Emoticons
)
ASCII_WORDS = ("the", "news", "Read", "more", "2024", "said", "and", "of", "Share", "this", "10%", "U.S.")
MARKS = ("’", "“", "”", "–", "—", "…", "·", "«", "»", "©", "€", "°", "\u00a0")


def _encodings() -> list[str]:
    from ftfy import chardata

    return [*chardata.CHARMAP_ENCODINGS, "windows-1252", "utf-8"]


def _text(rng: random.Random) -> str:
    blocks = rng.sample(BLOCKS, k=rng.randrange(1, 3))
    words = []
    for _ in range(rng.randrange(1, 14)):
        pick = rng.random()
        if pick < 0.35:
            words.append(rng.choice(ASCII_WORDS))
        elif pick < 0.45:
            words.append(rng.choice(MARKS))
        else:
            low, high = rng.choice(blocks)
            words.append("".join(chr(rng.randint(low, high)) for _ in range(rng.randrange(1, 8))))
    return " ".join(words)


def _decode(text: str, encoding: str) -> str:
    """The UTF-8 bytes of `text` read as `encoding` (strict codecs replace what they lack)."""
    import ftfy.bad_codecs  # noqa: F401  (registers the sloppy codecs)

    return text.encode("utf-8").decode(encoding, errors="replace")


def line(rng: random.Random, encodings: list[str]) -> str:
    text = _text(rng)
    encoding = rng.choice(encodings)
    damaged = _decode(text, encoding)
    kind = rng.random()
    if kind < 0.1:  # twice
        damaged = _decode(damaged, rng.choice(encodings))
    elif kind < 0.25:  # in part: clean text around a damaged word
        damaged = f"{_text(rng)} {damaged} {_text(rng)}"
    elif kind < 0.32:  # the no-break spaces of the mojibake turned into plain ones
        damaged = damaged.replace("\u00a0", " ")
    elif kind < 0.36:
        damaged = f"{damaged} &amp; {rng.choice(ASCII_WORDS)}"
    elif kind < 0.40:
        damaged = damaged.replace(" ", "<br> ", 1)
    return damaged


def lines(count: int, seed: int = 13) -> list[str]:
    """`count` lines of generated mojibake (and some clean text), the same for the same seed."""
    rng = random.Random(seed)
    encodings = _encodings()
    return [line(rng, encodings) for _ in range(count)]
