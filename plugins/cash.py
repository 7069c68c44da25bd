"""VL2xx 现金 (cash): 《现金管理暂行条例》 as a village keeps it.

VL201: no single cash payment above 现金支付限额.
VL202: no more cash on hand at a day's end than 库存现金限额; on the entry that pushed it over.
VL203: cash on hand never below zero (白条抵库, receipts not booked); on the entry that took it there.
VL204 (预警): cash received is banked within 现金存行天数 unless cash on hand is back within the limit;
one warning for each spell over the limit, on its first late receipt.
VL205: 会计 and 出纳 are never the same person on the same day; on the appointment that joined them.
VL206 (预警): a personal advance (借支) is settled within 借支期限天数, repayments first in first out.
VL207–VL209 (对账: the 银行存款余额调节表 balances, 未达账项 do not linger, cash and bank are checked
in time) are rules of this family in `plugins/reconciling.py`, imported below.

Cash on hand comes from the cash book (`village_ledger.model.cashbook`). Limits on cash on hand
are judged at each day's end: the order in which one day's vouchers are written is not the order
in which the money moved. An over-limit or negative spell is reported once, where it began.
Open items (VL204, VL206) are judged as of the ledger's last transaction date: the books are
written up to that day and no further.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data, flags

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel
from village_ledger.model.advances import Advance
from village_ledger.model.cashbook import CashDay, CashMove, cash_book
from village_ledger.model.index import policy_reader
from village_ledger.model.payments import as_payment
from village_ledger.model.roster import Term
from village_ledger.money import fmt_yuan
from village_ledger.registry import Explanation, rule

# VL207–VL209 (对账) live in their own module; importing it registers them with the family
from . import reconciling  # noqa: F401

__plugins__ = (make_plugin("cash"),)

ZERO = Decimal(0)


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
    return model.figures.books_end


# ---- ledger text the explanations of several rules share (village-ledger rule VL2xx) ----

EXAMPLE_CASH_RULES = "《现金管理暂行条例》"


def example_rent_in_cash(day: str, number: str, amount: str) -> str:
    return f"""\
{day} * "张小军" "收到门面租金"
  voucher: "{number}"
  Assets:101-库存现金  {amount} CNY
  Income:501-经营收入:50102-租赁收入
"""


def example_cash_to_bank(day: str, number: str, amount: str) -> str:
    return f"""\
{day} * "周小燕" "库存现金存入银行"
  voucher: "{number}"
  Assets:102-银行存款:10201-农商行  {amount} CNY
  Assets:101-库存现金
"""


def example_paid_in_cash(amount: str) -> str:
    return f"""\
2025-03-12 * "便民五金店" "购买村部水管配件"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25320000000012345611"
  Expenses:514-公益支出:51402-公共设施维护  {amount} CNY
  Assets:101-库存现金
"""


EXAMPLE_ADVANCE_ACCOUNT = """\
2025-01-01 open Assets:112-应收款:11201-个人借支:1120101-吴志强 CNY
  code: "1120101"

2025-03-01 * "吴志强" "预借村道清扫用工工资"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  Assets:112-应收款:11201-个人借支:1120101-吴志强  600.00 CNY
  Assets:101-库存现金
"""


def example_advance_settled(day: str, number: str) -> str:
    return f"""\
{day} * "吴志强" "归还预借款"
  voucher: "{number}"
  Assets:101-库存现金  600.00 CNY
  Assets:112-应收款:11201-个人借支:1120101-吴志强
