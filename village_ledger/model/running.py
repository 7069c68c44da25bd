"""Small pieces the figures layer's parts share: running totals by day, a metadata value as text,
a posting's amount in CNY.
"""

from __future__ import annotations

import bisect
from datetime import date
from decimal import Decimal
from typing import Any

from beancount.core import data

from village_ledger.model.period import Period
from village_ledger.money import CURRENCY

ZERO = Decimal(0)


class Running:
    """Dated amounts, added in date order; their total through a day or within a period."""

    def __init__(self) -> None:
        self.days: list[int] = []
        self.totals: list[Decimal] = []

    def add(self, day: date, amount: Decimal) -> None:
        ordinal = day.toordinal()
        total = (self.totals[-1] if self.totals else ZERO) + amount
        if self.days and self.days[-1] == ordinal:
            self.totals[-1] = total
        else:
            self.days.append(ordinal)
            self.totals.append(total)

    def upto(self, day: date | None = None) -> Decimal:
        """The total through the end of `day` (None: everything)."""
        if day is None:
            return self.totals[-1] if self.totals else ZERO
        i = bisect.bisect_right(self.days, day.toordinal())
        return self.totals[i - 1] if i else ZERO

    def within(self, period: Period) -> Decimal:
        return self.upto(period.last) - self.upto(period.opening_day)


def text_of(meta: dict[str, Any] | None, key: str) -> str | None:
    """A metadata value as stripped text; None when absent or blank."""
    return as_text(meta.get(key) if meta else None)


def as_text(value: Any) -> str | None:
    """A metadata value as stripped text; None when absent or blank."""
    text = "" if value is None else str(value).strip()
    return text or None


def cny(posting: data.Posting) -> Decimal:
    """The posting's units in CNY; zero for another currency or a posting left unbooked."""
    units = posting.units
    if units is None or units.currency != CURRENCY or not isinstance(units.number, Decimal):
        return ZERO
    return units.number
