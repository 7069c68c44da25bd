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
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from village_ledger.model.accounts import Chart
from village_ledger.model.memo import per_model
from village_ledger.money import CURRENCY

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class CashMove:
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


@dataclass(frozen=True, slots=True)
class CashDay:
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


def cash_change(entry: data.Transaction, is_cash: dict[str, bool], chart: Chart) -> Decimal:
    change = ZERO
    for posting in entry.postings:
        account = posting.account
        cash = is_cash.get(account)
        if cash is None:
            cash = is_cash[account] = chart.get(account).is_cash
        units = posting.units
        if cash and units is not None and units.currency == CURRENCY and units.number is not None:
            change += units.number
    return change


def build_cash_book(transactions: Iterable[data.Transaction], chart: Chart) -> CashBook:
    """The cash book of sorted transactions (padding included)."""
    is_cash: dict[str, bool] = {}
    days: list[CashDay] = []
    balance = ZERO
    today: list[CashMove] = []
    for entry in transactions:
        change = cash_change(entry, is_cash, chart)
        if not change:
            continue
        if today and today[-1].day != entry.date:
            days.append(_close(today))
            today = []
        balance += change
        today.append(CashMove(entry, change, balance))
    if today:
        days.append(_close(today))
    return CashBook(days)


def _close(moves: list[CashMove]) -> CashDay:
    return CashDay(moves[0].day, moves[0].before, tuple(moves))


@per_model
def cash_book(model: LedgerModel) -> CashBook:
    """The village's cash book, built once per model."""
    return build_cash_book(model.transactions, model.chart)
