"""Running a rule's own examples: each must change what it says and keep what it says."""

from __future__ import annotations

from dataclasses import dataclass

from cleaner.engine.rules import Context, Example, Rule
from cleaner.engine.ruleset import Settings
from cleaner.text.document import Line, paragraph_spans, split_lines
from cleaner.text.normalization import normalize_line


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    rule: Rule
    example: Example
    expected: str
    actual: str


def _lines(text: str) -> list[Line]:
    return [Line(number, normalize_line(t)) for number, t in enumerate(split_lines(text), 1)]


def render_lines(lines: list[Line]) -> str:
    """Paragraphs joined by one blank line, one final newline: how examples are compared."""
    paragraphs = ["\n".join(line.text for line in lines[a:b]) for a, b in paragraph_spans(lines)]
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def run_example(rule: Rule, example: Example, settings: Settings) -> tuple[str, str]:
    """(expected, actual) text for one example of one rule applied alone."""
    kept, _, _ = rule.apply(_lines(example.input), Context(settings.prose_test()))
    wanted = example.input if example.output is None else example.output
    return render_lines(_lines(wanted)), render_lines(kept)


def check_rule(rule: Rule, settings: Settings) -> list[ExampleFailure]:
    failures = []
    for example in rule.examples:
        expected, actual = run_example(rule, example, settings)
        if expected != actual:
            failures.append(ExampleFailure(rule, example, expected, actual))
    return failures
