"""VL104–VL106 of the VL1xx 审批 family: spending at the tier thresholds rests on a resolution of
a body entitled to decide it, resolutions are real and not overspent, and a spend is not split
to stay under a tier.

Rules of the approval family (codes VL1xx; `plugins/approval.py` imports this module, so
`plugin "village_ledger.plugins.approval"` runs them with the rules on who signed). They live
apart because they read the amounts against the tiers (`village_ledger.model.tiers`) and the
resolutions (`model.meetings`, `model.figures.resolutions`), not the signatures.

- VL104: a payment at or over `两委联席会议限额` cites no `meeting`, or one of a body below the
  tier (at or over `村民代表会议限额` only a 村民代表会议 or 村民会议 will do).
- VL105: the cited resolution does not exist, is dated after the payment, or is overspent.
- VL106 (预警): split payments: payments to one payee within `拆分支付窗口天数` that are each
  under a tier and together reach it.

How it stays fast: the payments are read once per model into plain columns
(`model.columns.payment_columns`, in date order), cut into runs of days over which the tiers
keep one value; in each run VL104 looks only at the payments that reach the lowest tier and
VL106 only at those under the highest.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from itertools import compress, repeat
from operator import ge, lt

from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel
from village_ledger.model.columns import PaymentColumns, payment_columns, spend_text
from village_ledger.model.payments import Payment
from village_ledger.model.tiers import TIERS, Tier, thresholds
from village_ledger.money import fmt_yuan
from village_ledger.registry import Explanation, rule

ZERO = Decimal(0)

WINDOW = "拆分支付窗口天数"


def periods(model: LedgerModel, keys: Sequence[str], days: list[date]) -> Iterator[slice]:
    """Runs of the date-ordered payments over which the policy items `keys` keep one value."""
    changes = sorted({day for key in keys for day, _ in model.policy.changes(key)})
    start = 0
    for cut in [*(bisect_left(days, day) for day in changes), len(days)]:
        if cut > start:
            yield slice(start, cut)
            start = cut


# ---- ledger text the explanations of several rules share (village-ledger rule VL104–VL106) ----

EXAMPLE_TIER_RESOLUTION = (
    '2025-03-01 custom "会议决议" "2025-03-两委-1" "两委联席会议" "村部屋顶修缮" 5000.00 CNY\n'
)

EXAMPLE_TIER_PAYMENT = """\
2025-03-12 * "城关建筑队" "村部屋顶修缮"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "王建国"
  meeting: "2025-03-两委-1"
  invoice: "25320000000012345678"
  Expenses:514-公益支出:51402-公共设施维护  3500.00 CNY
  Assets:102-银行存款:10201-农商行
"""

EXAMPLE_SPLIT_FIRST = """\
2025-03-02 * "永安建材店" "购买水泥、砂石"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25320000000012345601"
  Expenses:514-公益支出:51402-公共设施维护  1200.00 CNY
  Assets:102-银行存款:10201-农商行
"""


def example_split_second(day: str) -> str:
    return f"""\
{day} * "永安建材店" "购买水泥、砂石"
  voucher: "2025-03-002"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25320000000012345602"
  Expenses:514-公益支出:51402-公共设施维护  900.00 CNY
  Assets:102-银行存款:10201-农商行
