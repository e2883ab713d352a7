"""For the whole test run, doctests in cleaner/ included: a rule cache of its own.

Set before anything loads rules, and inherited by the xdist workers and by every subprocess a
test starts, so that the tests never write to the user's ~/.cache; removed at the end.
"""

from __future__ import annotations

import atexit
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
