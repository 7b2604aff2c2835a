"""What every benchmark needs: a stopwatch, and environment variables set for a block."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


@contextmanager
def environment(**values: str):
    """``os.environ`` with ``values`` set inside the block, as it was after it."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