"""


# ---- VL104, VL105: tiers and resolutions ----


EXPLAIN_VL104 = Explanation(
    checks=(
        "一笔支出达到“两委联席会议限额”时，须用 `meeting` 注明两委联席会议或更高层级会议的决议；"
        "达到“村民代表会议限额”时，须注明村民代表会议或村民会议的决议。没有注明，"
        "或所注明的决议层级低于要求，就报告。"
    ),
    why=(
        "重大事项须按“四议两公开”决策（党组织提议、两委商议、党员大会审议、村民（代表）会议决议，"
        "决议和实施结果公开）。检查中常见大额支出没有任何会议决定。限额由乡镇财务制度规定，"
        "村里只能定得更严。"
    ),
    compliant=EXAMPLE_TIER_RESOLUTION + "\n" + EXAMPLE_TIER_PAYMENT,
    offending=EXAMPLE_TIER_RESOLUTION
    + "\n"
    + EXAMPLE_TIER_PAYMENT.replace('  meeting: "2025-03-两委-1"\n', ""),
    decisions=(
        "“达到”指大于或等于限额：默认 2,000.00 元整就须两委联席会议决议，1,999.99 元不须。",
        "会议层级从低到高是两委联席会议、村民代表会议、村民会议；高层级的决议满足低档要求。",
        "`meeting` 指向不存在的决议时只由 VL105 报告，VL104 不再重复报告。",
        "决议日期晚于支出时，只要会议层级够，VL104 不报告，由 VL105 报告日期问题。",
        "同一天适用的限额以当天生效的财务制度为准，村里更严的限额优先。",
    ),
    fix='先按程序开会形成决议，记一条 `会议决议`，再在支出上写 `meeting: "决议编号"`。',
)


@rule("VL104", "达到限额未经会议决议", reads=tuple(t.key for t in TIERS), explain=EXPLAIN_VL104)
def tier_without_resolution(model: LedgerModel) -> Iterator[Hit]:
    """A payment at or over a tier threshold cites a resolution of a body the tier requires."""
    cols = payment_columns(model)
    ranks = {m.id: m.rank for m in model.meetings}
    for run in periods(model, [t.key for t in TIERS], cols.days):
        limits = thresholds(model, cols.days[run.start])
        lowest = min(limits)
        reaching = compress(range(run.start, run.stop), map(ge, cols.amounts[run], repeat(lowest)))
        for i in reaching:
            tier, threshold = next(
                (t, limit)
                for t, limit in zip(TIERS, limits, strict=True)
                if cols.amounts[i] >= limit
            )
            ident = cols.meetings[i]
            if ident is not None and ranks.get(ident, tier.rank) >= tier.rank:
                continue  # authorised, or citing nothing that exists: VL105's finding
            yield tier_unmet(model, cols, i, tier, threshold)


def tier_unmet(
    model: LedgerModel, cols: PaymentColumns, i: int, tier: Tier, threshold: Decimal
) -> Hit:
    meeting = model.meetings.get(cols.meetings[i] or "")
    head = f"{cols.spend(i)}达到{tier.name()}限额 {fmt_yuan(threshold)} 元，"
    if meeting is None:
        body = f"未注明会议决议（meeting）；应经{tier.bodies}决议并注明决议编号"
    else:
        body = f"所引决议“{meeting.id}”是{meeting.body}决议；应经{tier.bodies}决议"
    return cols.hit(i, head + body, policy=tier.key)


EXPLAIN_VL105 = Explanation(
    checks=(
        "支出引用的决议（`meeting`）必须在账簿中有 `会议决议` 记载，决议日期不能晚于支出，"
        "引用同一决议的全部支出合计不能超过决议批准的金额。"
    ),
    why=(
        "先决策、后支出，批多少、用多少。检查中常见先花钱后补会议记录、"
        "或一个决议被反复引用、花的远超批准的数额。"
    ),
    compliant=EXAMPLE_TIER_RESOLUTION + "\n" + EXAMPLE_TIER_PAYMENT,
    offending=EXAMPLE_TIER_RESOLUTION.replace("5000.00 CNY", "3000.00 CNY")
    + "\n"
    + EXAMPLE_TIER_PAYMENT,
    decisions=(
        "按日期顺序累计引用该决议的每一笔支出，不论金额大小、是否达到限额。",
        "使累计额超过决议金额的那笔支出报告超出的部分（发现的金额就是超出额）；"
        "之后再引用这个已用完的决议的每笔支出都报告其全额。",
        "决议与支出同一天不算晚于支出。",
        "一笔支出引用决议的各项问题（不存在、日期晚、超支）合并为一条发现。",
    ),
    fix="支出超过批准金额时，就超出部分重新按程序决议；不要引用别的事项的决议。",
)


@rule("VL105", "会议决议不存在、晚于支出或超支", explain=EXPLAIN_VL105)
def resolution_invalid_or_overspent(model: LedgerModel) -> Iterator[Hit]:
    """The cited resolution exists, is dated on or before the payment, and the payments citing
    it add up to no more than its amount; the finding sits on the payment that overspends it."""
    for use in model.figures.resolutions.uses:
        payment, ident = use.payment, use.meeting
        meeting = model.meetings.get(ident)
        if meeting is None:
            yield resolution_hit(
                payment,
                f"{spend_text(payment)}所引会议决议“{ident}”不存在；"
                "应以“会议决议”指令记载该决议，或更正决议编号（meeting）",
            )
            continue
        problems = []
        if meeting.day > payment.day:
            problems.append(f"决议日期 {meeting.day} 晚于支出日期，应先决议后支出")
        over = use.after - max(use.before, meeting.amount)
        if over > 0:
            problems.append(
                f"引用该决议的支出累计 {fmt_yuan(use.after)} 元，超出批准金额 "
                f"{fmt_yuan(meeting.amount)} 元 {fmt_yuan(over)} 元，超出部分应另行决议"
            )
        if problems:
            yield resolution_hit(
                payment,
                f"{spend_text(payment)}引用{meeting.body}决议“{meeting.id}”（{meeting.subject}）："
                + "；".join(problems),
                amount=over if over > 0 else None,
            )


def resolution_hit(payment: Payment, message: str, amount: Decimal | None = None) -> Hit:
    amount = payment.amount if amount is None else amount
    return Hit(payment.meta, message, payment.day, amount=amount)


# ---- VL106: split payments ----


EXPLAIN_VL106 = Explanation(
    checks=(
        "疑似拆分支付：付给同一收款人的几笔支出，每笔都低于某一档限额，"
        "但在“拆分支付窗口天数”内合计达到了这一档限额。这是预警，提醒监委会核实。"
    ),
    why=("把一笔大额支出拆成几笔小额，是绕开会议决议的常见做法，检查中称之为“化整为零”。"),
    compliant=EXAMPLE_SPLIT_FIRST + "\n" + example_split_second("2025-03-12"),
    offending=EXAMPLE_SPLIT_FIRST + "\n" + example_split_second("2025-03-06"),
    decisions=(
        "按收款人名称（完全相同）分组；没有收款人的支出无法分组。",
        "窗口是滑动的：默认 7 天时，1 日与 8 日的支出算在一起，1 日与 9 日的不算。",
        "两档限额分别看；一笔支出同时凑满两档时，只按较高一档预警一次，两档都重新计算。",
        "引用了该档认可的有效决议的支出（按决议分期付款）不计入拆分。",
        "预警落在使合计达到限额的那笔支出上，列出起止日期、笔数和合计；之后该组重新计算。",
    ),
    fix="确属一项开支的，补开相应层级的会议决议并在各笔支出上注明；不是一项开支的，由监委会核实后说明。",
)


@rule(
    "VL106",
    "拆分支付",
    Severity.WARNING,
    reads=(WINDOW, *(t.key for t in TIERS)),
    explain=EXPLAIN_VL106,
)
def split_payment(model: LedgerModel) -> Iterator[Hit]:
    """Payments to one payee within 拆分支付窗口天数, each under a tier threshold, that together
    reach it: a spend split to dodge the resolution the tier requires."""
    cols = payment_columns(model)
    ranks: dict[str | None, int] = {m.id: m.rank for m in model.meetings}
    top = max(t.rank for t in TIERS)
    splits = SplitWindows(cols, ranks)
    latest: dict[str, date] = {}  # the day of each payee's last payment in a window
    for run in periods(model, (WINDOW, *(t.key for t in TIERS)), cols.days):
        limits = thresholds(model, cols.days[run.start])
        days = model.policy.value(WINDOW, cols.days[run.start])
        under = compress(
            range(run.start, run.stop), map(lt, cols.amounts[run], repeat(max(limits)))
        )
        for i in under:
            payee = cols.payees[i]
            rank = ranks.get(cols.meetings[i], 0)
            if not payee or rank >= top:
                continue  # no payee to group by, or under a resolution every tier accepts
            day = cols.days[i]
            previous = latest.get(payee)
            latest[payee] = day
            if previous is None or (day - previous).days > days:
                splits.fresh[payee] = i  # the usual case: alone in its window, nothing to add up
                continue
            yield from splits.add(payee, i, rank, limits, days)


class SplitWindows:
    """Each payee's recent payments under each tier, still inside the split-payment window."""

    def __init__(self, cols: PaymentColumns, ranks: dict[str | None, int]) -> None:
        self.cols = cols
        self.ranks = ranks
        self.fresh: dict[str, int] = {}  # payees whose windows hold only this payment
        self.windows: dict[str, list[deque[int]]] = {}

    def add(
        self, payee: str, i: int, rank: int, limits: tuple[Decimal, ...], days: int
    ) -> Iterator[Hit]:
        cols = self.cols
        first = self.fresh.pop(payee, None)
        if first is not None:
            self.windows[payee] = [
                deque([first] if self.eligible(first, level, limits) else [])
                for level in range(len(TIERS))
            ]
        windows = self.windows[payee]
        day = cols.days[i]
        # highest tier first: a payment that completes groups of both is warned once, for it
        for level, (tier, threshold) in enumerate(zip(TIERS, limits, strict=True)):
            if cols.amounts[i] >= threshold or rank >= tier.rank:
                continue  # over this tier, or an instalment under a resolution it accepts
            window = windows[level]
            while window and (day - cols.days[window[0]]).days > days:
                window.popleft()
            window.append(i)
            total = sum(map(cols.amounts.__getitem__, window), ZERO)
            if total >= threshold:
                yield split_hit(cols, i, list(window), tier, threshold, days)
                for later in windows[level:]:
                    later.clear()  # the group starts afresh, for the lower tier too
                return

    def eligible(self, i: int, level: int, limits: tuple[Decimal, ...]) -> bool:
        """Payment i may join the tier's group: under it, and not authorised for it."""
        rank = self.ranks.get(self.cols.meetings[i], 0)
        return self.cols.amounts[i] < limits[level] and rank < TIERS[level].rank


def split_hit(
    cols: PaymentColumns, i: int, group: list[int], tier: Tier, threshold: Decimal, days: int
) -> Hit:
    total = sum((cols.amounts[j] for j in group), ZERO)
    return cols.hit(
        i,
        f"{cols.days[group[0]]} 至 {cols.days[i]} 向 {cols.payees[i]} 分 {len(group)} 笔支付共 "
        f"{fmt_yuan(total)} 元，每笔均低于{tier.name()}限额 {fmt_yuan(threshold)} 元，"
        f"{days} 天内合计达到该限额，疑似拆分支付；应合并经{tier.bodies}决议",
        amount=total,
        policy=tier.key,
    )
