"""What each contract makes due, when, what was received for which period, and what is in arrears.

The figures of the contract register (`model.figures.contracts`, a `ContractFigures`), read by
the VL7xx rules, the 合同台账, the 财务公开's 资产资源发包租赁 table, the handover, the overview
and the dashboard alike:

- **Instalments** (`instalments(contract, as_of)`): a `年` contract is due each contract year on
  its `due-day` (MM-DD; 02-29 falls on the 28th in other years), a `季` one on the first day of
  each calendar quarter of its term (its start for the first), a `月` one on day `due-day` of
  each month (the month's last day when shorter, its start for the first month if later), a
  `一次` one on its start. A period is due in full; a period whose due day falls after the end
  in force (a `终止`, or the last period of a term that stops before its due day) is not due.
  A `变更` sets the amount of the periods due from its date, a `续签` that of the periods after
  the end it extends. Labels: `2025` (年, the year the contract year begins), `2025Q2`, `2025-07`.
- **Money under a contract**: every voucher carrying `contract: "<id>"`. For a receiving contract
  (发包, 租赁, 承包, 借款) what came into cash and bank, less what went to liability accounts in
  the same voucher (a 押金 is held for the tenant, not rent); for 采购 and 工程 what left cash and
  bank. A voucher may name its period (`period: "2025"`); the rest settles the oldest unpaid
  period first, and money beyond every period is `surplus`. Money flowing back (a refund) takes
  back the surplus first, then the latest settled period.
- **Books begun mid-contract**: periods due before the books' first day (the day after the
  期初余额 voucher, else the first transaction's) belong to the books before these and are left
  out of the schedule.
- **As of a day** every period is received, in arrears (due, unpaid) or not yet due, so for any
  contract and any day `received + arrears + not_yet_due == total` (tested with hypothesis); a
  period is *late* (VL701) when, `合同欠收宽限天数` days after its due day, it had not been
  received in full and the books go beyond that day.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from itertools import compress, repeat, takewhile
from operator import attrgetter, is_not
from typing import TYPE_CHECKING, Any, NamedTuple

from beancount.core import data

from village_ledger.model import vocab
from village_ledger.model.accounts import NOT_MONEY, Chart
from village_ledger.model.contracts import Contract
from village_ledger.model.index import policy_reader
from village_ledger.model.period import Period
from village_ledger.money import CURRENCY, posting_cny

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

ZERO = Decimal(0)
ONE_DAY = timedelta(days=1)
GRACE = "合同欠收宽限天数"
META = attrgetter("meta")
DUE = attrgetter("due")
AMOUNT = attrgetter("amount")


class Instalment(NamedTuple):
    """One period of a contract: what falls due on which day."""

    position: int  # 0 for the first period of the schedule (not `index`: a tuple's method)
    label: str
    first: date
    last: date
    due: date
    amount: Decimal


def _on(year: int, month: int, day: int) -> date:
    """`day` of the month, or the month's last day when it is shorter."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return min(date(year, month, 1) + timedelta(days=day - 1), following - ONE_DAY)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _periods(contract: Contract, end: date) -> Iterable[tuple[str, date, date, date]]:
    """(label, first, last, due) of every period that begins on or before `end`."""
    start = contract.start
    if contract.period == vocab.ONCE:
        yield str(start.year), start, end, start
    elif contract.period == vocab.YEARLY:
        month, day = (int(part) for part in contract.due_day.split("-"))
        k = 0
        while (first := _add_years(start, k)) <= end:
            last = min(_add_years(start, k + 1) - ONE_DAY, end)
            due = _on(first.year, month, day)
            if due < first:
                due = _on(first.year + 1, month, day)
            yield str(first.year), first, last, due
            k += 1
    elif contract.period == vocab.QUARTERLY:
        yield from _quarters(start, end)
    else:
        yield from _months(start, end, int(contract.due_day))


# A long contract has hundreds of periods and every check computes them all: the calendars
# below count days as ordinals and make a `date` only for what a period holds, since each
# `date` method call costs several times the integer arithmetic it stands for.
MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MONTH_LABELS = tuple(f"{month:02d}" for month in range(1, 13))


