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
- VL107: the approver is the payee.

Where the specification is silent:

- A payment's amount is its net outflow from cash and bank (`Payment.amount`).
- VL101 reports every missing signature of a payment in one finding. VL102, VL103 and VL107
  judge only the signatures that are present, so a missing one is reported once, by VL101.
- VL103 also rejects a reviewer who is the handler: reviewing one's own spend is a stronger
  conflict than reviewing a relative's. All conflicts of one payment make one finding.
- A `meeting` naming no existing resolution is reported by VL105 alone; VL104 does not call the
  tier unmet as well, so one wrong citation makes one finding. A resolution dated after the
  payment still satisfies VL104 (the right body decided) and is reported by VL105.
- VL105 adds up, in date order, every payment citing an existing resolution, at any amount and
  whatever the dates. The payment that takes the total over the
  approved amount carries a finding whose amount is the part over it; every later payment citing
  the exhausted resolution carries one for its whole amount. All problems of one payment with its
  citation make one finding.
- VL106 groups the payments of each payee (its exact name) per tier: a payment joins the group
  when it is under that tier's threshold and does not cite an existing resolution of a body the
  tier accepts (instalments under a proper resolution dodge nothing). Within a group, payments
  at most `拆分支付窗口天数` days before the newest one count (a sliding window). The warning sits
  on the payment that makes the group reach the threshold; the group then starts afresh, so each
  payment is named in at most one warning per tier, and a payment reaching both tiers is warned
  once, for the higher. Payments without a payee cannot be grouped.
- VL107 compares the payee with the approver's name exactly (after trimming spaces).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel, Meeting, Payment, vocab
from village_ledger.money import fmt_yuan
from village_ledger.registry import rule

__plugins__ = (make_plugin("approval"),)

ZERO = Decimal(0)

# the three signatures every payment carries, in the order they are given
SIGNATURES = (("handler", "经手人"), ("reviewer", "审核人"), ("approver", "审批人"))

APPROVERS = "书记或主任"
REVIEWERS = "监委会主任、监委会委员或理财小组成员"


@dataclass(frozen=True, slots=True)
class Tier:
    key: str  # the policy item holding the threshold
    rank: int  # the lowest Meeting.rank that may authorise spending at it
    bodies: str  # the bodies that may, as a villager names them

    def threshold(self, model: LedgerModel, day: date) -> Decimal:
        return model.policy.value(self.key, day)

    def name(self) -> str:
        return self.key.removesuffix("限额")


# highest first: a payment is held to the highest tier it reaches
TIERS = (
    Tier("村民代表会议限额", 2, "村民代表会议或村民会议"),
    Tier("两委联席会议限额", 1, "两委联席会议或更高层级会议（村民代表会议、村民会议）"),
)


def spend(payment: Payment) -> str:
    """The payment as the 监委会 reads it: to whom, how much."""
    to = f"付 {payment.payee} 的" if payment.payee.strip() else "未写明收款人的"
    return f"{to}支出 {fmt_yuan(payment.amount)} 元"


def reached_tier(model: LedgerModel, payment: Payment) -> tuple[Tier, Decimal] | None:
    """The highest tier whose threshold the payment reaches, with that threshold."""
    for tier in TIERS:
        threshold = tier.threshold(model, payment.day)
        if payment.amount >= threshold:
            return tier, threshold
    return None


def cited_meeting(model: LedgerModel, payment: Payment) -> Meeting | None:
    ident = payment.get("meeting")
    return model.meetings.get(ident) if ident else None


@rule("VL101", "支出缺少签字")
def signature_missing(model: LedgerModel) -> Iterator[Hit]:
    """Every payment carries `handler`, `reviewer` and `approver`."""
    for payment in model.payments:
        missing = [f"{title}（{key}）" for key, title in SIGNATURES if not payment.get(key)]
        if missing:
            yield Hit(
                payment.meta,
                f"{spend(payment)}缺少{'、'.join(missing)}签字；每笔支出须有经手人签字、"
                f"{REVIEWERS}审核、{APPROVERS}审批",
                payment.day,
                amount=payment.amount,
            )


