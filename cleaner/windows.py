"""Large files in bounded memory: clean window by window, each cut at a paragraph break.

A window is cleaned by the ordinary clean_text(). So that its zones and block rules see what
they would see in the whole document, a window that is not the first gets a marker paragraph
of prose in front (no head zone inside it), and one that is not the last gets marker prose
behind (no tail zone; a block rule's `rest` never reaches the window's end). The markers are
taken out of the result again, and line numbers are shifted to the file's own.

A file this large is many pages, not one, so the rules that judge a whole page (the article
`body` cluster, `repeated-line` counts) do not apply to it: see window_rules().
"""

from __future__ import annotations

import codecs
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from cleaner.document import Line, ProseTest, word_count
from cleaner.errors import InputError
from cleaner.normalization import normalize_line
from cleaner.pipeline import Options, clean_text, default_rules
from cleaner.result import CleanResult, Removal, Repair, Stats, Substitution
from cleaner.ruleset import RuleSet

# Windows are small because the rule engine's cost grows faster than linearly with the
# length of a document (a block rule rescans after each match): 64 KiB windows clean a
# 20 MB file over three times faster than 1 MiB windows, in a quarter of the memory.
WINDOW_BYTES = 64 * 1024
WINDOWED_FACTOR = 16  # a file above this many windows' bytes is cleaned in windows


def is_large(size: int, window_bytes: int = WINDOW_BYTES) -> bool:
    """Whether a file of `size` bytes is cleaned in windows (default: above 1 MiB).

    >>> is_large(1024 * 1024), is_large(1024 * 1024 + 1)
    (False, True)
    """
    return size > WINDOWED_FACTOR * window_bytes


_READ_CHUNK = 1024 * 1024
_MARKER = "This paragraph stands in for the article text that goes on beyond this part of the file."
_EMPTY_WARNING = "every line was removed: the result is empty"


@dataclass(frozen=True, slots=True)
class Window:
    first_line: int  # the file's line number of the window's first line, from 1
    lines: list[str]  # raw lines with their line endings
    first: bool
    last: bool

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass(slots=True)
class Merged:
    """What the windows add up to: a CleanResult without the body, which went to the sink.

    Paragraphs, removals, substitutions and repairs are kept only when asked to (for JSON):
    they cost memory the size of the file. The counts are always kept.
    """

    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    substitutions: list[Substitution] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    sites: set[str] = field(default_factory=set)
    language: str | None = None
    removed_by_kind: Counter[str] = field(default_factory=Counter)
    removed_by_rule: Counter[str] = field(default_factory=Counter)
    input_words: int = 0
    output_words: int = 0
    removed_lines: int = 0
    removed_words: int = 0
    repaired_lines: int = 0
    paragraph_count: int = 0
    input_lines: int = 0

    def result(self, encoding: str, warnings: tuple[str, ...]) -> CleanResult:
        if self.input_words and not self.output_words:
            warnings += (_EMPTY_WARNING,)
        stats = Stats(
            input_lines=self.input_lines,
            input_words=self.input_words,
            output_words=self.output_words,
            removed_lines=self.removed_lines,
            removed_words=self.removed_words,
            paragraphs=self.paragraph_count,
            repaired_lines=self.repaired_lines,
        )
        return CleanResult(
            title=self.title,
            paragraphs=tuple(self.paragraphs),
            removals=tuple(self.removals),
            substitutions=tuple(self.substitutions),
            repairs=tuple(self.repairs),
            stats=stats,
            warnings=warnings,
            encoding=encoding,
            sites=tuple(sorted(self.sites)),
            language=self.language,
        )


