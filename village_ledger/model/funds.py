"""Special funds (专项资金) as the figures layer computes them (`model.figures.funds`): what each
project's fund accounts received and what was spent on it, as VL501 attributes spending.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from beancount.core import data, flags

from village_ledger.model.accounts import AccountInfo, Chart
from village_ledger.model.index import FUND, ledger_index
from village_ledger.model.period import Period
from village_ledger.model.running import ZERO, Running, cny, text_of

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel


PAYABLE = "211"  # 应付款: a project's works may be accrued here and paid later


class FundSpend(NamedTuple):
    """A part of a voucher spent on a project: what it was booked to and how much (negative
    when money came back)."""

    entry: data.Transaction
    project: str
    target: AccountInfo
    amount: Decimal

    @property
    def day(self) -> date:
        return self.entry.date


class FundLine(NamedTuple):
    """A project over a period: received and spent in it, and both since the books began."""

    project: str
    received_in: Decimal
    spent_in: Decimal
    received: Decimal  # through the period's last day
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.received - self.spent


class Funds:
    """The special-fund projects the chart declares (a 241/231 account with `project`), what
    their fund accounts were credited with, and what was spent on each.

    A voucher spends on a project when it pays money out (a payment) or leaves it owing through
    211 应付款 (an accrual), and a posting of what it pays for names the project, or else the
    transaction does, or else the bank, cash or 211 posting it is paid from. Paying a payable
    later is not spending again: a payment of 211 for the project settles what was accrued for
    it on that account first; only the part that settles no accrual counts, on the 211 account.
    """

    def __init__(self, accounts: dict[str, str]) -> None:
        self.accounts = accounts  # fund account -> its project
        self.projects = sorted(set(accounts.values()))
        self.spending: list[FundSpend] = []  # in date order
        self._received = {project: Running() for project in self.projects}
        self._spent = {project: Running() for project in self.projects}

    def declares(self, project: str) -> bool:
        return project in self._received

    def received(self, project: str, upto: date | None = None) -> Decimal:
        """Credited to the project's fund accounts through `upto` (None: in the whole ledger)."""
        return self._received[project].upto(upto)

    def spent(self, project: str, upto: date | None = None) -> Decimal:
        return self._spent[project].upto(upto)

    def remaining(self, project: str, upto: date | None = None) -> Decimal:
        return self.received(project, upto) - self.spent(project, upto)

    def line(self, project: str, period: Period) -> FundLine:
        return FundLine(
            project,
            self._received[project].within(period),
            self._spent[project].within(period),
            self.received(project, period.last),
            self.spent(project, period.last),
        )

    def lines(self, period: Period) -> list[FundLine]:
        """Every declared project over `period`, by name."""
        return [self.line(project, period) for project in self.projects]

    def by_entry(self) -> Iterator[tuple[data.Transaction, list[FundSpend]]]:
        """The spending grouped by voucher, in date order."""
        for _, group in itertools.groupby(self.spending, key=lambda s: id(s.entry)):
            spends = list(group)
            yield spends[0].entry, spends


def build_funds(model: LedgerModel) -> Funds:
    index = ledger_index(model)
    funds = Funds({name: model.chart.get(name).project or "" for name in index.accounts(FUND)})
    for entry in index.entries(FUND):
        for posting in entry.postings:
            project = funds.accounts.get(posting.account)
            amount = cny(posting)
            if project is not None and amount < 0:  # a credit to the fund: money received
                funds._received[project].add(entry.date, -amount)
    accrued: dict[tuple[str, str], Decimal] = {}
    for entry in index.tagged:
        if entry.flag == flags.FLAG_PADDING:
            continue
        for spend in _project_spending(entry, model.chart, funds, accrued):
            funds.spending.append(spend)
            funds._spent[spend.project].add(spend.day, spend.amount)
    return funds


def _sides(entry: data.Transaction, chart: Chart) -> tuple[list[data.Posting], list[data.Posting]]:
    """The postings a voucher pays from (cash, bank, credits to 211) and the ones it pays for;
    no sides unless it is a payment or an accrual."""
    money: list[data.Posting] = []
    owed: list[data.Posting] = []
    others: list[data.Posting] = []
    outflow = ZERO
    for posting in entry.postings:
        units = posting.units
        number = units.number if units is not None else None
        if not isinstance(number, Decimal):
            continue
        if chart.is_money(posting.account):
            money.append(posting)
            outflow -= number
        elif number < 0 and chart.get(posting.account).first_level == PAYABLE:
            owed.append(posting)
        else:
            others.append(posting)
    paid = outflow > 0 and bool(others or owed)  # a payment, as `model.payments` finds them
    if not (paid or owed):
        return [], []
    return money + owed, others


def _project_spending(
    entry: data.Transaction,
    chart: Chart,
    funds: Funds,
    accrued: dict[tuple[str, str], Decimal],
) -> Iterator[FundSpend]:
    sources, targets = _sides(entry, chart)
    whole = text_of(entry.meta, "project")
    for posting in sources:
        whole = whole or text_of(posting.meta, "project")
    named: list[str] = []
    for posting in targets:
        project = text_of(posting.meta, "project") or whole
        if project is None or not funds.declares(project):
            continue
        info = chart.get(posting.account)
        amount = cny(posting)
        if info.first_level == PAYABLE and amount > 0:
            key = (posting.account, project)
            settled = min(amount, accrued.get(key, ZERO))
            accrued[key] = accrued.get(key, ZERO) - settled
            amount -= settled
            if not amount:
                continue  # counted once already, when it was accrued
        named.append(project)
        yield FundSpend(entry, project, info, amount)
    sole = named[0] if len(set(named)) == 1 else None
    for posting in sources:
        if chart.get(posting.account).first_level != PAYABLE:
            continue
        project = text_of(posting.meta, "project") or whole or sole
        if project is not None and funds.declares(project):
            key = (posting.account, project)
            accrued[key] = accrued.get(key, ZERO) - cny(posting)