@rule("VL102", "审批人无审批权")
def approver_without_authority(model: LedgerModel) -> Iterator[Hit]:
    """The approver holds 书记 or 主任 on the payment date."""
    for payment in model.payments:
        approver = payment.get("approver")
        if approver is None or model.roster.holds_any(approver, vocab.APPROVING_ROLES, payment.day):
            continue
        yield Hit(
            payment.meta,
            f"审批人 {approver} {why_not_approver(model, approver, payment.day)}，"
            f"无权审批{spend(payment)}；应由当日在任的{APPROVERS}审批",
            payment.day,
            amount=payment.amount,
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


@rule("VL103", "职责不相容")
def incompatible_duties(model: LedgerModel) -> Iterator[Hit]:
    """The handler does not approve his own spend; the reviewer is a 监委会/理财小组 member that
    day, and neither the approver, the handler, nor a close relative (近亲属) of either."""
    for payment in model.payments:
        conflicts = list(duty_conflicts(model, payment))
        if conflicts:
            yield Hit(
                payment.meta,
                f"{spend(payment)}职责不相容：{'；'.join(conflicts)}",
                payment.day,
                amount=payment.amount,
            )


def duty_conflicts(model: LedgerModel, payment: Payment) -> Iterator[str]:
    handler, reviewer, approver = (payment.get(key) for key, _ in SIGNATURES)
    if handler and handler == approver:
        yield f"经手人 {handler} 审批了自己经手的支出，应由另一位{APPROVERS}审批"
    if not reviewer:
        return
    if not model.roster.holds_any(reviewer, vocab.REVIEWING_ROLES, payment.day):
        yield f"审核人 {reviewer} 在 {payment.day} 不是{REVIEWERS}，应由他们审核"
    if reviewer == approver:
        yield f"审核人 {reviewer} 就是审批人，审核与审批应由不同的人担任"
    elif reviewer == handler:
        yield f"审核人 {reviewer} 就是经手人，不能审核自己经手的支出"
    for role, person in (("审批人", approver), ("经手人", handler)):
        relation = model.roster.relation(reviewer, person) if person else None
        if relation:
            yield f"审核人 {reviewer} 是{role} {person} 的近亲属（{relation}），应回避"


@rule("VL104", "达到限额未经会议决议", reads=("两委联席会议限额", "村民代表会议限额"))
def tier_without_resolution(model: LedgerModel) -> Iterator[Hit]:
    """A payment at or over a tier threshold cites a resolution of a body the tier requires."""
    for payment in model.payments:
        reached = reached_tier(model, payment)
        if reached is None:
            continue
        tier, threshold = reached
        ident = payment.get("meeting")
        meeting = model.meetings.get(ident) if ident else None
        if ident and meeting is None:
            continue  # a citation of nothing is VL105's finding
        if meeting is not None and meeting.rank >= tier.rank:
            continue
        head = f"{spend(payment)}达到{tier.name()}限额 {fmt_yuan(threshold)} 元，"
        if meeting is None:
            body = f"未注明会议决议（meeting）；应经{tier.bodies}决议并注明决议编号"
        else:
            body = f"所引决议“{meeting.id}”是{meeting.body}决议；应经{tier.bodies}决议"
        yield Hit(payment.meta, head + body, payment.day, amount=payment.amount, policy=tier.key)


@rule("VL105", "会议决议不存在、晚于支出或超支")
def resolution_invalid_or_overspent(model: LedgerModel) -> Iterator[Hit]:
    """The cited resolution exists, is dated on or before the payment, and the payments citing
    it add up to no more than its amount; the finding sits on the payment that overspends it."""
    spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for payment in model.payments:
        ident = payment.get("meeting")
        if not ident:
            continue
        meeting = model.meetings.get(ident)
        if meeting is None:
            yield Hit(
                payment.meta,
                f"{spend(payment)}所引会议决议“{ident}”不存在；应以“会议决议”指令记载该决议，"
                "或更正决议编号（meeting）",
                payment.day,
                amount=payment.amount,
            )
            continue
        problems = []
        if meeting.day > payment.day:
            problems.append(f"决议日期 {meeting.day} 晚于支出日期，应先决议后支出")
        before = spent[meeting.id]
        spent[meeting.id] = after = before + payment.amount
        over = after - max(before, meeting.amount)
        if over > 0:
            problems.append(
                f"引用该决议的支出累计 {fmt_yuan(after)} 元，超出批准金额 "
                f"{fmt_yuan(meeting.amount)} 元 {fmt_yuan(over)} 元，超出部分应另行决议"
            )
        if problems:
            yield Hit(
                payment.meta,
                f"{spend(payment)}引用{meeting.body}决议“{meeting.id}”（{meeting.subject}）："
                + "；".join(problems),
                payment.day,
                amount=over if over > 0 else payment.amount,
            )


@dataclass
class SplitWindow:
    """The recent payments of one payee still inside the split-payment window."""

    payments: deque[Payment]
    total: Decimal = ZERO

    def slide(self, day: date, days: int) -> None:
        while self.payments and (day - self.payments[0].day).days > days:
            self.total -= self.payments.popleft().amount

    def add(self, payment: Payment) -> None:
        self.payments.append(payment)
        self.total += payment.amount

    def restart(self) -> None:
        self.payments.clear()
        self.total = ZERO


def split_groups(
    model: LedgerModel, tier: Tier
) -> Iterator[tuple[Payment, list[Payment], Decimal, int]]:
    """(payment, group, threshold, window) for each group of one payee's payments, each under
    the tier, that reaches it within the window; on the payment that reaches it."""
    windows: dict[str, SplitWindow] = {}
    for payment in model.payments:
        payee = payment.payee.strip()
        threshold = tier.threshold(model, payment.day)
        if not payee or payment.amount >= threshold or covers(model, payment, tier):
            continue
        days = model.policy.value("拆分支付窗口天数", payment.day)
        window = windows.setdefault(payee, SplitWindow(deque()))
        window.slide(payment.day, days)
        window.add(payment)
        if window.total >= threshold:
            yield payment, list(window.payments), threshold, days
            window.restart()


def covers(model: LedgerModel, payment: Payment, tier: Tier) -> bool:
    """The payment cites an existing resolution of a body the tier accepts."""
    meeting = cited_meeting(model, payment)
    return meeting is not None and meeting.rank >= tier.rank


@rule("VL106", "拆分支付", Severity.WARNING, reads=("拆分支付窗口天数", *(t.key for t in TIERS)))
def split_payment(model: LedgerModel) -> Iterator[Hit]:
    """Payments to one payee within 拆分支付窗口天数, each under a tier threshold, that together
    reach it: a spend split to dodge the resolution the tier requires."""
    warned: dict[int, Hit] = {}
    for tier in TIERS:  # highest first: a payment warned for the higher tier keeps that warning
        for payment, group, threshold, days in split_groups(model, tier):
            warned.setdefault(id(payment), split_hit(payment, group, tier, threshold, days))
    order = {id(p): i for i, p in enumerate(model.payments)}
    for key in sorted(warned, key=order.__getitem__):
        yield warned[key]


def split_hit(
    payment: Payment, group: list[Payment], tier: Tier, threshold: Decimal, days: int
) -> Hit:
    total = sum((p.amount for p in group), ZERO)
    return Hit(
        payment.meta,
        f"{group[0].day} 至 {payment.day} 向 {payment.payee.strip()} 分 {len(group)} 笔支付共 "
        f"{fmt_yuan(total)} 元，每笔均低于{tier.name()}限额 {fmt_yuan(threshold)} 元，"
        f"{days} 天内合计达到该限额，疑似拆分支付；应合并经{tier.bodies}决议",
        payment.day,
        amount=total,
        policy=tier.key,
    )


@rule("VL107", "审批人是收款人")
def approver_is_payee(model: LedgerModel) -> Iterator[Hit]:
    """The approver is not the payee of the payment (self-approval)."""
    for payment in model.payments:
        approver = payment.get("approver")
        if approver and approver == payment.payee.strip():
            yield Hit(
                payment.meta,
                f"审批人 {approver} 审批了付给自己的支出 {fmt_yuan(payment.amount)} 元；"
                f"应回避，由另一位{APPROVERS}审批",
                payment.day,
                amount=payment.amount,
            )
