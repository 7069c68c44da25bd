"""Payments (支出): money leaving the village's cash or bank accounts for anything else.

A transaction is a payment when its postings on cash (101…) and bank (102…) accounts add up to
an outflow; moving money between the village's own cash and bank accounts is not a payment.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from itertools import repeat
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
    others: tuple[data.Posting, ...]  # postings other than cash and bank
    chart: Chart  # what their accounts are, read when a rule asks (few payments are asked)

    @property
    def targets(self) -> tuple[tuple[AccountInfo, data.Posting], ...]:
        """The postings other than cash and bank, each with what its account is."""
        info = self.chart.get
        return tuple([(info(p.account), p) for p in self.others])

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
    found = find_payments([entry], chart)
    return found[0] if found else None


def find_payments(entries: Iterable[data.Transaction], chart: Chart) -> list[Payment]:
    """The payments among `entries`, in their order: one walk over their postings, each
    account's kind looked up in a dict (a method call per posting cost as much as the rest)."""
    kinds = chart.money_kinds
    found: list[data.Transaction] = []
    amounts: list[Decimal] = []
    cashes: list[Decimal] = []
    others: list[list[data.Posting]] = []
    for entry in entries:
        money = cash = ZERO
        rest = []
        for posting in entry.postings:
            units = posting.units
            number = units.number if units is not None else None
            if number is None:
                continue
            account = posting.account
            kind = kinds.get(account)
            if kind is None:
                kind = chart.money_kind(account)
            if kind is NOT_MONEY:
                rest.append(posting)
            else:
                money += number
                if kind is CASH:
                    cash += number
        if money >= ZERO or not rest:
            continue
        found.append(entry)
        amounts.append(-money)
        # `max(-cash, ZERO)`, the zero as written when no cash moved
        cashes.append(-cash if cash <= ZERO else ZERO)
        others.append(rest)
    rows = zip(found, amounts, cashes, map(tuple, others), repeat(chart))
    # `tuple.__new__` by `map`: calling the class runs its Python-level `__new__` per payment
    return list(map(tuple.__new__, repeat(Payment), rows))