"""


EXPLAIN_VL201 = Explanation(
    checks="一笔支出从库存现金中付出的金额超过“现金支付限额”，就报告。",
    why=(
        EXAMPLE_CASH_RULES
        + "规定现金只用于结算起点（1,000 元）以下的零星支出，超过的应通过银行转账。"
        "检查中见过用现金支付工程款高达 80 万元的村。大额现金支付无法追溯收款人，也容易截留挪用。"
    ),
    compliant=example_paid_in_cash("800.00"),
    offending=example_paid_in_cash("1200.00"),
    decisions=(
        "看一笔支出从全部 101 库存现金科目（含出纳备用金明细科目）流出的合计，与银行付款部分无关。",
        "恰好等于限额不报告；限额以支出当天生效的财务制度为准，村里可以定得更严。",
    ),
    fix="超过限额的款项通过银行转账支付；确需现金的，拆成多笔也不行（见 VL106）。",
)


@rule("VL201", "大额现金支付", reads=("现金支付限额",), explain=EXPLAIN_VL201)
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


EXPLAIN_VL202 = Explanation(
    checks=(
        "某一天结束时库存现金超过“库存现金限额”，就报告；发现落在当天使余额越过限额的那笔账上。"
    ),
    why=(
        EXAMPLE_CASH_RULES + "规定库存现金以 3 至 5 天的零星开支为限，超出部分当日存入银行。"
        "检查中常见账外现金、大额现金长期存放，给“小金库”和挪用留下空间。"
    ),
    compliant=example_rent_in_cash("2025-03-10", "2025-03-001", "2500.00"),
    offending=example_rent_in_cash("2025-03-10", "2025-03-001", "3500.00"),
    decisions=(
        "库存现金是全部 101 科目之和，包括期初余额（`pad`）。",
        "按每天结束时的余额判断：同一天内先记支出、后记收入不算超限，因为记账顺序不是实际收付顺序。",
        "连续几天超限只在开始的那天报告一次；余额回到限额内后再次超限，算新的一次。",
        "恰好等于限额不报告。",
    ),
    fix="当天把超出限额的现金存入银行（`存现` 凭证），或当天付出。",
)


@rule("VL202", "库存现金超限", reads=("库存现金限额",), explain=EXPLAIN_VL202)
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


EXPLAIN_VL203 = Explanation(
    checks="某一天结束时库存现金小于零，就报告；发现落在当天使余额变为负数的那笔账上。",
    why=(
        "账面现金不可能是负数：出现负数，说明有收入没有入账，或者用白条顶替了现金（白条抵库）。"
        "检查中常见现金被借出、以白条抵库，金额大、时间长。"
    ),
    compliant=example_cash_to_bank("2025-03-10", "2025-03-001", "1500.00"),
    offending=example_cash_to_bank("2025-03-10", "2025-03-001", "2500.00"),
    decisions=(
        "按每天结束时的余额判断：同一天内先记支出、后记收入不算负数。",
        "连续几天为负只在开始的那天报告一次；回到零以上后再次为负，算新的一次。",
        "余额恰好为零不报告。",
    ),
    fix="查明现金去向：补记漏记的收入，或收回白条借出的现金并如实记账。",
)


@rule("VL203", "库存现金为负", explain=EXPLAIN_VL203)
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


class LateReceipts:
    """The receipts of one spell over the cash limit that were not banked in time. (A plain
    class with slots, not a dataclass: a dataclass compiles its methods at import.)"""

    __slots__ = ("allowed", "count", "first", "last_day", "limit", "total")

    def __init__(
        self, first: CashMove, allowed: int, limit: Decimal, count: int, total: Decimal, last: date
    ) -> None:
        self.first = first
        self.allowed = allowed  # 现金存行天数 on the first one's day
        self.limit = limit
        self.count = count
        self.total = total
        self.last_day = last

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


EXPLAIN_VL204 = Explanation(
    checks=("收到的现金在“现金存行天数”内没有存入银行、而库存现金一直超过“库存现金限额”，就预警。"),
    why=(
        EXAMPLE_CASH_RULES + "要求现金收入及时送存银行，不得坐支（直接用收入支付开支）。"
        "收入长期留在手上、余额超限，是截留和挪用的前兆。"
    ),
    compliant=example_rent_in_cash("2025-03-02", "2025-03-001", "4000.00")
    + "\n"
    + example_cash_to_bank("2025-03-02", "2025-03-002", "3000.00"),
    offending=example_rent_in_cash("2025-03-02", "2025-03-001", "4000.00")
    + "\n"
    + """\
2025-03-21 * "梅川县农商行" "2月份存款利息"
  voucher: "2025-03-002"
  receipt: "银行回单"
  Assets:102-银行存款:10201-农商行  35.20 CNY
  Income:504-其他收入:50401-利息收入
