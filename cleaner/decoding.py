"""Bytes to text: BOM-aware UTF-8, Windows-1252 for invalid UTF-8, or an explicit encoding."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from cleaner.errors import InputError

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    newline: str  # the first line ending seen: "\n", "\r\n" or "\r"
    warnings: tuple[str, ...] = ()


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
        return _decode_wide_or_refuse(data, source, nul)
    if data.startswith(codecs.BOM_UTF8):
        return _decode_as(data, source, "utf-8-sig")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _decode_windows_1252(data, source, error)
    return Decoded(text, "utf-8", detect_newline(text))


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
    """UTF-16 or UTF-32 text without a byte-order mark, told by where its NUL bytes are.

    Text in these encodings that is mostly below U+0100 (Latin scripts, digits, markup) has
    a NUL in the same place of almost every code unit; binary data does not. Returns the
    codec name (utf-32-le, utf-32-be, utf-16-le, utf-16-be) or None.

    >>> sniff_wide_unicode("Hello, world".encode("utf-16-le"))
    'utf-16-le'
    >>> sniff_wide_unicode("Hello".encode("utf-32-be")), sniff_wide_unicode(b"\\x89PNG\\x00\\x00")
    ('utf-32-be', None)
    """
    sample = data[:4096]
    if len(sample) < 4:
        return None
    if len(data) % 4 == 0:
        units = [sample[i : i + 4] for i in range(0, len(sample) - 3, 4)]
        if units and all(u[2:] == b"\x00\x00" and u[:2] != b"\x00\x00" for u in units):
            return "utf-32-le"
        if units and all(u[:2] == b"\x00\x00" and u[2:] != b"\x00\x00" for u in units):
            return "utf-32-be"
    if len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    pairs = len(odd)
    if odd.count(0) >= 0.9 * pairs and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * pairs and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _decode_wide_or_refuse(data: bytes, source: str, nul: int) -> Decoded:
    """Bytes with a NUL: UTF-16 or UTF-32 without a BOM (decoded, with a warning), or binary."""
    wide = sniff_wide_unicode(data)
    if wide is not None:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError:
            text = None
        if text is not None and "\x00" not in text:
            warning = f"{source}: {wide.upper()} without a byte-order mark; decoded as such"
            return Decoded(text, wide, detect_newline(text), (warning,))
    raise InputError(source, f"binary file (NUL byte at offset {nul}); not cleaned")
