"""过程公开: for the spending villagers watch, who handled, reviewed and approved it and which
resolution it rests on.

`chains(model, period)` lists, in date order, one `Chain` per voucher of the period that

- charges a 重点支出 account (`KEY_CATEGORIES`: 招待费, 干部报酬, 差旅费, 车辆, 车辆费用), or
- is a payment citing a resolution (`meeting`), or
- is a payment reaching the lowest tier of `model.tiers` (两委联席会议限额 on its day: "reaching"
  is at or over, as VL104 reads the tier).

Each chain names the three signers of the voucher (经手人, 审核人, 审批人) with every role each
held on the voucher's day (`Roster.roles_of`; none at all is shown as 无职务, not hidden), and
the resolution it cites with what had been spent under it: before this voucher, up to and
including it, and up to the period's last day, as VL105 adds the payments citing it
(`figures.resolutions`). A voucher that moves no money out (an advance settled against its
expense) is no spending under a resolution: its cumulative figures are those of the payments
through its day.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from village_ledger.model import vocab
from village_ledger.model.figures import is_closing
from village_ledger.model.index import per_model
from village_ledger.model.meetings import Meeting
from village_ledger.model.payments import Payment
from village_ledger.model.period import Period
from village_ledger.model.resolutions import ResolutionUse
from village_ledger.model.running import text_of
from village_ledger.model.tiers import TIERS
from village_ledger.money import posting_cny

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

ZERO = Decimal(0)

# the accounts of the 重点支出 tables, by category: entertainment, cadre pay, travel, vehicles
# bought and their running costs
KEY_CATEGORIES = ("招待费", "干部报酬", "差旅费", "车辆", "车辆费用")
# the three signatures of a voucher, in the order the approval chain runs
DUTIES = (("handler", "经手人"), ("reviewer", "审核人"), ("approver", "审批人"))
NO_ROLE = "无职务"
UNSIGNED = "未签"
ROLE_ORDER = {role: i for i, role in enumerate(vocab.ROLES)}
# the lowest tier: payments reaching it are listed whatever they bought
LOWEST_TIER = TIERS[-1]


@dataclass(frozen=True, slots=True)
class Signer:
    """One signature of a voucher: who, as which duty, and what offices they held that day."""

    duty: str  # 经手人, 审核人 or 审批人
    name: str  # "" when the voucher names nobody
    roles: tuple[str, ...]  # in the contract's order of roles; empty: no office that day

    @property
    def shown(self) -> str:
        """`黄志远（主任）`, `方丽娟（委员、出纳、报账员）`, `张三（无职务）`, or 未签."""
        if not self.name:
            return UNSIGNED
        return f"{self.name}（{'、'.join(self.roles) or NO_ROLE}）"


@dataclass(frozen=True, slots=True)
class Basis:
    """The resolution a voucher cites, and what had been spent under it."""

    id: str  # as cited
    meeting: Meeting | None  # None: the books record no resolution of that id
    before: Decimal  # spent under it before this voucher
    through: Decimal  # up to and including this voucher
    total: Decimal  # up to the period's last day

    @property
    def left(self) -> Decimal | None:
        """What the resolution still allows after the period (negative: overspent)."""
        return None if self.meeting is None else self.meeting.amount - self.total


@dataclass(frozen=True, slots=True)
class Chain:
    entry: data.Transaction
    amount: Decimal  # paid out of cash and bank; for a voucher paying nothing, what it charged
    paid: bool  # a payment (money out), not a settlement or accrual
    kinds: tuple[str, ...]  # why it is listed: its 重点支出 categories, 会议决议, the tier
    signers: tuple[Signer, ...]  # 经手人, 审核人, 审批人
    basis: Basis | None  # None: it cites no resolution

    @property
    def day(self) -> date:
        return self.entry.date

    @property
    def voucher(self) -> str:
        return text_of(self.entry.meta, "voucher") or ""


def chains(model: LedgerModel, period: Period) -> list[Chain]:
    """The 过程公开 of `period`: a chain for each voucher listed (see the module's docstring)."""
    found = []
    payments = _payments_by_entry(model)
    uses = _uses_by_entry(model)
    for entry in _within(model, period):
        payment = payments.get(id(entry))
        kinds = _listed_as(model, entry, payment)
        if not kinds:
            continue
        amount = payment.amount if payment is not None else _charged(model, entry)
        found.append(
            Chain(
                entry,
                amount,
                payment is not None,
                kinds,
                tuple(_signers(model, entry)),
                _basis(model, entry, uses.get(id(entry)), period),
            )
        )
    return found


def _within(model: LedgerModel, period: Period) -> Iterator[data.Transaction]:
    vouchers = model.vouchers
    days = _voucher_days(model)
    lo = bisect.bisect_left(days, period.first.toordinal())
    hi = bisect.bisect_right(days, period.last.toordinal())
    for entry in vouchers[lo:hi]:
        if not is_closing(entry):
            yield entry


@per_model
def _voucher_days(model: LedgerModel) -> list[int]:
    return [entry.date.toordinal() for entry in model.vouchers]


@per_model
def _payments_by_entry(model: LedgerModel) -> dict[int, Payment]:
    return {id(p.entry): p for p in model.payments}


@per_model
def _uses_by_entry(model: LedgerModel) -> dict[int, ResolutionUse]:
    return {id(use.payment.entry): use for use in model.figures.resolutions.uses}


def _listed_as(
    model: LedgerModel, entry: data.Transaction, payment: Payment | None
) -> tuple[str, ...]:
    kinds = [
        category
        for category in KEY_CATEGORIES
        if any(model.chart.get(p.account).category == category for p in entry.postings)
    ]
    if kinds and payment is None and _charged(model, entry) <= 0:
        kinds = []  # a reversal or refund charges nothing: not spending to account for
    if payment is not None:
        if text_of(entry.meta, "meeting"):
            kinds.append("会议决议")
        if payment.amount >= model.policy.value(LOWEST_TIER.key, entry.date):
            kinds.append(f"达到{LOWEST_TIER.name()}限额")
    return tuple(kinds)


def _charged(model: LedgerModel, entry: data.Transaction) -> Decimal:
    """What a voucher charged to 重点支出 accounts (debits less credits)."""
    total = ZERO
    for posting in entry.postings:
        if model.chart.get(posting.account).category in KEY_CATEGORIES:
            total += posting_cny(posting) or ZERO
    return total


def _signers(model: LedgerModel, entry: data.Transaction) -> Iterator[Signer]:
    for key, duty in DUTIES:
        name = text_of(entry.meta, key) or ""
        roles = model.roster.roles_of(name, entry.date) if name else set()
        yield Signer(duty, name, tuple(sorted(roles, key=ROLE_ORDER.__getitem__)))


def _basis(
    model: LedgerModel, entry: data.Transaction, use: ResolutionUse | None, period: Period
) -> Basis | None:
    ident = use.meeting if use is not None else text_of(entry.meta, "meeting")
    if ident is None:
        return None
    resolutions = model.figures.resolutions
    if use is not None:
        before, through = use.before, use.after
    else:  # moves no money: counts for nothing under the resolution
        before = through = resolutions.spent(ident, entry.date)
    total = resolutions.spent(ident, period.last)
    return Basis(ident, model.meetings.get(ident), before, through, total)
