"""Personal advances (借支) as the figures layer computes them (`model.figures.advances(upto)`):
each advance with what is still owed, repayments settling the oldest first (VL206).
"""

from __future__ import annotations

from collections import deque
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from village_ledger.model.index import ledger_index, policy_reader
from village_ledger.model.running import ZERO, cny

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel


ADVANCE = "借支"
ADVANCE_LIMIT = "借支期限天数"


class Advance:
    """A personal advance (借支): paid on `entry` to an account of category 借支. (A plain class
    with slots, not a dataclass: a dataclass compiles its methods at import.)"""

    __slots__ = ("account", "amount", "entry", "limit", "open", "settled")

    def __init__(
        self, account: str, entry: data.Transaction, amount: Decimal, open: Decimal, limit: int
    ) -> None:
        self.account = account
        self.entry = entry
        self.amount = amount
        self.open = open  # still owed at the end of the day the advances were asked for
        self.limit = limit  # 借支期限天数 in force on the day it was paid
        self.settled: date | None = None  # the day the last of it was repaid

    @property
    def day(self) -> date:
        return self.entry.date

    @property
    def due(self) -> date:
        """The last day it may stay open."""
        return self.day + timedelta(days=self.limit)

    @property
    def holder(self) -> str:
        """The person it was paid to: the voucher's payee, else the account's own name."""
        if self.entry.payee and self.entry.payee.strip():
            return self.entry.payee.strip()
        leaf = self.account.rpartition(":")[2]
        return leaf.partition("-")[2] or leaf

    def age(self, day: date) -> int:
        return (day - self.day).days

    def late(self, day: date) -> bool:
        """Open on `day` for longer than its limit."""
        return self.age(day) > self.limit


def build_advances(model: LedgerModel, upto: date) -> list[Advance]:
    index = ledger_index(model)
    accounts = index.accounts(ADVANCE)
    limit_on = policy_reader(model, ADVANCE_LIMIT)
    found: list[Advance] = []
    queues: dict[str, deque[Advance]] = {}
    for entry in index.entries(ADVANCE):
        if entry.date > upto:
            break
        for posting in entry.postings:
            number = cny(posting) if posting.account in accounts else ZERO
            if not number:
                continue
            queue = queues.setdefault(posting.account, deque())
            if number > 0:
                advance = Advance(posting.account, entry, number, number, int(limit_on(entry.date)))
                queue.append(advance)
                found.append(advance)
            else:
                _settle(queue, -number, entry.date)
    return found


def _settle(queue: deque[Advance], repaid: Decimal, day: date) -> None:
    """Repayments settle the oldest open advances first."""
    while repaid > 0 and queue:
        oldest = queue[0]
        used = min(repaid, oldest.open)
        oldest.open -= used
        repaid -= used
        if oldest.open == 0:
            oldest.settled = day
            queue.popleft()
