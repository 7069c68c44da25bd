"""VL1xx 审批 (approval chain): every payment is signed, approved and reviewed by the right people,
and spending at the tier thresholds rests on a resolution of a body entitled to decide it.

A payment (`model.payments`) is money leaving the village's cash or bank accounts for anything
other than another of its cash or bank accounts; drawing cash from the bank (提现) or banking
cash (存现) is no payment and needs no signatures.

- VL101: a payment lacks `handler` (经手人), `reviewer` (审核人) or `approver` (审批人).
- VL102: the approver holds neither 书记 nor 主任 on the payment date (never appointed, not yet
  appointed, or already 离任: the `离任` date is the first day he no longer holds the role).
- VL103: incompatible duties: the handler approves his own spend; the reviewer is not a
  监委会主任/监委会委员/理财小组 member that day; the reviewer is the approver, the handler, or a
  近亲属 of either.
- VL104: a payment at or over `两委联席会议限额` cites no `meeting`, or one of a body below the
  tier (at or over `村民代表会议限额` only a 村民代表会议 or 村民会议 will do).
- VL105: the cited resolution does not exist, is dated after the payment, or is overspent.
- VL106 (预警): split payments: payments to one payee within `拆分支付窗口天数` that are each
  under a tier and together reach it.
- VL108: the payee is a close relative of the handler, reviewer or approver, and the payment
  cites no resolution (a conflict of interest decided in the open is no finding).
- VL107: the approver is the payee.

What each rule decided where the regulations are silent is written once, in Chinese, in its
explanation (`EXPLAIN_VL1xx` above each rule; `village-ledger rule VL105`).

How it stays fast: at 100k entries anything done per payment in Python costs more than the
whole family may. The payments are read once per model into plain columns (lists of the values
themselves, in date order: `model.columns.payment_columns`), and each rule first checks the compliant case with C-level
operations over whole columns (`None in`, sets of distinct (person, day) pairs, sliding sums by
bisection); it walks payment by payment only where that check finds something to report.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from itertools import compress, repeat
from operator import eq, ge, lt

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel, vocab
from village_ledger.model.columns import PaymentColumns, payment_columns, spend_text
from village_ledger.model.payments import Payment
from village_ledger.model.tiers import TIERS, Tier, thresholds
from village_ledger.money import fmt_yuan
from village_ledger.registry import Explanation, rule

__plugins__ = (make_plugin("approval"),)

ZERO = Decimal(0)

# the three signatures every payment carries, in the order they are given
SIGNATURES = (("handler", "经手人"), ("reviewer", "审核人"), ("approver", "审批人"))

APPROVERS = "书记或主任"
REVIEWERS = "监委会主任、监委会委员或理财小组成员"


WINDOW = "拆分支付窗口天数"


def periods(model: LedgerModel, keys: Sequence[str], days: list[date]) -> Iterator[slice]:
    """Runs of the date-ordered payments over which the policy items `keys` keep one value."""
    changes = sorted({day for key in keys for day, _ in model.policy.changes(key)})
    start = 0
    for cut in [*(bisect_left(days, day) for day in changes), len(days)]:
        if cut > start:
            yield slice(start, cut)
            start = cut


class Offices:
    """Who holds one of a set of roles on a day, from the roster's terms, by person."""

    def __init__(self, model: LedgerModel, roles: Iterable[str]) -> None:
        terms: dict[str, list[tuple[date, date]]] = defaultdict(list)
        for role in roles:
            for term in model.roster.terms_in(role):
                terms[term.person].append((term.start, term.end or date.max))
        # per person, the days held as sorted bounds [start, end, start, end …] of disjoint
        # spans: a day is held when an odd number of bounds lie on or before it (a bisection
        # per question, asked for each distinct signer and day)
        self.bounds = {person: held_bounds(spans) for person, spans in terms.items()}

    def hold(self, person: str, day: date) -> bool:
        return bisect_right(self.bounds.get(person, ()), day) % 2 == 1


def held_bounds(spans: list[tuple[date, date]]) -> list[date]:
    """The union of the half-open spans [start, end), as the bounds of disjoint spans."""
    bounds: list[date] = []
    for start, end in sorted(spans):
        if end <= start:
            continue  # holds no day
        if bounds and start <= bounds[-1]:
            bounds[-1] = max(bounds[-1], end)
        else:
            bounds += [start, end]
    return bounds


# ---- ledger text the explanations of several rules share (village-ledger rule VL1xx) ----

