"""The cash book (现金日记账): cash on hand, entry by entry and day by day.

Cash on hand is the sum of every cash account of the village (101 and its sub-accounts): a
cashier's float kept in a sub-account is still the village's cash. Every transaction counts,
`pad`-generated opening balances included, so each day's closing balance is Beancount's own
balance of the cash accounts at the end of that day. Only CNY is cash here; a transaction whose
cash postings cancel out (moving money between two cash sub-accounts) is no movement.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from itertools import repeat
from typing import TYPE_CHECKING, NamedTuple

from beancount.core import data

from village_ledger.model.index import CASH, ledger_index, per_model

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

ZERO = Decimal(0)


class CashMove(NamedTuple):
    """One transaction's net effect on cash on hand."""

    entry: data.Transaction
    amount: Decimal  # positive: cash received; negative: cash paid out
    balance: Decimal  # cash on hand after this entry

    @property
    def day(self) -> date:
        return self.entry.date

    @property
    def before(self) -> Decimal:
        return self.balance - self.amount


class CashDay(NamedTuple):
    """The cash movements of one day, in ledger order."""

    day: date
    opening: Decimal
    moves: tuple[CashMove, ...]

    @property
    def closing(self) -> Decimal:
        return self.moves[-1].balance


class CashBook:
    """The days on which cash moved, in date order."""

    def __init__(self, days: Iterable[CashDay]) -> None:
        self.days: list[CashDay] = list(days)
        self._dates = [d.day for d in self.days]

    def __iter__(self) -> Iterator[CashDay]:
        return iter(self.days)

    def __len__(self) -> int:
        return len(self.days)

    def moves(self) -> Iterator[CashMove]:
        for day in self.days:
            yield from day.moves

    def closing_on(self, day: date) -> Decimal:
        """Cash on hand at the end of `day` (zero before the first movement)."""
        i = bisect_right(self._dates, day)
        return self.days[i - 1].closing if i else ZERO


def build_cash_book(
    transactions: Iterable[data.Transaction], changes: Iterable[Decimal]
) -> CashBook:
    """The cash book of sorted transactions (padding included), each with its change of cash."""
    days: list[CashDay] = []
    balance = ZERO
    today: list[tuple[data.Transaction, Decimal, Decimal]] = []
    for entry, change in zip(transactions, changes, strict=True):
        if not change:
            continue
        if today and today[-1][0].date != entry.date:
            days.append(_close(today))
            today = []
        balance += change
        today.append((entry, change, balance))
    if today:
        days.append(_close(today))
    return CashBook(days)


def _close(rows: list[tuple[data.Transaction, Decimal, Decimal]]) -> CashDay:
    # `tuple.__new__` by `map`: calling the class runs its Python-level `__new__` per move
    moves = tuple(map(tuple.__new__, repeat(CashMove), rows))
    return CashDay(moves[0].day, moves[0].before, moves)


@per_model
def cash_book(model: LedgerModel) -> CashBook:
    """The village's cash book, built once per model."""
    index = ledger_index(model)
    return build_cash_book(index.entries(CASH), index.amounts(CASH))
