"""The figures of a village's books that rules judge by and reports print, each computed once.

`model.figures` (a `Figures`, built lazily and kept for as long as the model lives) answers:

- balances and movements of any account and its sub-accounts, at every level of the chart:
  `balance(account, day)`, `movement(account, period)`, `line(account, period)` and
  `trial_balance(period)` (期初余额, 本期借方, 本期贷方, 期末余额 per account);

Amounts are `Decimal` yuan in Beancount's sign (debit positive); a report turns them into 分 or
into 借/贷 sides when it prints them. Every posting counts, `pad`-generated ones included, since
they move balances; a posting held in another unit counts at its CNY cost or price.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from village_ledger.model.accounts import parent_of
from village_ledger.model.period import Period
from village_ledger.money import posting_cny

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

__all__ = ["AccountLine", "Figures", "Movement", "Period"]

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Movement:
    """What was posted to an account over a period: debits and credits, both positive."""

    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        """Debits less credits: the change of the balance over the period."""
        return self.debit - self.credit

    def __add__(self, other: Movement) -> Movement:
        return Movement(self.debit + other.debit, self.credit + other.credit)


@dataclass(frozen=True, slots=True)
class AccountLine:
    """One account over a period, as a row of the 科目余额表 (balances debit positive)."""

    account: str
    code: str
    level: int  # 1 for a first-level account (`Assets:102-银行存款`), 2 for its 明细科目 …
    opening: Decimal  # at the end of the day before the period
    debit: Decimal
    credit: Decimal
    closing: Decimal  # at the end of the period's last day

    @property
    def quiet(self) -> bool:
        """Nothing brought forward, nothing posted, nothing left."""
        return not (self.opening or self.debit or self.credit or self.closing)


class _Ledger:
    """Each account's postings added up day by day: running debits and credits after each day
    on which it moved. Any balance or movement is then two binary searches per account."""

    def __init__(self, transactions: Iterable[data.Transaction]) -> None:
        self.days: dict[str, list[int]] = {}
        self.debits: dict[str, list[Decimal]] = {}
        self.credits: dict[str, list[Decimal]] = {}
        for entry in transactions:
            day = entry.date.toordinal()
            for posting in entry.postings:
                number = posting_cny(posting)
                if number is not None and number:
                    self._add(posting.account, day, number)

    def _add(self, account: str, day: int, number: Decimal) -> None:
        days = self.days.get(account)
        if days is None:
            self.days[account] = [day]
            self.debits[account] = [max(number, ZERO)]
            self.credits[account] = [max(-number, ZERO)]
            return
        debits, credits = self.debits[account], self.credits[account]
        if days[-1] != day:  # transactions come sorted by date
            days.append(day)
            debits.append(debits[-1])
            credits.append(credits[-1])
        if number > 0:
            debits[-1] += number
        else:
            credits[-1] -= number

    def totals(self, account: str, day: int) -> Movement:
        """Debits and credits of one account from the beginning through the end of `day`."""
        days = self.days.get(account)
        i = bisect.bisect_right(days, day) if days else 0
        if not i:
            return Movement()
        return Movement(self.debits[account][i - 1], self.credits[account][i - 1])


CLOSING = "closing"


def is_closing(entry: data.Transaction) -> bool:
    """A year-end closing entry (年终结账, `closing: TRUE`)."""
    return entry.meta.get(CLOSING) is True


CARRIED = ("Income:", "Expenses:", "Equity:321-", "Equity:322-")


def is_carrying(entry: data.Transaction) -> bool:
    """A closing entry that only carries the year's income and spending to 本年收益 and 收益分配
    (not the distribution, which moves 收益分配 to 公积公益金 and 应付款): the published income,
    spending and balance-sheet figures are the same with or without it."""
    return is_closing(entry) and all(p.account.startswith(CARRIED) for p in entry.postings)


class Figures:
    """The figures of one model; see the module docstring. Build with `model.figures`."""

    def __init__(self, model: LedgerModel) -> None:
        self.model = model
        self._subtrees: dict[str, tuple[str, ...]] = {}

    # --- balances and movements ---------------------------------------------------------

    @functools.cached_property
    def _ledger(self) -> _Ledger:
        return _Ledger(self.model.transactions)

    @functools.cached_property
    def accounts(self) -> list[str]:
        """Every account opened or posted to, and every ancestor of one (roots left out),
        sorted by name, so that a parent comes before its sub-accounts."""
        names = set(self.model.chart.opens) | set(self._ledger.days)
        for name in list(names):
            parent = parent_of(name)
            while parent is not None and parent not in names:
                names.add(parent)
                parent = parent_of(parent)
        return sorted(name for name in names if ":" in name)

    def _subtree(self, account: str) -> tuple[str, ...]:
        """The accounts with postings that `account` adds up: itself and its sub-accounts."""
        found = self._subtrees.get(account)
        if found is None:
            prefix = account + ":"
            found = tuple(a for a in self._ledger.days if a == account or a.startswith(prefix))
            self._subtrees[account] = found
        return found

    def _totals(self, account: str, day: date) -> Movement:
        ordinal = day.toordinal()
        total = Movement()
        for name in self._subtree(account):
            total += self._ledger.totals(name, ordinal)
        return total

    def balance(self, account: str, day: date) -> Decimal:
        """The balance of `account` and its sub-accounts at the end of `day` (debit positive)."""
        return self._totals(account, day).net

    def movement(self, account: str, period: Period) -> Movement:
        """The debits and credits posted to `account` and its sub-accounts within `period`."""
        before = self._totals(account, period.opening_day)
        after = self._totals(account, period.last)
        return Movement(after.debit - before.debit, after.credit - before.credit)

    def line(self, account: str, period: Period) -> AccountLine:
        """`account` over `period`: brought forward, debits, credits, carried forward."""
        before = self._totals(account, period.opening_day)
        after = self._totals(account, period.last)
        info = self.model.chart.get(account)
        return AccountLine(
            account=account,
            code=info.code,
            level=account.count(":"),
            opening=before.net,
            debit=after.debit - before.debit,
            credit=after.credit - before.credit,
            closing=after.net,
        )

    def trial_balance(self, period: Period, *, quiet: bool = False) -> list[AccountLine]:
        """Every account at every level over `period`, in chart order (a parent before its
        sub-accounts); accounts with nothing brought forward, posted or left only if `quiet`."""
        lines = (self.line(account, period) for account in self.accounts)
        return [line for line in lines if quiet or not line.quiet]

    def _children(self, account: str) -> list[str]:
        return [a for a in self.accounts if parent_of(a) == account]

    def own_balance(self, account: str, day: date) -> Decimal:
        """The balance of what was posted to `account` itself, without its sub-accounts (an
        account may hold postings of its own beside its 明细科目')."""
        children = self._children(account)
        return self.balance(account, day) - sum((self.balance(c, day) for c in children), ZERO)

    def own_movement(self, account: str, period: Period) -> Movement:
        """What was posted to `account` itself within `period`, without its sub-accounts."""
        total = self.movement(account, period)
        for child in self._children(account):
            moved = self.movement(child, period)
            total = Movement(total.debit - moved.debit, total.credit - moved.credit)
        return total

    @functools.cached_property
    def _closings(self) -> _Ledger:
        return _Ledger(e for e in self.model.transactions if is_closing(e))

    def operating_movement(self, account: str, period: Period) -> Movement:
        """`movement` without the year-end closing entries (`closing: TRUE`): what the year's
        income and spending really were, which the 财务公开 and the 收益及收益分配表 print; the
        closing entries only carry them to 本年收益 and 收益分配."""
        moved = self.movement(account, period)
        closed = Movement()
        first, last = period.opening_day.toordinal(), period.last.toordinal()
        ledger = self._closings
        for name in self._subtree(account):
            if name in ledger.days:
                before, after = ledger.totals(name, first), ledger.totals(name, last)
                closed += Movement(after.debit - before.debit, after.credit - before.credit)
        return Movement(moved.debit - closed.debit, moved.credit - closed.credit)

    def closing_movement(self, account: str, period: Period) -> Movement:
        """What the year-end closing entries within `period` posted to `account` and below."""
        full = self.movement(account, period)
        operating = self.operating_movement(account, period)
        return Movement(full.debit - operating.debit, full.credit - operating.credit)

    def first_level_balances(self, day: date) -> dict[str, Decimal]:
        """The balance of each first-level account code (`"102"`) at the end of `day`."""
        found: dict[str, Decimal] = {}
        ordinal = day.toordinal()
        chart = self.model.chart
        for account in self._ledger.days:
            code = chart.get(account).first_level
            found[code] = found.get(code, ZERO) + self._ledger.totals(account, ordinal).net
        return found
