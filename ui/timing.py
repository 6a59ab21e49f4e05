"""Server time of parts of a run, for the benchmarks."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager


@contextmanager
def timing_log(name: str):
    """With ``PIANURA_TIMING_LOG`` set, append the server time of the block (name,
    milliseconds) to that file: the benchmarks read it. Otherwise does nothing."""
    log = os.environ.get("PIANURA_TIMING_LOG")
    start = time.perf_counter()
    try:
        yield
    finally:
        if log:
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{name}\t{(time.perf_counter() - start) * 1000:.2f}\n")
