"""Which legacy encoding bytes that are not UTF-8 are in: UTF-16/32 without a BOM, or a guess
by charset-normalizer among the encodings where Windows-1252 would be wrong.

Only called once UTF-8 has failed, so UTF-8 input never imports charset-normalizer. The guess
is taken only when it names a non-Western encoding (Chinese, Japanese, Korean, Cyrillic,
Greek, Hebrew, Arabic, Thai, or a Central European one with a Central European language):
for Western text the guesses among Windows-1252, Latin-1, Windows-1250 and their kin are
near ties that differ only in rare letters, and Windows-1252 is what browsers use.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

# Bytes looked at: enough for a stable guess, a bound on the time it takes.
SAMPLE_BYTES = 256 * 1024
# A guess whose mess ("chaos") is this much above the best one's is no longer a near tie.
_NEAR = 0.05
# Encodings that may be chosen, with the languages (charset-normalizer's names) that must be
# detected with them; None: any language.
_ANY_LANGUAGE = (
    *("gb18030", "gbk", "gb2312", "hz", "big5", "big5hkscs", "cp950"),  # Chinese
    *("shift_jis", "cp932", "shift_jis_2004", "euc_jp", "euc_jis_2004", "iso2022_jp"),  # Japanese
    *("euc_kr", "cp949", "johab", "iso2022_kr"),  # Korean
    *("cp1251", "koi8_r", "koi8_u", "iso8859_5", "mac_cyrillic", "cp866", "cp855"),  # Cyrillic
    *("cp1253", "iso8859_7", "cp1255", "iso8859_8", "cp1256", "iso8859_6"),  # Greek, Hebrew, Arabic
    *("tis_620", "cp874", "iso8859_11"),  # Thai
)
_ACCEPTED: dict[str, frozenset[str] | None] = dict.fromkeys(_ANY_LANGUAGE)
_CENTRAL = frozenset({"Polish", "Czech", "Slovak", "Hungarian", "Croatian", "Slovene", "Romanian"})
_ACCEPTED.update({"cp1250": _CENTRAL, "iso8859_2": _CENTRAL, "mac_latin2": _CENTRAL})
_ACCEPTED.update({"cp1254": frozenset({"Turkish"}), "iso8859_9": frozenset({"Turkish"})})

_WESTERN = frozenset({"cp1252", "latin_1", "iso8859_15", "cp850", "cp437", "mac_roman"})
_NON_ASCII = bytes(range(0x80, 0x100))
_MIN_NON_ASCII = 8
_MIN_UNITS = 16  # characters of UTF-16 or UTF-32 before the NUL bytes tell anything


@dataclass(frozen=True, slots=True)
class Guess:
    encoding: str  # a Python codec name
    confidence: float  # 0 to 1


def utf16_or_32_without_bom(data: bytes) -> Guess | None:
    r"""UTF-16 or UTF-32 told by where the NUL bytes are: the most significant byte of a unit is
    NUL for every ASCII character (spaces and punctuation in any script), the least significant
    one hardly ever.

    >>> utf16_or_32_without_bom("Привет, мир и все, кто в нём".encode("utf-16-le"))
    Guess(encoding='utf-16-le', confidence=0.64)
    >>> utf16_or_32_without_bom(b"not\x00text") is None
    True
    """
    sample = data[:4096]
    for width, names in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        size = len(sample) // width
        if len(data) % width or size < _MIN_UNITS:
            continue
        for name, high, low in zip(names, (width - 1, 0), (0, width - 1), strict=True):
            highs = sum(sample[i * width + high] == 0 for i in range(size))
            lows = sum(sample[i * width + low] == 0 for i in range(size))
            if highs < 0.1 * size or lows > 0.02 * highs:
                continue
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                continue
            if "\x00" in text or _controls(text) > 0.01 * len(text):
                continue
            return Guess(name, round(min(1.0, 0.5 + highs / size / 2), 2))
    return None


def _controls(text: str) -> int:
    return sum(1 for char in text if not char.isprintable() and char not in "\t\n\r\f\v")


def guess_legacy(data: bytes, complete: bool = True) -> Guess | None:
    """charset-normalizer's guess when it is a non-Western encoding that decodes all of `data`
    (`complete` false: `data` is the head of a file, and may end inside a character).

    >>> guess_legacy("В понедельник в Москве прошло заседание правительства.".encode("cp1251"))
    Guess(encoding='cp1251', confidence=1.0)
    >>> guess_legacy("Le café de la gare a rouvert après des travaux très longs.".encode("latin-1"))
    """
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a core dependency, but keep working without it
        return None
    sample = data[:SAMPLE_BYTES]
    # A few odd bytes ("Caf\xe9") are no evidence: any single-byte encoding decodes them.
    if len(sample) - len(sample.translate(None, _NON_ASCII)) < _MIN_NON_ASCII:
        return None
    matches = list(from_bytes(sample))
    if not matches:
        return None
    best = matches[0].chaos
    for match in matches:
        if match.chaos > best + _NEAR or match.encoding in _WESTERN:
            break  # a Western encoding fits as well or better: the text is Western
        languages = _ACCEPTED.get(match.encoding, frozenset())
        if languages is not None and match.language not in languages:
            continue
        if not decodes(data, match.encoding, complete):
            continue
        if languages is None and not _mostly_non_latin(str(match)):
            # Windows-1256 keeps é and ç for French: Portuguese read as it is mostly Latin still.
            continue
        return Guess(match.encoding, round(1.0 - match.chaos, 2))
    return None


def _mostly_non_latin(text: str) -> bool:
    """Whether most letters above ASCII are of another script than Latin, as they must be in
    a text that a Cyrillic, Greek, Arabic, Hebrew, Thai or CJK encoding was right for."""
    letters = [char for char in text if not char.isascii() and char.isalpha()]
    latin = sum(1 for char in letters if char <= "\u024f" or "\u1e00" <= char <= "\u1eff")
    return len(letters) > 0 and latin <= 0.5 * len(letters)


def decodes(data: bytes, encoding: str, complete: bool = True) -> bool:
    """Whether `data` is valid in `encoding` (as the start of a text when not `complete`)."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=complete)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def file_decodes(path: Path, encoding: str, chunk: int = 1 << 20) -> bool:
    """Whether the whole file is valid in `encoding`, read a chunk at a time."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while block := handle.read(chunk):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
