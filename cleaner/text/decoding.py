"""Bytes to text: BOM-aware UTF-8, a detected legacy encoding or Windows-1252 for invalid
UTF-8 (see detect.py), or an explicit encoding."""

from __future__ import annotations

import codecs
from typing import NamedTuple

from cleaner.errors import InputError

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class Decoded(NamedTuple):
    """A document's bytes as text: the encoding read, the line ending, and any warnings."""

    text: str
    encoding: str
    newline: str  # the first line ending seen: "\n", "\r\n" or "\r"
    warnings: tuple[str, ...] = ()
    confidence: float | None = None  # of a detected encoding; None when not guessed


def detect_newline(text: str) -> str:
    r"""The first line ending in `text`, "\n" when it has none.

    >>> detect_newline("a\r\nb\n")
    '\r\n'
    """
    for index, char in enumerate(text):
        if char == "\n":
            return "\n"
        if char == "\r":
            return "\r\n" if text[index + 1 : index + 2] == "\n" else "\r"
    return "\n"


def decode_bytes(data: bytes, source: str = "<stdin>", encoding: str | None = None) -> Decoded:
    """Decode `data`; refuse binary input; never fail on bytes that are merely not UTF-8.

    >>> decode_bytes(b"caf\\xc3\\xa9").text
    'café'
    >>> decoded = decode_bytes(b"caf\\xe9")
    >>> decoded.text, decoded.encoding
    ('café', 'windows-1252')
    """
    if encoding is not None:
        return _decode_as(data, source, encoding)
    if data.startswith(_UTF16_BOMS):
        return _decode_as(data, source, "utf-16")
    nul = data.find(b"\x00")
    if nul >= 0:
        guessed = _guess_wide(data, source)
        if guessed is not None:
            return guessed
        raise InputError(source, f"binary file (NUL byte at offset {nul}); not cleaned")
    if data.startswith(codecs.BOM_UTF8):
        return _decode_as(data, source, "utf-8-sig")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _decode_legacy(data, source, error)
    return Decoded(text, "utf-8", detect_newline(text))


def _guess_wide(data: bytes, source: str) -> Decoded | None:
    """UTF-16 or UTF-32 without a BOM (detect.py), or None."""
    from cleaner.text.detect import utf16_or_32_without_bom

    guess = utf16_or_32_without_bom(data)
    if guess is None:
        return None
    text = data.decode(guess.encoding)
    warning = detected_warning(source, "no BOM and NUL bytes", guess.encoding, guess.confidence)
    return Decoded(text, guess.encoding, detect_newline(text), (warning,), guess.confidence)


def _decode_legacy(data: bytes, source: str, error: UnicodeDecodeError) -> Decoded:
    """The legacy encoding detect.py finds (GBK, Shift-JIS, Windows-1251 ...), else Windows-1252."""
    from cleaner.text.detect import guess_legacy

    guess = guess_legacy(data)
    if guess is None:
        return _decode_windows_1252(data, source, error)
    text = data.decode(guess.encoding)
    bad = data[error.start : error.start + 1].hex()
    reason = f"not valid UTF-8 (byte 0x{bad} at offset {error.start})"
    name = codecs.lookup(guess.encoding).name
    warning = detected_warning(source, reason, name, guess.confidence)
    return Decoded(text, name, detect_newline(text), (warning,), guess.confidence)


def detected_warning(source: str, reason: str, encoding: str, confidence: float) -> str:
    return (
        f"{source}: {reason}; detected {encoding} (confidence {confidence:.2f}); "
        "use --encoding to choose another"
    )


def _decode_as(data: bytes, source: str, encoding: str) -> Decoded:
    try:
        text = data.decode(encoding)
    except LookupError:
        raise InputError(source, f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex()
        raise InputError(source, f"not valid {encoding} (byte 0x{bad} at offset {error.start})") from None
    if "\x00" in text:
        raise InputError(source, "binary file (NUL character after decoding); not cleaned")
    name = codecs.lookup(encoding).name
    return Decoded(text.removeprefix("\ufeff"), name, detect_newline(text))


def _decode_windows_1252(data: bytes, source: str, error: UnicodeDecodeError) -> Decoded:
    # The five bytes Windows-1252 leaves undefined map to C1 controls instead of failing,
    # as browsers do; ftfy's "sloppy" codec implements exactly that.
    import ftfy.bad_codecs  # noqa: F401  (registers the codec)

    text = data.decode("sloppy-windows-1252")
    bad = data[error.start : error.start + 1].hex()
    warning = (
        f"{source}: not valid UTF-8 (byte 0x{bad} at offset {error.start}); "
        "decoded as Windows-1252 (use --encoding to choose another)"
    )
    return Decoded(text, "windows-1252", detect_newline(text), (warning,))


def sniff_wide_unicode(data: bytes) -> str | None:
    """UTF-16 or UTF-32 text without a byte-order mark, told by where its NUL bytes are (see
    detect.utf16_or_32_without_bom): the codec name, or None.

    >>> sniff_wide_unicode("Hello, world and all the rest".encode("utf-16-le"))
    'utf-16-le'
    >>> sniff_wide_unicode(b"\\x89PNG\\x00\\x00") is None
    True
    """
    from cleaner.text.detect import utf16_or_32_without_bom

    guess = utf16_or_32_without_bom(data)
    return guess.encoding if guess is not None else None
