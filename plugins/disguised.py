"""VL406, VL407 of the VL4xx 招待费 family: entertainment and trips booked as something else.

Rules of the entertainment family (codes VL4xx; `plugins/entertainment.py` imports this module,
so `plugin "village_ledger.plugins.entertainment"` runs them with VL401–VL405). They live apart
because they read the payments (`model.payments`) that are not receptions, by their words,
where VL401–VL405 read the receptions booked to 招待费.

- VL406 (预警): disguised entertainment: a payment to an expense account other than 招待费 whose
  narration or payee names a word of 招待关键词 (餐, 宴, 酒店 …).
- VL407 (预警): a trip (旅游, 考察, 参观, 学习 in the narration of a payment that is no reception)
  with more travellers than 考察人数上限, or without a resolution.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from itertools import accumulate, chain, compress
from operator import attrgetter, or_

from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel
from village_ledger.model.columns import spend_text
from village_ledger.model.index import policy_reader
from village_ledger.model.payments import Payment
from village_ledger.model.receptions import CATEGORY
from village_ledger.registry import Explanation, rule

DISGUISED = "招待关键词"
TRIP_LIMIT = "考察人数上限"
# a trip the inspections name; "…旅游局" is an office (文化和旅游局), not a trip
ENTRY, DATE = attrgetter("entry"), attrgetter("date")
PAYEE, NARRATION = attrgetter("payee"), attrgetter("narration")
TRIP_WORDS = re.compile("(?:旅游|考察|参观|学习)(?!局)")


def spending_outside_entertainment(payment: Payment) -> bool:
    """A payment to an expense account, none of it booked to 招待费."""
    categories = [info.category for info, _ in payment.targets]
    if CATEGORY in categories:
        return False
    return any(info.name.startswith("Expenses:") for info, _ in payment.targets)


def example_office_payment(payee: str, narration: str, account: str) -> str:
    return f"""\
2025-05-12 * "{payee}" "{narration}"
  voucher: "2025-05-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25332000000041234567"
  {account}  420.00 CNY
  Assets:102-银行存款:10201-农商行
"""


EXPLAIN_VL406 = Explanation(
    checks=(
        "一笔记在招待费以外的费用科目（如办公费、会议费、公益支出）上的支出，摘要或收款人中出现"
        "“招待关键词”（默认 餐、宴、酒店、饭店、农家乐、礼品、购物卡），就预警：可能是变相招待。"
    ),
    why=(
        "检查中常见把吃喝、送礼记成办公费、会议费、材料费，逃避招待费的各项限额和公开。"
        "招待费必须如实记在招待费科目上，才受年度、单次和人均限额的约束。"
    ),
    compliant=example_office_payment(
        "九池乡兴旺文具店", "购买村部办公用品", "Expenses:513-管理费用:51302-办公费"
    ),
    offending=example_office_payment(
        "九池乡老街农家乐", "村两委工作会议用餐", "Expenses:513-管理费用:51302-办公费"
    ),
    decisions=(
        "只看支出（钱从现金或银行流出）中记到费用科目的；记在招待费上的支出由 VL401–VL405 检查。",
        "差旅中的住宿（收款人为酒店）也会预警：是预警，不是错误，核实是正常差旅即可。",
        "村里可以在“招待关键词”中增加关键词，不能删去乡镇规定的。",
    ),
    fix="确属招待的，改记招待费并补齐来客、公函等记录；确属其他用途的，在摘要中写清楚。",
)


def keyword_finder(keywords: tuple[str, ...]) -> Callable[[str, str], list[str]]:
    """The keywords a payee and narration name, sorted, as found in `payee　narration`.

    Most payees and narrations recur, but not together: each is searched once, alone, and the
    two findings joined. A keyword holding the full-width space that joins them could match
    across both: then each pair is searched as one text."""
    pattern = re.compile("|".join(map(re.escape, keywords)))
    if any("　" in keyword for keyword in keywords):
        pairs: dict[tuple[str, str], list[str]] = {}

        def in_pair(payee: str, narration: str) -> list[str]:
            found = pairs.get((payee, narration))
            if found is None:
                text = f"{payee}　{narration}"
                found = pairs[payee, narration] = sorted(set(pattern.findall(text)))
            return found

        return in_pair
    seen: dict[str, list[str]] = {}
    joined: dict[tuple[str, str], list[str]] = {}

    def in_text(text: str) -> list[str]:
        found = seen.get(text)
        if found is None:
            found = seen[text] = pattern.findall(text)
        return found

    def in_both(payee: str, narration: str) -> list[str]:
        found = in_text(payee) + in_text(narration)
        if not found:
            return found
        key = (payee, narration)
        words = joined.get(key)
        if words is None:
            words = joined[key] = sorted(set(found))
        return words

    return in_both


def naming_keywords(
    payments: list[Payment], keywords_on: Callable[[date], tuple[str, ...]]
) -> list[Payment]:
    """The payments whose payee or narration holds a word of some day's 招待关键词: the few the
    rule must look at, found by searching each distinct payee and narration once."""
    entries = list(map(ENTRY, payments))
    policies = {keywords_on(day) for day in set(map(DATE, entries))}
    keywords = set(chain.from_iterable(policies))
    if (
        not keywords
        or () in policies
        or "" in keywords
        or any(("　" in k or "\n" in k) for k in keywords)
    ):
        # an empty pattern matches anything; a word with the space that joins payee and
        # narration may sit across both: look at every payment, as the rule did
        return payments
    payees, narrations = list(map(PAYEE, entries)), list(map(NARRATION, entries))
    texts = [text for text in {*payees, *narrations} if text]
    # one search over the texts joined by newlines (no keyword holds one), not one per text
    starts = list(accumulate(map((1).__add__, map(len, texts)), initial=0))
    pattern = re.compile("|".join(map(re.escape, sorted(keywords))))
    found = pattern.finditer("\n".join(texts))
    named = {texts[bisect_right(starts, match.start()) - 1] for match in found}
    return list(
        compress(
            payments, map(or_, map(named.__contains__, payees), map(named.__contains__, narrations))
        )
    )


@rule("VL406", "变相招待", Severity.WARNING, reads=(DISGUISED,), explain=EXPLAIN_VL406)
def disguised_entertainment(model: LedgerModel) -> Iterator[Hit]:
    """Meals, banquets, gifts or lodging paid to an expense account other than 招待费: the
    narration or payee names a word of 招待关键词."""
    keywords_on = policy_reader(model, DISGUISED)
    finders: dict[tuple[str, ...], Callable[[str, str], list[str]]] = {}
    for payment in naming_keywords(model.payments, keywords_on):
        entry = payment.entry
        keywords = keywords_on(entry.date)
        finder = finders.get(keywords)
        if finder is None:
            finder = finders[keywords] = keyword_finder(keywords)
        found = finder(entry.payee or "", entry.narration or "")
        if not found or not spending_outside_entertainment(payment):
            continue
        booked = next(info.name for info, _ in payment.targets if info.name.startswith("Expenses:"))
        yield Hit(
            payment.meta,
            f"{spend_text(payment)}（“{entry.narration}”）含“{'、'.join(found)}”，却记在 {booked}，"
            "不在招待费中；确属招待的应记招待费并受招待限额约束",
            payment.day,
            amount=payment.amount,
            policy=DISGUISED,
        )


EXAMPLE_TRIP_RESOLUTION = (
    '2025-04-20 custom "会议决议" "2025-04-两委-1" "两委联席会议" '
    '"组织村干部赴浙江安吉考察美丽乡村建设" 5000.00 CNY\n'
)


def example_trip(travellers: int, meeting: bool = True) -> str:
    line = '  meeting: "2025-04-两委-1"\n' if meeting else ""
    return f"""\
