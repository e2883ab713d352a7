"""What a pattern's matches must contain, found from its source, to skip lines without it.

Most lines a rule sees cannot match it: a prose line holds none of a cookie notice's words. A
plain substring test is far cheaper than running the pattern, so each pattern gets a
`Required`: a few strings of which any match must contain one, or a digit. A line that holds
none of them is known not to match, without running the pattern. Strings the pattern matches
with case are looked for as they are; strings it matches ignoring case, in lower case.

The requirement is worked out from the pattern's parse tree, conservatively: whatever the
analysis does not understand (syntax of the `regex` module that Python's own parser lacks,
back-references, negative look-arounds, optional parts) requires nothing, and a pattern the
parser cannot read gets no requirement at all: it always runs.

Strings that ignore case are looked for only in texts of ASCII and a few caseless marks
(PLAIN_MARKS: quotes, dashes, the ellipsis ...); in other texts they are taken as found. On
such a text, a literal can only match by ASCII case, so the text's lower case holds the
literal's case-folding. Literals with a character that ignoring case relates to ASCII in other ways
(the Kelvin sign, the long s, the dotted and dotless i, ß and the ligatures) give no
requirement. tests/test_prefilter.py checks these facts against the installed regex module.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
import warnings
from dataclasses import dataclass
from itertools import product
from typing import Any

import regex

from cleaner.caching import pickled_by_fields
from cleaner.text.patterns import compiled

_DIGIT = compiled(r"\d")
# Escapes Python's parser lacks that stand for a class of characters (read as \w), and case
# flags: at the start of a group they become a scoped group Python reads; elsewhere they are
# dropped, and then every literal is taken to ignore case.
_TOKEN = compiled(r"\\(?:[pP](?:\{[^}]*\}|\w)|.)|\(\?:\(\?([ifw]+)\)|\(\?([ifw]+)\)", regex.DOTALL)
_ESCAPE = compiled(r"\\.", regex.DOTALL)
_QUANTIFIER = compiled(r"\{\d*(?:,\d*)?\}")
# A set, escapes already blanked: "[", an optional "^", then a "]" that is a member, then up
# to the closing "]". What it holds is checked for a nested "[" or a set operation.
_SET = compiled(r"\[\^?\]?([^\]]*)")
_MAX_STRINGS = 64  # alternatives kept in a requirement; beyond that, a shorter run is used

# Caseless marks common in text: a text of ASCII and these is one the test can judge.
PLAIN_MARKS = (
    "\u00a0\u00a9\u00ab\u00ae\u00b0\u00b7\u00bb\u2013\u2014\u2018\u2019\u201c\u201d\u201e\u2022\u2026\u20ac"
)
_NOT_PLAIN = re.compile(f"[^\x00-\x7f{PLAIN_MARKS}]")
# Characters that match ASCII letters when case is ignored, or whose case-folding is ASCII.
CASE_TWINS = "\u212a\u017f\u0130\u0131\u00df\u1e9e\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"
_TWINS = re.compile(f"[{CASE_TWINS}]")


def fold(text: str) -> str | None:
    """What Required.found_in() looks for caseless strings in: a plain text's lower case, else None."""
    if text.isascii() or _NOT_PLAIN.search(text) is None:
        return text.lower()
    return None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Required:
    """Any text the pattern matches holds one of `exact` as it is, or one of `strings` ignoring
    case (in lower case), or, if `digit`, a digit."""

    strings: tuple[str, ...] = ()
    digit: bool = False
    exact: tuple[str, ...] = ()

    def found_in(self, folded: str | None, text: str) -> bool:
        """Whether `text` (`folded` is fold(text)) may match the pattern."""
        for string in self.exact:
            if string in text:
                return True
        if self.strings:
            if folded is None:
                return True
            for string in self.strings:
                if string in folded:
                    return True
        return self.digit and _DIGIT.search(text) is not None


