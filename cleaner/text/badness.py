"""ftfy's mojibake heuristic (`ftfy.badness.BADNESS_RE`) with hyperscan, for the repair gate.

BADNESS_RE is one alternation of some forty branches of character classes, and the standard
library tries every branch at every place of a line: about 20 µs a line, on each line of a
page in a language with accents. Whether it matches anywhere is whether one of its branches
does, so the branches made only of literals, classes of literals, repeats, groups and `^` go
into one hyperscan database (UTF-8, each branch's code points written out), and the few that
use a category (`\\w`, `\\s`, whose meaning hyperscan's tables need not share with Python's)
stay a standard-library pattern. Both are read from ftfy's own parse tree at build time: a
construct this module does not know keeps BADNESS_RE as it is. The answer is the same with
and without the database (tests/test_badness.py), for about a tenth of the time.

The database takes about a quarter of a second to compile, so it is built once
BUILD_AFTER_LINES lines have been asked about, where hyperscan is installed.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from functools import cache
from threading import get_ident
from typing import Any

from cleaner.text.hyperscanning import collect, hyperscan_module

BUILD_AFTER_LINES = 2000
_SURROGATE = re.compile("[\ud800-\udfff]")  # not valid UTF-8: hyperscan is not given them


def _code(code: int, hyperscan: bool) -> str:
    if hyperscan:
        return f"\\x{{{code:x}}}"
    return f"\\U{code:08x}"


def _written(nodes: Any, hyperscan: bool) -> str | None:
    """A parse tree written out again, for hyperscan or for the standard library; None where
    it holds a construct this module does not write."""
    out = []
    for op, av in nodes:
        part: str | None
        if op is sre.LITERAL:
            part = _code(av, hyperscan)
        elif op is sre.NOT_LITERAL:
            part = f"[^{_code(av, hyperscan)}]"
        elif op is sre.ANY:  # without DOTALL: any character but a line feed
            part = f"[^{_code(10, hyperscan)}]"
        elif op is sre.IN:
            part = _written_set(av, hyperscan)
        elif op is sre.MAX_REPEAT:
            low, high, inner = av
            upper = "" if high is sre.MAXREPEAT else str(high)
            written = _written(inner, hyperscan)
            part = None if written is None else f"(?:{written}){{{low},{upper}}}"
        elif op is sre.SUBPATTERN and not av[1] and not av[2]:  # no flags of its own
            written = _written(av[3], hyperscan)
            part = None if written is None else f"(?:{written})"
        elif op is sre.BRANCH:
            branches = [_written(branch, hyperscan) for branch in av[1]]
            part = None if None in branches else "(?:" + "|".join(map(str, branches)) + ")"
        elif op is sre.AT and av is sre.AT_BEGINNING:
            part = "^"
        else:
            part = None
        if part is None:
            return None
        out.append(part)
    return "".join(out)


def _written_set(items: Any, hyperscan: bool) -> str | None:
    parts: list[str] = []
    for op, av in items:
        if op is sre.NEGATE:
            parts.insert(0, "^")
        elif op is sre.LITERAL:
            parts.append(_code(av, hyperscan))
        elif op is sre.RANGE:
            parts.append(f"{_code(av[0], hyperscan)}-{_code(av[1], hyperscan)}")
        elif op is sre.CATEGORY and av is sre.CATEGORY_SPACE and hyperscan:
            # Python's \s, written out: hyperscan's own need not be the same.
            parts.extend(_code(code, hyperscan) for code in _spaces())
        elif op is sre.CATEGORY and av is sre.CATEGORY_SPACE:
            parts.append(r"\s")
        elif op is sre.CATEGORY and not hyperscan and av is sre.CATEGORY_WORD:
            parts.append(r"\w")
        else:
            return None
    return "[" + "".join(parts) + "]"


# Every character that Python's \s takes lies below U+3001 (the ideographic space is the
# last; tests/test_badness.py checks the whole range).
_SPACES_BELOW = 0x3001


@cache
def _spaces() -> tuple[int, ...]:
    """The code points that the standard library's whitespace class takes."""
    space = re.compile(r"\s")
    return tuple(code for code in range(_SPACES_BELOW) if space.match(chr(code)))


class BadnessTest:
    """`search(line)`: whether ftfy's BADNESS_RE finds a match in `line` (a truth value)."""

    __slots__ = ("_asked", "_database", "_owner", "_rest", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._database: Any = None
        self._rest: re.Pattern[str] | None = None
        self._asked = 0  # lines asked about before the database is built; -1: built or never
        self._owner = 0  # the database scans with one scratch space: the thread that built it

    def search(self, line: str) -> bool:
        if self._database is None:
            if self._asked >= 0:
                self._asked += 1
                if self._asked > BUILD_AFTER_LINES:
                    self._asked = -1
                    self.build()
            if self._database is None:
                return self.pattern.search(line) is not None
        if self._owner != get_ident() or _SURROGATE.search(line):
            return self.pattern.search(line) is not None
        if self._rest is not None and self._rest.search(line):
            return True
        hits: list[int] = []  # each branch reports once (HS_FLAG_SINGLEMATCH)
        self._database.scan(line.encode("utf-8"), match_event_handler=collect, context=hits)
        return bool(hits)

    def build(self) -> bool:
        """Build the database now (where hyperscan is installed and the pattern is read);
        whether there is one."""
        hyperscan = hyperscan_module()
        split = _branches(self.pattern) if hyperscan is not None else None
        if split is None:
            return False
        scanned, rest = split
        database = hyperscan.Database()
        database.compile(
            expressions=[branch.encode("ascii") for branch in scanned],
            ids=list(range(len(scanned))),
            elements=len(scanned),
            flags=[hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SINGLEMATCH] * len(scanned),
        )
        self._rest = re.compile("|".join(f"(?:{branch})" for branch in rest)) if rest else None
        self._owner = get_ident()
        self._database = database
        return True


def _branches(pattern: re.Pattern[str]) -> tuple[list[str], list[str]] | None:
    """The top-level branches of `pattern` written for hyperscan, and those written for the
    standard library; None when the pattern is not one alternation this module can write."""
    if pattern.flags & ~(re.UNICODE | re.VERBOSE):
        return None
    tree = list(sre_parse.parse(pattern.pattern, pattern.flags))
    if len(tree) != 1 or tree[0][0] is not sre.BRANCH:
        return None
    scanned: list[str] = []
    rest: list[str] = []
    for branch in tree[0][1][1]:
        written = _written(branch, hyperscan=True)
        if written is not None:
            scanned.append(written)
            continue
        written = _written(branch, hyperscan=False)
        if written is None:
            return None
        rest.append(written)
    return (scanned, rest) if scanned else None