def _month_length(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return MONTH_DAYS[month - 1]


def _months(start: date, end: date, due_day: int) -> Iterator[tuple[str, date, date, date]]:
    """Each calendar month from the start's to the end's: due on `due_day` (the month's last
    day when shorter, the start when later), the first from the start, the last to the end."""
    start_day, end_day = start.toordinal(), end.toordinal()
    year, month = start.year, start.month
    first_day = start_day - start.day + 1  # the 1st of the start's month
    prefix = f"{year}-"
    while first_day <= end_day:
        length = _month_length(year, month)
        following = first_day + length
        due = first_day + (due_day if due_day < length else length) - 1
        yield (
            prefix + MONTH_LABELS[month - 1],
            start if first_day <= start_day else date.fromordinal(first_day),
            end if following > end_day else date.fromordinal(following - 1),
            start if due <= start_day else date.fromordinal(due),
        )
        first_day = following
        if month == 12:
            year, month, prefix = year + 1, 1, f"{year + 1}-"
        else:
            month += 1


def _quarters(start: date, end: date) -> Iterator[tuple[str, date, date, date]]:
    """Each calendar quarter from the start's to the end's, due on its first day in force."""
    start_day, end_day = start.toordinal(), end.toordinal()
    year, number = start.year, (start.month - 1) // 3 + 1
    first_day = date(year, number * 3 - 2, 1).toordinal()
    while first_day <= end_day:
        following = (
            date(year + 1, 1, 1) if number == 4 else date(year, number * 3 + 1, 1)
        ).toordinal()
        first = start if first_day <= start_day else date.fromordinal(first_day)
        last = end if following > end_day else date.fromordinal(following - 1)
        yield f"{year}Q{number}", first, last, first
        first_day = following
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)


def instalments(
    contract: Contract, as_of: date | None = None, *, as_signed: bool = False
) -> list[Instalment]:
    """The contract's periods with the changes dated on or before `as_of` (all when None), or
    as signed, without any change."""
    end = contract.end if as_signed else contract.ends(as_of)
    amounts = [(date.min, contract.amount)] if as_signed else contract.amounts(as_of)
    found: list[Instalment] = []
    steady = amounts[0][1] if len(amounts) == 1 else None  # most contracts are never amended
    for label, first, last, due in _periods(contract, end):
        if due > end:
            continue
        amount = steady if steady is not None else _in_force(amounts, due)
        found.append(Instalment(len(found), label, first, last, due, amount))
    return found


def _in_force(amounts: list[tuple[date, Decimal]], due: date) -> Decimal:
    """The amount per period of a period due on `due`: the latest set on or before it."""
    return next(a for since, a in reversed(amounts) if since <= due)


class ContractMoney(NamedTuple):
    """A voucher carrying `contract`: how much it moved in the contract's direction."""

    entry: data.Transaction
    contract: str
    amount: Decimal  # received (receiving contracts) or paid (采购, 工程); negative: back
    period: str | None

    @property
    def day(self) -> date:
        return self.entry.date

    @property
    def meta(self) -> dict[str, Any]:
        return self.entry.meta


class Settlement(NamedTuple):
    """Part of a voucher's money settling one period (or left over: `Schedule.surplus`)."""

    money: ContractMoney
    amount: Decimal

    @property
    def day(self) -> date:
        return self.money.day


