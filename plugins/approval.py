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
  at most `拆分支付窗口天数` days before the newest one count (a sliding window: 7 days means
  the 1st and the 8th are together, the 1st and the 9th are not). The warning sits on the
  payment that makes the group reach the threshold, and names the group; the group then starts
  afresh. The higher tier is looked at first: a payment that completes a group of each is
  warned once, for the higher, and the lower tier's group starts afresh as well. Payments
  without a payee cannot be grouped.
- VL107 compares the payee with the approver's name exactly (after trimming spaces).

How it stays fast: at 100k entries anything done per payment in Python costs more than the
whole family may. The payments are read once per model into plain columns (lists of the values
themselves, in date order), and each rule first checks the compliant case with C-level
operations over whole columns (`None in`, sets of distinct (person, day) pairs, sliding sums by
bisection); it walks payment by payment only where that check finds something to report.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import compress, repeat
from operator import attrgetter, eq, ge, gt, lt
from typing import Any

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel, Payment, vocab
from village_ledger.model.index import per_model
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

    def name(self) -> str:
        return self.key.removesuffix("限额")


# highest first: a payment is held to the highest tier it reaches
TIERS = (
    Tier("村民代表会议限额", 2, "村民代表会议或村民会议"),
    Tier("两委联席会议限额", 1, "两委联席会议或更高层级会议（村民代表会议、村民会议）"),
)
WINDOW = "拆分支付窗口天数"


# ---- the payments as columns ----


@dataclass(frozen=True, slots=True)
class Columns:
    """The payments in date order, as one list per value; row i of every list is payment i."""

    payments: list[Payment]
    days: list[date]
    amounts: list[Decimal]
    payees: list[str]  # "" when there is none
    handlers: list[str | None]  # stripped text, None when absent or blank
    reviewers: list[str | None]
    approvers: list[str | None]
    meetings: list[str | None]  # the cited resolution's id

    def spend(self, i: int) -> str:
        """Payment i as the 监委会 reads it: to whom, how much."""
        to = f"付 {self.payees[i]} 的" if self.payees[i] else "未写明收款人的"
        return f"{to}支出 {fmt_yuan(self.amounts[i])} 元"

    def hit(
        self, i: int, message: str, amount: Decimal | None = None, policy: str | None = None
    ) -> Hit:
        amount = self.amounts[i] if amount is None else amount
        return Hit(self.payments[i].meta, message, self.days[i], amount=amount, policy=policy)


@per_model
def columns_of(model: LedgerModel) -> Columns:
    """The model's payments as columns, read once per model and dropped with it."""
    return read_columns(model.payments)


def read_columns(payments: list[Payment]) -> Columns:
    # one pass, touching each payment, entry and metadata once: at 100k entries the cost is in
    # reaching the scattered objects, not in what is done with them
    ordered = payments
    if any(
        map(
            gt,
            map(attrgetter("entry.date"), payments[:-1]),
            map(attrgetter("entry.date"), payments[1:]),
        )
    ):
        ordered = sorted(payments, key=attrgetter("entry.date"))  # the model keeps date order
    days: list[date] = []
    amounts: list[Decimal] = []
    payees: list[Any] = []
    handlers: list[Any] = []
    reviewers: list[Any] = []
    approvers: list[Any] = []
    meetings: list[Any] = []
    for payment in ordered:
        entry = payment.entry
        meta = entry.meta
        days.append(entry.date)
        amounts.append(payment.amount)
        payees.append(entry.payee)
        handlers.append(meta.get("handler"))
        reviewers.append(meta.get("reviewer"))
        approvers.append(meta.get("approver"))
        meetings.append(meta.get("meeting"))
    return Columns(
        ordered,
        days,
        amounts,
        [p or "" for p in cleaned(payees)],
        cleaned(handlers),
        cleaned(reviewers),
        cleaned(approvers),
        cleaned(meetings),
    )


def cleaned(values: list[Any]) -> list[str | None]:
    """Values as text, stripped, None when absent or blank, as `Payment.get` reads them. Names
    and ids repeat: each distinct value is read once, and a clean column is kept as it is."""
    fixes = {
        value: (str(value).strip() or None)
        for value in set(values)
        if value is not None and not (isinstance(value, str) and value and value == value.strip())
    }
    return list(map(fixes.get, values, values)) if fixes else values


def periods(model: LedgerModel, keys: Sequence[str], days: list[date]) -> Iterator[slice]:
    """Runs of the date-ordered payments over which the policy items `keys` keep one value."""
    changes = sorted({day for key in keys for day, _ in model.policy.changes(key)})
    start = 0
    for cut in [*(bisect_left(days, day) for day in changes), len(days)]:
        if cut > start:
            yield slice(start, cut)
            start = cut


def thresholds(model: LedgerModel, day: date) -> tuple[Decimal, ...]:
    return tuple(model.policy.value(t.key, day) for t in TIERS)


class Offices:
    """Who holds one of a set of roles on a day, from the roster's terms, by person."""

    def __init__(self, model: LedgerModel, roles: Iterable[str]) -> None:
        self.terms: dict[str, list[tuple[date, date]]] = defaultdict(list)
        for role in roles:
            for term in model.roster.terms_in(role):
                self.terms[term.person].append((term.start, term.end or date.max))

    def hold(self, person: str, day: date) -> bool:
        return any(start <= day < end for start, end in self.terms.get(person, ()))


