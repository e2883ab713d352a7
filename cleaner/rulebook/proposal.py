"""What `rules suggest` proposes: its options, the documents as it reads them, the line keys, the
proposed rules with their evidence, and the rule file they make."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from cleaner.engine.pipeline import Options, clean_text
from cleaner.engine.ruleset import RuleSet
from cleaner.text.document import split_lines
from cleaner.text.normalization import normalize_line

HEAD, TAIL, INSIDE = "head", "tail", "inside"

_NUMBER = regex.compile(r"\d+(?:[.,]\d+)*")

_NUMBER_AND_WORD = regex.compile(r"(\d+(?:[.,]\d+)*)(\s+)(\p{L}{3,})")

_PUNCTUATION = regex.compile(r"[^\w\s]+")

_SPECIAL = set(r"\.^$*+?()[]{}|")


@dataclass(frozen=True, slots=True)
class SuggestOptions:
    min_docs: int = 3  # a candidate recurs in at least this many documents
    min_share: float = 0.5  # ... and in at least this share of them
    max_words: int = 12  # longer lines must also sit outside the body
    prefix: str = "site"  # rule ids start with this


@dataclass(slots=True)
class _Doc:
    name: str
    lines: list[str]  # normalised text per line; "" for blank lines and those loaded rules removed
    keys: list[str | None]
    body: list[bool] = field(default_factory=list)
    first_body: int = 0
    last_body: int = -1

    def set_bounds(self) -> None:
        indexes = [index for index, is_body in enumerate(self.body) if is_body]
        self.first_body, self.last_body = (indexes[0], indexes[-1]) if indexes else (0, -1)

    def position(self, index: int) -> str:
        if not any(self.body) or index < self.first_body:
            return HEAD
        return TAIL if index > self.last_body else INSIDE


@dataclass(frozen=True, slots=True)
class Evidence:
    """A recurring line that was not proposed, and why."""

    text: str
    documents: int
    reason: str


@dataclass(frozen=True, slots=True)
class ProposedRule:
    id: str
    toml: str
    documents: int
    lines_removed: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    documents: int
    rules: tuple[ProposedRule, ...]
    not_proposed: tuple[Evidence, ...]
    dropped: tuple[str, ...]  # rules refused by the final checks, with the reason
    options: SuggestOptions

    def toml(self, source: str = "the batch") -> str:
        return render_file(self, source)


def line_key(text: str) -> str:
    """What two occurrences of the same chrome line have in common.

    >>> line_key("12 Comments") == line_key("1 comment")
    True
    >>> line_key("in ,")
    'in'
    """
    key = _NUMBER_AND_WORD.sub(lambda m: "0 " + m.group(3).casefold().removesuffix("s"), text)
    key = _NUMBER.sub("0", key.casefold())
    key = " ".join(_PUNCTUATION.sub(" ", key).split())
    return key or "\0" + "".join(text.split())


def generalise(text: str) -> str:
    r"""A pattern for `text`: numbers become \d+, the word after a number may be plural.

    >>> generalise("12 Comments")
    '\\d+ Comments?'
    >>> generalise("0 0 vote")
    '\\d+ \\d+ votes?'
    >>> generalise("Help us grow. Support us!")
    'Help us grow\\. Support us!'
    """
    parts: list[str] = []
    position = 0
    for number in _NUMBER.finditer(text):
        parts.append(_escape(text[position : number.start()]))
        parts.append(r"\d+" if number.group().isdigit() else r"\d[\d,.]*")
        position = number.end()
        word = _NUMBER_AND_WORD.match(text, number.start())
        if word is not None and word.end(1) == number.end():
            parts.append(word.group(2) + _escape(word.group(3).removesuffix("s")) + "s?")
            position = word.end()
    parts.append(_escape(text[position:]))
    return "".join(parts)


def _escape(text: str) -> str:
    return "".join("\\" + char if char in _SPECIAL else char for char in text)


def read_document(name: str, text: str, ruleset: RuleSet) -> _Doc:
    """The document's lines as the rules see them, with the lines `ruleset` removes blanked."""
    result = clean_text(text, Options(rules=ruleset))
    removed = {line.number for removal in result.removals for line in removal.lines}
    repaired = {repair.line: repair.after for repair in result.repairs}
    lines: list[str] = []
    for number, raw in enumerate(split_lines(text), 1):
        if number in removed:
            lines.append("")
            continue
        fixed = repaired.get(number, raw)
        lines += [normalize_line(part) for part in (split_lines(fixed) or [""])]
    return _Doc(name, lines, [None] * len(lines))


def _quote(text: str, limit: int = 70) -> str:
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def _toml_pattern(patterns: list[str]) -> str:
    def one(pattern: str) -> str:
        return f"'{pattern}'" if "'" not in pattern and "\n" not in pattern else _toml(pattern)

    return one(patterns[0]) if len(patterns) == 1 else "[" + ", ".join(one(p) for p in patterns) + "]"


def _toml_text(text: str) -> str:
    if not text:
        return '""'
    if "'''" not in text and not text.endswith("'"):
        return f"'''\n{text}'''"
    return _toml(text)


def render_file(suggestion: Suggestion, source: str) -> str:
    """The rule file: a header, each rule with its evidence, then what was not proposed."""
    options = suggestion.options
    head = [
        f"# Rules proposed by `cleaner rules suggest` from {suggestion.documents} documents in {source}",
        f"# (a line recurs in at least {options.min_docs} documents and {options.min_share:.0%} of them).",
        "# Review each rule before use, then test it: cleaner rules test FILE",
        "# To apply these rules to one site only, add a [site] table with its name and detect patterns.",
    ]
    parts = ["\n".join(head) + "\n"]
    parts += [rule.toml for rule in suggestion.rules]
    if suggestion.not_proposed:
        notes = ["# Recurring lines not proposed (documents: line, reason):"]
        notes += [f"#   {e.documents}: {_quote(e.text)}: {e.reason}" for e in suggestion.not_proposed[:30]]
        if len(suggestion.not_proposed) > 30:
            notes.append(f"#   ... and {len(suggestion.not_proposed) - 30} more")
        parts.append("\n".join(notes) + "\n")
    return "\n".join(parts)