class Line(NamedTuple):
    """One period of a schedule as of its day."""

    instalment: Instalment
    settlements: tuple[Settlement, ...]
    as_of: date
    grace: int  # 合同欠收宽限天数 on the due day

    @property
    def label(self) -> str:
        return self.instalment.label

    @property
    def due(self) -> date:
        return self.instalment.due

    @property
    def amount(self) -> Decimal:
        return self.instalment.amount

    @property
    def received(self) -> Decimal:
        return sum((s.amount for s in self.settlements), ZERO)

    def received_by(self, day: date) -> Decimal:
        # VL701 asks it of every period past its deadline: a plain loop reading the voucher's
        # date (`Settlement.day`) directly costs a third of a generator over two properties
        total = ZERO
        for settlement in self.settlements:
            if settlement.money.entry.date <= day:
                total += settlement.amount
        return total

    @property
    def unpaid(self) -> Decimal:
        return self.amount - self.received

    @property
    def is_due(self) -> bool:
        return self.due <= self.as_of

    @property
    def arrears(self) -> Decimal:
        """Due and not received (within the grace days or past them)."""
        return self.unpaid if self.is_due else ZERO

    @property
    def not_yet_due(self) -> Decimal:
        return ZERO if self.is_due else self.unpaid

    @property
    def deadline(self) -> date:
        """The last day the money counts as on time: the due day plus the grace days."""
        return self.due + timedelta(days=self.grace)

    @property
    def overdue(self) -> Decimal:
        """Unpaid past the grace days as of the schedule's day."""
        return self.unpaid if self.deadline < self.as_of else ZERO

    @property
    def late(self) -> Decimal:
        """What was still missing at the deadline, when the schedule's day is past it (VL701)."""
        deadline = self.deadline
        if not deadline < self.as_of:
            return ZERO
        return max(self.amount - self.received_by(deadline), ZERO)

    @property
    def days_late(self) -> int:
        """Days from the due day to the day it was received in full, or to the schedule's day."""
        running = ZERO
        for settlement in sorted(self.settlements, key=lambda s: s.day):
            running += settlement.amount
            if running >= self.amount:
                return (settlement.day - self.due).days
        return (self.as_of - self.due).days

    @property
    def state(self) -> str:
        """How a report shows it: 已收, 部分收到, 欠收 (past the grace days), 待收, 未到期."""
        if self.unpaid <= 0:
            return "已收"
        if self.overdue:
            return "欠收"
        if self.is_due:
            return "待收"
        return "部分收到" if self.received else "未到期"


class Schedule(NamedTuple):
    """A contract's periods as of a day, with what was received and what is owed."""

    contract: Contract
    as_of: date
    lines: tuple[Line, ...]
    surplus: tuple[Settlement, ...]  # money beyond every period
    unknown_periods: tuple[ContractMoney, ...]  # `period` naming no period of the contract
    end: date = date.min  # the last day in force as of `as_of`

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def received(self) -> Decimal:
        """What settled a period (money beyond every period is `surplus_amount`)."""
        return sum((line.received for line in self.lines), ZERO)

    @property
    def surplus_amount(self) -> Decimal:
        return sum((s.amount for s in self.surplus), ZERO)

    @property
    def arrears(self) -> Decimal:
        return sum((line.arrears for line in self.lines), ZERO)

    @property
    def overdue(self) -> Decimal:
        return sum((line.overdue for line in self.lines), ZERO)

    @property
    def not_yet_due(self) -> Decimal:
        return sum((line.not_yet_due for line in self.lines), ZERO)

    @property
    def due_to_date(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.is_due), ZERO)

    def due_in(self, period: Period) -> Decimal:
        """What fell due within `period` (本年应收)."""
        return sum((line.amount for line in self.lines if period.contains(line.due)), ZERO)

    def received_in(self, period: Period) -> Decimal:
        """Money under the contract received within `period`, whatever period it settled."""
        settled = (s for line in self.lines for s in line.settlements)
        return sum((s.amount for s in (*settled, *self.surplus) if period.contains(s.day)), ZERO)

    @property
    def live(self) -> bool:
        """In force on the schedule's day: begun and not yet ended."""
        return self.contract.start <= self.as_of <= self.end

    @property
    def late_lines(self) -> list[Line]:
        # a period not yet due cannot be late (grace days are never negative), and the periods
        # come in the order they fall due: a long contract's lines not yet due are not visited
        due = takewhile(lambda line: line.instalment.due < self.as_of, self.lines)
        return [line for line in due if line.late > 0]


