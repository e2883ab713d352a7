"""The one record of counts: of a document (CleanResult.stats), of a chunk of records, of a
run or of a cluster's tasks, added up the same way and written out in one schema
(--stats-json, the Dask summary)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cleaner.engine.result import CleanResult


@dataclass(slots=True)
class Tally:
    """Counts over a run: documents changed, unchanged and failed, and their lines and words."""

    changed: int = 0  # documents (files or records) that cleaning changed
    unchanged: int = 0
    failed: int = 0
    suspicious: int = 0  # over --max-removed
    bytes: int = 0  # read, failed documents included
    input_lines: int = 0
    input_words: int = 0
    output_words: int = 0
    removed_lines: int = 0
    removed_words: int = 0
    paragraphs: int = 0
    repaired_lines: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)  # removed lines by kind
    by_rule: Counter[str] = field(default_factory=Counter)  # and by rule

    @property
    def documents(self) -> int:
        return self.changed + self.unchanged + self.failed

    @property
    def removed_share(self) -> float:
        """Share of the input's words that rules removed (0.0 for an empty input)."""
        return self.removed_words / self.input_words if self.input_words else 0.0

    @classmethod
    def measured(cls, result: CleanResult) -> Tally:
        """What one cleaning removed and repaired (its stats, with the removed lines by kind and
        by rule), before it is counted as a document."""
        by_kind, by_rule = result.removed_counts()
        return replace(result.stats, by_kind=by_kind, by_rule=by_rule)

    def document(self, status: str, suspicious: bool, size: int) -> Tally:
        """These counts as one document's: `status` is changed, unchanged or failed; a failed
        document counts its bytes and nothing it would have removed."""
        if status == "failed":
            return Tally(failed=1, suspicious=int(suspicious), bytes=size)
        return replace(
            self,
            changed=int(status == "changed"),
            unchanged=int(status != "changed"),
            failed=0,
            suspicious=int(suspicious),
            bytes=size,
            by_kind=Counter(self.by_kind),
            by_rule=Counter(self.by_rule),
        )

    def add(self, other: Tally) -> Tally:
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.failed += other.failed
        self.suspicious += other.suspicious
        self.bytes += other.bytes
        self.input_lines += other.input_lines
        self.input_words += other.input_words
        self.output_words += other.output_words
        self.removed_lines += other.removed_lines
        self.removed_words += other.removed_words
        self.paragraphs += other.paragraphs
        self.repaired_lines += other.repaired_lines
        self.by_kind.update(other.by_kind)
        self.by_rule.update(other.by_rule)
        return self

    def as_dict(self, unit: str) -> dict[str, Any]:
        """The counts for scripts; `unit` names what a document is (files, records, documents).

        >>> Tally(changed=2, failed=1, bytes=10).as_dict("files")["documents"]
        {'unit': 'files', 'total': 3, 'changed': 2, 'unchanged': 0, 'failed': 1, 'suspicious': 0}
        """
        return {
            "documents": {
                "unit": unit,
                "total": self.documents,
                "changed": self.changed,
                "unchanged": self.unchanged,
                "failed": self.failed,
                "suspicious": self.suspicious,
            },
            "bytes": self.bytes,
            "input_words": self.input_words,
            "output_words": self.output_words,
            "removed_lines": self.removed_lines,
            "repaired_lines": self.repaired_lines,
            "removed_by_kind": dict(sorted(self.by_kind.items())),
            "removed_by_rule": dict(sorted(self.by_rule.items())),
        }
