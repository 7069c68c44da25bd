"""Payments (支出): money leaving the village's cash or bank accounts for anything else.

A transaction is a payment when its postings on cash (101…) and bank (102…) accounts add up to
an outflow; moving money between the village's own cash and bank accounts is not a payment.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data

from village_ledger.model.accounts import CASH, NOT_MONEY, AccountInfo, Chart

ZERO = Decimal(0)


class Payment(NamedTuple):
    """A tuple, not a dataclass: one is made for most vouchers of the books, and a frozen
    dataclass's `__init__` (an `object.__setattr__` per field) cost 40% of building the model."""

    entry: data.Transaction
    amount: Decimal  # net outflow from cash and bank, positive
    cash: Decimal  # the part of it paid in cash, positive or zero
    targets: tuple[tuple[AccountInfo, data.Posting], ...]  # postings other than cash and bank

    @property
    def day(self) -> date:
        return self.entry.date

    @property
    def meta(self) -> dict[str, Any]:
        return self.entry.meta

    @property
    def payee(self) -> str:
        return self.entry.payee or ""

    def get(self, key: str) -> str | None:
        value = self.entry.meta.get(key)
        if value is None:
            return None
        text = str(value).strip()
        return text or None


def as_payment(entry: data.Transaction, chart: Chart) -> Payment | None:
    money = ZERO
    cash = ZERO
    others = []
    money_kind = chart.money_kind
    for posting in entry.postings:
        units = posting.units
        number = units.number if units is not None else None
        if number is None:
            continue
        kind = money_kind(posting.account)
        if kind is NOT_MONEY:
            others.append(posting)
        else:
            money += number
            if kind is CASH:
                cash += number
    if money >= 0 or not others:
        return None
    info = chart.get
    targets = tuple([(info(p.account), p) for p in others])
    # `max(-cash, ZERO)`, the zero as written when no cash moved
    return Payment(entry, -money, -cash if cash <= 0 else ZERO, targets)
