"""A period of the books: a quarter, a month, a year, or any span of days (a handover's term).

Every figure over time (movements, spending, income) is asked for over a `Period`; balances are
asked for at a day (usually `period.last`, or `period.opening_day` for the balance brought
forward). A period is a closed interval of days, both ends included.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import Final

from village_ledger.model.seals import Quarter

ONE_DAY = timedelta(days=1)


@functools.total_ordering
class Period:
    """Equal, hashed and ordered by its days, whatever its label. A plain class with slots and
    `Final` fields rather than a frozen dataclass: every command imports it, and a dataclass
    compiles its methods' source at import."""

    __slots__ = ("first", "label", "last")

    def __init__(self, first: date, last: date, label: str = "") -> None:
        if last < first:
            raise ValueError(f"period ends ({last}) before it starts ({first})")
        self.first: Final = first
        self.last: Final = last
        self.label: Final = label or f"{first} 至 {last}"  # how a report titles it, in Chinese

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.first, self.last) == (other.first, other.last)

    def __lt__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.first, self.last) < (other.first, other.last)

    def __hash__(self) -> int:
        return hash((self.first, self.last))

    def __repr__(self) -> str:
        return f"Period(first={self.first!r}, last={self.last!r}, label={self.label!r})"

    @classmethod
    def quarter(cls, quarter: Quarter) -> Period:
        return cls(quarter.first_day, quarter.last_day, quarter.label)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year}年")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(date(year, month, 1), following - ONE_DAY, f"{year}年{month}月")

    @classmethod
    def span(cls, first: date, last: date, label: str = "") -> Period:
        """Any run of days, e.g. a term of office from its first day to the handover."""
        return cls(first, last, label)

    @property
    def first_day(self) -> date:
        """`first`, named as a `Quarter` names it, so either can be asked for its days."""
        return self.first

    @property
    def last_day(self) -> date:
        return self.last

    @property
    def opening_day(self) -> date:
        """The day whose closing balance the period opens with (期初余额)."""
        return self.first - ONE_DAY

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    def year_to_date(self) -> Period:
        """From 1 January of the year the period ends in, through its last day (本年累计)."""
        first = date(self.last.year, 1, 1)
        return Period(first, self.last, f"{self.last.year}年1月1日至{_md(self.last)}")

    def a_year_earlier(self) -> Period:
        """The same days one year before (上年同期); 29 February falls back to the 28th."""
        first, last = _year_before(self.first), _year_before(self.last)
        if self.label.startswith(f"{self.last.year}年") and self.first.year == self.last.year:
            label = f"{self.last.year - 1}" + self.label[len(str(self.last.year)) :]
        else:
            label = ""
        return Period(first, last, label)

    def years(self) -> list[Period]:
        """The calendar years the period touches, each cut to the period (a term's 任期收支)."""
        return [
            Period(max(self.first, date(y, 1, 1)), min(self.last, date(y, 12, 31)), f"{y}年")
            for y in range(self.first.year, self.last.year + 1)
        ]

    def quarters(self) -> list[Quarter]:
        """Every quarter with at least one day in the period, in order."""
        found = []
        quarter = Quarter.of(self.first)
        while quarter.first_day <= self.last:
            found.append(quarter)
            quarter = quarter.next()
        return found

    def __str__(self) -> str:
        return self.label


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"
