"""Documents for `cleaner rules suggest` from files of records, grouped by the host of a URL.

A corpus of many sites is mined one site at a time: each record's URL field gives its host
(`www.` left out), and each host with enough pages gets its own proposed site pack.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from cleaner.records.formats import format_of, parquet_file, read_batches, read_lines
from cleaner.records.locations import RecordFileError

UNKNOWN_HOST = ""


def host_of(url: object) -> str | None:
    """The host of a URL, lower case and without `www.`; None when there is none.

    >>> host_of("https://WWW.Example.org:8080/a?b"), host_of("not a url"), host_of(5)
    ('example.org', None, None)
    """
    if not isinstance(url, str):
        return None
    host = urlsplit(url.strip()).hostname
    if not host:
        return None
    return host.removeprefix("www.")


def iter_records(path: str) -> Iterator[tuple[str, object]]:
    """(where, record) for each record of a JSON Lines or Parquet file; errors raise."""
    shape = format_of(path)
    if shape is not None and shape.kind == "parquet":
        for _, first, batch in read_batches(parquet_file(path), path, 256):
            if isinstance(batch, RecordFileError):
                raise batch
            for offset, row in enumerate(batch.to_pylist()):
                yield f"{path}: row {first + offset}", row
        return
    for number, line in read_lines(path, shape.compression if shape else None):
        try:
            yield f"{path}:{number}", json.loads(line)
        except ValueError as problem:
            yield f"{path}:{number}", RecordFileError(f"{path}:{number}: not JSON ({problem})")


def record_documents(
    paths: Iterable[str], text_field: str, url_field: str | None
) -> tuple[dict[str, list[tuple[str, str]]], list[str]]:
    """Documents (name, text) by host (all under "" without a url_field), and the errors met."""
    groups: dict[str, list[tuple[str, str]]] = {}
    errors: list[str] = []
    for path in paths:
        try:
            for where, record in iter_records(path):
                if isinstance(record, RecordFileError):
                    errors.append(str(record))
                    continue
                text = record.get(text_field) if isinstance(record, dict) else None
                if not isinstance(text, str):
                    errors.append(f"{where}: no string {text_field!r} field")
                    continue
                host = UNKNOWN_HOST
                if url_field is not None:
                    found = host_of(record.get(url_field)) if isinstance(record, dict) else None
                    if found is None:
                        errors.append(f"{where}: no URL with a host in {url_field!r}")
                        continue
                    host = found
                groups.setdefault(host, []).append((where, text))
        except RecordFileError as problem:
            errors.append(str(problem))
    return groups, errors