2025-05-08 * "梅川县青山旅行社" "组织村干部赴浙江安吉考察美丽乡村建设"
  voucher: "2025-05-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
{line}  invoice: "25332000000041234568"
  travellers: {travellers}
  Expenses:513-管理费用:51304-差旅费  4600.00 CNY
  Assets:102-银行存款:10201-农商行
"""


EXPLAIN_VL407 = Explanation(
    checks=(
        "一笔支出（招待费除外）的摘要中出现“旅游、考察、参观、学习”，而外出人数（`travellers`）超过"
        "“考察人数上限”，或者没有用 `meeting` 注明会议决议，就预警。"
    ),
    why=(
        "检查中常见以考察、学习为名公款旅游，记成差旅费、会议费或借支。外出考察应有计划、经集体决定、"
        "控制人数，并向村民公开。"
    ),
    compliant=EXAMPLE_TRIP_RESOLUTION + "\n" + example_trip(5),
    offending=EXAMPLE_TRIP_RESOLUTION + "\n" + example_trip(6),
    decisions=(
        "人数超过上限的，有决议也预警；人数不超过的，有决议才不预警；没有写 `travellers` 的只看有无决议。",
        "恰好等于“考察人数上限”（默认 5 人）不预警，6 人预警。",
        "“文化和旅游局”等机关名称中的“旅游”不算。",
        "借支也是支出：以外出学习为由的借支在借出时检查，报销冲账时不再检查。",
        "记在招待费上的支出由招待费规则检查，本规则不看。",
    ),
    fix="外出考察前经两委联席会议或村民代表会议决议，控制人数，在支出上注明决议和人数，并公开。",
)


def trip_travellers(payment: Payment) -> int | None:
    raw = payment.entry.meta.get("travellers")
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal)):
        return None
    return int(raw)


@rule("VL407", "外出考察旅游", Severity.WARNING, reads=(TRIP_LIMIT,), explain=EXPLAIN_VL407)
def trip_without_decision(model: LedgerModel) -> Iterator[Hit]:
    """A payment naming 旅游, 考察, 参观 or 学习 (not an entertainment one) takes more people than
    考察人数上限, or cites no resolution."""
    limit_on = policy_reader(model, TRIP_LIMIT)
    seen: dict[str, bool] = {}
    for payment in model.payments:
        narration = payment.entry.narration or ""
        named = seen.get(narration)
        if named is None:
            named = seen[narration] = TRIP_WORDS.search(narration) is not None
        if not named or any(info.category == CATEGORY for info, _ in payment.targets):
            continue
        limit = int(limit_on(payment.day))
        travellers = trip_travellers(payment)
        meeting = payment.get("meeting")
        if travellers is not None and travellers > limit:
            why = f"外出 {travellers} 人，超过考察人数上限 {limit} 人"
        elif meeting is None:
            count = f"外出 {travellers} 人，" if travellers is not None else ""
            why = f"{count}未注明会议决议（meeting）"
        else:
            continue
        yield Hit(
            payment.meta,
            f"{spend_text(payment)}（“{narration}”）是外出考察学习：{why}；应经集体决议、控制人数并公开",
            payment.day,
            amount=payment.amount,
            policy=TRIP_LIMIT,
        )
