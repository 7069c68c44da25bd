"""Work several rules share, done once per model.

Rules are separate functions that each receive the model; when three of them need the same pass
over the entries (a cash book, the year's receptions) `per_model` keeps the pass to one. The
result is forgotten when the model is, so a long Fava session does not keep old ledgers alive.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

T = TypeVar("T")


def per_model(build: Callable[[LedgerModel], T]) -> Callable[[LedgerModel], T]:
    """`build(model)` computed once for each model, however many rules ask for it."""
    cache: dict[int, T] = {}

    @functools.wraps(build)
    def cached(model: LedgerModel) -> T:
        key = id(model)
        if key not in cache:
            cache[key] = build(model)
            # the model's id may be reused once it is gone: drop the entry with it
            weakref.finalize(model, cache.pop, key, None)
        return cache[key]

    return cached
