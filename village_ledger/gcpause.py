"""Pausing Python's cyclic garbage collector while the model is built and the rules run.

The model and the rules allocate many small objects and create no reference cycles worth
collecting, but every allocation burst triggers the collector, whose full passes walk the whole
ledger already in memory: on a 100,000-transaction ledger that cost more than the rules
themselves. Reference counting still frees everything; the collector resumes afterwards.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def without_gc(function: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused_gc():
            return function(*args, **kwargs)

    return wrapper
