"""The adapter from the rule engine to Beancount's plugin contract `(entries, errors)`.

`plugin "village_ledger.plugins.all"` (or one family, `village_ledger.plugins.cash`) runs the
rules inside bean-check and Fava. Only findings of severity `error` become Beancount errors, so a
ledger that has only warnings (预警) still passes bean-check; write the plugin line with the
config `"warnings"` to list warnings too (they then fail bean-check, marked `[预警]`).
`village-ledger check` always reports both, with their severity.

`village-ledger check` runs every family itself, whatever the ledger enables, so while it loads
a ledger the plugin lines step aside (`deferred()`): the rules run once, never twice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from village_ledger.engine import run_rules
from village_ledger.findings import to_beancount_error
from village_ledger.model import build_model
from village_ledger.registry import rules_of

_DEFERRED: ContextVar[bool] = ContextVar("village_ledger_plugins_deferred", default=False)

PluginFn = Callable[..., tuple[list[Any], list[Any]]]


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def wants_warnings(config: str | None) -> bool:
    return bool(config) and ("warnings" in config or "预警" in config)


def make_plugin(*families: str) -> PluginFn:
    def village_ledger_rules(
        entries: list[Any], options_map: dict[str, Any], config: str | None = None
    ) -> tuple[list[Any], list[Any]]:
        if _DEFERRED.get():
            return entries, []
        model = build_model(entries, options_map)
        show_warnings = wants_warnings(config)
        errors = [
            to_beancount_error(f)
            for f in run_rules(model, rules_of(families))
            if f.is_error or show_warnings
        ]
        return entries, errors

    village_ledger_rules.__name__ = f"village_ledger_{'_'.join(families)}"
    return village_ledger_rules
