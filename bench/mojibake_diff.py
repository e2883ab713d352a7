"""cleaner's repair against ftfy's over a large generated mojibake corpus: outputs must be equal.

    .venv/bin/python bench/mojibake_diff.py [--lines N] [--seed S]

The lines come from tests/mojibake_corpus.py (the suite runs a few thousand of them); each is
repaired as cleaner does (the plain round trip where it applies, else ftfy) and by ftfy alone,
with and without --ascii-quotes. Prints how many went by the round trip, the time of each, and
every line where the two differ (exit 1 if any does).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner.text.repair import _ftfy_repair, _round_trip, may_need_repair, repair_line
from tests import mojibake_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    lines = mojibake_corpus.lines(args.lines, args.seed)
    differ = taken = gated = 0
    ours = theirs = 0.0
    for line in lines:
        for ascii_quotes in (False, True):
            if not may_need_repair(line, ascii_quotes):
                continue
            gated += 1
            started = time.process_time()
            mine = repair_line(line, ascii_quotes)
            middle = time.process_time()
            expected = _ftfy_repair(line, ascii_quotes)
            ours, theirs = ours + middle - started, theirs + time.process_time() - middle
            taken += _round_trip(line, ascii_quotes) is not None
            if mine != expected:
                differ += 1
                print(f"differs: {line!r}: {mine!r} != {expected!r}")
    print(f"{len(lines)} lines, {gated} repairs, {taken} by the round trip, {differ} different")
    print(f"cleaner's repair {ours:.2f} s, ftfy's {theirs:.2f} s ({theirs / max(ours, 1e-9):.1f}x)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
