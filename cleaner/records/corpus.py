"""Cleaning records: one function for one record, used by every front end.

`cleaner clean` on JSON Lines or Parquet, `cleaner dask --jsonl` and the adapters
(`cleaner.records.hf`) all call clean_record(), so that a record comes out the same whichever
of them cleaned it, and every option means the same as for text files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from cleaner.engine.pipeline import Options, clean_text
from cleaner.engine.result import CleanResult
from cleaner.engine.tally import Tally
from cleaner.errors import CleanerError, Notice, named


@dataclass(frozen=True, slots=True)
class RecordSettings:
    """How to clean records: the Options of the text path, and which fields to use."""

    options: Options = field(default_factory=Options)
    text_field: str = "text"
    id_field: str | None = None  # names the record in messages (else FILE:LINE)
    output_field: str | None = None  # None: the cleaned text replaces the text field
    meta_field: str | None = None  # add the per-record facts under this name
    encoding: str | None = None  # for a text field of bytes (a Parquet binary column)
    max_removed: float = 0.6
    strict: bool = False  # a suspicious record fails and is not written


@dataclass(slots=True)
class RecordOutcome:
    """What became of one record: the record to write (or None), and what to report."""

    name: str
    record: dict[str, Any] | None = None  # the output record; None when it failed
    error: str | None = None
    suspicious: bool = False
    changed: bool = False
    warnings: list[Notice] = field(default_factory=list)
    removed_share: float = 0.0
    measured: Tally = field(default_factory=Tally)  # what cleaning removed and repaired
    result: CleanResult | None = None

    def tally(self, size: int) -> Tally:
        """This record's counts as one document of the run."""
        status = "failed" if self.error else "changed" if self.changed else "unchanged"
        return self.measured.document(status, self.suspicious, size)

    @property
    def excluded(self) -> str | None:
        """Why this record belongs in --exclusions, or None."""
        if self.error is not None:
            return self.error
        if self.suspicious:
            return f"suspicious: the rules would remove {self.removed_share:.0%} of its words"
        return None


def record_name(record: Any, where: str, id_field: str | None) -> str:
    """How messages name a record: its id when it has one, else where it is (FILE:LINE)."""
    if id_field and isinstance(record, dict) and record.get(id_field) is not None:
        return f"{where} ({id_field} {record[id_field]})"
    return where


def clean_record(record: Any, settings: RecordSettings, where: str = "<record>") -> RecordOutcome:
    """Clean the text field of one record; every other field is kept, in its order.

    The cleaned text is what `cleaner clean` prints for the same text (title, blank line,
    body), cleaned by clean_text() with the same Options. Never raises for a bad record: the
    outcome carries the error.

    >>> from cleaner.engine.ruleset import RuleSet
    >>> settings = RecordSettings(Options(rules=RuleSet()))
    >>> clean_record({"id": 7, "text": "Title\\n\\nBody.", "url": "u"}, settings).record
    {'id': 7, 'text': 'Title\\n\\nBody.', 'url': 'u'}
    """
    name = record_name(record, where, settings.id_field)
    outcome = RecordOutcome(name)
    field_name = settings.text_field
    if not isinstance(record, dict):
        outcome.error = f"{name}: not a JSON object (a {type(record).__name__})"
        return outcome
    if field_name not in record:
        outcome.error = f"{name}: no {field_name!r} field"
        return outcome
    text = record[field_name]
    encoding: str | None = None
    confidence: float | None = None
    decode_warnings: tuple[str, ...] = ()
    try:
        if isinstance(text, bytes | bytearray):
            from cleaner.text.decoding import decode_bytes

            decoded = decode_bytes(bytes(text), name, settings.encoding)
            text, encoding, confidence = decoded.text, decoded.encoding, decoded.confidence
            decode_warnings = tuple(decoded.warnings)
        elif not isinstance(text, str):
            kind = "null" if text is None else type(text).__name__
            outcome.error = f"{name}: the {field_name!r} field is {kind}, not a string"
            return outcome
        result = clean_text(text, settings.options)
    except CleanerError as problem:
        outcome.error = named(name, str(problem))
        return outcome
    if encoding is not None:
        result = replace(
            result,
            encoding=encoding,
            encoding_confidence=confidence,
            warnings=decode_warnings + result.warnings,
        )
    _account(outcome, result, text, settings)
    if outcome.error is None:
        outcome.record = _output_record(record, result, settings, outcome.suspicious)
    return outcome


def _account(outcome: RecordOutcome, result: CleanResult, text: str, settings: RecordSettings) -> None:
    outcome.result = result
    outcome.changed = cleaned_text(result) != text
    share = result.stats.removed_share
    outcome.removed_share = share
    outcome.suspicious = share > settings.max_removed
    outcome.measured = Tally.measured(result)
    for warning in result.warnings:
        if warning == "every line was removed: the result is empty" and not text.strip():
            continue
        outcome.warnings.append(Notice(outcome.name, warning))
    if outcome.suspicious:
        message = f"suspicious: the rules would remove {share:.0%} of its words"
        if settings.strict:
            outcome.error = f"{outcome.name}: {message} (--strict); not written"
        elif result.text:
            outcome.warnings.append(
                Notice(outcome.name, f"{message} (over --max-removed {settings.max_removed:g})")
            )


def _output_record(
    record: dict[str, Any], result: CleanResult, settings: RecordSettings, suspicious: bool
) -> dict[str, Any]:
    output = dict(record)
    output[settings.output_field or settings.text_field] = cleaned_text(result)
    if settings.meta_field:
        output[settings.meta_field] = facts(result, suspicious)
    return output


def cleaned_text(result: CleanResult) -> str:
    """What a record's text becomes: the text `cleaner clean` prints, less its final newline."""
    text = result.text
    return text[:-1] if text.endswith("\n") else text


def facts(result: CleanResult, suspicious: bool) -> dict[str, Any]:
    """The per-record facts of --meta-field."""
    by_kind, _ = result.removed_counts()
    return {
        "title": result.title,
        "removed_share": round(result.stats.removed_share, 4),
        "removed_lines": result.stats.removed_lines,
        "removed_by_kind": dict(sorted(by_kind.items())),
        "suspicious": suspicious,
        "repairs": result.stats.repaired_lines,
        "language": result.language,
        "sites": list(result.sites),
    }


def exclusion(record: Any, raw: bytes | None, outcome: RecordOutcome, where: str) -> dict[str, Any]:
    """The line --exclusions gets for a record: the input record and why it is there."""
    reason = outcome.excluded or ""
    entry: dict[str, Any] = {"location": where, "reason": reason}
    if outcome.error is None or outcome.suspicious:
        entry["removed_share"] = round(outcome.removed_share, 4)
        entry["removed_by_rule"] = dict(sorted(outcome.measured.by_rule.items()))
    if isinstance(record, dict):
        return {**record, "cleaner_exclusion": entry}
    return {"raw": (raw or b"").decode("utf-8", "replace").rstrip("\n"), "cleaner_exclusion": entry}


def meta_as_json(record: dict[str, Any], meta_field: str | None) -> dict[str, Any]:
    """Parquet keeps the facts as a JSON string, so that every row group has one schema."""
    if meta_field and isinstance(record.get(meta_field), dict):
        return {**record, meta_field: json.dumps(record[meta_field], ensure_ascii=False)}
    return record
