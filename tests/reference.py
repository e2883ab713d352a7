"""The reference corpus: pages spliced from the bundled texts, and the engine's output on them.

Speed work must not change a single output. The corpus is generated from the samples and the
texts in tests/data and tests/languages (never from anything outside the repository), with a
seeded generator: pages shuffled paragraph by paragraph, spliced from several sources, and
variants with mojibake, HTML entities, CRLF line ends and odd spaces, so that the repair and
normalization paths run too. tests/reference/ holds the inputs, and for each case (an input
and options) the text and JSON the engine gave when the reference was written; cases.json
lists the cases. tests/test_reference.py checks them.

    .venv/bin/python -m tests.reference --write    # rewrite tests/reference/ (review git diff)

Rewrite it only for a change meant to alter the output, never for a change meant to be faster.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "reference"
SEED = 13
PAGES = 48


@dataclass(frozen=True)
class Case:
    name: str
    options: dict  # fields of cleaner.Options (rules stay the built-in ones)


def sources() -> list[str]:
    """The texts the corpus is made of, in a fixed order."""
    paths = sorted((ROOT / "samples").glob("*.input.txt"))
    paths += sorted((ROOT / "tests" / "data").glob("*.txt")) + sorted((ROOT / "tests" / "data").glob("*.md"))
    paths += sorted((ROOT / "tests" / "languages").glob("*.txt"))
    return [path.read_bytes().decode("utf-8") for path in paths]


def _paragraphs(text: str) -> list[str]:
    return [p.strip("\n") for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _mojibake(text: str) -> str:
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    return text.encode("utf-8").decode("sloppy-windows-1252")


def _damage(text: str, rng: random.Random) -> str:
    """One kind of damage a scraper does, chosen at random (or none)."""
    kind = rng.randrange(7)
    if kind == 0:
        return _mojibake(text)
    if kind == 1:  # a few lines as mojibake, the rest intact
        lines = text.split("\n")
        for index in rng.sample(range(len(lines)), k=max(1, len(lines) // 8)):
            lines[index] = _mojibake(lines[index])
        return "\n".join(lines)
    if kind == 2:
        return text.replace("&", "&amp;").replace("’", "&#8217;").replace("—", "&mdash;")
    if kind == 3:
        return text.replace("\n", "\r\n")
    if kind == 4:
        return text.replace(" ", "\u00a0", 40).replace("\n\n", "\n \t\n", 5) + "\ufeff"
    return text


def generate() -> dict[str, str]:
    """name -> input text of every generated page."""
    rng = random.Random(SEED)
    texts = sources()
    pool = [_paragraphs(text) for text in texts]
    pages: dict[str, str] = {}
    for number in range(PAGES):
        style = number % 4
        if style == 0:  # one source, paragraphs shuffled
            paragraphs = list(rng.choice(pool))
            rng.shuffle(paragraphs)
        elif style == 1:  # the head of one, the body of another, the tail of a third
            a, b, c = (rng.choice(pool) for _ in range(3))
            paragraphs = a[: len(a) // 4] + b[len(b) // 4 : 3 * len(b) // 4] + c[3 * len(c) // 4 :]
        elif style == 2:  # two pages one after the other, one of them repeated in part
            a, b = rng.choice(pool), rng.choice(pool)
            paragraphs = a + b + a[: rng.randrange(1, len(a) + 1)]
        else:  # paragraphs from anywhere, some of them split into their lines
            paragraphs = []
            for _ in range(rng.randrange(8, 30)):
                paragraph = rng.choice(rng.choice(pool))
                if "\n" in paragraph and rng.random() < 0.3:
                    paragraphs += paragraph.split("\n")
                else:
                    paragraphs.append(paragraph)
        separator = "\n" if rng.random() < 0.15 else "\n\n"  # one paragraph per line at times
        pages[f"page-{number:03d}"] = _damage(separator.join(paragraphs) + "\n", rng)
    return pages


VARIANTS: tuple[tuple[str, dict], ...] = (
    ("default", {}),
    ("precision", {"favor": "precision"}),
    ("recall", {"favor": "recall"}),
    ("ascii-quotes", {"ascii_quotes": True}),
    ("no-repair", {"repair": False}),
    ("lines", {"paragraphs": "lines"}),
    ("markdown", {"markup": "markdown"}),
)


def inputs() -> dict[str, str]:
    """input name -> text: the samples and the generated pages."""
    out = {
        path.name.removesuffix(".input.txt"): path.read_bytes().decode("utf-8")
        for path in sorted((ROOT / "samples").glob("*.input.txt"))
    }
    return out | generate()


def cases(names: list[str]) -> dict[str, tuple[str, dict]]:
    """case name -> (input name, options): every input as it is, and each generated page
    once more with one of the other options, in turn."""
    out: dict[str, tuple[str, dict]] = {}
    for index, name in enumerate(names):
        out[name] = (name, {})
        if name.startswith("page-"):
            variant, options = VARIANTS[1 + index % (len(VARIANTS) - 1)]
            out[f"{name}.{variant}"] = (name, options)
    return out


def render(text: str, options: dict) -> tuple[str, str]:
    """The text and JSON output of the engine, as `cleaner clean` writes them."""
    from cleaner import Options, clean_text
    from cleaner.engine.rendering import to_json

    result = clean_text(text, Options(**options))
    return result.text, to_json(result, "<reference>")


def write() -> int:
    REFERENCE.mkdir(exist_ok=True)
    for old in REFERENCE.glob("*"):
        old.unlink()
    texts = inputs()
    for name, text in texts.items():
        (REFERENCE / f"{name}.input.txt").write_bytes(text.encode("utf-8"))
    index = {}
    for name, (source, options) in cases(list(texts)).items():
        out_text, out_json = render(texts[source], options)
        (REFERENCE / f"{name}.expected.txt").write_bytes(out_text.encode("utf-8"))
        (REFERENCE / f"{name}.expected.json").write_bytes(out_json.encode("utf-8"))
        index[name] = {"input": source, "options": options}
    (REFERENCE / "cases.json").write_text(
        json.dumps(index, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(index)} cases to {REFERENCE}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the reference outputs.")
    parser.add_argument("--write", action="store_true", help="rewrite tests/reference/")
    args = parser.parse_args(argv)
    if not args.write:
        parser.print_help()
        return 2
    return write()


if __name__ == "__main__":
    sys.exit(main())