def check_encoding(path: Path, source: str, encoding: str | None) -> tuple[str, tuple[str, ...]]:
    """Choose the file's encoding the way decoding.decode_bytes does, reading it in chunks."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if encoding is None and head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    chosen = encoding or ("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8")
    try:
        decoder = codecs.getincrementaldecoder(chosen)()
    except LookupError:
        raise InputError(source, f"unknown encoding {encoding!r}") from None
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_READ_CHUNK):
            nul = chunk.find(b"\x00")
            if encoding is None and nul >= 0:
                raise InputError(source, f"binary file (NUL byte at offset {offset + nul}); not cleaned")
            buffered = decoder.getstate()[0]
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return _invalid(buffered + chunk, offset - len(buffered), error, source, encoding, path)
            offset += len(chunk)
    buffered = decoder.getstate()[0]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        return _invalid(buffered, offset - len(buffered), error, source, encoding, path)
    return codecs.lookup(chosen).name, ()


def _invalid(
    data: bytes, offset: int, error: UnicodeDecodeError, source: str, encoding: str | None, path: Path
) -> tuple[str, tuple[str, ...]]:
    # `data` starts with the bytes of an unfinished character the decoder held back.
    at = offset + error.start
    bad = data[error.start : error.start + 1].hex()
    if encoding is not None:
        raise InputError(source, f"not valid {encoding} (byte 0x{bad} at offset {at})")
    # The policy of decoding.decode_bytes: a detected legacy encoding, judged on the head.
    from cleaner.decoding import detected_warning
    from cleaner.detect import SAMPLE_BYTES, file_decodes, guess_legacy

    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    guess = guess_legacy(head, complete=False)
    if guess is not None and file_decodes(path, guess.encoding):
        name = codecs.lookup(guess.encoding).name
        reason = f"not valid UTF-8 (byte 0x{bad} at offset {at})"
        return name, (detected_warning(source, reason, name, guess.confidence),)
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    warning = (
        f"{source}: not valid UTF-8 (byte 0x{bad} at offset {at}); "
        "decoded as Windows-1252 (use --encoding to choose another)"
    )
    return "sloppy-windows-1252", (warning,)


def read_windows(path: Path, encoding: str, size: int, prose: ProseTest) -> Iterator[Window]:
    """Windows of about `size` characters, cut at a paragraph break between two prose paragraphs.

    Cutting between prose keeps a run of chrome (a comment widget, a disclaimer and what
    follows it) inside one window. When no such place comes within four window sizes, any
    blank line will do, and failing that any line break, so that memory stays bounded.
    """
    with path.open(encoding=encoding, newline="") as stream:
        pending: Window | None = None
        for window in _cut(stream, size, prose):
            if pending is not None:
                yield pending
            pending = window
        if pending is not None:
            yield replace(pending, last=True)


def _cut(stream: io.TextIOBase, size: int, prose: ProseTest) -> Iterator[Window]:
    lines: list[str] = []
    chars = 0
    paragraph_start = 0  # index in `lines` of the current paragraph's first line
    previous_prose = False  # whether the paragraph before the current one is prose
    last_blank = 0  # index just past the latest blank line in `lines`
    first_line = 1
    first = True
    for line in stream:
        if not lines or (line.strip() and not lines[-1].strip()):
            paragraph_start = len(lines)
        lines.append(line)
        chars += len(line)
        cut = 0
        if not line.strip():
            paragraph = lines[paragraph_start:-1]
            if paragraph and lines[-2].strip():
                is_prose = prose.is_prose(" ".join(normalize_line(p.rstrip("\r\n")) for p in paragraph))
                if is_prose and previous_prose and chars >= size:
                    cut = paragraph_start
                previous_prose = is_prose
            last_blank = len(lines)
        if not cut and chars >= 4 * size:
            cut = last_blank or len(lines)
        if cut:
            yield Window(first_line, lines[:cut], first, last=False)
            first_line += cut
            first = False
            lines = lines[cut:]
            chars = sum(len(rest) for rest in lines)
            paragraph_start = max(paragraph_start - cut, 0)
            last_blank = max(last_blank - cut, 0)
    if lines or first:
        yield Window(first_line, lines, first, last=False)


def window_rules(ruleset: RuleSet) -> RuleSet:
    """The rule set without its page-level rules: what windows of a large file are cleaned with.

    Picking one article cluster out of a 200 MB file would throw away nearly all of it.
    """

    def kept(rules: tuple) -> tuple:
        return tuple(rule for rule in rules if not rule.page_level)

    sites = tuple(replace(site, rules=kept(site.rules)) for site in ruleset.sites)
    return replace(ruleset, generic=kept(ruleset.generic), sites=sites)


def detect_sites(path: Path, encoding: str, options: Options, size: int) -> tuple[str, ...]:
    """The site packs that detect anywhere in the file (on normalized text, before repair)."""
    ruleset = options.rules if options.rules is not None else default_rules()
    found = set(options.sites)
    with path.open(encoding=encoding, newline="") as stream:
        block: list[str] = []
        chars = 0
        for line in stream:
            block.append(normalize_line(line.rstrip("\r\n")))
            chars += len(line)
            if chars >= size:
                found |= set(ruleset.select("\n".join(block), tuple(found))[0])
                block, chars = [], 0
        found |= set(ruleset.select("\n".join(block), tuple(found))[0])
    return tuple(sorted(found))


def first_window_language(path: Path, encoding: str, size: int) -> str | None:
    """The language (language.detect_language) of about the first `size` characters."""
    from cleaner.language import detect_language

    with path.open(encoding=encoding, newline="") as stream:
        return detect_language(stream.read(size))


def tail_marker_lines(options: Options) -> int:
    """Enough marker lines behind a window that no block rule's `rest` can reach its end."""
    ruleset = options.rules if options.rules is not None else default_rules()
    limits = [getattr(rule, "rest_max_lines", None) or 0 for rule in ruleset.all_rules]
    return max([*limits, 1]) + 1