def parse(source: str) -> tuple[Any, list[str]] | None:
    """The standard library's parse tree of a `regex` pattern source, with the tokens it does
    not read dropped (and listed), or None when it cannot read the rest."""
    dropped: list[str] = []
    source = _TOKEN.sub(lambda match: _token(match, dropped), source)
    if not _readable(source):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # Python's doubts about a set: the answer is no
            return sre_parse.parse(source), dropped
    except Exception:  # syntax only the regex module knows
        return None


def required(source: str) -> Required | None:
    """The requirement of a pattern source, or None when nothing can be said."""
    parsed = parse(source)
    if parsed is None:
        return None
    tree, dropped = parsed
    caseless = bool(dropped) or bool(tree.state.flags & sre.SRE_FLAG_IGNORECASE)
    found = _sequence(list(tree), caseless)
    if found is None:
        return None
    exact = {atom for atom, ignore_case in _strings(found) if not (ignore_case or dropped)}
    strings = [_without_twins(atom) for atom, ignore_case in _strings(found) if ignore_case or dropped]
    if "" in strings:
        return None
    return Required(_shortest({s.casefold() for s in strings}), _DIGIT_ATOM in found, _shortest(exact))


def _strings(found: frozenset) -> list[tuple[str, bool]]:
    return [atom for atom in found if atom is not _DIGIT_ATOM]


def _shortest(strings: set[str]) -> tuple[str, ...]:
    """A string that holds another is found only where that one is: keep the shorter."""
    return tuple(sorted(s for s in strings if not any(o != s and o in s for o in strings)))


def _without_twins(string: str) -> str:
    """The longest part of a literal without a case twin: each of its characters matches one
    character of a plain text, so the part is found in the text's lower case."""
    return max(_TWINS.split(string), key=len)


def _token(match: regex.Match[str], dropped: list[str]) -> str:
    token = match.group()
    if token[0] == "\\":
        return r"\w" if token[1] in "pP" else token
    flags = match.group(1) or match.group(2)
    case = "i" if "i" in flags or "f" in flags else ""
    if match.group(1) is not None:  # "(?:(?i)": version 1 scopes the flag to the group
        return f"(?{case}:" if case else "(?:"
    if match.start() == 0:
        return f"(?{case})" if case else ""
    dropped.append(token)
    return ""


def _readable(source: str) -> bool:
    """Whether Python's parser reads the source as the regex module (version 1) does.

    Not with braces other than quantifiers (`{e<=1}` is fuzzy matching), nor with a `[` or a
    set operation (`--`, `&&`, `||`, `~~`) inside a set, which version 1 reads as nested sets.
    """
    bare = _ESCAPE.sub("_", source)
    position = bare.find("{")
    while position != -1:
        if not _QUANTIFIER.match(bare, position):
            return False
        position = bare.find("{", position + 1)
    for inside in _SET.findall(bare):
        if "[" in inside or any(operator in inside for operator in ("--", "&&", "||", "~~")):
            return False
    return True


# A requirement is a set of atoms, one of which every match contains: (string, ignores case)
# pairs and _DIGIT_ATOM. None means no requirement. "Exact" sets are (strings, ignores case):
# the only strings a node can match, and whether any part of them ignores case.
_DIGIT_ATOM = object()


def _strength(atoms: frozenset) -> tuple[int, int]:
    shortest = min((len(atom[0].casefold()) if atom is not _DIGIT_ATOM else 1) for atom in atoms)
    return shortest, -len(atoms)


def _best(candidates: list[frozenset | None]) -> frozenset | None:
    usable = [c for c in candidates if c]
    return max(usable, key=_strength) if usable else None


def _scoped(caseless: bool, av: tuple) -> bool:
    """Whether a group's contents ignore case: its own flags, else those around it."""
    _, add, remove, _ = av
    if remove & sre.SRE_FLAG_IGNORECASE:
        return False
    return caseless or bool(add & sre.SRE_FLAG_IGNORECASE)