EXAMPLE_PAYMENT = """\
2025-03-12 * "城关文具店" "购买村部办公用品"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25320000000012345678"
  Expenses:513-管理费用:51302-办公费  360.00 CNY
  Assets:102-银行存款:10201-农商行
"""

EXAMPLE_WHO_SIGNS = (
    "经手人写明用途并签字，民主理财小组（村务监督委员会）审核，书记或主任审批，会计审核后记账"
    "（“审批程序规范”）。"
)

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


# ---- VL101, VL102, VL103, VL107: who signed ----

EXPLAIN_VL101 = Explanation(
    checks=(
        "每一笔支出（钱从库存现金 101… 或银行存款 102… 流出、且不是转入本村另一个现金或银行账户）"
        "都要写明经手人 `handler`、审核人 `reviewer` 和审批人 `approver`。缺一项、或只写了空白，"
        "就报告这笔支出，并列出缺了哪几项。"
    ),
    why=(
        "检查中常见“只有会计和分管干部签字、没有民主理财小组审核”的支出。"
        + EXAMPLE_WHO_SIGNS
        + "三个签字缺一个，这笔钱就没有人对它负责。"
    ),
    compliant=EXAMPLE_PAYMENT,
    offending=EXAMPLE_PAYMENT.replace('  reviewer: "赵德明"\n', ""),
    decisions=(
        "一笔支出缺几项签字都合并为一条发现；写了但只有空格的签字算作没写。",
        "从银行提取备用金（提现）、把现金存入银行（存现）不是支出，不需要三方签字。",
        "缺的签字只由 VL101 报告：VL102、VL103、VL107 只检查已经写了的签字，同一个问题不报两次。",
        "支出金额是这笔凭证从现金和银行科目净流出的金额。",
    ),
    fix="补齐经手人、审核人、审批人，三人须是签字当天在任的人（见 VL102、VL103）。",
)


@rule("VL101", "支出缺少签字", explain=EXPLAIN_VL101)
def signature_missing(model: LedgerModel) -> Iterator[Hit]:
    """Every payment carries `handler`, `reviewer` and `approver`."""
    cols = payment_columns(model)
    signatures = (cols.handlers, cols.reviewers, cols.approvers)
    if all(None not in column for column in signatures):
        return
    for i, names in enumerate(zip(*signatures, strict=True)):
        if None in names:
            missing = [
                f"{title}（{key}）"
                for (key, title), name in zip(SIGNATURES, names, strict=True)
                if name is None
            ]
            yield cols.hit(
                i,
                f"{cols.spend(i)}缺少{'、'.join(missing)}签字；每笔支出须有经手人签字、"
                f"{REVIEWERS}审核、{APPROVERS}审批",
            )


EXPLAIN_VL102 = Explanation(
    checks=(
        "审批人 `approver` 在支出当天必须任书记或主任（有 `任职` 记录，且尚未 `离任`）。"
        "从未任职、尚未任职或已经离任的人审批，都报告，提示中说明是哪一种。"
    ),
    why=(
        EXAMPLE_WHO_SIGNS + "检查中常见由会计、报账员或已经离任的干部“审批”的支出；"
        "只有在任的书记、主任才能代表村集体批准用钱。"
    ),
    compliant=EXAMPLE_PAYMENT,
    offending=EXAMPLE_PAYMENT.replace('approver: "李红梅"', 'approver: "郑国庆"'),
    decisions=(
        "`离任` 的日期是他不再担任该职务的第一天：离任当天起审批即属无权；离任前一天仍可审批。",
        "`任职` 当天起有审批权。",
        "只看审批人的姓名与任职名单是否一致（去掉首尾空格后完全相同），不猜测同音字或简称。",
    ),
    fix="由支出当天在任的书记或主任审批；人员变动要先记 `任职`/`离任`。",
)


@rule("VL102", "审批人无审批权", explain=EXPLAIN_VL102)
def approver_without_authority(model: LedgerModel) -> Iterator[Hit]:
    """The approver holds 书记 or 主任 on the payment date."""
    cols = payment_columns(model)
    offices = Offices(model, vocab.APPROVING_ROLES)
    signed = list(zip(cols.approvers, cols.days, strict=True))
    wrong = {
        (who, day) for who, day in set(signed) if who is not None and not offices.hold(who, day)
    }
    if not wrong:
        return
    for i, (approver, day) in enumerate(signed):
        if approver is not None and (approver, day) in wrong:
            yield cols.hit(
                i,
                f"审批人 {approver} {why_not_approver(model, approver, day)}，"
                f"无权审批{cols.spend(i)}；应由当日在任的{APPROVERS}审批",
            )


