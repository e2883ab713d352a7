"""Collection of the package's own modules (their doctests): leave out an adapter whose engine is missing."""

from __future__ import annotations

import importlib.util

collect_ignore = [] if importlib.util.find_spec("datatrove") else ["cleaner/datatrove.py"]
