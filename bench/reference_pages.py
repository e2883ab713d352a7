"""The engine's output on the bench pages is the reference's (digests of text and JSON).

    .venv/bin/python bench/reference_pages.py            # check: exit 1 on any difference
    .venv/bin/python bench/reference_pages.py --write    # record the current outputs

The pages are the web-dev bench pages, the seed corpus and both as mojibake (see speed.py),
which tests may not read; tests/test_reference.py covers the corpus kept in the repository.
bench/reference-pages.json holds, per page, the SHA-256 of the text and of the JSON output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import SHARED_PAGES, SHARED_SEEDS, mojibake

DIGESTS = Path(__file__).resolve().parent / "reference-pages.json"


def pages() -> dict[str, str]:
    out = {}
    for corpus, folder in (("web-dev", SHARED_PAGES), ("seeds", SHARED_SEEDS)):
        for path in sorted(folder.glob("*.txt")):
            text = path.read_bytes().decode("utf-8")
            out[f"{corpus}/{path.stem}"] = text
            out[f"mojibake/{corpus}/{path.stem}"] = mojibake(text.encode("utf-8")).decode("utf-8")
    return out


def digests() -> dict[str, list[str]]:
    from cleaner import Options, clean_text, load_rules
    from cleaner.engine.rendering import to_json

    options = Options(rules=load_rules())
    out = {}
    for name, text in pages().items():
        result = clean_text(text, options)
        out[name] = [
            hashlib.sha256(result.text.encode("utf-8")).hexdigest()[:20],
            hashlib.sha256(to_json(result, name).encode("utf-8")).hexdigest()[:20],
        ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="record the current outputs")
    args = parser.parse_args(argv)
    found = digests()
    if not found:
        print("no bench pages found", file=sys.stderr)
        return 2
    if args.write:
        DIGESTS.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"recorded {len(found)} pages in {DIGESTS}")
        return 0
    expected = json.loads(DIGESTS.read_text(encoding="utf-8"))
    differ = sorted(name for name in expected.keys() | found.keys() if expected.get(name) != found.get(name))
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(found) - len(differ)} of {len(expected)} pages as recorded")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