def why_not_approver(model: LedgerModel, person: str, day: date) -> str:
    """Left office, not yet appointed, or never an approver: what the roster says."""
    terms = [t for t in model.roster.terms_of(person) if t.role in vocab.APPROVING_ROLES]
    ended = [t for t in terms if t.end is not None and t.end <= day]
    if ended:
        last = max(ended, key=lambda t: t.end or date.min)
        return f"已于 {last.end} 离任{last.role}"
    later = [t for t in terms if t.start > day]
    if later:
        first = min(later, key=lambda t: t.start)
        return f"自 {first.start} 起才任{first.role}"
    held = sorted(model.roster.roles_of(person, day))
    return f"在 {day} 任{'、'.join(held)}，不是{APPROVERS}" if held else f"未担任{APPROVERS}"


EXPLAIN_VL103 = Explanation(
    checks=(
        "不相容职务要分开：经手人不能审批自己经手的支出；审核人当天必须是监委会主任、"
        "监委会委员或理财小组成员；审核人不能是审批人、经手人，也不能是他们的近亲属"
        "（`亲属` 指令记载的关系）。"
    ),
    why=(
        "审核是村民对干部用钱的监督。自己经手自己批、自己审自己，或者由亲属审核，"
        "监督就落空了。审核人员不得由村干部或其近亲属担任。"
    ),
    compliant=EXAMPLE_PAYMENT,
    offending=EXAMPLE_PAYMENT.replace('handler: "吴志强"', 'handler: "李红梅"'),
    decisions=(
        "审核人就是经手人也算职责不相容：连近亲属都要回避，本人更不能审核自己经手的支出。",
        "一笔支出的各项冲突合并为一条发现。",
        "近亲属关系只看账簿中的 `亲属` 指令，双向成立（记一次“李四 与 张三”即可）。",
        "审核人当天是否在任，以 `任职`/`离任` 为准，离任当天起不再有审核资格。",
    ),
    fix="换一位与经手人、审批人无亲属关系的监委会或理财小组成员审核；经手人不能自己审批。",
)


@rule("VL103", "职责不相容", explain=EXPLAIN_VL103)
def incompatible_duties(model: LedgerModel) -> Iterator[Hit]:
    """The handler does not approve his own spend; the reviewer is a 监委会/理财小组 member that
    day, and neither the approver, the handler, nor a close relative (近亲属) of either."""
    cols = payment_columns(model)
    offices = Offices(model, vocab.REVIEWING_ROLES)
    # a handful of distinct signer trios, a few thousand distinct (reviewer, day) pairs
    trios = {
        trio
        for trio in set(zip(cols.handlers, cols.reviewers, cols.approvers, strict=True))
        if any(duty_conflicts(model, *trio))
    }
    outsiders = {
        (reviewer, day)
        for reviewer, day in set(zip(cols.reviewers, cols.days, strict=True))
        if reviewer and not offices.hold(reviewer, day)
    }
    if not trios and not outsiders:
        return
    for i, trio in enumerate(zip(cols.handlers, cols.reviewers, cols.approvers, strict=True)):
        day = cols.days[i]
        found = list(duty_conflicts(model, *trio)) if trio in trios else []
        if (trio[1], day) in outsiders:
            found.append(f"审核人 {trio[1]} 在 {day} 不是{REVIEWERS}，应由他们审核")
        if found:
            yield cols.hit(i, f"{cols.spend(i)}职责不相容：{'；'.join(found)}")


def duty_conflicts(
    model: LedgerModel, handler: str | None, reviewer: str | None, approver: str | None
) -> Iterator[str]:
    """The conflicts among the three signers, whatever the day."""
    if handler and handler == approver:
        yield f"经手人 {handler} 审批了自己经手的支出，应由另一位{APPROVERS}审批"
    if not reviewer:
        return
    if reviewer == approver:
        yield f"审核人 {reviewer} 就是审批人，审核与审批应由不同的人担任"
    elif reviewer == handler:
        yield f"审核人 {reviewer} 就是经手人，不能审核自己经手的支出"
    for role, person in (("审批人", approver), ("经手人", handler)):
        relation = model.roster.relation(reviewer, person) if person else None
        if relation:
            yield f"审核人 {reviewer} 是{role} {person} 的近亲属（{relation}），应回避"


