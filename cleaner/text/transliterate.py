"""ASCII for rule ids: Latin letters without their accents, Cyrillic, Greek, Arabic and Hangul
transliterated, and a short hash for the scripts that have no simple letter-by-letter
romanization (Chinese, Japanese, Thai, Indic ...)."""

from __future__ import annotations

import hashlib
import unicodedata


def _words(text: str) -> list[str]:
    return text.split()


_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
        _words("a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya i yi ye g u"),
        strict=True,
    )
)
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        _words("a v g d e z i th i k l m n x o p r s s t y f ch ps o"),
        strict=True,
    )
)
_ARABIC = dict(
    zip(
        "اأإآبتثجحخدذرزسشصضطظعغفقكلمنهويىةءؤئ",
        _words("a a i a b t th j h kh d dh r z s sh s d t z _ gh f q k l m n h w y a a _ w y"),
        strict=True,
    )
)
_LETTERS = {**_CYRILLIC, **_GREEK, **_ARABIC}
_TABLE = {ord(char): ("" if latin == "_" else latin) for char, latin in _LETTERS.items()}

# Hangul syllables decompose into an initial, a vowel and a final (Revised Romanization).
_INITIALS = _words("g kk n d tt r m b pp s ss _ j jj ch k t p h")
_VOWELS = _words("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i")
_FINALS = _words("_ k k k n n n t l k m l l l p l m p p t t ng t t k t p t")


def _hangul(char: str) -> str:
    index = ord(char) - 0xAC00
    initial, rest = divmod(index, 21 * 28)
    vowel, final = divmod(rest, 28)
    return "".join(part for part in (_INITIALS[initial], _VOWELS[vowel], _FINALS[final]) if part != "_")


def to_ascii(text: str) -> str:
    """`text` in ASCII letters where a letter-by-letter transliteration exists; other
    characters are dropped.

    >>> to_ascii("Комментарии"), to_ascii("Κοινοποίηση"), to_ascii("댓글 쓰기"), to_ascii("Ça va")
    ('kommentarii', 'koinopoiisi', 'daetgeul sseugi', 'ca va')
    """
    parts = []
    for char in unicodedata.normalize("NFC", text):
        if char.isascii():
            parts.append(char)
        elif "\uac00" <= char <= "\ud7a3":
            parts.append(_hangul(char))
        elif ord(char.lower()) in _TABLE:  # before decomposing: й is not и
            parts.append(_TABLE[ord(char.lower())])
        else:  # accents go (é, ί); what has no transliteration is dropped
            for base in unicodedata.normalize("NFKD", char.lower()):
                parts.append(base if base.isascii() else _TABLE.get(ord(base), ""))
    return "".join(parts)


def short_hash(text: str) -> str:
    """Six hex digits that name `text` (the same on every machine).

    >>> short_hash("评论")
    'cf5105'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
