"""datatrove pipeline steps: clean each Document's text with cleaner's rules.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.records.datatrove_steps import CleanerFilter

    LocalPipelineExecutor(
        pipeline=[
            JsonlReader("crawl/"),
            CleanerFilter(exclusion_writer=JsonlWriter("excluded/"), meta_field="cleaner"),
            JsonlWriter("cleaned/"),
        ],
        tasks=4,
    ).run()

`CleanerFormatter` cleans every document and drops none. `CleanerFilter` cleans the documents
it keeps and drops the ones the over-removal guard flags (the rules would remove more than
`max_removed` of their words) or that cannot be cleaned; those go to its exclusion writer as
they came in, with `metadata["cleaner_exclusion"]` saying why (the entry `cleaner clean
--exclusions` writes). Both clean each document with cleaner.records.corpus.clean_record, as
`cleaner clean shard.jsonl` does, so the text is the same whichever front end cleaned it.
Keyword arguments are as for cleaner.records.hf.clean_batch: fields of cleaner.Options
(`sites=("theduran",)`, `repair=False`, `rules=load_rules([...])`) or `options=Options(...)`.

Needs datatrove (`pip install 'cleaner[datatrove]'`).
"""

from __future__ import annotations

from typing import Any

from cleaner.records.corpus import RecordOutcome, RecordSettings, clean_record, exclusion
from cleaner.records.hf import settings_for

try:
    from datatrove.pipeline.filters.base_filter import BaseFilter
    from datatrove.pipeline.formatters.base import BaseFormatter
except ImportError:  # pragma: no cover - the module is only imported where datatrove is
    raise ImportError("datatrove is not installed: pip install 'cleaner[datatrove]'") from None

__all__ = ["CleanerFilter", "CleanerFormatter", "clean_document"]


def clean_document(document: Any, settings: RecordSettings) -> RecordOutcome:
    """Clean one datatrove Document in place (its text, and its facts in metadata); the outcome.

    The text is left as it was when the outcome has an error. Never raises for a bad document.
    """
    where = f"document {document.id}"
    outcome = clean_record({settings.text_field: document.text}, settings, where)
    if outcome.record is not None:
        document.text = outcome.record[settings.text_field]
        if settings.meta_field:
            document.metadata[settings.meta_field] = outcome.record[settings.meta_field]
    return outcome


class _Cleaning:
    """What the two steps share: the settings, and the counts they add to datatrove's stats."""

    settings: RecordSettings

    def _count(self: Any, outcome: RecordOutcome) -> None:
        if outcome.error is not None:
            self.stat_update("cleaner_failed")
            return
        self.stat_update("cleaner_changed" if outcome.changed else "cleaner_unchanged")
        if outcome.suspicious:
            self.stat_update("cleaner_suspicious")
        if outcome.measured.removed_lines:
            self.stat_update("cleaner_removed_lines", value=outcome.measured.removed_lines)
        for kind, count in sorted(outcome.measured.by_kind.items()):
            self.stat_update(f"cleaner_removed_{kind}", value=count)


class CleanerFormatter(_Cleaning, BaseFormatter):  # type: ignore[misc]
    """Clean every document's text; none is dropped.

    A document that cannot be cleaned keeps its text, with the reason in
    `metadata["cleaner_error"]`; a flagged one is cleaned and counted (`cleaner_suspicious`),
    as `cleaner clean` writes it without `--strict`.
    """

    name = "cleaner"

    def __init__(self, meta_field: str | None = None, max_removed: float = 0.6, **options: Any) -> None:
        super().__init__()
        self.settings = settings_for("text", None, meta_field, max_removed, **options)

    def format(self, text: str) -> str:
        """The cleaned text of one string (what run() does to each document's text)."""
        outcome = clean_record({"text": text}, self.settings)
        return text if outcome.record is None else str(outcome.record["text"])

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Any:
        for document in data:
            self.stat_update("total")
            with self.track_time():
                outcome = clean_document(document, self.settings)
            self._count(outcome)
            if outcome.error is not None:
                document.metadata["cleaner_error"] = outcome.error
            yield document


class CleanerFilter(_Cleaning, BaseFilter):  # type: ignore[misc]
    """Clean the documents kept; drop the flagged and the failed ones to `exclusion_writer`.

    A dropped document keeps the text it came with, and `metadata["cleaner_exclusion"]` says
    where it was, why it was dropped, its removed share and the lines removed by each rule;
    datatrove adds `metadata["filter_reason"]` (`cleaner_suspicious` or `cleaner_failed`).
    """

    name = "cleaner"

    def __init__(
        self,
        exclusion_writer: Any = None,
        meta_field: str | None = None,
        max_removed: float = 0.6,
        **options: Any,
    ) -> None:
        super().__init__(exclusion_writer)
        self.settings = settings_for("text", None, meta_field, max_removed, **options)

    def filter(self, doc: Any) -> bool | tuple[bool, str]:
        original = doc.text
        outcome = clean_document(doc, self.settings)
        self._count(outcome)
        if outcome.excluded is None:
            return True
        doc.text = original
        doc.metadata.pop(self.settings.meta_field or "", None)
        entry = exclusion({}, None, outcome, outcome.name)["cleaner_exclusion"]
        doc.metadata["cleaner_exclusion"] = entry
        return False, "cleaner_failed" if outcome.error is not None else "cleaner_suspicious"