def _sequence(nodes: list, caseless: bool) -> frozenset | None:
    """The strongest requirement of a sequence: of one element, or of a run of exact ones."""
    candidates: list[frozenset | None] = []
    run: tuple[set[str], bool] = ({""}, False)
    for node in nodes:
        exact = _exact(node, caseless)
        if exact is not None and len(run[0]) * len(exact[0]) <= _MAX_STRINGS:
            run = ({a + b for a, b in product(run[0], exact[0])}, run[1] or exact[1])
            continue
        candidates.append(_as_requirement(run))
        candidates.append(_node(node, caseless))
        run = exact if exact is not None else ({""}, False)
    candidates.append(_as_requirement(run))
    return _best(candidates)


def _as_requirement(exact: tuple[set[str], bool] | None) -> frozenset | None:
    """Strings one of which a match holds, unless one is empty (nothing is required)."""
    if exact is None or not exact[0] or "" in exact[0]:
        return None
    return frozenset((string, exact[1]) for string in exact[0])


def _node(node: tuple, caseless: bool) -> frozenset | None:
    op, av = node
    if op is sre.LITERAL:
        return frozenset({(chr(av), caseless)})
    if op is sre.IN:
        return frozenset({_DIGIT_ATOM}) if _digits_only(av) else _as_requirement(_exact(node, caseless))
    if op is sre.SUBPATTERN:
        return _sequence(list(av[3]), _scoped(caseless, av))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av), caseless)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, inner = av
        return _sequence(list(inner), caseless) if low >= 1 else None
    if op is sre.BRANCH:
        branches = [_sequence(list(branch), caseless) for branch in av[1]]
        known = [branch for branch in branches if branch is not None]
        if len(known) < len(branches):
            return None
        return frozenset().union(*known)
    if op is sre.ASSERT:  # a positive look-around: its text is in the line too
        return _sequence(list(av[1]), caseless)
    return None  # ANY, NOT_LITERAL, AT, ASSERT_NOT, GROUPREF, GROUPREF_EXISTS, ...


def _exact(node: tuple, caseless: bool) -> tuple[set[str], bool] | None:
    """Every string the node can match, when they are few and known; else None."""
    op, av = node
    if op is sre.LITERAL:
        return {chr(av)}, caseless
    if op is sre.AT:
        return {""}, False  # zero-width: the strings around it stay adjacent
    if op is sre.IN:
        if all(item_op is sre.LITERAL for item_op, _ in av) and len(av) <= _MAX_STRINGS:
            return {chr(code) for _, code in av}, caseless
        return None
    if op is sre.SUBPATTERN:
        return _exact_sequence(list(av[3]), _scoped(caseless, av))
    if op is sre.BRANCH:
        found = [_exact_sequence(list(branch), caseless) for branch in av[1]]
        exacts = [exact for exact in found if exact is not None]
        if len(exacts) < len(found) or len({exact[1] for exact in exacts}) > 1:
            return None  # unknown, or mixing case and no case: let _node() keep them apart
        strings: set[str] = set().union(*(exact[0] for exact in exacts))
        return (strings, exacts[0][1]) if len(strings) <= _MAX_STRINGS else None
    if op is sre.MAX_REPEAT or op is sre.MIN_REPEAT or op is sre.POSSESSIVE_REPEAT:
        low, high, inner = av
        exact = _exact_sequence(list(inner), caseless)
        if exact is None or (low, high) not in ((0, 1), (1, 1)):
            return None
        return (exact[0] | {""}, exact[1]) if low == 0 else exact
    return None


def _exact_sequence(nodes: list, caseless: bool) -> tuple[set[str], bool] | None:
    strings = {""}
    ignores_case = False
    for node in nodes:
        exact = _exact(node, caseless)
        if exact is None or len(strings) * len(exact[0]) > _MAX_STRINGS:
            return None
        strings = {a + b for a, b in product(strings, exact[0])}
        ignores_case = ignores_case or exact[1]
    return strings, ignores_case


def _digits_only(items: list) -> bool:
    """A set of digits only: [0-9], \\d, or digits listed one by one."""
    if not items:
        return False
    for op, av in items:
        if op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            continue
        if op is sre.RANGE and ord("0") <= av[0] <= av[1] <= ord("9"):
            continue
        if op is sre.LITERAL and chr(av).isdigit() and chr(av).isascii():
            continue
        return False
    return True
