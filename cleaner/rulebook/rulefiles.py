"""Rule files (TOML) to a rule set: files, settings, site and language packs, checked at load time
(each [[rule]] table is read in ruletables.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import regex

from cleaner.engine.rules import Rule
from cleaner.engine.ruleset import LanguagePack, RuleSet, Settings, SitePack
from cleaner.errors import RuleFileError

_FILE_KEYS = {"rule", "site", "settings", "language"}

_LANGUAGE = regex.compile(r"[a-z]{2,3}")  # an ISO 639 code

# Each setting and its type as written ("int"; NamedTuple keeps a written type as a ForwardRef).
_SETTINGS = {name: getattr(kind, "__forward_arg__", kind) for name, kind in Settings.__annotations__.items()}


def builtin_rules_dir() -> Path:
    # The package's own folder: importlib.resources would cost more than loading cached rules.
    import cleaner.builtin_rules

    return Path(cleaner.builtin_rules.__file__).parent


def rule_file_paths(path: Path) -> list[Path]:
    """A file as given, or every *.toml below a directory, sorted."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*.toml") if p.is_file())
    if not path.exists():
        raise RuleFileError(str(path), None, "no such file or directory")
    return [path]


def load_rules(
    paths: Iterable[str | Path] = (), builtin: bool = True, check_examples: bool = True
) -> RuleSet:
    """Load the built-in packs (unless `builtin` is false) and then each of `paths`.

    A rule whose examples fail is refused unless `check_examples` is false, which is how
    `cleaner rules test` loads rules so that it can report every failure.
    """
    files: list[Path] = []
    if builtin:
        root = builtin_rules_dir()
        files += rule_file_paths(root / "generic") + rule_file_paths(root / "lang")
        files += rule_file_paths(root / "sites")
    for path in paths:
        files += rule_file_paths(Path(path))
    from cleaner.rulebook.rulecache import cached_ruleset

    return cached_ruleset(files, check_examples, build_ruleset)


def build_ruleset(files: Iterable[Path], check_examples: bool = True) -> RuleSet:
    from cleaner.rulebook.ruletables import _rule  # only building rules needs it

    tables: list[tuple[str, dict[str, Any]]] = []  # each file's [settings], in load order
    parsed = []
    for path in files:
        data = _read_toml(path)
        tables.append((str(path), _settings_table(data, str(path))))
        parsed.append((path, data))
    settings = Settings(**_merged(tables))
    generic: list[Rule] = []
    sites: list[SitePack] = []
    languages: list[LanguagePack] = []
    seen: dict[str, str] = {}
    for path, data in parsed:
        try:
            rules = [
                _rule(table, str(path), settings, check_examples) for table in _rule_tables(data, str(path))
            ]
        except RuleFileError as problem:
            if check_examples and "fails" in problem.reason:
                _blame_settings(problem, tables, data)
            raise
        for rule in rules:
            if rule.id in seen:
                raise RuleFileError(rule.path, rule.id, f"duplicate id (also in {seen[rule.id]})")
            seen[rule.id] = rule.path
        if "site" in data:
            if "language" in data:
                raise RuleFileError(str(path), None, "a site pack has no language: it applies where detected")
            sites.append(_site(data["site"], str(path), tuple(rules), settings))
        elif "language" in data:
            if "settings" in data:
                message = "settings apply to every document: not in a language pack"
                raise RuleFileError(str(path), None, message)
            languages.append(LanguagePack(_languages(data["language"], str(path)), str(path), tuple(rules)))
        else:
            generic += rules
    named: dict[str, str] = {}
    for site in sites:
        if site.name in named:
            reason = f"a site pack named {site.name!r} is also in {named[site.name]}"
            raise RuleFileError(site.path, None, reason)
        named[site.name] = site.path
    settings_from = tuple((path, tuple(table.items())) for path, table in tables if table)
    return RuleSet(tuple(generic), tuple(sites), settings, tuple(languages), settings_from)


def _languages(value: Any, path: str) -> tuple[str, ...]:
    """A file's `language`: one ISO 639-1 code ("de") or a list of them (["pt", "gl"])."""
    codes = [value] if isinstance(value, str) else value
    if (
        not isinstance(codes, list)
        or not codes
        or not all(isinstance(code, str) and _LANGUAGE.fullmatch(code) for code in codes)
    ):
        message = f"language must be a code like 'de' or a list of them, not {value!r}"
        raise RuleFileError(path, None, message)
    return tuple(codes)


