"""CleanResult to text or to a JSON-ready object: the only formats the CLI writes."""

from __future__ import annotations

import json
from typing import Any

from cleaner.engine.result import CleanResult


def to_text(result: CleanResult) -> str:
    return result.text


def to_object(result: CleanResult, source: str, suspicious: bool = False) -> dict[str, Any]:
    """The JSON object for one document; `removed` has one entry per removed input line.

    `suspicious` (the rules would remove more of the words than --max-removed allows) adds
    `"suspicious": true`; the key is absent otherwise. `encoding_confidence` is there only when
    the encoding was detected (see detect.py).
    """
    flags = {"suspicious": True} if suspicious else {}
    # Only a detected encoding has a confidence; a known one (UTF-8, --encoding) has none.
    detected = result.encoding_confidence
    confidence = {} if detected is None else {"encoding_confidence": detected}
    return {
        "source": source,
        "title": result.title,
        "text": result.body,
        "paragraphs": list(result.paragraphs),
        "removed": [
            {"rule": removal.rule, "kind": removal.kind, "line": line.number, "text": line.text}
            | ({"evidence": removal.evidence} if removal.evidence else {})
            for removal in result.removals
            for line in removal.lines
        ],
        "substituted": [
            {"rule": s.rule, "kind": s.kind, "line": s.line, "before": s.before, "after": s.after}
            for s in result.substitutions
        ],
        "repairs": [
            {"line": r.line, "fixes": list(r.fixes), "before": r.before, "after": r.after}
            for r in result.repairs
        ],
        "encoding": result.encoding,
        **confidence,
        "sites": list(result.sites),
        "language": result.language,
        "stats": {
            "input_lines": result.stats.input_lines,
            "input_words": result.stats.input_words,
            "output_words": result.stats.output_words,
            "removed_lines": result.stats.removed_lines,
            "removed_words": result.stats.removed_words,
            "removed_share": round(result.stats.removed_share, 4),
            "paragraphs": result.stats.paragraphs,
            "repaired_lines": result.stats.repaired_lines,
        },
        "warnings": list(result.warnings),
        **({"article": result.article} if result.article is not None else {}),
        **flags,
    }


def to_json(result: CleanResult, source: str) -> str:
    return json.dumps(to_object(result, source), ensure_ascii=False, indent=2) + "\n"


def to_jsonl(result: CleanResult, source: str) -> str:
    return json.dumps(to_object(result, source), ensure_ascii=False) + "\n"


RENDERERS = {"text": lambda result, source: to_text(result), "json": to_json, "jsonl": to_jsonl}
