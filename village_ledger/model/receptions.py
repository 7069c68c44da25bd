"""Receptions (招待): every voucher that books spending to an account of category `招待费`.

A reception's amount is what its 招待费 postings add up to (red reversals are negative). Its
`guests` (来客人数), `hosts` (陪同人数), `guest-org` (来客单位) and `letter` (公函) are read from the
transaction, else from one of its 招待费 postings.

The year's entertainment as the figures layer totals it (`model.figures.receptions`,
`model.figures.entertainment(year)`) is written in the types at the end: `ReceptionTotal`,
`EntertainmentYear`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from beancount.core import data, flags

from village_ledger.model.index import ledger_index, per_model
from village_ledger.model.period import Period
from village_ledger.model.running import ZERO

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

CATEGORY = "招待费"


class Reception(NamedTuple):
    entry: data.Transaction
    day: date
    amount: Decimal
    guests_written: Any  # `guests` as written, None when absent
    hosts_written: Any
    guests: int | None  # the count, None when absent or not a count
    hosts: int | None  # absent counts as no hosts
    org: str | None
    letter: str | None

    @property
    def meta(self) -> dict[str, Any]:
        return self.entry.meta

    @property
    def who(self) -> str:
        """The visitors' unit, else the payee: who the reception was for or paid to."""
        return self.org or (self.entry.payee or "").strip() or "（未写明单位）"


def written(entry: data.Transaction, postings: list[data.Posting], key: str) -> Any:
    """A value from the transaction's metadata, else from one of its 招待费 postings."""
    value = entry.meta.get(key)
    if value is None:
        for posting in postings:
            if posting.meta and posting.meta.get(key) is not None:
                return posting.meta[key]
    return value


def text(value: Any) -> str | None:
    stripped = "" if value is None else str(value).strip()
    return stripped or None


def head_count(value: Any, *, least: int) -> int | None:
    """A count of people written as a number (`5`) or as digits (`"5"`); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = Decimal(value.strip())
    else:
        return None
    if number != number.to_integral_value() or number < least:
        return None
    return int(number)


def as_reception(
    entry: data.Transaction, amount: Decimal, postings: list[data.Posting]
) -> Reception:
    guests = written(entry, postings, "guests")
    hosts = written(entry, postings, "hosts")
    return Reception(
        entry,
        entry.date,
        amount,
        guests,
        hosts,
        head_count(guests, least=1),
        0 if hosts is None else head_count(hosts, least=0),
        text(written(entry, postings, "guest-org")),
        text(written(entry, postings, "letter")),
    )


@per_model
def receptions(model: LedgerModel) -> list[Reception]:
    """Every voucher that books entertainment, in date order."""
    index = ledger_index(model)
    entertainment = index.accounts(CATEGORY)
    found: list[Reception] = []
    for entry, amount in zip(index.entries(CATEGORY), index.amounts(CATEGORY), strict=True):
        if amount and entry.flag != flags.FLAG_PADDING:
            postings = [p for p in entry.postings if p.account in entertainment]
            found.append(as_reception(entry, amount, postings))
    return found


# --- the year's entertainment, as `model.figures` totals it (VL401, VL405) ---

CAP = "招待费年度限额"
SHARE = "招待费预警比例"


class ReceptionTotal(NamedTuple):
    """A reception with its calendar year's total after it, and the cap and warning share in
    force on its day."""

    reception: Reception
    year_total: Decimal
    cap: Decimal
    share: Decimal

    @property
    def day(self) -> date:
        return self.reception.day

    @property
    def mark(self) -> Decimal:
        """The warning line (预警线): the share of the cap at which VL405 warns."""
        return self.cap * self.share


class EntertainmentYear(NamedTuple):
    """A year's entertainment through `upto`, against the cap in force that day."""

    year: int
    upto: date
    receptions: tuple[ReceptionTotal, ...]
    cap: Decimal
    share: Decimal

    @property
    def total(self) -> Decimal:
        return self.receptions[-1].year_total if self.receptions else ZERO

    @property
    def mark(self) -> Decimal:
        return self.cap * self.share

    @property
    def left(self) -> Decimal:
        """What may still be spent this year; negative when over the cap."""
        return self.cap - self.total

    @property
    def over(self) -> bool:
        return self.total > self.cap

    @property
    def warned(self) -> bool:
        """At or past the warning line (and a cap above zero to warn against)."""
        return self.cap > 0 and self.total >= self.mark

    def within(self, period: Period) -> list[ReceptionTotal]:
        return [r for r in self.receptions if period.contains(r.day)]
