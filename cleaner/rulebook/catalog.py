"""The loaded rules as rows (id, kind, type, pack, file, description, examples) for `rules list`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from cleaner.engine.ruleset import LanguagePack, RuleSet
from cleaner.engine.ruletypes import TYPES

GENERIC = "generic"
_TYPE_NAMES = {cls: name for name, cls in TYPES.items()}


@dataclass(frozen=True, slots=True)
class RuleRow:
    id: str
    kind: str
    type: str
    pack: str  # "generic", a language pack's "lang:de", or the site pack's name
    file: str
    description: str
    examples: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def rule_rows(
    ruleset: RuleSet, packs: tuple[str, ...] = (), builtin_root: Path | None = None
) -> list[RuleRow]:
    """One row per rule, generic rules first, in load order; only `packs` when given.

    >>> from cleaner import load_rules
    >>> [row.pack for row in rule_rows(load_rules(), ("theduran",))][:1]
    ['theduran']
    """
    owners = [(GENERIC, rule) for rule in ruleset.generic]
    owners += [(language_pack_name(pack), rule) for pack in ruleset.languages for rule in pack.rules]
    owners += [(site.name, rule) for site in ruleset.sites for rule in site.rules]
    return [
        RuleRow(
            id=rule.id,
            kind=rule.kind,
            type=_TYPE_NAMES.get(type(rule), type(rule).__name__),
            pack=pack,
            file=display_path(rule.path, builtin_root),
            description=" ".join(rule.description.split()),
            examples=len(rule.examples),
        )
        for pack, rule in owners
        if not packs or pack in packs
    ]


def language_pack_name(pack: LanguagePack) -> str:
    """A language pack as `rules list` names it: lang:de (lang:pt,gl for several)."""
    return "lang:" + ",".join(pack.languages)


def pack_names(ruleset: RuleSet) -> tuple[str, ...]:
    languages = dict.fromkeys(language_pack_name(pack) for pack in ruleset.languages)
    return (GENERIC, *ruleset.site_names(), *languages)


def display_path(path: str, builtin_root: Path | None = None) -> str:
    """Built-in files as `<builtin>/generic/x.toml`, others relative to the current directory."""
    resolved = Path(path).resolve()
    if builtin_root is not None and resolved.is_relative_to(builtin_root.resolve()):
        return f"<builtin>/{resolved.relative_to(builtin_root.resolve()).as_posix()}"
    if resolved.is_relative_to(Path.cwd()):
        return resolved.relative_to(Path.cwd()).as_posix()
    return path
