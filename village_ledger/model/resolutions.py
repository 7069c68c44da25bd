"""Spending under each resolution (会议决议) as the figures layer computes it
(`model.figures.resolutions`): every payment citing it with `meeting`, as VL105 adds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from village_ledger.model.payments import Payment
from village_ledger.model.period import Period
from village_ledger.model.running import ZERO, Running


class ResolutionUse(NamedTuple):
    """A payment citing a resolution (`meeting`), with what was spent under it before."""

    payment: Payment
    meeting: str  # the id as cited (it may name no resolution)
    before: Decimal

    @property
    def after(self) -> Decimal:
        return self.before + self.payment.amount

    @property
    def day(self) -> date:
        return self.payment.day


class Resolutions:
    """Spending under each resolution: every payment that cites it, at any amount, in date
    order; a payment's amount is its net outflow from cash and bank."""

    def __init__(self) -> None:
        self.uses: list[ResolutionUse] = []
        self._spent: dict[str, Running] = {}
        self._uses: dict[str, list[ResolutionUse]] = {}

    def _add(self, payment: Payment, meeting: str) -> None:
        running = self._spent.setdefault(meeting, Running())
        use = ResolutionUse(payment, meeting, running.upto())
        self.uses.append(use)
        self._uses.setdefault(meeting, []).append(use)
        running.add(payment.day, payment.amount)

    def uses_of(self, meeting: str) -> list[ResolutionUse]:
        """The payments citing `meeting`, in date order."""
        return self._uses.get(meeting, [])

    def spent(self, meeting: str, upto: date | None = None) -> Decimal:
        running = self._spent.get(meeting)
        return running.upto(upto) if running else ZERO

    def spent_in(self, meeting: str, period: Period) -> Decimal:
        running = self._spent.get(meeting)
        return running.within(period) if running else ZERO

    def cited(self) -> set[str]:
        return set(self._spent)


def build_resolutions(payments: Iterable[Payment]) -> Resolutions:
    found = Resolutions()
    for payment in payments:
        raw = payment.entry.meta.get("meeting")
        if raw is not None and (meeting := str(raw).strip()):
            found._add(payment, meeting)
    return found
