"""The one ftfy call: mojibake, HTML entities and control characters, line by line."""

from __future__ import annotations

import regex

# Lines made only of printable ASCII (no "&" that could start an entity, no ESC) are left
# exactly as they are by ftfy, so they skip it: most lines of most documents.
_NEEDS_REPAIR = regex.compile(r"[^\t\x20-\x25\x27-\x7e]")


def _config(ascii_quotes: bool):
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        # Keep typographic quotes unless asked: they are the author's text, not damage.
        uncurl_quotes=ascii_quotes,
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
    if not _NEEDS_REPAIR.search(line):
        return line, ()
    from ftfy import fix_and_explain

    config = _CONFIGS.get(ascii_quotes)
    if config is None:
        config = _CONFIGS[ascii_quotes] = _config(ascii_quotes)
    fixed, plan = fix_and_explain(line, config)  # type: ignore[arg-type]
    if fixed == line:
        return line, ()
    return fixed, tuple(_step_name(action, step) for action, step in plan or ())


def _step_name(action: str, step: str) -> str:
    # ftfy reports a mojibake fix as an encode step and a decode step; name both.
    return step if action == "apply" else f"{action}:{step}"
