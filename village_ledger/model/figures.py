"""The figures of a village's books that rules judge by and reports print, each computed once.

`model.figures` (a `Figures`, built lazily and kept for as long as the model lives) answers:

- balances and movements of any account and its sub-accounts, at every level of the chart:
  `balance(account, day)`, `movement(account, period)`, `line(account, period)` and
  `trial_balance(period)` (期初余额, 本期借方, 本期贷方, 期末余额 per account); the 期初余额
  voucher of books begun within a period is brought forward (`brought_forward`, `flow`);
- special funds: `funds` (received, spent and remaining per project, as VL501 attributes them);
- entertainment: `receptions` (each with its year's running total, cap and warning share, as
  VL401 and VL405 judge them) and `entertainment(year, upto)`;
- spending under each resolution: `resolutions` (the payments citing it, as VL105 adds them);
- personal advances: `advances(upto)` and `open_advances(upto)`, settled first in first out,
  each with the 借支期限天数 of its day (VL206), and `books_end`, the day VL206 judges at;
- seals published late: `late_seals(as_of)` (VL604; which quarters are overdue is `sealing.seal_states`, VL603);
- contracts: `contracts` (each contract's schedule: due, received, arrears; VL701, VL705) and
  the asset register against the books: `asset_gaps(day)` at `register_quarter_ends()` (VL707);
- reconciliation: `reconciliations` (bank statements against the books, `!` drafts, cash
  counts, stretches without a `balance` assertion; VL207–VL209 and the reports).

The figures of one topic are written in a module of their own, whose builder `Figures` calls
once: `model.funds` (special funds), `model.advances` (personal advances), `model.resolutions`
(spending under resolutions), `model.cadre_pay` (cadre pay's kinds), `model.receptions` (the
year's entertainment), `model.seals` (quarters due), `model.contracts` (the asset register
against the books), with `model.running` (running totals by day) under them.

Amounts are `Decimal` yuan in Beancount's sign (debit positive); a report turns them into 分 or
into 借/贷 sides when it prints them. Every posting counts, `pad`-generated ones included, since
they move balances; a posting held in another unit counts at its CNY cost or price.
"""

from __future__ import annotations

import bisect
import functools
from collections import deque
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from beancount.core import data

from village_ledger.model.accounts import parent_of
from village_ledger.model.advances import Advance, build_advances
from village_ledger.model.cadre_pay import CADRE, PAY_KINDS, PERSON, CadrePay, pay_kind
from village_ledger.model.contracts import Asset, AssetGap, AssetValue, is_fixed_asset
from village_ledger.model.funds import Funds, build_funds
from village_ledger.model.index import ledger_index, policy_reader
from village_ledger.model.period import Period
from village_ledger.model.receptions import (
    CAP,
    SHARE,
    EntertainmentYear,
    ReceptionTotal,
    receptions,
)
from village_ledger.model.reconciliation import Reconciliations
from village_ledger.model.resolutions import Resolutions, build_resolutions
from village_ledger.model.roster import person_named
from village_ledger.model.running import cny, text_of
from village_ledger.model.schedule import ContractFigures
from village_ledger.model.seals import DEADLINE, Quarter, QuarterDue
from village_ledger.money import CENT, CURRENCY, posting_cny

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

__all__ = ["AccountLine", "Figures", "Movement", "Period"]

ZERO = Decimal(0)


class Movement:
    """What was posted to an account over a period: debits and credits, both positive. (A plain
    class with slots, not a frozen dataclass: a dataclass compiles its methods at import.)"""

    __slots__ = ("credit", "debit")

    def __init__(self, debit: Decimal = ZERO, credit: Decimal = ZERO) -> None:
        self.debit: Final = debit
        self.credit: Final = credit

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Movement):
            return NotImplemented
        return self.debit == other.debit and self.credit == other.credit

    def __hash__(self) -> int:
        return hash((self.debit, self.credit))

    def __repr__(self) -> str:
        return f"Movement(debit={self.debit!r}, credit={self.credit!r})"

    @property
    def net(self) -> Decimal:
        """Debits less credits: the change of the balance over the period."""
        return self.debit - self.credit

    def __add__(self, other: Movement) -> Movement:
        return Movement(self.debit + other.debit, self.credit + other.credit)


