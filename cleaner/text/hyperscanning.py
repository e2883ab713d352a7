"""The optional hyperscan module (the `[fast]` extra), for the multi-string gate of the rules
(engine/gate.py) and for ftfy's mojibake heuristic (text/badness.py)."""

from __future__ import annotations

import os

_UNAVAILABLE: list[bool] = []


def hyperscan_module():
    """The hyperscan module, or None where it is not installed (or CLEANER_NO_HYPERSCAN is set)."""
    if _UNAVAILABLE or os.environ.get("CLEANER_NO_HYPERSCAN"):
        return None
    try:
        import hyperscan
    except ImportError:
        _UNAVAILABLE.append(True)
        return None
    return hyperscan


def collect(index: int, start: int, end: int, flags: int, hits: list[int]) -> None:
    """A scan's match handler: each match's expression index onto `hits`."""
    hits.append(index)
