"""Parquet output built from Arrow data: the input's columns pass through as they are, the
cleaned text (and the facts) join them, without a round trip through Python objects.
"""

from __future__ import annotations

import array
from typing import Any

from cleaner.records.corpus import RecordSettings
from cleaner.records.formats import dump_record


def output_batch(source: Any, cleaned: list[Any], schema: Any, settings: RecordSettings) -> Any:
    """The output rows of one input batch: its columns as they are, the cleaned text and facts."""
    import pyarrow as pa

    kept = [i for i, row in enumerate(cleaned) if row is not None]
    take = None if len(kept) == len(cleaned) else _from_buffers(pa.int64(), "q", kept)
    target = settings.output_field or settings.text_field
    arrays = []
    for column in schema:
        if column.name == target:
            arrays.append(_strings([cleaned[i][0] for i in kept]))
        elif column.name == settings.meta_field:
            arrays.append(_strings([cleaned[i][1] for i in kept]))
        else:
            values = source.column(column.name)
            arrays.append(values if take is None else values.take(take))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


# pyarrow.array() on a Python list first asks whether it was given a pandas object, and so
# imports pandas where it is installed: 50 MB of memory for nothing. The arrays the output
# needs (strings, and row numbers) are built from their buffers instead.


def _strings(values: list[str]) -> Any:
    """A pyarrow string array of Python strings (none of them None)."""
    import pyarrow as pa

    encoded = [value.encode("utf-8") for value in values]
    offsets = [0]
    for piece in encoded:
        offsets.append(offsets[-1] + len(piece))
    return _from_buffers(pa.string(), _INT32, offsets, b"".join(encoded))


def _from_buffers(kind: Any, code: str, numbers: list[int], data: bytes | None = None) -> Any:
    """An array of `kind` from its numbers (the values, or a string array's offsets) and data."""
    import pyarrow as pa

    buffers = [None, pa.py_buffer(array.array(code, numbers))]
    if data is None:
        return pa.Array.from_buffers(kind, len(numbers), buffers)
    return pa.Array.from_buffers(kind, len(numbers) - 1, [*buffers, pa.py_buffer(data)])


_INT32 = next(code for code in "ilh" if array.array(code).itemsize == 4)


def excluded_lines(source: Any, entries: list[tuple[int, dict[str, Any]]]) -> bytes:
    """The --exclusions lines of the rows of one batch: each whole row and why it is there."""
    return b"".join(
        dump_record({**source.slice(index, 1).to_pylist()[0], "cleaner_exclusion": entry})
        for index, entry in entries
    )


def table_of(batches: list[Any], schema: Any) -> Any:
    import pyarrow as pa

    return pa.Table.from_batches(batches, schema=schema)
