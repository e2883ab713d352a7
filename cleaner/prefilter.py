"""What a pattern's matches must contain, found from its source, to skip lines without it.

Most lines a rule sees cannot match it: a prose line holds none of a cookie notice's words. A
plain substring test is far cheaper than running the pattern, so each pattern gets a
`Required`: a few strings of which any match must contain one (case-folded), or a digit. A line
whose case-folded text holds none of them is known not to match, without running the pattern.

The requirement is worked out from the pattern's parse tree, conservatively: whatever the
analysis does not understand (syntax of the `regex` module that Python's own parser lacks,
back-references, negative look-arounds, optional parts) requires nothing, and a pattern the
parser cannot read gets no requirement at all: it always runs.

The test is made only on texts of ASCII and a few caseless marks (PLAIN_MARKS: quotes, dashes,
the ellipsis ...); other texts always run the pattern. On such a text, ignoring case or not,
a literal can only match by ASCII case, so the text's lower case holds the literal's
case-folding. Literals with a character that ignoring case relates to ASCII in other ways
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

import regex

_DIGIT = regex.compile(r"\d")
# Escapes Python's parser lacks that stand for a class of characters: read them as one.
_CLASS_ESCAPE = regex.compile(r"\\(?:[pP](?:\{[^}]*\}|\w)|.)|\(\?[ifw]+\)", regex.DOTALL)
_ESCAPE = regex.compile(r"\\.", regex.DOTALL)
_QUANTIFIER = regex.compile(r"\{\d*(?:,\d*)?\}")
# A set, escapes already blanked: "[", an optional "^", then a "]" that is a member, then up
# to the closing "]". What it holds is checked for a nested "[" or a set operation.
_SET = regex.compile(r"\[\^?\]?([^\]]*)")
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
    """What Required.found_in() compares: the lower case of a plain text, else None."""
    if text.isascii() or _NOT_PLAIN.search(text) is None:
        return text.lower()
    return None


@dataclass(frozen=True, slots=True)
class Required:
    """Any text the pattern matches contains one of `strings` (case-folded) or, if `digit`, a digit."""

    strings: tuple[str, ...]
    digit: bool = False

    def found_in(self, folded: str | None, text: str) -> bool:
        """Whether `text` (`folded` is fold(text)) may match the pattern."""
        if folded is None:
            return True
        for string in self.strings:
            if string in folded:
                return True
        return self.digit and _DIGIT.search(text) is not None


def required(source: str) -> Required | None:
    """The requirement of a pattern source, or None when nothing can be said."""
    source = _CLASS_ESCAPE.sub(_class_escape, source)
    if not _readable(source):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # Python's doubts about a set: the answer is no
            tree = sre_parse.parse(source)
    except Exception:  # syntax only the regex module knows: no requirement
        return None
    found = _sequence(list(tree))
    if found is None:
        return None
    strings = [_without_twins(atom) for atom in found if isinstance(atom, str)]
    if "" in strings:
        return None
    folded = {string.casefold() for string in strings}
    # A string that holds another is found only where that one is: keep the shorter.
    kept = sorted(s for s in folded if not any(o != s and o in s for o in folded))
    return Required(tuple(kept), _DIGIT_ATOM in found)


def _without_twins(string: str) -> str:
    """The longest part of a literal without a case twin: each of its characters matches one
    character of a plain text, so the part is found in the text's lower case."""
    return max(_TWINS.split(string), key=len)


def _class_escape(match: regex.Match[str]) -> str:
    """A class escape as \\w; case flags dropped (case is ignored here anyway), in the middle
    of a pattern too, where version 1 reads them and Python's parser does not."""
    token = match.group()
    if token[0] == "(":
        return ""
    return r"\w" if token[1] in "pP" else token


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


# A requirement is a set of atoms, one of which every match contains: strings (case-folded)
# and _DIGIT_ATOM. None means no requirement. "Exact" sets are the only strings a node can match.
_DIGIT_ATOM = object()
Atoms = frozenset


def _strength(atoms: frozenset) -> tuple[int, int]:
    shortest = min((len(atom.casefold()) if isinstance(atom, str) else 1) for atom in atoms)
    return shortest, -len(atoms)


def _best(candidates: list[frozenset | None]) -> frozenset | None:
    usable = [c for c in candidates if c]
    return max(usable, key=_strength) if usable else None


def _sequence(nodes: list) -> frozenset | None:
    """The strongest requirement of a sequence: of one element, or of a run of exact ones."""
    candidates: list[frozenset | None] = []
    run = {""}
    for node in nodes:
        exact = _exact(node)
        if exact is not None and len(run) * len(exact) <= _MAX_STRINGS:
            run = {a + b for a, b in product(run, exact)}
            continue
        candidates.append(_as_requirement(run))
        candidates.append(_node(node))
        run = set(exact) if exact is not None else {""}
    candidates.append(_as_requirement(run))
    return _best(candidates)


def _as_requirement(strings: set[str] | None) -> frozenset | None:
    """Strings one of which a match holds, unless one is empty (nothing is required)."""
    if not strings or "" in strings:
        return None
    return frozenset(strings)


def _node(node: tuple) -> frozenset | None:
    op, av = node
    if op is sre.LITERAL:
        return frozenset({chr(av)})
    if op is sre.IN:
        return frozenset({_DIGIT_ATOM}) if _digits_only(av) else _as_requirement(_exact(node))
    if op is sre.SUBPATTERN:
        return _sequence(list(av[3]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, inner = av
        return _sequence(list(inner)) if low >= 1 else None
    if op is sre.BRANCH:
        branches = [_sequence(list(branch)) for branch in av[1]]
        if any(branch is None for branch in branches):
            return None
        return frozenset().union(*branches)
    if op is sre.ASSERT:  # a positive look-around: its text is in the line too
        return _sequence(list(av[1]))
    return None  # ANY, NOT_LITERAL, AT, ASSERT_NOT, GROUPREF, GROUPREF_EXISTS, ...


def _exact(node: tuple) -> set[str] | None:
    """Every string the node can match, when they are few and known; else None."""
    op, av = node
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.AT:
        return {""}  # zero-width: the strings around it stay adjacent
    if op is sre.IN:
        if all(item_op is sre.LITERAL for item_op, _ in av) and len(av) <= _MAX_STRINGS:
            return {chr(code) for _, code in av}
        return None
    if op is sre.SUBPATTERN:
        return _exact_sequence(list(av[3]))
    if op is sre.BRANCH:
        strings: set[str] = set()
        for branch in av[1]:
            exact = _exact_sequence(list(branch))
            if exact is None:
                return None
            strings |= exact
        return strings if len(strings) <= _MAX_STRINGS else None
    if op is sre.MAX_REPEAT or op is sre.MIN_REPEAT or op is sre.POSSESSIVE_REPEAT:
        low, high, inner = av
        exact = _exact_sequence(list(inner))
        if exact is None or (low, high) not in ((0, 1), (1, 1)):
            return None
        return exact | {""} if low == 0 else exact
    return None


def _exact_sequence(nodes: list) -> set[str] | None:
    strings = {""}
    for node in nodes:
        exact = _exact(node)
        if exact is None or len(strings) * len(exact) > _MAX_STRINGS:
            return None
        strings = {a + b for a, b in product(strings, exact)}
    return strings


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
