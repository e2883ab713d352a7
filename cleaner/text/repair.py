"""The one ftfy call: mojibake, HTML entities and control characters, line by line.

ftfy is thorough but slow (a few MB/s), and most text needs nothing from it. A gate in front
of it answers "could ftfy change this?" exactly, in two steps:

1. A character class (no ftfy import): text made only of printable ASCII without "&", plus
   the typographic punctuation that cannot start a repair on its own (curly quotes, dashes,
   the ellipsis, no-break space), is never changed by ftfy.
2. Otherwise the same tests ftfy starts with, on each line that failed step 1: an HTML entity,
   a character some fixer rewrites (C1 and other controls, ligatures, surrogates, terminal
   escapes), a sequence ftfy's own mojibake heuristic calls bad, or
   text that is not in NFC. When none is found, ftfy would leave every line as it is.

Only the lines that fail the gate go to ftfy.
"""

from __future__ import annotations

import re  # not regex: for plain character classes, re runs several times faster
import unicodedata
from functools import cache
from typing import Any

# Step 1. Besides printable ASCII without "&": ftfy's "common" mojibake characters (no-break
# space, soft hyphen, middle dot, acute accent, en and em dash, horizontal bar, ellipsis,
# right single quote) and the curly quotes ‘ “ ”. Each of ftfy's mojibake patterns needs at
# least one character outside this set (tests/test_repair_gate.py checks that against ftfy).
_TYPOGRAPHIC = "\u00a0\u00ad\u00b7\u00b4\u2013\u2014\u2015\u2026\u2018\u2019\u201c\u201d"
_MAY_NEED_REPAIR = re.compile(rf"[^\t\n\r\x20-\x25\x27-\x7e{_TYPOGRAPHIC}]")
# With --ascii-quotes ftfy straightens curly quotes, so only plain ASCII is safe.
_MAY_NEED_REPAIR_ASCII = re.compile(r"[^\t\n\r\x20-\x25\x27-\x7e]")


@cache
def _ftfy_tests(ascii_quotes: bool) -> tuple:
    """ftfy's own first checks: entities, characters a fixer rewrites, bad sequences."""
    from ftfy import chardata
    from ftfy.badness import BADNESS_RE

    from cleaner.text.badness import BadnessTest

    # Not chardata.WIDTH_MAP: character widths are left alone (see _config).
    rewritten = set(chardata.CONTROL_CHARS) | set(chardata.LIGATURES)
    rewritten |= set(range(0x80, 0xA0)) | {0x1B}  # C1 controls; ESC starts a terminal escape
    characters = "".join(re.escape(chr(code)) for code in sorted(rewritten))
    chars_re = re.compile(f"[{characters}\ud800-\udfff]")
    # BADNESS_RE anchors one pattern at the start of the text; the text given here may hold
    # several lines (split at CR or LF), and each line starts a text of its own.
    line_start_re = re.compile(r"(?:^|(?<=[\r\n]))[ÃÂ] ")
    tests: tuple[Any, ...] = (chardata.HTML_ENTITY_RE, chars_re, BadnessTest(BADNESS_RE), line_start_re)
    if ascii_quotes:
        tests += (chardata.SINGLE_QUOTE_RE, chardata.DOUBLE_QUOTE_RE)
    return tests


def may_need_repair(text: str, ascii_quotes: bool = False) -> bool:
    """False when ftfy is certain to leave every line of `text` unchanged.

    >>> may_need_repair("It’s a plain line – with “quotes”…")
    False
    >>> may_need_repair("Itâ€™s broken"), may_need_repair("Fish &amp; chips")
    (True, True)
    """
    gate = _MAY_NEED_REPAIR_ASCII if ascii_quotes else _MAY_NEED_REPAIR
    found = gate.search(text)
    if found is None:
        return False
    tests = _ftfy_tests(ascii_quotes)
    # ftfy's tests are slow over long text (its mojibake heuristic runs at ~5 MB/s), so run
    # them only on the lines that hold a character from outside the step 1 set.
    while found is not None:
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        line = text[start:] if end < 0 else text[start:end]
        if any(test.search(line) for test in tests) or not unicodedata.is_normalized("NFC", line):
            return True
        if end < 0:
            return False
        found = gate.search(text, end)
    return False


