"""Fault injection for the fault-injection tests: loaded by Python at start-up when this
folder is on PYTHONPATH, it makes chosen file operations fail as a sick disk would.

CLEANER_FAULTS is JSON: {"read": {"NAME-PART": ERRNO or "vanish"}, "write": {"NAME-PART": ERRNO}}.
A read of a path containing NAME-PART fails with ERRNO (or the file is removed just before it
is opened); a file created for writing whose name contains NAME-PART is created, and its
first write fails with ERRNO, as on a full disk.
"""

from __future__ import annotations

import json
import os
import pathlib

_SPEC = json.loads(os.environ.get("CLEANER_FAULTS", "{}"))

if _SPEC:
    _real_open = os.open
    _real_path_open = pathlib.Path.open

    def _open(path, flags, mode=0o777, *, dir_fd=None):  # type: ignore[no-untyped-def]
        name = os.fsdecode(path)
        if not flags & (os.O_WRONLY | os.O_RDWR):
            for part, code in _SPEC.get("read", {}).items():
                if part in name:
                    if code == "vanish":
                        pathlib.Path(name).unlink(missing_ok=True)
                    else:
                        raise OSError(code, os.strerror(code), name)
        return _real_open(path, flags, mode, dir_fd=dir_fd)

    class _FailingWrites:
        def __init__(self, handle, code: int, name: str) -> None:  # type: ignore[no-untyped-def]
            self._handle, self._code, self._name = handle, code, name

        def write(self, data):  # type: ignore[no-untyped-def]
            raise OSError(self._code, os.strerror(self._code), self._name)

        def __getattr__(self, attribute):  # type: ignore[no-untyped-def]
            return getattr(self._handle, attribute)

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            self._handle.close()

    def _path_open(self, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        handle = _real_path_open(self, mode, *args, **kwargs)
        if "w" in mode or "x" in mode:
            for part, code in _SPEC.get("write", {}).items():
                if part in str(self):
                    return _FailingWrites(handle, code, str(self))
        return handle

    os.open = _open
    pathlib.Path.open = _path_open  # type: ignore[method-assign]
