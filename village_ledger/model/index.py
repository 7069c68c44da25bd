"""Which entries touch the accounts the rules care about, found in one pass over the ledger.

Several rules need the entries on a handful of accounts (cash, personal advances, entertainment,
vehicles, guarantees, special funds), the entries that name a special-fund `project`, or the
entries on one account (the reconciliation's cash and bank accounts, 累计折旧). Walking
every posting of a 100,000-transaction ledger costs about as much as a rule may spend in all, so
the walk is done once per model (`ledger_index`) and each rule reads only the entries it needs.
`per_model` does the same for any other work several rules share.
"""

from __future__ import annotations

import functools
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from beancount.core import data

from village_ledger.model.accounts import AccountInfo, Chart
from village_ledger.money import CURRENCY

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

T = TypeVar("T")

CASH = "现金"  # the role of every 101… account
FUND = "专项资金"  # the role of a 241/231 account that declares a `project`
ZERO = Decimal(0)


def per_model(build: Callable[[LedgerModel], T]) -> Callable[[LedgerModel], T]:
    """`build(model)` computed once for each model, however many rules ask for it.

    The result is forgotten with the model, so a long Fava session keeps no old ledgers alive.
    """
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


def roles_of(info: AccountInfo) -> tuple[str, ...]:
    """What an account is to the rules: cash, a special fund, and its category."""
    roles = []
    if info.is_cash:
        roles.append(CASH)
    if info.is_special_fund and info.project:
        roles.append(FUND)
    if info.category:
        roles.append(info.category)
    return tuple(roles)


class LedgerIndex(NamedTuple):
    roles: dict[str, tuple[str, ...]]  # account -> its roles (accounts with none are left out)
    touching: dict[str, list[data.Transaction]]  # role -> transactions with a posting in it
    nets: dict[str, list[Decimal]]  # role -> what each of those transactions posts to it, in CNY
    tagged: list[data.Transaction]  # transactions naming a `project`, on themselves or a posting
    # account -> the transactions with a posting on it (not its sub-accounts'), in order
    posted: dict[str, list[data.Transaction]]

    def entries(self, role: str) -> list[data.Transaction]:
        """The transactions (padding included) with a posting on an account of `role`."""
        return self.touching.get(role, [])

    def amounts(self, role: str) -> list[Decimal]:
        """For each of `entries(role)`, the sum of its CNY postings on accounts of `role`."""
        return self.nets.get(role, [])

    def accounts(self, role: str) -> set[str]:
        return {account for account, roles in self.roles.items() if role in roles}


def build_index(transactions: Iterable[data.Transaction], chart: Chart) -> LedgerIndex:
    roles = {info.name: r for info in chart if (r := roles_of(info))}
    touching: dict[str, list[data.Transaction]] = defaultdict(list)
    nets: dict[str, list[Decimal]] = defaultdict(list)
    tagged: list[data.Transaction] = []
    posted: dict[str, list[data.Transaction]] = {}
    role_get = roles.get
    for entry in transactions:
        tag = "project" in entry.meta
        for posting in entry.postings:
            account = posting.account
            moved = posted.get(account)
            if moved is None:
                posted[account] = [entry]
            elif moved[-1] is not entry:
                moved.append(entry)
            found = role_get(account)
            if found:
                units = posting.units
                # a posting Beancount could not book carries no number: it has its own error
                number = units.number if units is not None and units.currency == CURRENCY else None
                if not isinstance(number, Decimal):
                    number = ZERO
                for role in found:
                    bucket = touching[role]
                    if bucket and bucket[-1] is entry:
                        nets[role][-1] += number
                    else:
                        bucket.append(entry)
                        nets[role].append(number)
            if not tag:
                meta = posting.meta
                tag = meta is not None and "project" in meta
        if tag:
            tagged.append(entry)
    return LedgerIndex(roles, dict(touching), dict(nets), tagged, posted)


@per_model
def ledger_index(model: LedgerModel) -> LedgerIndex:
    """The index of a model's transactions, built once."""
    return build_index(model.transactions, model.chart)


def policy_reader(model: LedgerModel, key: str) -> Callable[[date], Any]:
    """`model.policy.value` for one key; a constant when the key never changes in the ledger.

    Rules that look up a limit for each of tens of thousands of entries use it.
    """
    values = [value for _, value in model.policy.changes(key)]
    if values and all(value == values[0] for value in values):
        steady = values[0]
        return lambda day: steady
    return functools.partial(model.policy.value, key)