# ---- VL101, VL102, VL103, VL107: who signed ----


@rule("VL101", "支出缺少签字")
def signature_missing(model: LedgerModel) -> Iterator[Hit]:
    """Every payment carries `handler`, `reviewer` and `approver`."""
    cols = columns_of(model)
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


@rule("VL102", "审批人无审批权")
def approver_without_authority(model: LedgerModel) -> Iterator[Hit]:
    """The approver holds 书记 or 主任 on the payment date."""
    cols = columns_of(model)
    offices = Offices(model, vocab.APPROVING_ROLES)
    signed = list(zip(cols.approvers, cols.days, strict=True))
    wrong = {pair for pair in set(signed) if pair[0] is not None and not offices.hold(*pair)}
    if not wrong:
        return
    for i, pair in enumerate(signed):
        if pair in wrong:
            approver, day = pair
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


@rule("VL103", "职责不相容")
def incompatible_duties(model: LedgerModel) -> Iterator[Hit]:
    """The handler does not approve his own spend; the reviewer is a 监委会/理财小组 member that
    day, and neither the approver, the handler, nor a close relative (近亲属) of either."""
    cols = columns_of(model)
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


@rule("VL107", "审批人是收款人")
def approver_is_payee(model: LedgerModel) -> Iterator[Hit]:
    """The approver is not the payee of the payment (self-approval)."""
    cols = columns_of(model)
    if not any(map(eq, cols.approvers, cols.payees)):
        return
    for i, (approver, payee) in enumerate(zip(cols.approvers, cols.payees, strict=True)):
        if approver == payee:
            yield cols.hit(
                i,
                f"审批人 {approver} 审批了付给自己的支出 {fmt_yuan(cols.amounts[i])} 元；"
                f"应回避，由另一位{APPROVERS}审批",
            )


# ---- VL104, VL105: tiers and resolutions ----


@rule("VL104", "达到限额未经会议决议", reads=tuple(t.key for t in TIERS))
def tier_without_resolution(model: LedgerModel) -> Iterator[Hit]:
    """A payment at or over a tier threshold cites a resolution of a body the tier requires."""
    cols = columns_of(model)
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


def tier_unmet(model: LedgerModel, cols: Columns, i: int, tier: Tier, threshold: Decimal) -> Hit:
    meeting = model.meetings.get(cols.meetings[i] or "")
    head = f"{cols.spend(i)}达到{tier.name()}限额 {fmt_yuan(threshold)} 元，"
    if meeting is None:
        body = f"未注明会议决议（meeting）；应经{tier.bodies}决议并注明决议编号"
    else:
        body = f"所引决议“{meeting.id}”是{meeting.body}决议；应经{tier.bodies}决议"
    return cols.hit(i, head + body, policy=tier.key)


@rule("VL105", "会议决议不存在、晚于支出或超支")
def resolution_invalid_or_overspent(model: LedgerModel) -> Iterator[Hit]:
    """The cited resolution exists, is dated on or before the payment, and the payments citing
    it add up to no more than its amount; the finding sits on the payment that overspends it."""
    cols = columns_of(model)
    if cols.meetings.count(None) == len(cols.meetings):
        return
    spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for i, ident in enumerate(cols.meetings):
        if ident is None:
            continue
        meeting = model.meetings.get(ident)
        if meeting is None:
            yield cols.hit(
                i,
                f"{cols.spend(i)}所引会议决议“{ident}”不存在；"
                "应以“会议决议”指令记载该决议，或更正决议编号（meeting）",
            )
            continue
        problems = []
        if meeting.day > cols.days[i]:
            problems.append(f"决议日期 {meeting.day} 晚于支出日期，应先决议后支出")
        before = spent[ident]
        spent[ident] = after = before + cols.amounts[i]
        over = after - max(before, meeting.amount)
        if over > 0:
            problems.append(
                f"引用该决议的支出累计 {fmt_yuan(after)} 元，超出批准金额 "
                f"{fmt_yuan(meeting.amount)} 元 {fmt_yuan(over)} 元，超出部分应另行决议"
            )
        if problems:
            yield cols.hit(
                i,
                f"{cols.spend(i)}引用{meeting.body}决议“{meeting.id}”（{meeting.subject}）："
                + "；".join(problems),
                amount=over if over > 0 else None,
            )


# ---- VL106: split payments ----


@rule("VL106", "拆分支付", Severity.WARNING, reads=(WINDOW, *(t.key for t in TIERS)))
def split_payment(model: LedgerModel) -> Iterator[Hit]:
    """Payments to one payee within 拆分支付窗口天数, each under a tier threshold, that together
    reach it: a spend split to dodge the resolution the tier requires."""
    cols = columns_of(model)
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

    def __init__(self, cols: Columns, ranks: dict[str | None, int]) -> None:
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
    cols: Columns, i: int, group: list[int], tier: Tier, threshold: Decimal, days: int
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
