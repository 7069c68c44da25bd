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
- VL104–VL106 (tiers, resolutions, split payments) are rules of this family in
  `plugins/resolutions.py`, imported below.
- VL108: the payee is a close relative of the handler, reviewer or approver, and the payment
  cites no resolution (a conflict of interest decided in the open is no finding).
- VL107: the approver is the payee.

What each rule decided where the regulations are silent is written once, in Chinese, in its
explanation (`EXPLAIN_VL1xx` above each rule; `village-ledger rule VL105`).

How it stays fast: at 100k entries anything done per payment in Python costs more than the
whole family may. The payments are read once per model into plain columns (lists of the values
themselves, in date order: `model.columns.payment_columns`), and each rule first checks the compliant case with C-level
operations over whole columns (`None in`, sets of distinct (person, day) pairs); it walks payment by payment only where that check finds something to report.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import compress
from operator import eq

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit
from village_ledger.model import LedgerModel, vocab
from village_ledger.model.columns import payment_columns
from village_ledger.money import fmt_yuan
from village_ledger.registry import Explanation, rule

# VL104–VL106 (tiers, resolutions, split payments) live in their own module; importing it
# registers them with the family
from . import resolutions  # noqa: F401

__plugins__ = (make_plugin("approval"),)

# the three signatures every payment carries, in the order they are given
SIGNATURES = (("handler", "经手人"), ("reviewer", "审核人"), ("approver", "审批人"))

APPROVERS = "书记或主任"
REVIEWERS = "监委会主任、监委会委员或理财小组成员"


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
        "比较收款人名称与审批人姓名，去掉首尾空格后完全相同才算；收款人名字后括号里写的职务或说明"
        "不算在内（“苏建明（主任）”“苏建明(村主任)”就是苏建明）。",
        "书记的支出由主任审批，主任的由书记审批。",
    ),
    fix="由另一位有审批权的干部（书记或主任）审批。",
)


@rule("VL107", "审批人是收款人", explain=EXPLAIN_VL107)
def approver_is_payee(model: LedgerModel) -> Iterator[Hit]:
    """The approver is not the payee of the payment (self-approval)."""
    cols = payment_columns(model)
    if not any(map(eq, cols.approvers, cols.persons)):
        return
    for i, (approver, person) in enumerate(zip(cols.approvers, cols.persons, strict=True)):
        if approver == person:
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
        "近亲属按 `亲属` 指令，双向成立；收款人名称与姓名完全一致才算（名字后括号里写的职务或"
        "说明不算在内，如“吴建华（村民）”就是吴建华）。",
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
    for i in compress(range(len(cols.persons)), map(related.__contains__, cols.persons)):
        payee = cols.persons[i]
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
