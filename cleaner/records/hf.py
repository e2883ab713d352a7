"""Batch functions for dataframe engines: Hugging Face datasets, Ray Data, Spark.

    dataset.map(cleaner.records.hf.clean_batch, batched=True, fn_kwargs={"text_field": "text"})

A batch is a mapping of column names to equal-length sequences (lists, NumPy arrays, pandas
Series); the result has every column of the batch, in its order, with the text column
cleaned (or the cleaned text in `output_field`). Each row goes through
cleaner.records.corpus.clean_record, as in `cleaner clean shard.jsonl`, so the cleaned text is the
same whichever front end made it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from typing import Any

from cleaner.engine.pipeline import Options
from cleaner.errors import CleanerError
from cleaner.records.corpus import RecordSettings, clean_record, facts

_OPTION_NAMES = {f.name for f in fields(Options)}


def settings_for(
    text_field: str = "text",
    output_field: str | None = None,
    meta_field: str | None = None,
    max_removed: float = 0.6,
    **options: Any,
) -> RecordSettings:
    """RecordSettings from keyword arguments: Options fields (sites, repair, favor, lang, ...)."""
    unknown = sorted(set(options) - _OPTION_NAMES - {"options"})
    if unknown:
        raise TypeError(f"unknown option {unknown[0]!r} (Options fields: {', '.join(sorted(_OPTION_NAMES))})")
    given = options.pop("options", None)
    if isinstance(options.get("sites"), list):
        options["sites"] = tuple(options["sites"])
    built = given if given is not None else Options(**options)
    return RecordSettings(
        options=built,
        text_field=text_field,
        output_field=output_field,
        meta_field=meta_field,
        max_removed=max_removed,
    )


def clean_batch(
    batch: Mapping[str, Sequence[Any]],
    text_field: str = "text",
    output_field: str | None = None,
    meta_field: str | None = None,
    max_removed: float = 0.6,
    on_error: str = "raise",
    **options: Any,
) -> dict[str, list[Any]]:
    """Clean the text column of one batch; every other column is kept.

    `options` are fields of cleaner.Options (`sites=("theduran",)`, `repair=False`,
    `favor="recall"`, `lang="de"`, `rules=load_rules([...])`), or `options=Options(...)`.
    `meta_field` adds each row's facts as a JSON string (one type for every batch, as Arrow
    needs). A row whose text is missing or not a string raises a CleanerError naming the row,
    unless `on_error="keep"`: then its text stays as it was (and its facts say why).

    >>> from cleaner.engine.ruleset import RuleSet
    >>> clean_batch({"id": [1], "text": ["Title\\n\\nBody."]}, rules=RuleSet())
    {'id': [1], 'text': ['Title\\n\\nBody.']}
    """
    if on_error not in ("raise", "keep"):
        raise ValueError("on_error is 'raise' or 'keep'")
    settings = settings_for(text_field, output_field, meta_field, max_removed, **options)
    names = list(batch)
    columns = {name: list(batch[name]) for name in names}
    rows = len(columns[names[0]]) if names else 0
    target = output_field or text_field
    out: dict[str, list[Any]] = {name: list(values) for name, values in columns.items()}
    cleaned: list[Any] = []
    metas: list[str] = []
    for index in range(rows):
        record = {name: columns[name][index] for name in names}
        outcome = clean_record(record, settings, f"row {index}")
        if outcome.error is not None or outcome.record is None:
            if on_error == "raise":
                raise CleanerError(outcome.error or f"row {index}: not cleaned")
            cleaned.append(record.get(text_field))
            metas.append(json.dumps({"error": outcome.error}, ensure_ascii=False))
            continue
        cleaned.append(outcome.record[target])
        if meta_field and outcome.result is not None:
            metas.append(json.dumps(facts(outcome.result, outcome.suspicious), ensure_ascii=False))
    out[target] = cleaned
    if meta_field:
        out[meta_field] = metas
    return out


def clean_frames(frames: Iterable[Any], **arguments: Any) -> Iterator[Any]:
    """pandas DataFrames in, cleaned DataFrames out: the function Spark's mapInPandas wants."""
    import pandas

    for frame in frames:
        yield pandas.DataFrame(clean_batch(frame.to_dict("list"), **arguments))
