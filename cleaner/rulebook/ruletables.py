"""One [[rule]] table to a rule: the keys each rule kind declares (_KINDS), read and checked."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import regex

from cleaner.choices import FAVORS
from cleaner.engine.headings import HEADING_ROLES, Heading
from cleaner.engine.repeated import RepeatedLineRule
from cleaner.engine.rules import ZONES, Example, Pattern, Rule, compile_pattern
from cleaner.engine.ruleset import Settings
from cleaner.engine.ruletypes import TYPES
from cleaner.engine.structure import ArticleRule, Favor
from cleaner.engine.vocabulary import BlockRule, LineRule, ParagraphRule, Step, SubstituteRule
from cleaner.errors import RuleFileError, RuleTimeoutError
from cleaner.rulebook.examples import check_rule

_NAME = regex.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_COMMON_KEYS = {"id", "type", "kind", "description", "example"}

# Threshold keys of the structural types: (key, type); defaults are the dataclass defaults.
_REPEATED_LINE_NUMBERS = (
    ("min_count", int),
    ("max_words", int),
    ("label_max_words", int),
    ("min_run", int),
)

_ARTICLE_NUMBERS = (
    ("floor_words", int),
    ("headline_lookback", int),
    ("box_max_lines", int),
    ("list_min_lines", int),
    ("block_complete_share", float),
    ("prose_keep_words", int),
    ("end_min_words", int),
    ("end_window", int),
    ("stream_min_anchors", int),
    ("stream_spacing", int),
    ("stream_after_share", float),
    ("teaser_min_records", int),
    ("teaser_max_words", int),
    ("teaser_spacing", int),
    ("teaser_max_overlap", float),
    ("cluster_gap", int),
    ("cluster_plain_gap", float),
    ("cluster_main_share", float),
    ("parting_min_lines", int),
)

# The thresholds of one --favor setting, all numbers.
_FAVOR_KEYS = set(Favor._fields)


def _rule(table: Mapping[str, Any], path: str, settings: Settings, check_examples: bool) -> Rule:
    rule_id = _name(table.get("id"), path, None, "rule id")
    type_name = table.get("type")
    if type_name not in TYPES:
        raise RuleFileError(path, rule_id, f"unknown type {type_name!r} (one of: {', '.join(TYPES)})")
    cls = TYPES[type_name]
    kind = _KINDS[cls]
    unknown = set(table) - _COMMON_KEYS - kind.keys
    if unknown:
        raise RuleFileError(path, rule_id, f"unknown key {sorted(unknown)[0]!r} for a {type_name} rule")
    description = table.get("description")
    if not isinstance(description, str) or not description.strip():
        raise RuleFileError(path, rule_id, "needs a description")
    common: dict[str, Any] = {
        "id": rule_id,
        "kind": _name(table.get("kind"), path, rule_id, "kind"),
        "description": description.strip(),
        "path": path,
        "examples": _examples(table.get("example", []), path, rule_id),
    }
    rule = cls(**common, **kind.read(table, path, rule_id, settings))
    if check_examples:
        _check_examples(rule, settings)
    return rule


# What each rule kind reads from its table, besides the common keys. The keys each reader
# takes are declared beside it, in _KINDS below: the one list the loader checks a table against.


def _repeated_line_fields(
    table: Mapping[str, Any], path: str, rule_id: str, settings: Settings
) -> dict[str, Any]:
    return _numbers(_REPEATED_LINE_NUMBERS, table, path, rule_id) | {
        "keep_in_article": _flag(table, "keep_in_article", path, rule_id),
        "labels_stay": _flag(table, "labels_stay", path, rule_id),
    }


def _article_rule_fields(
    table: Mapping[str, Any], path: str, rule_id: str, settings: Settings
) -> dict[str, Any]:
    return _numbers(_ARTICLE_NUMBERS, table, path, rule_id) | _article_fields(table, path, rule_id, settings)


def _block_fields(table: Mapping[str, Any], path: str, rule_id: str, settings: Settings) -> dict[str, Any]:
    steps = table.get("steps")
    if not isinstance(steps, list) or not steps:
        raise RuleFileError(path, rule_id, "a block rule needs a list of steps")
    return {
        "steps": tuple(_step(step, path, rule_id, settings) for step in steps),
        "rest_kind": (
            _name(table["rest_kind"], path, rule_id, "rest_kind") if "rest_kind" in table else None
        ),
        "rest_max_lines": _positive(table.get("rest_max_lines"), path, rule_id, "rest_max_lines"),
    }


def _substitute_fields(
    table: Mapping[str, Any], path: str, rule_id: str, settings: Settings
) -> dict[str, Any]:
    pattern = _pattern(table.get("pattern"), path, rule_id, "pattern", settings)
    replacement = table.get("replacement", "")
    if not isinstance(replacement, str):
        raise RuleFileError(path, rule_id, "replacement must be a string")
    return {"pattern": pattern, "replacement": replacement}


def _paragraph_fields(
    table: Mapping[str, Any], path: str, rule_id: str, settings: Settings
) -> dict[str, Any]:
    pattern = _pattern(table.get("pattern"), path, rule_id, "pattern", settings)
    zone = table.get("zone", "any")
    if zone not in ZONES:
        raise RuleFileError(path, rule_id, f"unknown zone {zone!r} (one of: {', '.join(ZONES)})")
    return {
        "pattern": pattern,
        "zone": zone,
        "max_words": _positive(table.get("max_words"), path, rule_id, "max_words"),
        "keep_in_article": _flag(table, "keep_in_article", path, rule_id),
    }


def _line_fields(table: Mapping[str, Any], path: str, rule_id: str, settings: Settings) -> dict[str, Any]:
    values = _paragraph_fields(table, path, rule_id, settings)
    values["skip_prose"] = _flag(table, "skip_prose", path, rule_id)
    if "prose_needs" in table:
        values["prose_needs"] = _pattern(table["prose_needs"], path, rule_id, "prose_needs", settings)
    return values


@dataclass(frozen=True, slots=True)
class _Kind:
    """The TOML keys a rule kind takes (besides id, type, kind, description and example), and
    the function that checks them and makes the rule's fields of them."""

    keys: frozenset[str]
    read: Callable[[Mapping[str, Any], str, str, Settings], dict[str, Any]]