EXPLAIN_VL107 = Explanation(
    checks="审批人就是这笔支出的收款人（自己批钱给自己），就报告。",
    why=(
        "干部报销自己的差旅费、领取自己的补贴时，由本人审批等于没有审批。"
        "检查中常见书记、主任自批自领。"
    ),
    compliant="""\
2025-03-20 * "李红梅" "报销赴县农业农村局开会差旅费"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "王建国"
  invoice: "25320000000012345603"
  Expenses:513-管理费用:51304-差旅费  280.00 CNY
  Assets:102-银行存款:10201-农商行
""",
    offending="""\
2025-03-20 * "李红梅" "报销赴县农业农村局开会差旅费"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25320000000012345603"
  Expenses:513-管理费用:51304-差旅费  280.00 CNY
  Assets:102-银行存款:10201-农商行
""",
    decisions=(
        "比较收款人名称与审批人姓名，去掉首尾空格后完全相同才算。",
        "书记的支出由主任审批，主任的由书记审批。",
    ),
    fix="由另一位有审批权的干部（书记或主任）审批。",
)


@rule("VL107", "审批人是收款人", explain=EXPLAIN_VL107)
def approver_is_payee(model: LedgerModel) -> Iterator[Hit]:
    """The approver is not the payee of the payment (self-approval)."""
    cols = payment_columns(model)
    if not any(map(eq, cols.approvers, cols.payees)):
        return
    for i, (approver, payee) in enumerate(zip(cols.approvers, cols.payees, strict=True)):
        if approver == payee:
            yield cols.hit(
                i,
                f"审批人 {approver} 审批了付给自己的支出 {fmt_yuan(cols.amounts[i])} 元；"
                f"应回避，由另一位{APPROVERS}审批",
            )


EXAMPLE_RELATIVE = '2024-01-01 custom "亲属" "吴建华" "吴志强" "兄弟"\n'
EXAMPLE_RELATIVE_RESOLUTION = (
    '2025-03-01 custom "会议决议" "2025-03-两委-1" "两委联席会议" '
    '"雇请吴建华清理村内沟渠（报账员吴志强回避）" 1500.00 CNY\n'
)


def example_relative_paid(meeting: bool) -> str:
    line = '  meeting: "2025-03-两委-1"\n' if meeting else ""
    return f"""\
2025-03-12 * "吴建华" "支付清理村内沟渠劳务费"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
{line}  receipt: "收款收据"
  Expenses:514-公益支出:51402-公共设施维护  1200.00 CNY
  Assets:102-银行存款:10201-农商行
"""


EXPLAIN_VL108 = Explanation(
    checks=(
        "支出的收款人是这笔支出的经手人、审核人或审批人的近亲属（`亲属` 指令），"
        "而支出没有用 `meeting` 注明会议决议，就报告：利益冲突。"
    ),
    why=(
        "检查中常见村干部把集体的工程、劳务、采购交给自己的亲属，自己经手、审核或审批。"
        "与本人有利害关系的事项应当回避，由集体决定并公开。"
    ),
    compliant=EXAMPLE_RELATIVE + EXAMPLE_RELATIVE_RESOLUTION + "\n" + example_relative_paid(True),
    offending=EXAMPLE_RELATIVE + "\n" + example_relative_paid(False),
    decisions=(
        "近亲属按 `亲属` 指令，双向成立；收款人名称与姓名完全一致才算。",
        "支出注明了会议决议（`meeting`）就不报告：集体已知情并决定；决议是否存在、是否超支由 VL105 检查。",
        "任何金额都检查，不受限额影响。",
        "收款人是审批人本人另由 VL107 报告。",
    ),
    fix="经两委联席会议或村民代表会议决议（当事人回避），在支出上注明决议编号。",
)


@rule("VL108", "收款人是经办审批人的近亲属", explain=EXPLAIN_VL108)
def payee_is_relative(model: LedgerModel) -> Iterator[Hit]:
    """The payee is a close relative of the handler, reviewer or approver, and no resolution is
    cited: a conflict of interest."""
    related = model.roster.with_relatives()
    if not related:
        return
    cols = payment_columns(model)
    signers = (("经手人", cols.handlers), ("审核人", cols.reviewers), ("审批人", cols.approvers))
    # only the payments to someone a 亲属 directive names are walked
    for i in compress(range(len(cols.payees)), map(related.__contains__, cols.payees)):
        payee = cols.payees[i]
        if cols.meetings[i] is not None:
            continue
        for title, column in signers:
            person = column[i]
            relation = model.roster.relation(payee, person) if person else None
            if relation is not None:
                yield cols.hit(
                    i,
                    f"{cols.spend(i)}的收款人是{title}{person}的近亲属（{relation}），"
                    "未注明会议决议（meeting）；应回避并经集体决议",
                )
                break


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