class AccountLine(NamedTuple):
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
        # per account [days, debits, credits], the three lists fetched with one lookup: the
        # walk visits every posting of the books, and each lookup or call in it counts
        running: dict[str, tuple[list[int], list[Decimal], list[Decimal]]] = {}
        find = running.get
        for entry in transactions:
            day = entry.date.toordinal()
            for posting in entry.postings:
                units = posting.units
                # nearly every posting is in CNY: its number is its weight, no call needed
                if (
                    units is not None
                    and units.currency == CURRENCY
                    and type(units.number) is Decimal
                ):
                    number: Decimal | None = units.number
                else:
                    number = posting_cny(posting)
                if number is None or not number:
                    continue
                lists = find(posting.account)
                if lists is None:
                    debit, credit = (number, ZERO) if number > ZERO else (ZERO, -number)
                    running[posting.account] = ([day], [debit], [credit])
                    continue
                days, debits, credits = lists
                if days[-1] != day:  # transactions come sorted by date
                    days.append(day)
                    debits.append(debits[-1])
                    credits.append(credits[-1])
                if number > ZERO:
                    debits[-1] += number
                else:
                    credits[-1] -= number
        self.days = {account: lists[0] for account, lists in running.items()}
        self.debits = {account: lists[1] for account, lists in running.items()}
        self.credits = {account: lists[2] for account, lists in running.items()}

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
        self._advances: dict[date, list[Advance]] = {}

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
        """`account` over `period`: brought forward, debits, credits, carried forward. The
        期初余额 voucher of books begun within the period is brought forward, not posted."""
        moved = self.flow(account, period)
        after = self._totals(account, period.last)
        info = self.model.chart.get(account)
        return AccountLine(
            account=account,
            code=info.code,
            level=account.count(":"),
            opening=self.brought_forward(account, period),
            debit=moved.debit,
            credit=moved.credit,
            closing=after.net,
        )

    @functools.cached_property
    def _openings(self) -> _Ledger:
        from village_ledger.model import is_opening

        return _Ledger(e for e in self.model.transactions if is_opening(e))

    def opening_within(self, period: Period) -> date | None:
        """The day of the 期初余额 voucher (`opening: TRUE`) of books begun within `period`
        (a village that moved to these books in mid-year), or None."""
        days = [
            day
            for account_days in self._openings.days.values()
            for day in account_days
            if period.first.toordinal() <= day <= period.last.toordinal()
        ]
        return date.fromordinal(max(days)) if days else None

    def brought_forward(self, account: str, period: Period) -> Decimal:
        """The balance `account` enters `period` with: at the end of the day before it, and the
        old books' balances of a 期初余额 voucher dated within it (books begun in mid-year open
        their year with those balances, not with them as the year's debits and credits)."""
        return self.balance(account, period.opening_day) + self._opened(account, period).net

    def flow(self, account: str, period: Period) -> Movement:
        """`movement` without the 期初余额 voucher: what was really posted within `period`."""
        moved = self.movement(account, period)
        opened = self._opened(account, period)
        return Movement(moved.debit - opened.debit, moved.credit - opened.credit)

    def _opened(self, account: str, period: Period) -> Movement:
        first, last = period.opening_day.toordinal(), period.last.toordinal()
        ledger = self._openings
        total = Movement()
        for name in self._subtree(account):
            if name in ledger.days:
                before, after = ledger.totals(name, first), ledger.totals(name, last)
                total += Movement(after.debit - before.debit, after.credit - before.credit)
        return total

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

    def posted(self, root: str) -> list[str]:
        """The accounts under `root` (`"Income"`) with postings of their own, by name."""
        prefix = root + ":"
        return sorted(a for a in self._ledger.days if a.startswith(prefix))

    def own_operating_movement(self, account: str, period: Period) -> Movement:
        """What was posted to `account` itself (not its sub-accounts) within `period`, less the
        year-end closing entries (see `operating_movement`)."""
        first, last = period.opening_day.toordinal(), period.last.toordinal()
        total = Movement()
        for ledger, sign in ((self._ledger, 1), (self._closings, -1)):
            before, after = ledger.totals(account, first), ledger.totals(account, last)
            total += Movement(
                sign * (after.debit - before.debit), sign * (after.credit - before.credit)
            )
        return total

    def open_since(self, account: str, day: date) -> date | None:
        """The day the oldest part of `account`'s balance at the end of `day` arose, its
        debits and credits settling each other first in first out (a receivable's repayments
        settle its oldest amounts; a payable's payments its oldest debts); None when nothing
        is owed. Within a day, what was posted that day is netted before it settles older
        amounts."""
        days = self._ledger.days.get(account)
        if not days:
            return None
        balance = self.balance_of(account, day)
        if not balance:
            return None
        debits, credits = self._ledger.debits[account], self._ledger.credits[account]
        sign = 1 if balance > 0 else -1
        lots: deque[list[Any]] = deque()
        previous = (ZERO, ZERO)
        for ordinal, debit, credit in zip(days, debits, credits, strict=True):
            if ordinal > day.toordinal():
                break
            net = sign * ((debit - previous[0]) - (credit - previous[1]))
            previous = (debit, credit)
            if net > 0:
                lots.append([ordinal, net])
                continue
            owed = -net
            while owed and lots:
                take = min(owed, lots[0][1])
                lots[0][1] -= take
                owed -= take
                if not lots[0][1]:
                    lots.popleft()
        return date.fromordinal(lots[0][0]) if lots else None

    def balance_of(self, account: str, day: date) -> Decimal:
        """The balance of what was posted to `account` itself (not its sub-accounts)."""
        return self._ledger.totals(account, day.toordinal()).net

    def first_level_balances(self, day: date) -> dict[str, Decimal]:
        """The balance of each first-level account code (`"102"`) at the end of `day`."""
        found: dict[str, Decimal] = {}
        ordinal = day.toordinal()
        chart = self.model.chart
        for account in self._ledger.days:
            code = chart.get(account).first_level
            found[code] = found.get(code, ZERO) + self._ledger.totals(account, ordinal).net
        return found

    # --- special funds ------------------------------------------------------------------

    @functools.cached_property
    def funds(self) -> Funds:
        """Each special-fund project: what it received and what was spent on it (VL501)."""
        return build_funds(self.model)

    # --- entertainment ------------------------------------------------------------------

    @functools.cached_property
    def receptions(self) -> list[ReceptionTotal]:
        """Every reception in date order, with its calendar year's running total and the
        annual cap and warning share in force that day (VL401, VL405)."""
        cap_on = policy_reader(self.model, CAP)
        share_on = policy_reader(self.model, SHARE)
        found: list[ReceptionTotal] = []
        year, total = 0, ZERO
        for reception in receptions(self.model):
            if reception.day.year != year:
                year, total = reception.day.year, ZERO
            total += reception.amount
            day = reception.day
            found.append(ReceptionTotal(reception, total, cap_on(day), share_on(day)))
        return found

    def entertainment(self, year: int, upto: date | None = None) -> EntertainmentYear:
        """A calendar year's entertainment through `upto` (default: the year's end), against
        the cap and warning share in force on that day."""
        last = upto or date(year, 12, 31)
        days = [r.reception.day for r in self.receptions]
        lo = bisect.bisect_left(days, date(year, 1, 1))
        hi = bisect.bisect_right(days, last)
        policy = self.model.policy
        return EntertainmentYear(
            year,
            last,
            tuple(self.receptions[lo:hi]),
            policy.value(CAP, last),
            policy.value(SHARE, last),
        )

    # --- resolutions --------------------------------------------------------------------

    @functools.cached_property
    def resolutions(self) -> Resolutions:
        """Spending under each resolution: the payments citing it with `meeting` (VL105)."""
        return build_resolutions(self.model.payments)

    # --- cadre pay ----------------------------------------------------------------------

    def cadre_pay(self, period: Period) -> list[CadrePay]:
        """What was charged to cadre-pay expense accounts (category 干部报酬) within `period`,
        one entry per person and kind of pay (基本报酬, 奖金, 补助, 加班费, 过节费), in order of
        person and kind; see `CadrePay` for how a posting names its person and kind."""
        found: dict[tuple[str, str], CadrePay] = {}
        chart, roster = self.model.chart, self.model.roster
        for entry in self.model.transactions:
            if not period.contains(entry.date) or is_closing(entry):
                continue
            for posting in entry.postings:
                info = chart.get(posting.account)
                if not info.is_expense or info.category != CADRE:
                    continue
                person = (
                    text_of(posting.meta, PERSON) or person_named(entry.payee or "") or "未列明"
                )
                roles = "、".join(sorted(roster.roles_of(person, entry.date)))
                kind = pay_kind(info.code)
                key = (person, kind)
                known = found.get(key)
                amount = cny(posting) + (known.amount if known else ZERO)
                found[key] = CadrePay(person, roles or (known.roles if known else ""), kind, amount)
        order = {kind: index for index, kind in enumerate(PAY_KINDS)}
        return sorted(found.values(), key=lambda c: (c.person, order[c.kind]))

    # --- personal advances --------------------------------------------------------------

    @functools.cached_property
    def books_start(self) -> date | None:
        """The date of the first transaction (the opening balances' voucher, if any)."""
        transactions = self.model.transactions
        return transactions[0].date if transactions else None

    @functools.cached_property
    def books_end(self) -> date | None:
        """The day the books are written up to: the date of the last transaction."""
        transactions = self.model.transactions
        return transactions[-1].date if transactions else None

    def advances(self, upto: date | None = None) -> list[Advance]:
        """Every personal advance (借支) paid through `upto` (default: `books_end`), each with
        what was still owed at the end of that day, repayments settling the oldest first, and
        the day it was settled if it was (VL206)."""
        day = upto or self.books_end
        if day is None:
            return []
        found = self._advances.get(day)
        if found is None:
            found = self._advances[day] = build_advances(self.model, day)
        return found

    def open_advances(self, upto: date | None = None) -> list[Advance]:
        """The advances still owed, wholly or in part, at the end of `upto`."""
        return [advance for advance in self.advances(upto) if advance.open > 0]

    # --- reconciliation (对账) -----------------------------------------------------------

    @functools.cached_property
    def reconciliations(self) -> Reconciliations:
        """The assertions on cash and bank accounts: bank reconciliations (VL207, VL208), cash
        counts and the stretches without a check (VL209); see `village_ledger.model.reconciliation`."""
        return Reconciliations(self.model)

    # --- late seals ---------------------------------------------------------------------

    def late_seals(self, as_of: date) -> list[QuarterDue]:
        """Every quarter sealed on or before `as_of` whose seal is dated after its deadline:
        published late (VL604). A seal dated after `as_of` has not happened yet that day."""
        days_on = policy_reader(self.model, DEADLINE)
        found = []
        for seal in self.model.seals:
            if seal.day > as_of:
                continue
            due = QuarterDue(seal.quarter, int(days_on(seal.quarter.last_day)), seal)
            if due.sealed_late:
                found.append(due)
        return found

    # --- contracts and assets (三资) ----------------------------------------------------

    @functools.cached_property
    def contracts(self) -> ContractFigures:
        """Each contract's schedule: what fell due, what was received for which period, what
        is in arrears (`village_ledger.model.schedule`; VL701, VL705, the 合同台账 and the
        财务公开's 资产资源发包租赁 table)."""
        return ContractFigures(self.model)

    def asset_values(self, day: date) -> list[AssetValue]:
        """Every asset registered on or before `day`, with its 原值, the share of its account's
        累计折旧 and its 净值 that day (the 资产台账, the handover). Depreciation is charged by
        account (分类折旧, `model.depreciation`): an account's accumulated depreciation is shared
        among the assets on it in proportion to their 原值 against the account's balance, so
        one asset alone on its account carries all of it. Disposed assets are listed with
        nothing on the books; resources carry none."""
        from village_ledger.model.depreciation import booked

        charged = booked(self.model)
        found = []
        for asset in self.model.assets:
            if asset.day > day:
                continue
            held = asset.held(day)
            share = ZERO
            if held and asset.account is not None and asset.cost > 0:
                book_cost = self.own_balance(asset.account, day)
                accumulated = charged.accumulated(asset.account, day)
                if book_cost > 0 and accumulated:
                    share = min(accumulated * asset.cost / book_cost, asset.cost)
                    share = share.quantize(CENT, ROUND_HALF_UP)
            found.append(AssetValue(asset, day, asset.cost if held else ZERO, share))
        return found

    def asset_gaps(self, day: date) -> list[AssetGap]:
        """Per 151 account, the 原值 of the assets registered and held on `day` against the
        account's own balance that day, where they differ (VL707, the handover). Resources
        (no account) and assets carried outside 151 are not compared."""
        registered: dict[str, list[Asset]] = {}
        for asset in self.model.assets.held(day):
            if asset.account is not None and is_fixed_asset(asset.account):
                registered.setdefault(asset.account, []).append(asset)
        books = self._fixed_assets
        accounts = set(registered)
        accounts.update(a for a in books.days if is_fixed_asset(a))
        ordinal = day.toordinal()
        gaps = []
        for account in sorted(accounts):
            held = tuple(registered.get(account, ()))
            on_register = sum((a.cost for a in held), ZERO)
            booked = books.totals(account, ordinal).net  # its own balance: postings to it alone
            if booked != on_register:
                gaps.append(AssetGap(account, day, on_register, booked, held))
        return gaps

    @functools.cached_property
    def _fixed_assets(self) -> _Ledger:
        """The running ledger of the vouchers posting to a 151 account, found through the
        ledger index: comparing the register with the books reads no other account, and the
        running ledger of every posting cost more than all the contract rules together."""
        posted = ledger_index(self.model).posted
        found = {id(e): e for a, on in posted.items() if is_fixed_asset(a) for e in on}
        return _Ledger(sorted(found.values(), key=lambda entry: entry.date))

    def register_quarter_ends(self) -> list[date]:
        """The quarter ends VL707 compares the register with the books at: from the quarter of
        the first voucher or registered asset to the last one ended by the books' last day."""
        starts = [asset.day for asset in self.model.assets]
        if self.model.vouchers:
            starts.append(self.model.vouchers[0].date)
        end = self.books_end
        if not starts or end is None:
            return []
        days = []
        quarter = Quarter.of(min(starts))
        while quarter.last_day <= end:
            days.append(quarter.last_day)
            quarter = quarter.next()
        return days
