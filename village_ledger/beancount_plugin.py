"""The adapter from the rule engine to Beancount's plugin contract `(entries, errors)`.

`plugin "village_ledger.plugins.all"` (or one family, `village_ledger.plugins.cash`) runs the
rules inside bean-check and Fava. Only findings of severity `error` become Beancount errors, so a
ledger that has only warnings (预警) still passes bean-check; write the plugin line with the
config `"warnings"` to list warnings too (they then fail bean-check, marked `[预警]`).
`village-ledger check` always reports both, with their severity.

`village-ledger check` runs every family itself, whatever the ledger enables, so while it loads
a ledger the plugin lines step aside (`deferred()`): the rules run once, never twice.

Beancount v3 runs its `pad` after the ledger's plugins, so a plugin sees `pad` directives but not
the opening balances they will insert. The rules must see the same books in bean-check and Fava
as in `village-ledger check` (which loads the whole ledger first), so the adapter builds the model
from the entries with those padding transactions added (`with_padding`); what it hands back to
Beancount is unchanged, and Beancount's own `pad` still runs afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from beancount.core import data, flags
from beancount.ops import pad

from village_ledger.engine import run_rules
from village_ledger.findings import Finding, to_beancount_error
from village_ledger.model import LedgerModel, build_model
from village_ledger.rectification import settle_run
from village_ledger.registry import FAMILIES, rules_of

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
    return config is not None and ("warnings" in config or "预警" in config)


def make_plugin(*families: str) -> PluginFn:
    def village_ledger_rules(
        entries: list[Any], options_map: dict[str, Any], config: str | None = None
    ) -> tuple[list[Any], list[Any]]:
        if _DEFERRED.get():
            return entries, []
        model = build_model(with_padding(entries, options_map), options_map)
        show_warnings = wants_warnings(config)
        findings = settled(model, run_rules(model, rules_of(families)), families)
        errors = [
            to_beancount_error(f) for f in findings if f.fails or (show_warnings and f.is_open)
        ]
        return entries, errors

    village_ledger_rules.__name__ = f"village_ledger_{'_'.join(families)}"
    return village_ledger_rules


def settled(
    model: LedgerModel, findings: list[Finding], families: tuple[str, ...]
) -> list[Finding]:
    """The findings a 整改 put right no longer fail bean-check; a 整改 that names no finding is
    VL903 only where every family runs (with one family enabled, the finding may be another's)."""
    every = {family.module for family in FAMILIES} <= set(families)
    records = {model.village: list(model.rectifications)}
    return settle_run(findings, records, lambda code: every)


def with_padding(entries: list[Any], options_map: dict[str, Any]) -> list[Any]:
    """The entries with the transactions Beancount's `pad` will insert after the plugins.

    `pad` only ever acts on the first `balance` in each currency after a `pad` directive, so it
    is handed the entries up to the last such balance, and of those only the padded accounts':
    opening balances padded at the start of the books cost next to nothing however long the
    books run.
    """
    cutoff = decisive_end(entries)
    if cutoff is None:
        return entries  # nothing to pad, or Beancount has padded already
    padded = {e.account for e in entries[:cutoff] if isinstance(e, data.Pad)}
    known: dict[str, bool] = {}

    def under_pad(account: str) -> bool:
        hit = known.get(account)
        if hit is None:
            hit = known[account] = any(under(account, a) for a in padded)
        return hit

    relevant = [
        e
        for e in entries[:cutoff]
        if isinstance(e, data.Pad)
        or (isinstance(e, data.Balance) and under_pad(e.account))
        or (isinstance(e, data.Transaction) and any(under_pad(p.account) for p in e.postings))
    ]
    inserted: dict[int, list[data.Transaction]] = {}
    owner: int | None = None
    for entry in pad.pad(relevant, options_map)[0]:  # type: ignore[no-untyped-call]  # Beancount's pad plugin has no annotations
        # `pad` puts what it generates right after the directive that asked for it
        if isinstance(entry, data.Pad):
            owner = id(entry)
        elif owner is not None and is_padding(entry):
            inserted.setdefault(owner, []).append(entry)
        else:
            owner = None
    if not inserted:
        return entries
    result: list[Any] = []
    for entry in entries:
        result.append(entry)
        result.extend(inserted.get(id(entry), ()))
    return result


def decisive_end(entries: list[Any]) -> int | None:
    """How many entries `pad` needs: up to the last balance a `pad` directive may act on.

    None when there is no `pad`, or when Beancount has already padded (the entries hold its
    padding transactions).
    """
    waiting: dict[str, set[str]] = {}  # padded account -> currencies already checked since
    end: int | None = None
    for i, entry in enumerate(entries):
        if isinstance(entry, data.Pad):
            waiting[entry.account] = set()
            end = i + 1
        elif isinstance(entry, data.Balance):
            currency = entry.amount.currency
            for account, checked in waiting.items():
                if currency not in checked and under(entry.account, account):
                    checked.add(currency)
                    end = i + 1
        elif is_padding(entry):
            return None
    return end


def under(account: str, parent: str) -> bool:
    return account == parent or account.startswith(parent + ":")


def is_padding(entry: Any) -> bool:
    return isinstance(entry, data.Transaction) and entry.flag == flags.FLAG_PADDING
