"""VL4xx 招待费 (entertainment): what a village may spend receiving visitors.

A reception is a voucher that books spending to an account of category `招待费`; its amount is
what those postings add up to. A reception carries `guests` (来客人数), `hosts` (陪同人数),
`guest-org` (来客单位) and `letter` (公函), on the transaction or on its 招待费 posting.

VL401: a calendar year's entertainment may not exceed 招待费年度限额; the finding sits on the
entry that took the year's total over it. With a cap of 0 (零招待) every reception is VL401.
VL402: one reception may not exceed 招待费单次限额, nor 招待费人均限额 per head (guests and hosts
together), nor bring more hosts than guests allow: at most 3 for up to 10 guests, otherwise at
most a third of the guests.
VL403: a reception names how many guests came and from where, and (when 招待需公函) the letter.
VL404: no 禁止招待项目 (烟, 酒 …) in the narration or payee. A keyword inside the name of a
restaurant or hotel (酒店, 酒楼, 酒家) is not a purchase of that item.
VL405 (预警): the year's entertainment has reached 招待费预警比例 of the cap. The warning sits on
the entry that reached the mark; an entry that goes straight over the cap is VL401 only.
VL406 (预警): disguised entertainment: a payment to an expense account other than 招待费 whose
narration or payee names a word of 招待关键词 (餐, 宴, 酒店 …).
VL407 (预警): a trip (旅游, 考察, 参观, 学习 in the narration of a payment that is no reception)
with more travellers than 考察人数上限, or without a resolution.

Reversals (红字冲销, negative amounts) lower the year's total; a year that falls back under the
cap or the mark is reported again if it crosses it again.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from datetime import date
from decimal import ROUND_CEILING, Decimal
from itertools import accumulate, chain, compress
from operator import attrgetter, or_

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel
from village_ledger.model.columns import spend_text
from village_ledger.model.index import policy_reader
from village_ledger.model.payments import Payment
from village_ledger.model.receptions import CATEGORY, Reception, receptions
from village_ledger.money import CENT, fmt_yuan
from village_ledger.registry import Explanation, rule

__plugins__ = (make_plugin("entertainment"),)

# names of eating places that contain a banned keyword without buying it
VENUE_WORDS = ("大酒店", "酒店", "酒楼", "酒家")
# offices, crops and works a reception names without buying their goods: the visitors from the
# 烟草专卖局 or a 酒厂, an inspection of the 烟叶 crop
NOT_ITEM_WORDS = ("烟草", "烟叶", "酒厂", "酒业")


# ---- ledger text the explanations of several rules share (village-ledger rule VL4xx) ----

EXAMPLE_RECEPTION_RULES = (
    "许多地方对村级招待实行“零招待”，其余地方设上限；参照党政机关国内公务接待规定："
    "凭来访单位公函接待，列明清单，不得提供香烟和高档酒水，"
    "陪餐人数 10 人以内不超过 3 人、超过 10 人的不超过三分之一。"
)


def example_reception(
    day: str = "2025-05-12",
    number: str = "2025-05-001",
    amount: str = "420.00",
    guests: int = 4,
    hosts: int = 2,
    narration: str = "接待梅川县农业农村局检查组工作餐",
    payee: str = "九池乡老街农家菜馆",
    letter: bool = True,
) -> str:
    letter_line = '  letter: "梅农函〔2025〕12号"\n' if letter else ""
    return f"""\
{day} * "{payee}" "{narration}"
  voucher: "{number}"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25332000000{number.replace("-", "")}"
  guests: {guests}
  hosts: {hosts}
  guest-org: "梅川县农业农村局"
{letter_line}  Expenses:513-管理费用:51303-招待费  {amount} CNY
  Assets:102-银行存款:10201-农商行
