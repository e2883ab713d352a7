"""How long a text a pattern can run on without a time limit: a bound on its backtracking.

A rule's pattern runs with the rule set's match_timeout, so that one that backtracks
catastrophically stops and names its rule. Asking the `regex` module for a timeout costs
about as much as a short match itself, on every call, and most patterns cannot run away.
Here a pattern is judged from its parse tree (read as prefilter.py reads it):

- a repeat of more than once (`*`, `+`, `{2,9}`) may hold one character at a time only: a
  literal, a set, a class or any character; a repeat of a group, an alternation, a
  look-around or another repeat (`(a|aa)+`, `(\\w+\\s?)*`) makes the pattern untamed, and
  so do back-references and the `regex` module's own syntax, which the analysis cannot read;
- a tamed pattern with `k` repeats of variable length tries at most about c * n**k ways to
  match at one place in a text of n characters, where c counts its alternatives and optional
  groups; a search tries every place (k + 1);
- it runs without the clock while that count stays within STEPS; longer texts, and untamed
  patterns always, keep the timeout.

Rule patterns fold case simply (rules.compile_pattern). One that asks for full folding with
(?f) makes "ß" match "ss", so a set that holds both matches a run of "s" in exponentially
many ways: such a pattern, when it names a character whose case-folding is longer than itself
(in a set's range too, or by an escape), is untamed. tests/test_backtracking.py checks these
facts against the installed module.

What the timeout exists for, exponential backtracking, is still stopped with the rule's id
and file; what runs unguarded is bounded by STEPS steps of the matcher, milliseconds.
"""

from __future__ import annotations

import functools
import re
import re._constants as sre

from cleaner.text.prefilter import parse

STEPS = 1_000_000  # the ways a pattern may try on one text without the timeout
_FEW = 8  # a repeat of fewer lengths than this counts as that many alternatives
NEVER = -1.0  # the length up to which an untamed pattern runs without it: none

_SINGLE = (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN, sre.CATEGORY)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_FULL_FOLDING = re.compile(r"\(\?[a-zA-Z]*f")  # (?f), (?if), (?fi:...), not (?-f)
_ESCAPED_CHARACTER = re.compile(r"\\[xuUN0-7]")
_RANGE = re.compile(r"(?<!\\)(.)-([^\]])", re.DOTALL)


# Every character whose full case-folding is longer than itself lies below U+FB18 (the last
# is an Armenian ligature); looking past the Basic Multilingual Plane would cost 20 times as
# much at every rule build (tests/test_backtracking.py checks the whole range).
_FOLDS_BELOW = 0x10000


@functools.cache
def _wide_folds() -> tuple[str, ...]:
    """The characters whose full case-folding is more than one character ("ß" is "ss")."""
    return tuple(chr(code) for code in range(0x80, _FOLDS_BELOW) if len(chr(code).casefold()) > 1)


def untimed_lengths(source: str) -> tuple[float, float]:
    """The longest texts that fullmatch() and search() may run on without a timeout."""
    cost = pattern_cost(source)
    if cost is None:
        return NEVER, NEVER
    ways, repeats = cost
    if ways > STEPS:
        return NEVER, NEVER
    full = float("inf") if repeats == 0 else (STEPS / ways) ** (1 / repeats)
    return full, (STEPS / ways) ** (1 / (repeats + 1))


def pattern_cost(source: str) -> tuple[int, int] | None:
    """(c, k): the pattern tries about c * n**k ways at one place of a text of n characters;
    None when it is untamed."""
    if _FULL_FOLDING.search(source) and _folds_wide(source):
        return None
    parsed = parse(source)
    return None if parsed is None else _sequence(list(parsed[0]))


def _folds_wide(source: str) -> bool:
    """Whether the source may name a character whose case-folding is longer than itself."""
    if source.isascii():
        return bool(_ESCAPED_CHARACTER.search(source))
    if _ESCAPED_CHARACTER.search(source) or any(len(c.casefold()) > 1 for c in source if not c.isascii()):
        return True
    for low, high in _RANGE.findall(source):
        if not (low.isascii() and high.isascii()) and any(low <= c <= high for c in _wide_folds()):
            return True
    return False


def _sequence(nodes: list) -> tuple[int, int] | None:
    ways, repeats = 1, 0
    for node in nodes:
        cost = _node(node)
        if cost is None:
            return None
        ways, repeats = ways * cost[0], repeats + cost[1]
    return ways, repeats


def _node(node: tuple) -> tuple[int, int] | None:
    op, av = node
    if op in _SINGLE or op is sre.AT:
        return 1, 0
    if op in _REPEATS:
        low, high, inner = av
        items = list(inner)
        if all(item_op in _SINGLE for item_op, _ in items) and len(items) == 1:
            if high - low < _FEW:  # a few lengths to try: a factor, not a power of n
                return high - low + 1, 0
            return 1, 1
        if high <= 1:  # an optional group: it is there or not
            cost = _sequence(items)
            return None if cost is None else (cost[0] + 1, cost[1])
        return None
    if op is sre.SUBPATTERN:
        return _sequence(list(av[3]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is sre.BRANCH:
        ways, repeats = 0, 0
        for branch in av[1]:
            cost = _sequence(list(branch))
            if cost is None:
                return None
            ways, repeats = ways + cost[0], max(repeats, cost[1])
        return ways, repeats
    if op in (sre.ASSERT, sre.ASSERT_NOT):  # tried at every place the rest reaches
        return _sequence(list(av[1]))
    return None  # back-references, conditionals, anything else