def _keys(numbers: tuple[tuple[str, type], ...], *others: str) -> frozenset[str]:
    return frozenset(key for key, _ in numbers) | frozenset(others)


_KINDS: dict[type[Rule], _Kind] = {
    RepeatedLineRule: _Kind(
        _keys(_REPEATED_LINE_NUMBERS, "keep_in_article", "labels_stay"), _repeated_line_fields
    ),
    ArticleRule: _Kind(
        _keys(
            _ARTICLE_NUMBERS,
            "heading",
            "tail_kind",
            "gap_kind",
            "weights",
            "headline_weights",
            "favor",
            "stream_kinds",
            "cluster_parting_kinds",
        ),
        _article_rule_fields,
    ),
    LineRule: _Kind(
        _keys((), "pattern", "zone", "max_words", "skip_prose", "keep_in_article", "prose_needs"),
        _line_fields,
    ),
    ParagraphRule: _Kind(_keys((), "pattern", "zone", "max_words", "keep_in_article"), _paragraph_fields),
    BlockRule: _Kind(_keys((), "steps", "rest_kind", "rest_max_lines"), _block_fields),
    SubstituteRule: _Kind(_keys((), "pattern", "replacement"), _substitute_fields),
}


def _flag(table: Mapping[str, Any], key: str, path: str, rule_id: str) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise RuleFileError(path, rule_id, f"{key} must be true or false")
    return value


