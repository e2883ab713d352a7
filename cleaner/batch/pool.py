"""Running many files' jobs on a pool of processes, in input order.

Workers read and write files themselves, so that only small outcomes cross between
processes; what goes to stdout comes back as text and the main process writes it in input
order, whatever the number of workers.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path

from cleaner.batch.process import STDIN, Job, Mode, Outcome, Run, Terminated, _failed, process
from cleaner.batch.writing import real_target, remove_temporaries, run_token, set_run_token

# The pool. A worker ends at once on Ctrl-C or SIGTERM while it waits for work; while it
# works, the signal becomes an exception, so that write_atomic removes its temporary file,
# and then the worker ends. The main process forwards its signal to every worker, waits a
# little, kills what is left, and removes any temporary file of this run that a killed
# worker left behind.

_RUN: Run | None = None
_BUSY = False
_GRACE_SECONDS = 3.0


def _init_worker(run: Run, token: str) -> None:
    global _RUN
    _RUN = run
    set_run_token(token)
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    _die_with_parent()


def _die_with_parent() -> None:
    """Linux: a worker gets SIGTERM when the main process dies, however it died."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent is already gone
            os._exit(143)


def _on_signal(signum: int, frame: object) -> None:
    code = 128 + signum
    if not _BUSY:
        os._exit(code)
    raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt


def _work(jobs: list[Job]) -> list[Outcome]:
    global _BUSY
    assert _RUN is not None
    _BUSY = True
    try:
        return [process(job, _RUN) for job in jobs]
    except KeyboardInterrupt as stop:  # its temporary file is gone: end here, never take more work
        os._exit(143 if isinstance(stop, Terminated) else 130)
    finally:
        _BUSY = False


def chunks(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Groups of jobs per task: big enough to pay for the trip, small enough to share out.

    >>> [len(c) for c in chunks([Job(str(i), str(i)) for i in range(10)], 2)]
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    """
    size = max(1, min(64, len(jobs) // (workers * 8)))
    return [jobs[start : start + size] for start in range(0, len(jobs), size)]


def run_jobs(jobs: list[Job], run: Run, workers: int) -> Generator[Outcome, None, None]:
    """Outcomes in the order of `jobs`, computed in this process or on `workers` processes."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield process(job, run)
        return
    yield from _run_pool(jobs, run, workers)


POOL_ABANDONED = False  # workers were stopped before the end: the process must exit at once


def _run_pool(jobs: list[Job], run: Run, workers: int) -> Generator[Outcome, None, None]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global POOL_ABANDONED
    queued = iter(chunks(jobs, workers))
    executor = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(run, run_token()))
    pending: deque = deque()
    try:
        # A bounded number of tasks in flight: memory stays flat on huge trees.
        for task in _take(queued, workers * 4):
            pending.append((task, executor.submit(_work, task)))
        while pending:
            task, future = pending.popleft()
            try:
                outcomes = future.result()
                for more in _take(queued, 1):
                    pending.append((more, executor.submit(_work, more)))
            except BrokenProcessPool:
                # A worker died (killed, out of memory): what it had is lost, and with it
                # the pool; report every input not yet done, and stop.
                lost = [task] + [waiting for waiting, _ in pending] + list(queued)
                pending.clear()
                outcomes = [_lost(job) for group in lost for job in group]
            yield from outcomes
    except BaseException as stop:
        POOL_ABANDONED = True
        stop_workers(
            multiprocessing.active_children(),
            signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT,
        )
        remove_temporaries(_directories(jobs, run))
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def _take(iterator: Iterator[list[Job]], count: int) -> Iterable[list[Job]]:
    for _ in range(count):
        task = next(iterator, None)
        if task is None:
            return
        yield task


def _lost(job: Job) -> Outcome:
    outcome = Outcome(job.name)
    _failed(outcome, job.name, "internal error: the worker process died")
    return outcome


def stop_workers(children: Iterable, signum: int, grace: float = _GRACE_SECONDS) -> None:
    """Signal every worker, give them `grace` seconds to remove their temporary files, then
    kill the rest. Further Ctrl-C and SIGTERM are ignored meanwhile: a second Ctrl-C must
    not leave workers behind."""
    for ignored in (signal.SIGINT, signal.SIGTERM):
        signal.signal(ignored, signal.SIG_IGN)
    children = list(children)
    for child in children:
        with contextlib.suppress(ProcessLookupError, PermissionError, ValueError):
            os.kill(child.pid, signum)
    deadline = time.monotonic() + grace
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))
    for child in children:
        if child.is_alive():
            with contextlib.suppress(ProcessLookupError, PermissionError, ValueError):
                child.kill()
            child.join(1.0)


def _directories(jobs: list[Job], run: Run) -> set[Path]:
    """Where this run's temporary files can be: beside every file it may write."""
    directories: set[Path] = set()
    for job in jobs:
        if run.mode is Mode.IN_PLACE and job.source != STDIN:
            directories.add(real_target(Path(job.source)).parent)
        elif run.mode is Mode.WRITE and job.output is not None:
            directories.add(real_target(Path(job.output)).parent)
    return directories


__all__ = ["chunks", "run_jobs", "stop_workers"]