def contract_money(entry: data.Transaction, contract: Contract | None, chart: Chart) -> Decimal:
    """What the voucher moved in the contract's direction (see the module docstring)."""
    money = ZERO
    held = ZERO
    kind_of = chart.money_kind
    for posting in entry.postings:
        units = posting.units
        # nearly every posting is in CNY: its number is its weight, no call needed
        if units is not None and units.currency == CURRENCY and type(units.number) is Decimal:
            number: Decimal = units.number
        else:
            weight = posting_cny(posting)
            if weight is None:
                continue
            number = weight
        if kind_of(posting.account) is not NOT_MONEY:
            money += number
        elif posting.account.startswith("Liabilities:"):
            held += number
    if contract is not None and contract.paying:
        return -money
    return money + held


def _carrying(entries: list[data.Transaction], key: str) -> Iterator[tuple[data.Transaction, Any]]:
    """The entries whose metadata hold `key`, with its value. A few vouchers in thousands
    carry a contract: the metadata are read by `map`, without a Python step per voucher."""
    values = list(map(dict.get, map(META, entries), repeat(key)))
    for row in compress(range(len(values)), map(is_not, values, repeat(None))):
        yield entries[row], values[row]


class ContractFigures:
    """The contract figures of one model; see the module docstring. `model.figures.contracts`."""

    def __init__(self, model: LedgerModel) -> None:
        self.model = model
        self.money: dict[str, list[ContractMoney]] = defaultdict(list)
        self.unknown: list[ContractMoney] = []  # `contract` naming no declared contract
        register = model.contracts
        for entry, raw in _carrying(model.vouchers, "contract"):
            ident = str(raw).strip()
            contract = register.get(ident)
            period = entry.meta.get("period")
            label = str(period).strip() if period is not None else None
            moved = ContractMoney(
                entry, ident, contract_money(entry, contract, model.chart), label or None
            )
            if contract is None:
                self.unknown.append(moved)
            else:
                self.money[ident].append(moved)
        self._schedules: dict[tuple[str, date], Schedule] = {}
        self._instalments: dict[tuple[str, int], tuple[Instalment, ...]] = {}

    @functools.cached_property
    def books_end(self) -> date | None:
        return self.model.figures.books_end

    def _day(self, as_of: date | None) -> date:
        if as_of is not None:
            return as_of
        return self.books_end or date.today()

    def schedule(self, contract: Contract, as_of: date | None = None) -> Schedule:
        """The contract as of `as_of` (default: the books' last day)."""
        day = self._day(as_of)
        key = (contract.id, day)
        found = self._schedules.get(key)
        if found is None:
            found = self._schedules[key] = self._build(contract, day)
        return found

    def schedules(self, as_of: date | None = None) -> list[Schedule]:
        return [self.schedule(c, as_of) for c in self.model.contracts]

    @functools.cached_property
    def books_start(self) -> date | None:
        """The first day these books answer for: the day after the 期初余额 voucher (the old
        books' balances carried in), else the first transaction's day."""
        model = self.model
        opening = [t.date for t, value in _carrying(model.transactions, "opening") if value is True]
        if opening:
            return max(opening) + ONE_DAY
        return model.transactions[0].date if model.transactions else None

    @functools.cached_property
    def _grace_on(self) -> Callable[[date], int]:
        grace = policy_reader(self.model, GRACE)
        known: dict[date, int] = {}  # periods of many contracts fall due on the same days

        def on(due: date) -> int:
            days = known.get(due)
            if days is None:
                days = known[due] = int(grace(due))
            return days

        return on

    def instalments(self, contract: Contract, as_of: date | None = None) -> tuple[Instalment, ...]:
        """`instalments(contract, as_of)`, computed once for each contract and number of
        changes in force: its value (VL702) and its schedules on every day up to its next change
        share them."""
        return self._instalments_with(contract, len(contract.changes_by(as_of)), as_of)

    def value(self, contract: Contract) -> Decimal:
        """The total value as signed: the amount times its periods, or the price (VL702)."""
        return sum((i.amount for i in self._instalments_with(contract, 0, None)), ZERO)

    def _instalments_with(
        self, contract: Contract, in_force: int, as_of: date | None
    ) -> tuple[Instalment, ...]:
        key = (contract.id, in_force)
        found = self._instalments.get(key)
        if found is None:
            # with no change in force a contract's periods are those as signed
            found = tuple(instalments(contract, as_of, as_signed=not in_force))
            self._instalments[key] = found
        return found

    def _build(self, contract: Contract, day: date) -> Schedule:
        money = self.money.get(contract.id, [])
        parts = self.instalments(contract, day)
        return build_schedule(
            contract, money, day, self._grace_on, since=self.books_start, parts=parts
        )


