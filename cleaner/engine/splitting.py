"""A file that holds many documents, split where the user says (--split-on), never by size."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import regex

from cleaner.engine.result import CleanResult, Removal, Stats
from cleaner.text.document import Line


@dataclass(frozen=True, slots=True)
class Part:
    first_line: int  # the file's line number of the part's first line, from 1
    text: str  # the part's lines, with their line endings
    separator: str | None  # the separator line after it (without its ending), None for the last


def split_documents(text: str, separator: regex.Pattern[str]) -> Iterator[Part]:
    r"""The documents of `text`: the runs of lines between lines that `separator` matches in full.

    >>> [(p.first_line, p.text, p.separator) for p in split_documents("a\n---\nb\n", regex.compile("-+"))]
    [(1, 'a\n', '---'), (3, 'b\n', None)]
    """
    lines = text.splitlines(keepends=True)
    start = 0
    first_line = 1
    for index, line in enumerate(lines):
        bare = line.rstrip("\r\n")
        if separator.fullmatch(bare):
            yield Part(first_line, "".join(lines[start:index]), bare)
            start, first_line = index + 1, index + 2
    yield Part(first_line, "".join(lines[start:]), None)


def joined_text(results: list[CleanResult], parts: list[Part]) -> str:
    """The text output of a split file: each document cleaned, its separator line kept after it.

    Cleaning the output again splits it at the same lines and changes nothing.
    """
    pieces: list[str] = []
    for result, part in zip(results, parts, strict=True):
        pieces.append(result.text)
        if part.separator is not None:
            pieces.append(part.separator + "\n")
    return "".join(pieces)


def shifted(result: CleanResult, first_line: int) -> CleanResult:
    """`result` with its line numbers counted from the file's start, not the part's."""
    shift = first_line - 1
    if not shift:
        return result
    return replace(
        result,
        removals=tuple(
            r._replace(lines=tuple(Line(line.number + shift, line.text) for line in r.lines))
            for r in result.removals
        ),
        substitutions=tuple(s._replace(line=s.line + shift) for s in result.substitutions),
        repairs=tuple(r._replace(line=r.line + shift) for r in result.repairs),
    )


def combined(results: list[CleanResult]) -> CleanResult:
    """One result that counts all of `results` (for the summary and the --max-removed guard)."""
    stats = Stats()
    for r in results:
        stats.add(r.stats)
    removals: tuple[Removal, ...] = tuple(removal for r in results for removal in r.removals)
    first = results[0]
    return replace(
        first,
        paragraphs=tuple(p for r in results for p in ((r.title,) if r.title else ()) + r.paragraphs),
        title=None,
        removals=removals,
        stats=stats,
        warnings=tuple(dict.fromkeys(w for r in results for w in r.warnings)),
        sites=tuple(sorted({s for r in results for s in r.sites})),
    )
