"""The language of a document, to choose the language packs (rules/lang/*.toml) that apply.

Cheap first, and exact where the script says it all: Chinese, Japanese, Korean, Thai, Greek,
Hebrew and the Indic scripts are told by their characters. Text in the Latin script is voted
on with the commonest function words of English and of the Latin-script languages that have
packs; a clear English majority settles it. Everything else (another Latin-script language,
Cyrillic, Arabic script) goes to py3langid when it is installed (the `lang` extra), and to the
word vote, or to the script's main language (Russian, Arabic), when it is not.

Codes are ISO 639-1, as py3langid gives them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

# What is looked at: the first lines long enough to be prose, up to this many characters.
SAMPLE_CHARS = 3000
MIN_LETTERS = 40  # below this many letters in the sample, the language is unknown (None)
_PROSE_LINE = 40  # characters

# Letters are counted with bytes and str methods: re's Unicode classes cost ~0.1 ms a page.
_ASCII_NOT_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_PUNCTUATION = "".join(chr(c) for c in range(128) if not chr(c).isalnum()) + "«»“”„‘’‚‹›—–…¡¿"
# Scripts told apart by their characters (character classes, compiled when first needed: they
# cost ~5 ms to compile, and most texts are mostly Latin), and the language each one means.
_SCRIPTS: dict[str, str] = {
    "kana": r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]",
    "han": r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]",
    "hangul": r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]",
    "cyrillic": r"[\u0400-\u052f]",
    "arabic": r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]",
    "thai": r"[\u0e00-\u0e7f]",
    "greek": r"[\u0370-\u03ff\u1f00-\u1fff]",
    "hebrew": r"[\u0590-\u05ff]",
    "devanagari": r"[\u0900-\u097f]",
    "bengali": r"[\u0980-\u09ff]",
    "tamil": r"[\u0b80-\u0bff]",
    "georgian": r"[\u10a0-\u10ff]",
    "armenian": r"[\u0530-\u058f]",
}
_SCRIPT_LANGUAGE = {
    "kana": "ja",
    "hangul": "ko",
    "thai": "th",
    "greek": "el",
    "hebrew": "he",
    "devanagari": "hi",
    "bengali": "bn",
    "tamil": "ta",
    "georgian": "ka",
    "armenian": "hy",
}
# Function words, each listed for one language only (a word shared by two is no evidence).
STOPWORDS: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "the and of to is was that with for are this have from by which said it be has were",
        "de": "der die und das ist nicht mit den von sich auf ein eine dem zu auch wird wurde im sind",
        "fr": "le les des et est une dans pour qui pas sur du au avec sont cette il ont ces aux été",
        "es": "el los las y del por pero más fue al sus muy también está este entre cuando según hasta",
        "pt": "os não em uma com do da dos das é foi no na pelo pela mais seu sua ao também",
        "it": "il di che è per della non sono gli nel alla anche più ha dei delle questo essere ma",
        "nl": "het een van dat niet op met zijn voor ook werd bij naar wordt heeft maar nog er deze",
        "pl": "się nie że jest jak po od przez ale czy już są oraz był była tego które który jego "
        "w z dla przy gdy został także",
        "tr": "ve bir bu için ile olarak çok daha gibi ama olan kadar sonra değil ise göre ancak",
    }.items()
}
_VOTES: dict[str, str] = {word: code for code, words in STOPWORDS.items() for word in words}
_MIN_VOTES = 5  # function words needed before the vote means anything
_MIN_FALLBACK_VOTES = 3
_HEAD_CHARS = 600


@cache
def _script_pattern(name: str) -> re.Pattern[str]:
    return re.compile(_SCRIPTS[name])


def sample(text: str) -> str:
    """The first prose-length lines of `text`, up to SAMPLE_CHARS (the text itself if none)."""
    picked: list[str] = []
    size = 0
    for line in text.splitlines():
        if len(line) >= _PROSE_LINE:
            picked.append(line)
            size += len(line)
            if size >= SAMPLE_CHARS:
                break
    return "\n".join(picked)[:SAMPLE_CHARS] if picked else text[:SAMPLE_CHARS]


def letter_count(text: str) -> int:
    """How many letters `text` has.

    >>> letter_count("Ça va, 2 fois ?"), letter_count("東京都は")
    (8, 4)
    """
    ascii_letters = len(text.encode("ascii", "ignore").translate(None, _ASCII_NOT_LETTERS))
    return ascii_letters + sum(char.isalpha() for char in "".join(_NON_ASCII.findall(text)))


def dominant_script(text: str) -> str | None:
    """The script most of the letters are in: "latin", a key of _SCRIPTS, or None (no letters).

    >>> dominant_script("Die Brücke ist offen."), dominant_script("東京都は十五日、発表した。")
    ('latin', 'kana')
    """
    ascii_letters = len(text.encode("ascii", "ignore").translate(None, _ASCII_NOT_LETTERS))
    others = "".join(char for char in "".join(_NON_ASCII.findall(text)) if char.isalpha())
    letters = ascii_letters + len(others)
    if not letters:
        return None
    if ascii_letters >= 0.5 * letters:
        return "latin"
    counts = {name: len(_script_pattern(name).findall(others)) for name in _SCRIPTS}
    # Japanese writes kanji between its kana: a tenth of kana among them is Japanese.
    if counts["kana"] and counts["kana"] >= 0.1 * (counts["kana"] + counts["han"]):
        return "kana"
    counts["kana"] = 0
    name, count = max(counts.items(), key=lambda item: item[1])
    return name if count >= 0.3 * letters else "latin"


def vote(text: str) -> tuple[str | None, int, int]:
    """(winner, its votes, the runner-up's votes) among STOPWORDS' languages.

    >>> vote("Die Brücke über den Fluss ist wieder offen, und der Verkehr rollt auf ihr.")
    ('de', 6, 0)
    """
    tally: dict[str, int] = {}
    for token in text.lower().split():
        code = _VOTES.get(token.strip(_PUNCTUATION))
        if code is not None:
            tally[code] = tally.get(code, 0) + 1
    if not tally:
        return None, 0, 0
    ranked = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    return ranked[0][0], ranked[0][1], ranked[1][1] if len(ranked) > 1 else 0


@cache
def _langid() -> Callable[[str], tuple[str, float]] | None:
    """py3langid's classify(), which loads its model on first use (from cleaner's cache, see
    cleaner.text.langid_model); None when py3langid is not installed."""
    from cleaner.text.langid_model import classifier

    return classifier()


def has_langid() -> bool:
    """Whether py3langid (the `lang` extra) is installed."""
    return _langid() is not None


def detect_language(text: str, use_langid: bool = True) -> str | None:
    """The ISO 639-1 code of the language `text` is mostly in, or None when unsure.

    `use_langid` false leaves py3langid out (what happens when it is not installed).

    >>> detect_language("The bridge over the river reopened on Monday, and the council said it was safe.")
    'en'
    >>> detect_language("서울시는 15일 새로운 대중교통 정책을 발표했다. "
    ...                 "시민들의 출퇴근 시간을 줄이기 위해 버스 노선을 개편한다.")
    'ko'
    >>> detect_language("Home | News") is None  # too few letters to tell
    True
    """
    text = sample(text)
    # Most documents are English: a clear English majority in the first lines settles it.
    head = text[:_HEAD_CHARS]
    if dominant_script(head) == "latin":
        winner, votes, second = vote(head)
        if winner == "en" and votes >= _MIN_VOTES and votes >= 2 * second:
            return "en"
    if letter_count(text) < MIN_LETTERS:
        return None  # too little to tell, and a guess could change when the page is cleaned
    script = dominant_script(text)
    if script is None:
        return None
    if script == "han":
        return "zh"
    if script in _SCRIPT_LANGUAGE:
        return _SCRIPT_LANGUAGE[script]
    winner, votes, second = vote(text) if script == "latin" else (None, 0, 0)
    decisive = votes >= _MIN_VOTES and votes >= 2 * second
    if winner == "en" and decisive:
        return "en"
    # Without py3langid, fewer words have to do for a language with a pack.
    fallback = winner if votes >= _MIN_FALLBACK_VOTES and votes >= 2 * second else None
    classify = _langid() if use_langid else None
    if classify is not None:
        return str(classify(text)[0])
    if script == "cyrillic":
        return "ru"
    if script == "arabic":
        return "ar"
    return fallback
