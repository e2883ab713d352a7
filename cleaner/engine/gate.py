"""Which of a run of line rules may match a text, for all of them at once: the multi-string gate.

Every line rule's pattern has a requirement (prefilter.Required): strings one of which any
match holds, as they are or ignoring case, or a digit. The standard library tests them rule by
rule (`Required.found_in`), and that loop is the larger part of what the line rules cost. With
the optional `hyperscan` package (`pip install 'cleaner[fast]'`), RequiredGate puts every
rule's strings into two literal databases (one searched in the text, one in its folded form),
scans each text once per database, and answers with the bit set of the rules whose
requirement the text meets: exactly the rules for which `found_in` is true, since a UTF-8
string is in a UTF-8 text exactly where the one str is in the other. What comes through is
then matched by the pattern as before, so the output is the same with and without the extra.

Hyperscan cannot run the rules' patterns themselves: compiling them, with Unicode
properties and bounded repeats, takes minutes. Compiling the strings takes a few
milliseconds, which a process that cleans one small file does not need to spend: a group
builds its gate once it has been asked about GATE_AFTER_TEXTS texts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from threading import get_ident
from typing import Any

from cleaner.text.hyperscanning import collect, hyperscan_module
from cleaner.text.prefilter import _DIGIT, Required

GATE_AFTER_TEXTS = 2000  # texts a gate is asked about before it is built


class RequiredGate:
    """For each text, the bit set of the rules (by position) whose requirement it meets.

    `requirements[i]` is rule i's, or None for a rule that is always tried (no requirement,
    or one that must be visited in its turn)."""

    __slots__ = (
        "_always",
        "_caseless",
        "_caseless_rules",
        "_digit",
        "_exact",
        "_exact_rules",
        "_folding",
        "_hits",
        "owner",
    )

    def __init__(self, requirements: Sequence[Required | None], hyperscan) -> None:
        self._always = 0  # rules always tried
        self._digit = 0  # rules that a digit lets through
        self._folding = 0  # rules with caseless strings: a text that cannot be folded meets them
        exact: dict[str, int] = {}
        caseless: dict[str, int] = {}
        for number, needs in enumerate(requirements):
            bit = 1 << number
            if needs is None:
                self._always |= bit
                continue
            if needs.digit:
                self._digit |= bit
            if needs.strings:
                self._folding |= bit
            for string in needs.exact:
                exact[string] = exact.get(string, 0) | bit
            for string in needs.strings:
                caseless[string] = caseless.get(string, 0) | bit
        self._exact, self._exact_rules = _database(hyperscan, exact)
        self._caseless, self._caseless_rules = _database(hyperscan, caseless)
        self._hits: list[int] = []
        # The databases scan with one scratch space: the thread that built them uses them.
        self.owner = get_ident()

    def mask(self, text: str, folded: str | None) -> int:
        """The rules whose requirement `text` meets (`folded` is prefilter.fold(text)), and
        those always tried."""
        found = self._always | self._scan(self._exact, self._exact_rules, text)
        if folded is None:
            found |= self._folding
        else:
            found |= self._scan(self._caseless, self._caseless_rules, folded)
        if self._digit and _DIGIT.search(text) is not None:
            found |= self._digit
        return found

    def _scan(self, database: Any, rules: list[int], text: str) -> int:
        """The rules of the strings of `database` found in `text`."""
        if database is None:
            return 0
        hits = self._hits
        database.scan(text.encode("utf-8", "surrogatepass"), match_event_handler=collect, context=hits)
        found = 0
        for index in hits:
            found |= rules[index]
        hits.clear()
        return found


def _database(hyperscan, strings: dict[str, int]) -> tuple[Any, list[int]]:
    """A literal database of the strings (each reported once a scan), and each one's rules."""
    if not strings:
        return None, []
    ordered = sorted(strings)
    database = hyperscan.Database()
    database.compile(
        expressions=[string.encode("utf-8", "surrogatepass") for string in ordered],
        ids=list(range(len(ordered))),
        elements=len(ordered),
        flags=hyperscan.HS_FLAG_SINGLEMATCH,
        literal=True,
    )
    return database, [strings[string] for string in ordered]


class GateOnDemand:
    """A RequiredGate over `requirements`, built once it has been asked about GATE_AFTER_TEXTS
    texts, where hyperscan is installed: a LineRuleGroup's for its rules, the article rule's
    for its section headings (shared_gate)."""

    __slots__ = ("_gate", "_requirements", "_texts")

    def __init__(self, requirements: Sequence[Required | None]) -> None:
        self._requirements = tuple(requirements)
        self._gate: RequiredGate | None = None
        self._texts = 0  # texts asked about until the gate is built; -1: never again

    def mask(self, text: str, folded: str | None) -> int | None:
        """RequiredGate.mask(text, folded), or None while there is no gate (or on another
        thread than the one that built it): then each requirement is to be tested in turn."""
        gate = self._gate
        if gate is None:
            if self._texts < 0:
                return None
            self._texts += 1
            if self._texts <= GATE_AFTER_TEXTS:
                return None
            self._texts = -1
            hyperscan = hyperscan_module()
            if hyperscan is None:
                return None
            gate = self._gate = RequiredGate(self._requirements, hyperscan)
        return gate.mask(text, folded) if gate.owner == get_ident() else None


_SHARED: dict[int, tuple[object, GateOnDemand]] = {}


def shared_gate(owner: object, requirements: Callable[[], Sequence[Required | None]]) -> GateOnDemand:
    """The GateOnDemand of `owner` (the article rule's headings tuple), one per owner a process
    cleans with, made from requirements() the first time, as a line rule group has its own."""
    entry = _SHARED.get(id(owner))
    if entry is not None and entry[0] is owner:
        return entry[1]
    if len(_SHARED) >= 64:
        _SHARED.clear()
    made = GateOnDemand(requirements())
    _SHARED[id(owner)] = (owner, made)
    return made


def set_bits(mask: int, offset: int = 0) -> Iterator[int]:
    """The positions of the set bits of `mask`, lowest first, each plus `offset`."""
    number = offset - 1
    while mask:
        skip = (mask & -mask).bit_length()  # to the next set bit
        mask >>= skip
        number += skip
        yield number


def stdlib_mask(requirements: Sequence[Required | None], text: str, folded: str | None) -> int:
    """RequiredGate.mask() by Required.found_in(), rule by rule (what tests compare it with)."""
    found = 0
    for number, needs in enumerate(requirements):
        if needs is None or needs.found_in(folded, text):
            found |= 1 << number
    return found
