"""VL2xx 现金 (cash): 《现金管理暂行条例》 as a village keeps it.

VL201: no single cash payment above 现金支付限额.
VL202: no more cash on hand at a day's end than 库存现金限额; on the entry that pushed it over.
VL203: cash on hand never below zero (白条抵库, receipts not booked); on the entry that took it there.
VL204 (预警): cash received is banked within 现金存行天数 unless cash on hand is back within the limit;
one warning for each spell over the limit, on its first late receipt.
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
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data, flags

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel
from village_ledger.model.cashbook import CashDay, CashMove, cash_book
from village_ledger.model.index import ledger_index, policy_reader
from village_ledger.model.payments import as_payment
from village_ledger.model.roster import Term
from village_ledger.money import CURRENCY, fmt_yuan
from village_ledger.registry import rule

__plugins__ = (make_plugin("cash"),)

ZERO = Decimal(0)
ADVANCE = "借支"


def cash_line(entry: data.Transaction, amount: Decimal) -> str:
    """One entry's cash as the cash book would read it: `收租户现金 300.00 元`."""
    if entry.flag == flags.FLAG_PADDING:
        return f"期初余额补记现金 {fmt_yuan(amount)} 元"
    verb = "收" if amount > 0 else "付"
    payee = (entry.payee or "").strip()
    if payee:
        return f"{verb}{payee}现金 {fmt_yuan(abs(amount))} 元"
    return f"“{(entry.narration or '').strip()}”{verb}现金 {fmt_yuan(abs(amount))} 元"


def as_of(model: LedgerModel) -> date | None:
    """The day the books are written up to: the date of the last transaction."""
    return model.transactions[-1].date if model.transactions else None


@rule("VL201", "大额现金支付", reads=("现金支付限额",))
def cash_payment_over_limit(model: LedgerModel) -> Iterator[Hit]:
    """A single payment may not pay more than 现金支付限额 in cash."""
    limit_on = policy_reader(model, "现金支付限额")
    # only an entry that took that much out of the cash box can be such a payment
    for move in cash_book(model).moves():
        if move.amount >= 0 or -move.amount <= (limit := limit_on(move.day)):
            continue
        if move.entry.flag == flags.FLAG_PADDING:
            continue
        payment = as_payment(move.entry, model.chart)
        if payment is not None and payment.cash > limit:
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


@rule("VL202", "库存现金超限", reads=("库存现金限额",))
def cash_on_hand_over_limit(model: LedgerModel) -> Iterator[Hit]:
    """Cash on hand at the end of a day may not exceed 库存现金限额."""
    limit_on = policy_reader(model, "库存现金限额")
    was_over = False
    for day in cash_book(model):
        limit = limit_on(day.day)
        over = day.closing > limit
        if over and not was_over:
            move = crossing(day, limit, upward=True)
            yield Hit(
                move.entry.meta,
                f"{cash_line(move.entry, move.amount)}后，{day.day} 日终库存现金 {fmt_yuan(day.closing)} 元，"
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
                f"{cash_line(move.entry, move.amount)}后，{day.day} 日终库存现金为 {fmt_yuan(day.closing)} 元，"
                "现金不能为负：有白条抵库或收入未入账",
                day.day,
                amount=day.closing,
            )
        was_negative = negative


def back_within_limit(model: LedgerModel, days: list[CashDay]) -> list[date | None]:
    """For each day that ends over the limit, the first later day that ends within it."""
    limit_on = policy_reader(model, "库存现金限额")
    result: list[date | None] = [None] * len(days)
    next_within: date | None = None
    for i in range(len(days) - 1, -1, -1):
        day = days[i]
        if day.closing <= limit_on(day.day):
            next_within = day.day
        else:
            result[i] = next_within
    return result


@dataclass(slots=True)
class LateReceipts:
    """The receipts of one spell over the cash limit that were not banked in time."""

    first: CashMove
    allowed: int  # 现金存行天数 on the first one's day
    limit: Decimal
    count: int
    total: Decimal
    last_day: date

    @property
    def deadline(self) -> date:
        return self.first.day + timedelta(days=self.allowed)