""",
    decisions=(
        "收到现金的当天为第 0 天；第“现金存行天数”天结束时库存现金仍超限，才算没有及时存行。",
        "库存现金回到限额以内时，收入不必再存行。",
        "每一段连续超限只预警一次，落在第一笔逾期的收入上，提示中说明同一段还有几笔逾期。",
        "按账簿最后一笔交易的日期判断：账记到哪一天就看到哪一天，最后三天的收入还不算逾期；"
        "不用今天的日期，同一本账检查两次结果相同。",
        "超限本身由 VL202 报告，所以违规示例同时有 VL202。",
    ),
    fix="收到现金后及时存入银行；不要用现金收入直接支付开支。",
)


@rule(
    "VL204",
    "现金收入未及时存行",
    Severity.WARNING,
    reads=("现金存行天数", "库存现金限额"),
    explain=EXPLAIN_VL204,
)
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


EXPLAIN_VL205 = Explanation(
    checks=(
        "同一个人在同一天既任 `会计` 又任 `出纳`，就报告；发现落在使两职合一的那条 `任职` 上。"
    ),
    why=(
        "管钱的不管账、管账的不管钱，是最基本的内部控制。检查中常见会计出纳一人兼任，"
        "账和钱都在一个人手里，差错和挪用都无人发现。"
    ),
    compliant="""\
2025-03-01 custom "离任" "周小燕" "出纳"
2025-03-01 custom "任职" "陈小红" "出纳"
""",
    offending="""\
2025-03-01 custom "离任" "周小燕" "出纳"
2025-03-01 custom "任职" "孙立新" "出纳"
""",
    decisions=(
        "`离任` 的日期是不再担任的第一天：同一天 `离任` 旧职、`任职` 新职是干净的交接，不算兼任。",
        "发现落在两条任职中较晚的那一条上。",
    ),
    fix="另聘出纳（或会计），并记 `任职`/`离任`。",
)


@rule("VL205", "会计出纳一人兼任", explain=EXPLAIN_VL205)
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


def late_advance(advance: Advance, until: date, settled: bool) -> Hit:
    if settled:
        state = f"至 {until} 才结清"
    else:
        state = f"截至 {until}（账簿最后记账日）仍有 {fmt_yuan(advance.open)} 元未结清"
    return Hit(
        advance.entry.meta,
        f"{advance.holder} {advance.day} 借支 {fmt_yuan(advance.amount)} 元，{state}，"
        f"已 {advance.age(until)} 天，超过借支期限 {advance.limit} 天",
        advance.day,
        amount=advance.open if not settled else advance.amount,
        policy="借支期限天数",
    )


EXPLAIN_VL206 = Explanation(
    checks=(
        "个人借支（类别为 `借支` 的科目，如 `11201-个人借支`）超过“借支期限天数”还没有结清，就预警；"
        "预警落在那笔借支上。"
    ),
    why=(
        "检查中常见干部和个人长期借用集体资金，金额大、时间长，有的以白条抵库。"
        "借支要及时报账或归还。"
    ),
    compliant=EXAMPLE_ADVANCE_ACCOUNT + "\n" + example_advance_settled("2025-03-25", "2025-03-002"),
    offending=EXAMPLE_ADVANCE_ACCOUNT + "\n" + example_advance_settled("2025-04-15", "2025-04-001"),
    decisions=(
        "每个借支科目分别按先进先出结算：还款先冲最早的借支。每人应开自己的明细科目，"
        "几个人共用一个科目时，还款会先冲掉别人的借支。",
        "在第“借支期限天数”天结清不算逾期，晚一天才算。",
        "尚未结清的借支按账簿最后一笔交易的日期判断，不用今天的日期。",
    ),
    fix="督促借款人报账或归还；确实无法收回的，按程序核销并公开。",
)


@rule("VL206", "个人借支逾期未结", Severity.WARNING, reads=("借支期限天数",), explain=EXPLAIN_VL206)
def advance_overdue(model: LedgerModel) -> Iterator[Hit]:
    """A personal advance may stay open at most 借支期限天数; repayments settle the oldest first."""
    last = model.figures.books_end
    if last is None:
        return
    for advance in model.figures.advances(last):
        if advance.settled is not None:
            if advance.late(advance.settled):
                yield late_advance(advance, advance.settled, settled=True)
        elif advance.late(last):
            yield late_advance(advance, last, settled=False)