def _numbers(
    numbers: tuple[tuple[str, type], ...], table: Mapping[str, Any], path: str, rule_id: str
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, wanted in numbers:
        if key not in table:
            continue
        value = table[key]
        if wanted is int:
            values[key] = _positive(value, path, rule_id, key)
        elif isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise RuleFileError(path, rule_id, f"{key} must be a number from 0 to 1")
        else:
            values[key] = float(value)
    return values


def _article_fields(table: Mapping[str, Any], path: str, rule_id: str, settings: Settings) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in ("tail_kind", "gap_kind"):
        if key in table:
            values[key] = _name(table[key], path, rule_id, key)
    for key in ("stream_kinds", "cluster_parting_kinds"):
        kinds = table.get(key, [])
        if not isinstance(kinds, list):
            raise RuleFileError(path, rule_id, f"{key} must be a list of kinds")
        values[key] = tuple(_name(kind, path, rule_id, key) for kind in kinds)
    values["cluster_parting_kinds"] = frozenset(values["cluster_parting_kinds"])
    values["weights"] = _weights(table, "weights", path, rule_id, required=True)
    values["headline_weights"] = _weights(table, "headline_weights", path, rule_id, required=False)
    favors = table.get("favor", {})
    if not isinstance(favors, dict) or "balanced" not in favors:
        raise RuleFileError(
            path, rule_id, "an article rule needs [rule.favor.balanced] (and may have precision, recall)"
        )
    parsed = []
    for name in FAVORS:
        if name not in favors:
            continue
        given = favors[name]
        if not isinstance(given, dict) or set(given) - _FAVOR_KEYS:
            raise RuleFileError(
                path, rule_id, f"[rule.favor.{name}] takes the keys {', '.join(sorted(_FAVOR_KEYS))}"
            )
        for key, number in given.items():
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise RuleFileError(path, rule_id, f"favor.{name}.{key} must be a number")
        parsed.append((name, Favor(**{key: float(number) for key, number in given.items()})))
    unknown = set(favors) - set(FAVORS)
    if unknown:
        raise RuleFileError(
            path, rule_id, f"unknown favor {sorted(unknown)[0]!r} (one of: {', '.join(FAVORS)})"
        )
    # balanced first: it is what an unknown name falls back to
    parsed.sort(key=lambda item: item[0] != "balanced")
    values["favors"] = tuple(parsed)
    headings = table.get("heading", [])
    if not isinstance(headings, list) or not all(isinstance(h, dict) for h in headings):
        raise RuleFileError(path, rule_id, "headings must be [[rule.heading]] tables")
    values["headings"] = tuple(_heading(h, path, rule_id, settings) for h in headings)
    return values


def _weights(
    table: Mapping[str, Any], key: str, path: str, rule_id: str, required: bool
) -> tuple[tuple[str, float], ...]:
    """A table of feature names and their weights."""
    weights = table.get(key, {})
    if not isinstance(weights, dict) or (required and not weights):
        raise RuleFileError(path, rule_id, f"an article rule needs a [rule.{key}] table of feature weights")
    for name, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise RuleFileError(path, rule_id, f"{key}: the weight of {name!r} must be a number")
    return tuple((str(name), float(weight)) for name, weight in sorted(weights.items()))


def _heading(table: dict[str, Any], path: str, rule_id: str, settings: Settings) -> Heading:
    if set(table) - {"role", "kind", "pattern", "max_words"} or "max_words" not in table:
        raise RuleFileError(path, rule_id, "a heading has a role, kind, pattern and max_words")
    role = table.get("role")
    if role not in HEADING_ROLES:
        raise RuleFileError(path, rule_id, f"a heading's role is one of: {', '.join(HEADING_ROLES)}")
    return Heading(
        role,
        _name(table.get("kind"), path, rule_id, "kind"),
        _pattern(table.get("pattern"), path, rule_id, "heading pattern", settings),
        _positive(table["max_words"], path, rule_id, "max_words") or 1,
    )


def _step(step: Any, path: str, rule_id: str, settings: Settings) -> Step:
    if isinstance(step, str):
        step = {"pattern": step}
    if not isinstance(step, dict) or set(step) - {"pattern", "optional"}:
        raise RuleFileError(path, rule_id, "a step is a pattern or {pattern, optional}")
    optional = step.get("optional", False)
    if not isinstance(optional, bool):
        raise RuleFileError(path, rule_id, "a step's optional must be true or false")
    return Step(_pattern(step.get("pattern"), path, rule_id, "step", settings), optional)


def _patterns(value: Any, path: str, rule_id: str, key: str, settings: Settings) -> list[Pattern]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise RuleFileError(path, rule_id, f"{key} needs a pattern or a list of patterns")
    return [_pattern(item, path, rule_id, key, settings) for item in value]


def _pattern(value: Any, path: str, rule_id: str, key: str, settings: Settings) -> Pattern:
    """One pattern, or a list of alternatives joined into one (never an empty alternation)."""
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        value = "|".join(f"(?:{v})" for v in value)
    if not isinstance(value, str) or not value:
        raise RuleFileError(path, rule_id, f"{key} must be a non-empty pattern or list of them")
    compiled = _check_regex(value, path, rule_id)
    return Pattern(value, compiled, rule_id, path, settings.match_timeout)


def _check_regex(value: str, path: str, rule_id: str | None, what: str = "") -> regex.Pattern[str]:
    try:
        return compile_pattern(value)
    except (regex.error, ValueError) as error:  # ValueError: an inline flag regex refuses, (?V0)
        raise RuleFileError(path, rule_id, f"{what}pattern does not compile: {error}") from None


def _examples(value: Any, path: str, rule_id: str) -> tuple[Example, ...]:
    if not isinstance(value, list):
        raise RuleFileError(path, rule_id, "examples must be [[rule.example]] tables")
    examples = []
    for table in value:
        if not isinstance(table, dict) or set(table) - {"input", "output"} or "input" not in table:
            raise RuleFileError(path, rule_id, "an example has an input and maybe an output")
        if not all(isinstance(v, str) for v in table.values()):
            raise RuleFileError(path, rule_id, "example input and output must be strings")
        examples.append(Example(table["input"], table.get("output")))
    changes = any(e.output is not None for e in examples)
    keeps = any(e.output is None for e in examples)
    if not (changes and keeps):
        raise RuleFileError(
            path, rule_id, "needs examples of both kinds: one it changes and one it leaves alone"
        )
    return tuple(examples)


def _check_examples(rule: Rule, settings: Settings) -> None:
    try:
        failures = check_rule(rule, settings)
    except RuleTimeoutError as problem:
        raise RuleFileError(rule.path, rule.id, f"an example fails: {problem}") from None
    if failures:
        number = rule.examples.index(failures[0].example) + 1
        raise RuleFileError(rule.path, rule.id, f"example {number} fails (see: cleaner rules test)")


def _name(value: Any, path: str, rule_id: str | None, what: str) -> str:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise RuleFileError(path, rule_id, f"{what} must be kebab-case words, not {value!r}")
    return value


def _positive(value: Any, path: str, rule_id: str, key: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise RuleFileError(path, rule_id, f"{key} must be a positive whole number")
    return value