"""


EXAMPLE_TIGHT_CAP = '2025-01-01 custom "财务制度" "招待费年度限额" 1000.00 CNY\n'


EXPLAIN_VL401 = Explanation(
    checks=(
        "一个自然年度的招待费累计超过“招待费年度限额”，就报告；发现落在使累计额越过限额的那笔账上。"
        "年度限额为 0（零招待）时，每一笔招待费都报告。"
    ),
    why=(
        "检查中常见招待费远超任何标准、又从不如实公开；有关部门建议村级“接待费零控制”。"
        + EXAMPLE_RECEPTION_RULES
    ),
    compliant=EXAMPLE_TIGHT_CAP
    + "\n"
    + example_reception("2025-05-12", "2025-05-001", "400.00")
    + "\n"
    + example_reception("2025-09-03", "2025-09-001", "350.00"),
    offending=EXAMPLE_TIGHT_CAP
    + "\n"
    + example_reception("2025-05-12", "2025-05-001", "400.00")
    + "\n"
    + example_reception("2025-09-03", "2025-09-001", "650.00", guests=6, hosts=1),
    decisions=(
        "招待费是记入类别为 `招待费` 的科目（标准科目表中的 `51303-招待费`）的金额，按自然年累计。",
        "红字冲销（金额为负）会减少累计额；减少后再次越过限额的，再报告一次。",
        "一笔招待直接从预警线以下越过年度限额时，只报 VL401，不再报 VL405。",
        "示例把本村年度限额定为 1,000.00 元（村里可以比乡镇定得更严）。",
    ),
    fix="超出部分由当事人说明，监委会审查；来年严格按限额安排接待。",
)


@rule("VL401", "招待费超年度限额", reads=("招待费年度限额",), explain=EXPLAIN_VL401)
def entertainment_over_annual_cap(model: LedgerModel) -> Iterator[Hit]:
    """A calendar year's entertainment may not exceed 招待费年度限额 (0: none at all)."""
    over = False
    year: int | None = None
    for figure in model.figures.receptions:
        reception, total, cap = figure.reception, figure.year_total, figure.cap
        if reception.day.year != year:
            year, over = reception.day.year, False
        if cap == 0 and reception.amount > 0:
            yield Hit(
                reception.meta,
                f"实行零招待（招待费年度限额 0.00 元），{reception.who}接待仍列支招待费 "
                f"{fmt_yuan(reception.amount)} 元，{year}年累计 {fmt_yuan(total)} 元",
                reception.day,
                amount=reception.amount,
                policy="招待费年度限额",
            )
            continue
        if total > cap and not over:
            yield Hit(
                reception.meta,
                f"{year}年招待费累计 {fmt_yuan(total)} 元，超过年度限额 {fmt_yuan(cap)} 元"
                f"（本笔{reception.who}接待 {fmt_yuan(reception.amount)} 元）",
                reception.day,
                amount=total,
                policy="招待费年度限额",
            )
        over = total > cap


EXPLAIN_VL405 = Explanation(
    checks=(
        "一个自然年度的招待费累计达到年度限额的“招待费预警比例”（默认八成），就预警；"
        "预警落在使累计额达到预警线的那笔账上。"
    ),
    why="在超过年度限额之前提醒两委和监委会控制招待，免得年底才发现已经超标。",
    compliant=EXAMPLE_TIGHT_CAP
    + "\n"
    + example_reception("2025-05-12", "2025-05-001", "400.00")
    + "\n"
    + example_reception("2025-09-03", "2025-09-001", "350.00"),
    offending=EXAMPLE_TIGHT_CAP
    + "\n"
    + example_reception("2025-05-12", "2025-05-001", "400.00")
    + "\n"
    + example_reception("2025-09-03", "2025-09-001", "400.00"),
    decisions=(
        "“达到”指大于或等于：限额 1,000.00 元、比例 0.8 时，累计 800.00 元就预警，799.99 元不预警。",
        "一笔招待直接越过年度限额时，只报 VL401。",
        "每年重新累计；红字冲销使累计额回到预警线以下后再次达到的，再预警一次。",
    ),
    fix="预警后的招待须从严控制，必要时由两委研究。",
)


@rule(
    "VL405",
    "招待费接近年度限额",
    Severity.WARNING,
    reads=("招待费预警比例", "招待费年度限额"),
    explain=EXPLAIN_VL405,
)
def entertainment_near_annual_cap(model: LedgerModel) -> Iterator[Hit]:
    """The year's entertainment has reached 招待费预警比例 of the annual cap."""
    reached = False
    year: int | None = None
    for figure in model.figures.receptions:
        reception, total, cap, mark = figure.reception, figure.year_total, figure.cap, figure.mark
        if reception.day.year != year:
            year, reached = reception.day.year, False
        if cap > 0 and mark <= total <= cap and not reached:
            yield Hit(
                reception.meta,
                f"{year}年招待费累计 {fmt_yuan(total)} 元，已达年度限额 {fmt_yuan(cap)} 元的 "
                f"{figure.share:.0%}（预警线 {fmt_yuan(mark)} 元）",
                reception.day,
                amount=total,
                policy="招待费预警比例",
            )
        reached = total >= mark


def hosts_allowed(guests: int) -> int:
    """At most 3 hosts for up to 10 guests; beyond that at most a third of the guests."""
    return 3 if guests <= 10 else guests // 3