def _merged(tables: list[tuple[str, dict[str, Any]]], leave_out: str | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for path, table in tables:
        if path != leave_out:
            values.update(table)
    return values


def _blame_settings(
    problem: RuleFileError, tables: list[tuple[str, dict[str, Any]]], data: dict[str, Any]
) -> None:
    """A rule whose examples fail only because another file's [settings] changed the
    document settings is not at fault: that file is, and the message says so."""
    from cleaner.rulebook.ruletables import _rule  # only building rules needs it

    def fails(settings: Settings) -> bool:
        try:
            for rule_table in _rule_tables(data, problem.path):
                _rule(rule_table, problem.path, settings, True)
        except RuleFileError:
            return True
        return False

    culprit = _settings_at_fault(tables, problem.path, fails)
    if culprit is not None:
        path, keys = culprit
        reason = f"{keys}: with this, rule {problem.rule_id!r} of {problem.path} fails ({problem.reason})"
        raise RuleFileError(path, None, reason) from None


def settings_at_fault(ruleset: RuleSet, rule: Rule) -> str | None:
    """Why `rule`'s examples fail, when another file's [settings] is the reason: that file
    and its keys ("[settings] prose_min_words = 50 of FILE"), else None."""
    from cleaner.rulebook.examples import check_rule  # only a failing example needs it

    tables = [(path, dict(items)) for path, items in ruleset.settings_from]
    culprit = _settings_at_fault(tables, rule.path, lambda settings: bool(check_rule(rule, settings)))
    return None if culprit is None else f"{culprit[1]} of {culprit[0]}"


def _settings_at_fault(
    tables: list[tuple[str, dict[str, Any]]], rule_path: str, fails: Callable[[Settings], bool]
) -> tuple[str, str] | None:
    """The last file (other than the rule's own) without whose [settings] the rule passes:
    its path and its keys as "[settings] key = value, ...", or None."""
    for path, table in reversed(tables):
        if path == rule_path or not table:
            continue
        if fails(Settings(**_merged(tables, leave_out=path))):
            continue  # it still fails without this file's settings
        keys = ", ".join(f"{key} = {value!r}" for key, value in table.items())
        return path, f"[settings] {keys}"
    return None


# What each setting may be: a check and the reason given when it fails.
_SETTING_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "prose_min_words": (lambda v: v >= 1, "must be a whole number of at least 1"),
    "prose_long_words": (lambda v: v >= 0, "must be a whole number of at least 0 (0: off)"),
    "data_min_tokens": (lambda v: v >= 1, "must be a whole number of at least 1"),
    "data_digit_share": (lambda v: 0 <= v <= 1, "must be a number from 0 to 1"),
    "title_max_words": (lambda v: v >= 1, "must be a whole number of at least 1"),
    "match_timeout": (
        lambda v: 0 < v <= 3600,
        "must be a number of seconds above 0 (and at most 3600)",
    ),
    "sentence_end": (lambda v: bool(v), "must be a non-empty pattern"),
}


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # here: a rule set read from the cache needs no TOML parser

    try:
        # A byte-order mark at the top is not TOML, but editors write it: it is skipped.
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise RuleFileError(str(path), None, error.strerror or str(error)) from None
    except UnicodeDecodeError as error:
        raise RuleFileError(str(path), None, f"not UTF-8 (byte at offset {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        raise RuleFileError(str(path), None, f"not valid TOML: {error}") from None
    except RecursionError:
        raise RuleFileError(str(path), None, "not valid TOML: nested too deeply") from None
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise RuleFileError(str(path), None, f"unknown table {sorted(unknown)[0]!r}")
    return data


def _settings_table(data: dict[str, Any], path: str) -> dict[str, Any]:
    from cleaner.rulebook.ruletables import _check_regex  # only building rules needs it

    table = data.get("settings", {})
    if not isinstance(table, dict):
        raise RuleFileError(path, None, "[settings] must be a table")
    for key, value in table.items():
        if key not in _SETTINGS:
            raise RuleFileError(path, None, f"unknown setting {key!r}")
        types: dict[str, type | tuple[type, ...]] = {"int": int, "float": (int, float), "str": str}
        wanted = types[str(_SETTINGS[key])]
        if not isinstance(value, wanted) or isinstance(value, bool):
            raise RuleFileError(path, None, f"setting {key!r} has the wrong type")
        check = _SETTING_CHECKS.get(key)
        if check is not None and not check[0](value):
            raise RuleFileError(path, None, f"setting {key!r} {check[1]}, not {value!r}")
        if key in ("sentence_end", "teaser_end") and isinstance(value, str) and value:
            _check_regex(value, path, None, f"setting {key!r}: ")
    return dict(table)


def _rule_tables(data: dict[str, Any], path: str) -> list[dict[str, Any]]:
    tables = data.get("rule", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise RuleFileError(path, None, "rules must be [[rule]] tables")
    return tables


def _site(table: Any, path: str, rules: tuple[Rule, ...], settings: Settings) -> SitePack:
    from cleaner.rulebook.ruletables import _name, _patterns  # only building rules needs it

    if not isinstance(table, dict) or set(table) - {"name", "detect"}:
        raise RuleFileError(path, None, "[site] takes exactly the keys name and detect")
    name = _name(table.get("name"), path, None, "site name")
    detect = _patterns(table.get("detect"), path, f"site-{name}", "detect", settings)
    return SitePack(name, path, tuple(detect), rules)