def _config(ascii_quotes: bool):
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        # Keep typographic quotes unless asked: they are the author's text, not damage.
        uncurl_quotes=ascii_quotes,
        # Full-width punctuation and letters (，：！Ａ) and half-width katakana are how CJK
        # text is written, not damage: ftfy would turn "，" into ",". Mojibake is still fixed.
        fix_character_width=False,
        # Lines are split and numbered before repair; a repair must not renumber them.
        fix_line_breaks=False,
        explain=True,
    )


_CONFIGS: dict[bool, object] = {}


def repair_line(line: str, ascii_quotes: bool = False) -> tuple[str, tuple[str, ...]]:
    """Return the repaired line and the names of the ftfy steps that changed it.

    >>> repair_line("donâ€™t &amp; stop")
    ('don’t & stop', ('unescape_html', 'encode:sloppy-windows-1252', 'decode:utf-8'))
    >>> repair_line("plain text")
    ('plain text', ())
    """
    if not may_need_repair(line, ascii_quotes):
        return line, ()
    fast = _round_trip(line, ascii_quotes)
    if fast is not None:
        return fast
    return _ftfy_repair(line, ascii_quotes)


def _ftfy_repair(line: str, ascii_quotes: bool) -> tuple[str, tuple[str, ...]]:
    """repair_line() by ftfy itself, for any line."""
    from ftfy import fix_and_explain

    config = _CONFIGS.get(ascii_quotes)
    if config is None:
        config = _CONFIGS[ascii_quotes] = _config(ascii_quotes)
    fixed, plan = fix_and_explain(line, config)  # type: ignore[arg-type]
    if fixed == line:
        return line, ()
    return fixed, tuple(_step_name(action, step) for action, step in plan or ())


def _round_trip(line: str, ascii_quotes: bool) -> tuple[str, tuple[str, ...]] | None:
    """What ftfy makes of a line of plain mojibake, without ftfy's full pass; None: ask ftfy.

    The line is what ftfy repairs in one step of its own: UTF-8 read as the first of ftfy's
    single-byte encodings that can encode it (Latin-1, Windows-1252 ...), so that encoding it
    back and decoding it as UTF-8 is ftfy's fix, with none of the byte-level corrections
    ftfy may add (a restored A0 byte, a lossy sequence, a UTF-8 variant). The result is taken
    only when the gate finds nothing left in it for ftfy to do: then ftfy's next round, its
    other fixers and its normalization leave it as it is, and ftfy's answer is the same.
    tests/test_repair_gate.py compares the two over a generated mojibake corpus.

    >>> _round_trip("donâ€™t stop", False)
    ('don’t stop', ('encode:sloppy-windows-1252', 'decode:utf-8'))
    >>> _round_trip("Fish &amp; chips Ã©", False) is None  # an entity: ftfy's own pass
    True
    """
    if "&" in line or line.isascii():
        return None
    from ftfy import chardata, fixes
    from ftfy.badness import is_bad

    if not is_bad(line):
        return None
    for encoding in chardata.CHARMAP_ENCODINGS:
        if not chardata.possible_encoding(line, encoding):
            continue
        data = line.encode(encoding)
        if (
            encoding != "macroman"
            and chardata.ALTERED_UTF8_RE.search(data)
            and fixes.restore_byte_a0(data) != data
        ):
            return None
        if encoding.startswith("sloppy") and fixes.replace_lossy_sequences(data) != data:
            return None
        if 0xED in data or 0xC0 in data:
            return None
        try:
            fixed = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # as ftfy does: the next encoding that can encode the line
        if fixed == line or may_need_repair(fixed, ascii_quotes):
            return None
        return fixed, (f"encode:{encoding}", "decode:utf-8")
    return None


def _step_name(action: str, step: str) -> str:
    # ftfy reports a mojibake fix as an encode step and a decode step; name both.
    return step if action == "apply" else f"{action}:{step}"
