"""折旧: what each fixed-asset account should be charged in a month, and what the books charged.

A fixed-asset account is a 151 sub-account whose `open` (or an ancestor's) declares `life-years`
(使用年限); `salvage-rate` (残值率) defaults to 0.05 and `depreciation-expense` (where the charge
is debited) to 513 管理费用; `depreciate: FALSE` marks 公益性 assets that are not depreciated.
The method is 年限平均法, by account (分类折旧):

    月折旧额 = 上月末原值 × (1 − 残值率) ÷ (使用年限 × 12)

上月末原值 is the account's own balance at the end of the month before, so an asset bought this
month starts next month (当月增加的固定资产当月不提折旧，从下月起计提) and one disposed of this
month is still charged this month. The charge stops when the account's accumulated depreciation
reaches 原值 × (1 − 残值率) (提足折旧). Accumulated depreciation per account is the sum of the
152 累计折旧 postings that name it in `asset` metadata (the opening voucher may carry forward
the old books' depreciation the same way).

A month's depreciation entry is the voucher with `depreciation: "YYYY-MM"`. Its figures are
computed here once and read by `village-ledger depreciate`, by VL506 and by the books.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from itertools import compress, repeat
from operator import attrgetter, is_not
from typing import NamedTuple

from beancount.core import data

from village_ledger.model import LedgerModel
from village_ledger.model.accounts import DepreciationTerms
from village_ledger.model.index import ledger_index, per_model
from village_ledger.model.period import Period
from village_ledger.money import CENT, posting_cny

ZERO = Decimal(0)
ACCUMULATED = "Assets:152-累计折旧"
MONTH_META = "depreciation"
ASSET_META = "asset"
META = attrgetter("meta")


class Charge(NamedTuple):
    """One account's depreciation for one month."""

    asset: str
    terms: DepreciationTerms
    cost: Decimal  # 原值 at the end of the month before
    accumulated: Decimal  # 累计折旧 charged to this account before the month
    amount: Decimal  # this month's charge, to the cent


class Booked(NamedTuple):
    """Depreciation the books hold: per asset account, by day."""

    by_asset: dict[str, list[tuple[date, Decimal]]]
    months: dict[str, list[data.Transaction]]  # "YYYY-MM" -> its depreciation entries

    def accumulated(self, asset: str, day: date) -> Decimal:
        """Depreciation charged to `asset` through the end of `day` (a positive amount)."""
        return sum((n for d, n in self.by_asset.get(asset, ()) if d <= day), ZERO)


@per_model
def booked(model: LedgerModel) -> Booked:
    by_asset: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
    months: dict[str, list[data.Transaction]] = defaultdict(list)
    transactions = model.transactions
    named = list(map(dict.get, map(META, transactions), repeat(MONTH_META)))
    for i in compress(range(len(named)), map(is_not, named, repeat(None))):
        months[str(named[i])].append(transactions[i])
    # only the transactions the index found on 累计折旧 accounts, not every posting of the books
    posted = ledger_index(model).posted
    by_hand: dict[int, data.Transaction] = {}
    for account in posted:
        if not account.startswith(ACCUMULATED):
            continue
        for entry in posted[account]:
            for posting in entry.postings:
                if posting.account != account:
                    continue
                number = posting_cny(posting)
                if number is not None and number < 0 and MONTH_META not in entry.meta:
                    by_hand[id(entry)] = entry
                asset = posting.meta.get(ASSET_META) if posting.meta else None
                if asset is not None and number is not None:
                    by_asset[str(asset)].append((entry.date, -number))
    # a depreciation voucher written by hand, without `depreciation: "YYYY-MM"`, is the month's
    # entry all the same: it credits 累计折旧 in that month
    for entry in by_hand.values():
        months[f"{entry.date.year:04d}-{entry.date.month:02d}"].append(entry)
    return Booked(dict(by_asset), dict(months))


def depreciable_accounts(model: LedgerModel) -> list[tuple[str, DepreciationTerms]]:
    """Fixed-asset accounts that depreciate, in name order. Only opened accounts can hold
    postings, so the chart's opens are enough; reading them rather than the figures' accounts
    keeps VL506 from building the balances on every check of books without such accounts."""
    found = []
    for account in sorted(model.chart.opens):
        terms = model.chart.depreciation_terms(account)
        if terms is not None:
            found.append((account, terms))
    return found


def charges(model: LedgerModel, month: Period) -> list[Charge]:
    """What each fixed-asset account should be charged for `month` (charges of 0 left out)."""
    before = month.opening_day
    done = booked(model)
    found = []
    for account, terms in depreciable_accounts(model):
        cost = model.figures.own_balance(account, before)
        if cost <= 0:
            continue
        accumulated = done.accumulated(account, before)
        amount = monthly_charge(cost, terms, accumulated)
        if amount:
            found.append(Charge(account, terms, cost, accumulated, amount))
    return found


def monthly_charge(cost: Decimal, terms: DepreciationTerms, accumulated: Decimal) -> Decimal:
    """One month's charge on 原值 `cost`: the rate's share, never past 原值 × (1 − 残值率).

    The share is rounded *up* to the cent and the last month charges what is left, so the
    charges add up to the depreciable amount exactly and rounding can never leave a remainder
    to charge after the asset's life (at worst, for a tiny charge, it ends a month early)."""
    ceiling = (cost * (1 - terms.salvage_rate)).quantize(CENT, ROUND_HALF_UP)
    monthly = (cost * terms.monthly_rate).quantize(CENT, ROUND_CEILING)
    return max(min(monthly, ceiling - accumulated), ZERO)


def month_key(month: Period) -> str:
    return f"{month.first.year:04d}-{month.first.month:02d}"


def entries_for(model: LedgerModel, month: Period) -> list[data.Transaction]:
    """The depreciation entries the books hold for `month`."""
    return booked(model).months.get(month_key(month), [])


def months_unbooked(model: LedgerModel) -> list[tuple[Period, list[Charge]]]:
    """Every month the books are past in which some account should have been charged and the
    books hold no depreciation entry, with what it should have been charged. A month with its
    entry is passed over before its charges are computed: books that depreciate every month
    (the usual case) cost one lookup a month, not a balance query per account."""
    accounts = {account for account, _ in depreciable_accounts(model)}
    first_day = _first_posting(model, accounts)
    if first_day is None:
        return []
    last_day = model.transactions[-1].date
    due = []
    # nothing is held before the first posting, so its month charges nothing (an asset is
    # charged from the month after it came): start with the month after it
    month = Period.month(*_next_month(first_day))
    while month.last < last_day:
        found = [] if entries_for(model, month) else charges(model, month)
        if found:
            due.append((month, found))
        month = Period.month(*_next_month(month.first))
    return due


def _first_posting(model: LedgerModel, accounts: set[str]) -> date | None:
    posted = ledger_index(model).posted
    return min((posted[a][0].date for a in accounts if a in posted), default=None)


def _next_month(day: date) -> tuple[int, int]:
    return (day.year + day.month // 12, day.month % 12 + 1)