def late_receipts(model: LedgerModel, days: list[CashDay], last: date) -> Iterator[LateReceipts]:
    limit_on = policy_reader(model, "库存现金限额")
    allowed_on = policy_reader(model, "现金存行天数")
    within = back_within_limit(model, days)
    spell: LateReceipts | None = None
    for i, day in enumerate(days):
        limit = limit_on(day.day)
        if day.closing <= limit:
            if spell is not None:
                yield spell
            spell = None
            continue
        allowed = allowed_on(day.day)
        deadline = day.day + timedelta(days=allowed)
        # still over the limit at the end of the deadline day, by the books as they stand
        back = within[i]
        if (back is not None and back <= deadline) or (back is None and last < deadline):
            continue
        for move in day.moves:
            if move.amount <= 0 or move.entry.flag == flags.FLAG_PADDING:
                continue
            if spell is None:
                spell = LateReceipts(move, allowed, limit, 1, move.amount, day.day)
            else:
                spell.count += 1
                spell.total += move.amount
                spell.last_day = day.day
    if spell is not None:
        yield spell


@rule("VL204", "现金收入未及时存行", Severity.WARNING, reads=("现金存行天数", "库存现金限额"))
def cash_not_banked(model: LedgerModel) -> Iterator[Hit]:
    """Cash received must be banked within 现金存行天数 while cash on hand is over the limit.

    One warning for each spell over the limit, on its first receipt that was not banked in
    time, counting the others of the spell.
    """
    book = cash_book(model)
    last = as_of(model)
    if last is None:
        return
    for late in late_receipts(model, book.days, last):
        first = late.first
        more = ""
        if late.count > 1:
            more = (
                f"；超限期间至 {late.last_day} 另有 {late.count - 1} 笔现金收入共 "
                f"{fmt_yuan(late.total - first.amount)} 元未及时存行"
            )
        yield Hit(
            first.entry.meta,
            f"{first.day} {cash_line(first.entry, first.amount)}，"
            f"{late.allowed} 天内未存入银行，{late.deadline} 日终库存现金仍为 "
            f"{fmt_yuan(book.closing_on(late.deadline))} 元，超过库存现金限额 "
            f"{fmt_yuan(late.limit)} 元{more}",
            first.day,
            amount=late.total,
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


@dataclass(slots=True)
class Advance:
    entry: data.Transaction
    amount: Decimal
    open: Decimal  # what is still owed


def advance_holder(account: str, entry: data.Transaction) -> str:
    """The person an advance was paid to: the voucher's payee, else the account's own name."""
    if entry.payee:
        return entry.payee.strip()
    leaf = account.rpartition(":")[2]
    return leaf.partition("-")[2] or leaf


def late_advance(account: str, advance: Advance, until: date, limit: int, settled: bool) -> Hit:
    day = advance.entry.date
    who = advance_holder(account, advance.entry)
    if settled:
        state = f"至 {until} 才结清"
    else:
        state = f"截至 {until}（账簿最后记账日）仍有 {fmt_yuan(advance.open)} 元未结清"
    return Hit(
        advance.entry.meta,
        f"{who} {day} 借支 {fmt_yuan(advance.amount)} 元，{state}，已 {(until - day).days} 天，"
        f"超过借支期限 {limit} 天",
        day,
        amount=advance.open if not settled else advance.amount,
        policy="借支期限天数",
    )


def settle(queue: deque[Advance], repaid: Decimal) -> list[Advance]:
    """Repayments settle the oldest open advances first; the ones they close."""
    closed = []
    while repaid > 0 and queue:
        oldest = queue[0]
        used = min(repaid, oldest.open)
        oldest.open -= used
        repaid -= used
        if oldest.open == 0:
            closed.append(queue.popleft())
    return closed


@rule("VL206", "个人借支逾期未结", Severity.WARNING, reads=("借支期限天数",))
def advance_overdue(model: LedgerModel) -> Iterator[Hit]:
    """A personal advance may stay open at most 借支期限天数; repayments settle the oldest first."""
    index = ledger_index(model)
    advance_accounts = index.accounts(ADVANCE)
    last = as_of(model)
    if not advance_accounts or last is None:
        return
    limit_on = policy_reader(model, "借支期限天数")
    queues: dict[str, deque[Advance]] = defaultdict(deque)
    for entry in index.entries(ADVANCE):
        for posting in entry.postings:
            units = posting.units
            if posting.account not in advance_accounts or units is None:
                continue
            number = units.number
            if units.currency != CURRENCY or not isinstance(number, Decimal) or not number:
                continue
            queue = queues[posting.account]
            if number > 0:
                queue.append(Advance(entry, number, number))
                continue
            for advance in settle(queue, -number):
                limit = limit_on(advance.entry.date)
                if (entry.date - advance.entry.date).days > limit:
                    yield late_advance(posting.account, advance, entry.date, limit, settled=True)
    for account, queue in queues.items():
        for advance in queue:
            limit = limit_on(advance.entry.date)
            if (last - advance.entry.date).days > limit:
                yield late_advance(account, advance, last, limit, settled=False)