def build_schedule(
    contract: Contract,
    money: Iterable[ContractMoney],
    day: date,
    grace_on: Callable[[date], int],
    since: date | None = None,
    parts: Sequence[Instalment] | None = None,
) -> Schedule:
    """The contract's schedule as of `day` from the money under it (in date order) and the
    grace days in force on each due day; `parts` are `instalments(contract, day)` when the
    caller has them. Periods due before `since` (the books' first day) were settled in the
    books before these and are left out."""
    if parts is None:
        parts = instalments(contract, day)
    if since is not None and parts and parts[0].due < since:
        kept = [part for part in parts if part.due >= since]
        parts = [part._replace(position=i) for i, part in enumerate(kept)]
    book = _Settling(parts)
    unknown: list[ContractMoney] = []
    by_label: dict[str, int] | None = None  # made when a voucher names its period (few do)
    for moved in money:
        if moved.day > day:
            break
        if moved.amount < 0:
            book.take_back(moved)
            continue
        left = moved.amount
        if moved.period is not None:
            if by_label is None:
                by_label = {i.label: i.position for i in parts}
            index = by_label.get(moved.period)
            if index is None:
                unknown.append(moved)
            else:
                left = book.settle(moved, index, left)
        book.settle_oldest(moved, left)
    # one line per period, built by `map`: a long contract has hundreds
    settled = map(tuple, book.settled)  # in the periods' order
    lines = tuple(map(Line, parts, settled, repeat(day), map(grace_on, map(DUE, parts))))
    return Schedule(contract, day, lines, tuple(book.surplus), tuple(unknown), contract.ends(day))


class _Settling:
    """The periods' open amounts while money is settled against them: the oldest open period
    is kept at hand, so a long monthly contract settles in one pass, not one pass a receipt."""

    def __init__(self, parts: Sequence[Instalment]) -> None:
        self.amounts: list[Decimal] = list(map(AMOUNT, parts))
        self.open = self.amounts.copy()
        self.settled: list[list[Settlement]] = [[] for _ in parts]
        self.surplus: list[Settlement] = []
        self.kept = ZERO  # the surplus's total
        self.oldest = 0  # no period before it is open

    def settle(self, money: ContractMoney, index: int, left: Decimal) -> Decimal:
        take = min(self.open[index], left)
        if take > 0:
            self.settled[index].append(Settlement(money, take))
            self.open[index] -= take
            return left - take
        return left

    def settle_oldest(self, money: ContractMoney, left: Decimal) -> None:
        """The oldest open periods first; what is left over is surplus."""
        count = len(self.open)
        while self.oldest < count and self.open[self.oldest] <= 0:
            self.oldest += 1
        index = self.oldest
        while left > 0 and index < count:
            left = self.settle(money, index, left)
            index += 1
        while self.oldest < count and self.open[self.oldest] <= 0:
            self.oldest += 1
        if left > 0:
            self.surplus.append(Settlement(money, left))
            self.kept += left

    def take_back(self, money: ContractMoney) -> None:
        """Money flowing back: out of the surplus first, then out of the latest settled period."""
        back = -money.amount
        take = min(back, self.kept)
        if take > 0:
            self.surplus.append(Settlement(money, -take))
            self.kept -= take
            back -= take
        for index in reversed(range(len(self.open))):
            if back <= 0:
                return
            take = min(back, self.amounts[index] - self.open[index])
            if take > 0:
                self.settled[index].append(Settlement(money, -take))
                self.open[index] += take
                self.oldest = min(self.oldest, index)
                back -= take
        if back > 0:  # more flowed back than ever came in: a negative surplus
            self.surplus.append(Settlement(money, -back))
            self.kept -= back