def over_single_cap(reception: Reception, cap: Decimal) -> Hit | None:
    if reception.amount <= cap:
        return None
    return Hit(
        reception.meta,
        f"{reception.who}接待一次 {fmt_yuan(reception.amount)} 元，超过单次限额 {fmt_yuan(cap)} 元",
        reception.day,
        amount=reception.amount,
        policy="招待费单次限额",
    )


def over_per_head_cap(reception: Reception, guests: int, hosts: int, cap: Decimal) -> Hit | None:
    heads = guests + hosts
    if reception.amount <= cap * heads:
        return None
    # rounded up, so a figure a fraction of a cent over the cap never reads as equal to it
    per_head = (reception.amount / heads).quantize(CENT, rounding=ROUND_CEILING)
    return Hit(
        reception.meta,
        f"{reception.who}接待 {fmt_yuan(reception.amount)} 元，来客 {guests} 人、陪同 {hosts} 人，"
        f"人均 {fmt_yuan(per_head)} 元，超过人均限额 {fmt_yuan(cap)} 元",
        reception.day,
        amount=reception.amount,
        policy="招待费人均限额",
    )


def too_many_hosts(reception: Reception, guests: int, hosts: int) -> Hit | None:
    allowed = hosts_allowed(guests)
    if hosts <= allowed:
        return None
    return Hit(
        reception.meta,
        f"{reception.who}来客 {guests} 人，陪同 {hosts} 人，超过规定的 {allowed} 人"
        "（来客 10 人以内陪同不超过 3 人，超过 10 人的不超过来客人数的三分之一）",
        reception.day,
        amount=reception.amount,
    )


EXPLAIN_VL402 = Explanation(
    checks=(
        "一次接待超过“招待费单次限额”，或人均（来客 `guests` 加陪同 `hosts`）超过“招待费人均限额”，"
        "或陪同人数超过允许的人数（来客 10 人以内最多 3 人，超过 10 人的不超过来客的三分之一），就报告。"
    ),
    why=EXAMPLE_RECEPTION_RULES,
    compliant=example_reception(),
    offending=example_reception(amount="900.00", guests=7, hosts=3),
    decisions=(
        "人均按来客与陪同合计计算，恰好等于人均限额不报告。",
        "陪同上限向下取整：12 位来客最多 4 人陪同，11 位来客最多 3 人。",
        "没写 `hosts` 的接待按没有陪同计算。",
        "一次接待的金额是这张凭证记入招待费科目的合计。",
    ),
    fix="超标部分由当事人说明，监委会审查；以后按标准安排接待。",
)


@rule("VL402", "单次招待超标", reads=("招待费单次限额", "招待费人均限额"), explain=EXPLAIN_VL402)
def reception_over_limits(model: LedgerModel) -> Iterator[Hit]:
    """One reception within 招待费单次限额, 招待费人均限额 per head, and the hosts allowed."""
    single_on = policy_reader(model, "招待费单次限额")
    per_head_on = policy_reader(model, "招待费人均限额")
    for reception in receptions(model):
        if reception.amount <= 0:
            continue
        hit = over_single_cap(reception, single_on(reception.day))
        if hit:
            yield hit
        guests, hosts = reception.guests, reception.hosts
        if guests is None or hosts is None:
            continue  # VL403 names the missing or malformed count
        hit = over_per_head_cap(reception, guests, hosts, per_head_on(reception.day))
        if hit:
            yield hit
        hit = too_many_hosts(reception, guests, hosts)
        if hit:
            yield hit


def record_gaps(reception: Reception, letter_required: bool) -> list[str]:
    """What the reception's record lacks, each as the accountant would put it right."""
    gaps: list[str] = []
    if reception.guests_written is None:
        gaps.append("来客人数（guests）")
    elif reception.guests is None:
        gaps.append(f"来客人数 guests: “{reception.guests_written}” 应为正整数")
    if reception.hosts is None:
        gaps.append(f"陪同人数 hosts: “{reception.hosts_written}” 应为整数")
    if reception.org is None:
        gaps.append("来客单位（guest-org）")
    if letter_required and reception.letter is None:
        gaps.append("公函（letter）")
    return gaps


