"""For the whole test run, doctests in cleaner/ included: a rule cache of its own, and no
collection of an adapter whose engine is missing.

The cache is set before anything loads rules, and inherited by the xdist workers and by every
subprocess a test starts, so that the tests never write to the user's ~/.cache; removed at the
end.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import tempfile


def _test_cache_dir() -> str:
    made = os.environ.get("CLEANER_TEST_CACHE_DIR")  # set by the controller for its workers
    if not made:
        made = tempfile.mkdtemp(prefix="cleaner-test-cache-")
        os.environ["CLEANER_TEST_CACHE_DIR"] = made
        atexit.register(shutil.rmtree, made, True)
    return made


os.environ["CLEANER_CACHE_DIR"] = _test_cache_dir()

collect_ignore = [] if importlib.util.find_spec("datatrove") else ["cleaner/records/datatrove_steps.py"]
