"""`cleaner rules test`: run every example of every loaded rule."""

from __future__ import annotations

import sys

import click

from cleaner.cli.base import CONTEXT, guarded, load_ruleset, no_builtin_option, rules


@rules.command("test", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@no_builtin_option
@click.pass_context
def rules_test(context: click.Context, paths: tuple[str, ...], no_builtin: bool) -> None:
    """Run every example of every loaded rule (built-ins and PATHs); exit 1 on a failure."""
    import difflib

    from cleaner.rulebook.examples import check_rule
    from cleaner.rulebook.rulefiles import settings_at_fault

    with guarded(context.obj["verbose"]):
        ruleset = load_ruleset(paths, not no_builtin, check_examples=False)
        total = failed = 0
        for rule in ruleset.all_rules:
            total += len(rule.examples)
            failures = check_rule(rule, ruleset.settings)
            # Another file's [settings] may be what makes a sound rule fail: say so.
            blame = settings_at_fault(ruleset, rule) if failures else None
            for failure in failures:
                failed += 1
                number = rule.examples.index(failure.example) + 1
                cause = f"; it fails with {blame}" if blame else ""
                click.echo(f"FAIL {rule.id} example {number} ({rule.path}{cause})")
                diff = difflib.unified_diff(
                    failure.expected.splitlines(keepends=True),
                    failure.actual.splitlines(keepends=True),
                    "expected",
                    "actual",
                )
                click.echo("".join(diff), nl=False)
        rule_count = len(ruleset.all_rules)
        click.echo(f"{total - failed} passed, {failed} failed ({rule_count} rules)")
    sys.exit(1 if failed else 0)
