"""VL2xx 现金 (cash): 《现金管理暂行条例》 as a village keeps it.

VL201: no single cash payment above 现金支付限额.
VL202: no more cash on hand at a day's end than 库存现金限额; on the entry that pushed it over.
VL203: cash on hand never below zero (白条抵库, receipts not booked); on the entry that took it there.
VL204 (预警): cash received is banked within 现金存行天数 unless cash on hand is back within the limit.
VL205: 会计 and 出纳 are never the same person on the same day; on the appointment that joined them.
VL206 (预警): a personal advance (借支) is settled within 借支期限天数, repayments first in first out.

Cash on hand comes from the cash book (`village_ledger.model.cashbook`). Limits on cash on hand
are judged at each day's end: the order in which one day's vouchers are written is not the order
in which the money moved. An over-limit or negative spell is reported once, where it began.
Open items (VL204, VL206) are judged as of the ledger's last transaction date: the books are
written up to that day and no further.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data, flags

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel
from village_ledger.model.cashbook import CashDay, CashMove, cash_book
from village_ledger.model.roster import Term
from village_ledger.money import CURRENCY, fmt_yuan
from village_ledger.registry import rule

__plugins__ = (make_plugin("cash"),)

ZERO = Decimal(0)


def counterparty(entry: data.Transaction) -> str:
    """Who the money came from or went to, as the voucher names them."""
    return (entry.payee or entry.narration or "").strip()


def as_of(model: LedgerModel) -> date | None:
    """The day the books are written up to: the date of the last transaction."""
    return model.transactions[-1].date if model.transactions else None


@rule("VL201", "大额现金支付", reads=("现金支付限额",))
def cash_payment_over_limit(model: LedgerModel) -> Iterator[Hit]:
    """A single payment may not pay more than 现金支付限额 in cash."""
    for payment in model.payments:
        limit = model.policy.value("现金支付限额", payment.day)
        if payment.cash > limit:
            to = f"向{payment.payee}" if payment.payee else ""
            yield Hit(
                payment.meta,
                f"{to}现金支付 {fmt_yuan(payment.cash)} 元，超过现金支付限额 "
                f"{fmt_yuan(limit)} 元，应通过银行转账",
                payment.day,
                amount=payment.cash,
                policy="现金支付限额",
            )


def crossing(day: CashDay, beyond: Decimal, upward: bool) -> CashMove:
    """The last move of the day that carried cash on hand across `beyond`."""
    for move in reversed(day.moves):
        if upward and move.before <= beyond < move.balance:
            return move
        if not upward and move.before >= beyond > move.balance:
            return move
    # the day began already across (a limit lowered overnight): its last move kept it there
    return day.moves[-1]


def describe(move: CashMove) -> str:
    who = counterparty(move.entry)
    verb = "收" if move.amount > 0 else "付"
    return f"{verb}{who}现金 {fmt_yuan(abs(move.amount))} 元后，"


@rule("VL202", "库存现金超限", reads=("库存现金限额",))
def cash_on_hand_over_limit(model: LedgerModel) -> Iterator[Hit]:
    """Cash on hand at the end of a day may not exceed 库存现金限额."""
    was_over = False
    for day in cash_book(model):
        limit = model.policy.value("库存现金限额", day.day)
        over = day.closing > limit
        if over and not was_over:
            move = crossing(day, limit, upward=True)
            yield Hit(
                move.entry.meta,
                f"{describe(move)}{day.day} 日终库存现金 {fmt_yuan(day.closing)} 元，"
                f"超过库存现金限额 {fmt_yuan(limit)} 元，超出部分应存入银行",
                day.day,
                amount=day.closing,
                policy="库存现金限额",
            )
        was_over = over


@rule("VL203", "库存现金为负")
def cash_below_zero(model: LedgerModel) -> Iterator[Hit]:
    """Cash on hand at the end of a day may not be below zero."""
    was_negative = False
    for day in cash_book(model):
        negative = day.closing < ZERO
        if negative and not was_negative:
            move = crossing(day, ZERO, upward=False)
            yield Hit(
                move.entry.meta,
                f"{describe(move)}{day.day} 日终库存现金为 {fmt_yuan(day.closing)} 元，"
                "现金不能为负：有白条抵库或收入未入账",
                day.day,
                amount=day.closing,
            )
        was_negative = negative


def back_within_limit(model: LedgerModel, days: list[CashDay]) -> list[date | None]:
    """For each day that ends over the limit, the first later day that ends within it."""
    result: list[date | None] = [None] * len(days)
    next_within: date | None = None
    for i in range(len(days) - 1, -1, -1):
        day = days[i]
        if day.closing <= model.policy.value("库存现金限额", day.day):
            next_within = day.day
        else:
            result[i] = next_within
    return result


@rule("VL204", "现金收入未及时存行", Severity.WARNING, reads=("现金存行天数", "库存现金限额"))
def cash_not_banked(model: LedgerModel) -> Iterator[Hit]:
    """Cash received must be banked within 现金存行天数 while cash on hand is over the limit."""
    book = cash_book(model)
    last = as_of(model)
    if last is None:
        return
    days = book.days
    within = back_within_limit(model, days)
    for i, day in enumerate(days):
        limit = model.policy.value("库存现金限额", day.day)
        if day.closing <= limit:
            continue
        allowed = model.policy.value("现金存行天数", day.day)
        deadline = day.day + timedelta(days=allowed)
        # still over the limit at the end of the deadline day, by the books as they stand
        back = within[i]
        if (back is not None and back <= deadline) or (back is None and last < deadline):
            continue
        for move in day.moves:
            if move.amount <= 0 or move.entry.flag == flags.FLAG_PADDING:
                continue
            yield Hit(
                move.entry.meta,
                f"{day.day} 收{counterparty(move.entry)}现金 {fmt_yuan(move.amount)} 元，"
                f"{allowed} 天内未存入银行，{deadline} 日终库存现金仍为 "
                f"{fmt_yuan(book.closing_on(deadline))} 元，超过库存现金限额 {fmt_yuan(limit)} 元",
                day.day,
                amount=move.amount,
                policy="现金存行天数",
            )


def overlap_start(a: Term, b: Term) -> date:
    return max(a.start, b.start)


@rule("VL205", "会计出纳一人兼任")
def accountant_is_cashier(model: LedgerModel) -> Iterator[Hit]:
    """The same person may not hold 会计 and 出纳 on the same day."""
    cashier_terms: dict[str, list[Term]] = defaultdict(list)
    for term in model.roster.terms_in("出纳"):
        cashier_terms[term.person].append(term)
    for accountant in model.roster.terms_in("会计"):
        for cashier in cashier_terms.get(accountant.person, ()):
            if not accountant.overlaps(cashier):
                continue
            # the later appointment is the one that made one person hold both
            later = max(accountant, cashier, key=lambda t: (t.start, t.appointed.meta["lineno"]))
            yield Hit(
                later.appointed.meta,
                f"{accountant.person} 自 {overlap_start(accountant, cashier)} 起同时担任会计和出纳，"
                "会计与出纳不得由一人兼任",
                later.start,
            )


@dataclass
class Advance:
    entry: data.Transaction
    amount: Decimal
    open: Decimal = field(init=False)

    def __post_init__(self) -> None:
        self.open = self.amount


def advance_holder(account: str, entry: data.Transaction) -> str:
    """The person an advance was paid to: the voucher's payee, else the account's own name."""
    if entry.payee:
        return entry.payee.strip()
    leaf = account.rpartition(":")[2]
    return leaf.partition("-")[2] or leaf


def late_advance(
    model: LedgerModel, account: str, advance: Advance, until: date, settled: bool
) -> Hit | None:
    limit = model.policy.value("借支期限天数", advance.entry.date)
    days = (until - advance.entry.date).days
    if days <= limit:
        return None
    who = advance_holder(account, advance.entry)
    head = f"{who} {advance.entry.date} 借支 {fmt_yuan(advance.amount)} 元，"
    if settled:
        state = f"至 {until} 才结清"
    else:
        state = f"截至 {until}（账簿最后记账日）仍有 {fmt_yuan(advance.open)} 元未结清"
    return Hit(
        advance.entry.meta,
        f"{head}{state}，已 {days} 天，超过借支期限 {limit} 天",
        advance.entry.date,
        amount=advance.open if not settled else advance.amount,
        policy="借支期限天数",
    )


@rule("VL206", "个人借支逾期未结", Severity.WARNING, reads=("借支期限天数",))
def advance_overdue(model: LedgerModel) -> Iterator[Hit]:
    """A personal advance may stay open at most 借支期限天数; repayments settle the oldest first."""
    advance_accounts = {info.name for info in model.chart.with_category("借支")}
    last = as_of(model)
    if not advance_accounts or last is None:
        return
    queues: dict[str, deque[Advance]] = defaultdict(deque)
    for entry in model.transactions:
        for posting in entry.postings:
            units = posting.units
            if posting.account not in advance_accounts:
                continue
            if units is None or units.currency != CURRENCY or not units.number:
                continue
            queue = queues[posting.account]
            if units.number > 0:
                queue.append(Advance(entry, units.number))
                continue
            yield from settle(model, posting.account, queue, -units.number, entry.date)
    for account, queue in queues.items():
        for advance in queue:
            hit = late_advance(model, account, advance, last, settled=False)
            if hit is not None:
                yield hit


def settle(
    model: LedgerModel, account: str, queue: deque[Advance], repaid: Decimal, day: date
) -> Iterator[Hit]:
    """Repayments settle the oldest open advances first."""
    while repaid > 0 and queue:
        oldest = queue[0]
        used = min(repaid, oldest.open)
        oldest.open -= used
        repaid -= used
        if oldest.open == 0:
            queue.popleft()
            hit = late_advance(model, account, oldest, day, settled=True)
            if hit is not None:
                yield hit