def clean_window(window: Window, options: Options, tail_lines: int, source: str) -> CleanResult:
    """Clean one window as a part of its document; numbers in the result are the file's."""
    head = "" if window.first else _MARKER + "\n\n"
    tail_paragraph = "\n".join([_MARKER] * tail_lines)
    tail = "" if window.last else "\n" + tail_paragraph + "\n"
    text = window.text
    if tail and not text.endswith(("\n", "\r")):
        text += "\n"
    result = clean_text(head + text + tail, options)
    paragraphs = list(result.paragraphs)
    if head:
        if result.title is not None or not paragraphs or paragraphs[0] != _MARKER:
            raise InputError(source, "a rule changed the window marker; clean this file whole")
        paragraphs.pop(0)
    if tail:
        if not paragraphs or paragraphs[-1] != tail_paragraph:
            raise InputError(source, "a rule changed the window marker; clean this file whole")
        paragraphs.pop()
    shift = window.first_line - 1 - (2 if head else 0)
    marker_words = word_count(_MARKER) * ((1 if head else 0) + (tail_lines if tail else 0))
    stats = replace(
        result.stats,
        input_words=result.stats.input_words - marker_words,
        output_words=result.stats.output_words - marker_words,
        paragraphs=len(paragraphs),
    )
    return replace(
        result,
        paragraphs=tuple(paragraphs),
        removals=tuple(_shift_removal(removal, shift) for removal in result.removals),
        substitutions=tuple(replace(s, line=s.line + shift) for s in result.substitutions),
        repairs=tuple(replace(r, line=r.line + shift) for r in result.repairs),
        stats=stats,
        warnings=tuple(w for w in result.warnings if w != _EMPTY_WARNING),
    )


def _shift_removal(removal: Removal, shift: int) -> Removal:
    return replace(removal, lines=tuple(Line(line.number + shift, line.text) for line in removal.lines))


def clean_large(
    path: Path,
    options: Options,
    source: str,
    encoding: str | None = None,
    window_bytes: int = WINDOW_BYTES,
    keep_paragraphs: bool = False,
) -> tuple[Iterator[str], Merged, tuple[str, tuple[str, ...]]]:
    """Clean the file at `path` in windows.

    Returns the text output as an iterator of pieces (title, blank line, paragraphs: the same
    bytes as CleanResult.text), a Merged record that is complete once the iterator is used
    up, and the encoding chosen with its warnings. Paragraphs are kept in Merged only with
    `keep_paragraphs` (for JSON), since keeping them costs memory the size of the output.
    """
    chosen, warnings = check_encoding(path, source, encoding)
    sites = detect_sites(path, chosen, options, window_bytes)
    ruleset = window_rules(options.rules if options.rules is not None else default_rules())
    # One language for the whole file, the one its first window is in (unless given).
    language = options.lang or first_window_language(path, chosen, window_bytes)
    options = replace(options, sites=sites, rules=ruleset, lang=language)
    tail_lines = tail_marker_lines(options)
    merged = Merged(language=language)

    def pieces() -> Iterator[str]:
        started = False
        for window in read_windows(path, chosen, window_bytes, ruleset.settings.prose_test()):
            result = clean_window(window, options, tail_lines, source)
            _merge(merged, window, result, keep_paragraphs)
            parts = ([result.title] if window.first and result.title else []) + list(result.paragraphs)
            for part in parts:
                yield ("\n\n" if started else "") + part
                started = True
        if started:
            yield "\n"

    name = "windows-1252" if chosen == "sloppy-windows-1252" else chosen
    return pieces(), merged, (name, warnings)


def _merge(merged: Merged, window: Window, result: CleanResult, keep_paragraphs: bool) -> None:
    if window.first:
        merged.title = result.title
    if keep_paragraphs:
        merged.paragraphs += result.paragraphs
        merged.removals += result.removals
        merged.substitutions += result.substitutions
        merged.repairs += result.repairs
    by_kind, by_rule = result.removed_counts()
    merged.removed_by_kind.update(by_kind)
    merged.removed_by_rule.update(by_rule)
    merged.removed_lines += result.stats.removed_lines
    merged.removed_words += result.stats.removed_words
    merged.repaired_lines += result.stats.repaired_lines
    merged.sites |= set(result.sites)
    merged.input_words += result.stats.input_words
    merged.output_words += result.stats.output_words
    merged.paragraph_count += result.stats.paragraphs
    merged.input_lines = window.first_line - 1 + len(window.lines)
