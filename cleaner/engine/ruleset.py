"""A loaded set of rules: the generic packs, the site packs and the document settings."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cleaner.engine.rules import Pattern, Rule, compile_pattern
from cleaner.engine.ruletypes import PHASES, TYPES
from cleaner.text.document import ProseTest

# A sentence ends in . ! ? … or their CJK, Arabic and Devanagari forms, then any closing
# quotes and brackets: ” ’ » ) ] and straight quotes count, so quoted paragraphs are prose.
DEFAULT_SENTENCE_END = r"[.!?…。！？؟।][\p{Pf}\p{Pi}\p{Pe}\"']*$"


class Settings(NamedTuple):
    """Document-level thresholds, set in a rule file's [settings] table."""

    prose_min_words: int = 8
    sentence_end: str = DEFAULT_SENTENCE_END
    teaser_end: str = ""  # a line ending like this is a teaser, not a sentence ("" = none)
    prose_long_words: int = 0  # a line this long with inner punctuation is prose (0 = off)
    data_min_tokens: int = 4  # table rows: at least this many tokens ...
    data_digit_share: float = 0.5  # ... and at least this share of them with a digit
    title_max_words: int = 20
    match_timeout: float = 1.0  # seconds one pattern may spend on one line

    def prose_test(self) -> ProseTest:
        """The ProseTest of these settings, made once per process."""
        test = _PROSE_TESTS.get(self)
        if test is None:
            test = ProseTest(
                self.prose_min_words,
                compile_pattern(self.sentence_end),
                compile_pattern(self.teaser_end) if self.teaser_end else None,
                self.prose_long_words,
                self.data_min_tokens,
                self.data_digit_share,
            )
            _PROSE_TESTS[self] = test
        return test

    def remember_prose_test(self, test: ProseTest) -> None:
        """Take `test`, made from these settings by prose_test() in another process (the rule
        cache stores it), as this process's one."""
        _PROSE_TESTS.setdefault(self, test)


_PROSE_TESTS: dict[Settings, ProseTest] = {}


class SitePack(NamedTuple):
    """A rule file for one site: the patterns that detect its pages, and its rules."""

    name: str
    path: str
    detect: tuple[Pattern, ...]
    rules: tuple[Rule, ...]

    def detected_in(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.detect)


class LanguagePack:
    """A rule file with a top-level `language`: its rules apply to documents in those languages.

    Pickled (into the rule cache, to a worker), its rules travel as one pickled blob that is
    unpickled when they are first asked for: a document needs one language pack or none, and
    unpickling the compiled patterns of all of them was most of the time a cached rule set took
    to load (about 18 of 24 ms). Read-only, like the frozen records around it.
    """

    __slots__ = ("_blob", "_rules", "languages", "path")

    def __init__(self, languages: tuple[str, ...], path: str, rules: tuple[Rule, ...]) -> None:
        self.languages = languages  # ISO 639-1 codes
        self.path = path
        self._rules: tuple[Rule, ...] | None = rules
        self._blob: bytes | None = None

    @property
    def rules(self) -> tuple[Rule, ...]:
        if self._rules is None:
            assert self._blob is not None
            self._rules = pickle.loads(self._blob)  # from the pickle this pack came in
            self._blob = None
        return self._rules

    @classmethod
    def _unpickled(cls, languages: tuple[str, ...], path: str, blob: bytes) -> LanguagePack:
        pack = cls(languages, path, ())
        pack._rules, pack._blob = None, blob
        return pack

    def __reduce__(self) -> tuple[Any, ...]:
        blob = self._blob
        if blob is None:
            blob = pickle.dumps(self._rules, protocol=pickle.HIGHEST_PROTOCOL)
        return (LanguagePack._unpickled, (self.languages, self.path, blob))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LanguagePack):
            return NotImplemented
        return (self.languages, self.path, self.rules) == (other.languages, other.path, other.rules)

    def __hash__(self) -> int:
        return hash((self.languages, self.path))

    def __repr__(self) -> str:
        return f"LanguagePack(languages={self.languages!r}, path={self.path!r}, rules={self.rules!r})"


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The loaded rules: generic ones, site packs, language packs and the document settings."""

    generic: tuple[Rule, ...] = ()
    sites: tuple[SitePack, ...] = ()
    settings: Settings = field(default_factory=Settings)
    languages: tuple[LanguagePack, ...] = ()
    # Each rule file's [settings] (path, keys and values), in load order: what `settings` is
    # merged from, so that a failure they cause can be traced to the file that set them.
    settings_from: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()

    @property
    def all_rules(self) -> tuple[Rule, ...]:
        return (
            self.generic
            + tuple(rule for pack in self.languages for rule in pack.rules)
            + tuple(rule for site in self.sites for rule in site.rules)
        )

    def site_names(self) -> tuple[str, ...]:
        return tuple(site.name for site in self.sites)

    def language_codes(self) -> tuple[str, ...]:
        """The languages some pack is for, sorted."""
        return tuple(sorted({code for pack in self.languages for code in pack.languages}))

    def select(
        self, text: str, forced: tuple[str, ...] = (), language: str | None = None
    ) -> tuple[tuple[str, ...], tuple[Rule, ...]]:
        """The site packs that apply to `text`, and all applicable rules in phase order: the
        generic ones, those of the language packs for `language`, and the site packs' ones."""
        unknown = set(forced) - set(self.site_names())
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        sites = tuple(site for site in self.sites if site.name in forced or site.detected_in(text))
        names = tuple(site.name for site in sites)
        packs = tuple(i for i, pack in enumerate(self.languages) if language in pack.languages)
        # The same tuple for the same packs, so that what is built for it can be kept.
        entry = _SELECTIONS.get(id(self))
        if entry is None or entry[0] is not self:
            if len(_SELECTIONS) >= 16:
                _SELECTIONS.clear()
            entry = _SELECTIONS[id(self)] = (self, {})
        key = (names, packs)
        rules = entry[1].get(key)
        if rules is None:
            chosen = self.generic + tuple(r for i in packs for r in self.languages[i].rules)
            rules = entry[1][key] = order_by_phase(chosen + tuple(r for s in sites for r in s.rules))
        return names, rules


_SELECTIONS: dict[int, tuple[RuleSet, dict[tuple[tuple[str, ...], tuple[int, ...]], tuple[Rule, ...]]]] = {}


def order_by_phase(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """Blocks, then paragraphs, then lines, then substitutions; file order within a phase."""
    rank = {cls: index for index, cls in enumerate(TYPES[name] for name in PHASES)}
    return tuple(sorted(rules, key=lambda rule: rank[type(rule)]))