EXPLAIN_VL403 = Explanation(
    checks=(
        "一次接待没有写来客人数 `guests` 或来客单位 `guest-org`，或在“招待需公函”为是时没有写公函 `letter`，"
        "或来客人数不是整数，就报告。"
    ),
    why=(
        "没有公函、说不清招待了谁，招待费就无从核实，常被用来掩盖干部自己吃喝。"
        + EXAMPLE_RECEPTION_RULES
    ),
    compliant=example_reception(),
    offending=example_reception(letter=False),
    decisions=(
        "`guests`、`hosts`、`guest-org`、`letter` 可以写在交易上，也可以写在招待费分录上。",
        '`guests: 4` 与 `guests: "4"` 都接受；`guests: "abc"` 这样不是整数的值照原样报告在这里。',
    ),
    fix="补记来客人数、来客单位和公函文号；没有公函的接待不应由村集体承担。",
)


@rule("VL403", "招待缺少来客或公函", reads=("招待需公函",), explain=EXPLAIN_VL403)
def reception_record_incomplete(model: LedgerModel) -> Iterator[Hit]:
    """A reception names its guests, their unit and (when 招待需公函) the official letter."""
    letter_on = policy_reader(model, "招待需公函")
    for reception in receptions(model):
        if reception.amount <= 0:
            continue
        letter_required = letter_on(reception.day)
        gaps = record_gaps(reception, letter_required)
        if gaps:
            yield Hit(
                reception.meta,
                f"{reception.who}接待 {fmt_yuan(reception.amount)} 元，缺少或有误：{'；'.join(gaps)}",
                reception.day,
                amount=reception.amount,
                policy="招待需公函" if letter_required and reception.letter is None else None,
            )


def banned_items(text: str, keywords: tuple[str, ...]) -> list[str]:
    """The banned keywords `text` names, not counting those inside a restaurant's name or
    another word that buys nothing (`NOT_ITEM_WORDS`)."""
    if not any(k in text for k in keywords):
        return []
    venues = [v for v in VENUE_WORDS if v not in keywords]
    if venues:
        # a 烟酒店 sells cigarettes and liquor: it is no restaurant
        text = re.sub(f"(?<!烟)(?:{'|'.join(venues)})", "　", text)
    for word in NOT_ITEM_WORDS:
        if word not in keywords:
            text = text.replace(word, "　")
    found = [k for k in keywords if k in text]
    # 香烟 names 烟 too: name the longer word only
    return [k for k in found if not any(k != other and k in other for other in found)]


EXPLAIN_VL404 = Explanation(
    checks=(
        "招待凭证的摘要或收款人中出现“禁止招待项目”的关键词（默认 烟、酒、香烟、白酒、红酒、啤酒），"
        "就报告。"
    ),
    why="公务接待不得提供香烟和高档酒水；检查中常见以招待费名义购买烟酒。",
    compliant=example_reception(payee="梅川县城大酒店"),
    offending=example_reception(narration="接待梅川县农业农村局检查组工作餐（含白酒两瓶）"),
    decisions=(
        "饭店名称里的关键词（大酒店、酒店、酒楼、酒家）不算：在“县城大酒店”吃饭不是买酒。",
        "“烟酒店”算：它卖的就是烟酒。",
        "来客单位、作物和厂名里的“烟草”“烟叶”“酒厂”“酒业”不算：接待“县烟草专卖局”、检查“烟叶收购”、"
        "接待“县酒厂”都不是买烟买酒（乡镇把这些词本身列为禁止项目时仍算）。",
        "只检查招待凭证：村里小卖部进货的啤酒记在 511 经营支出，不受此规则约束。",
        "村里可以在“禁止招待项目”中增加关键词，不能删去乡镇规定的关键词（见 VL902）。",
    ),
    fix="烟酒费用由个人承担并退回；以后在清单中不得列支。",
)


@rule("VL404", "招待列支禁止项目", reads=("禁止招待项目",), explain=EXPLAIN_VL404)
def reception_buys_banned_items(model: LedgerModel) -> Iterator[Hit]:
    """The narration or payee of a reception names an item of 禁止招待项目."""
    keywords_on = policy_reader(model, "禁止招待项目")
    for reception in receptions(model):
        if reception.amount <= 0:
            continue
        entry = reception.entry
        payee, narration = (entry.payee or "").strip(), (entry.narration or "").strip()
        found = banned_items(f"{payee}　{narration}", keywords_on(reception.day))
        if found:
            yield Hit(
                reception.meta,
                f"招待费 {payee}“{narration}” {fmt_yuan(reception.amount)} 元含禁止招待项目："
                f"{'、'.join(found)}",
                reception.day,
                amount=reception.amount,
                policy="禁止招待项目",
            )


# ---- VL406, VL407: entertainment and trips booked as something else ----

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
