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
VL406 (预警, disguised entertainment) and VL407 (预警, trips) read the payments that are not
receptions: rules of this family in `plugins/disguised.py`, imported below.

Reversals (红字冲销, negative amounts) lower the year's total; a year that falls back under the
cap or the mark is reported again if it crosses it again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_CEILING, Decimal

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel
from village_ledger.model.index import policy_reader
from village_ledger.model.receptions import Reception, receptions
from village_ledger.money import CENT, fmt_yuan
from village_ledger.registry import Explanation, rule

# VL406, VL407 (spending booked as something else) live in their own module; importing it
# registers them with the family
from . import disguised  # noqa: F401

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
