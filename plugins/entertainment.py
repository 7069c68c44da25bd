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

Reversals (红字冲销, negative amounts) lower the year's total; a year that falls back under the
cap or the mark is reported again if it crosses it again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any, NamedTuple

from beancount.core import data, flags

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel
from village_ledger.model.index import ledger_index, per_model, policy_reader
from village_ledger.money import CENT, fmt_yuan
from village_ledger.registry import rule

__plugins__ = (make_plugin("entertainment"),)

ZERO = Decimal(0)
CATEGORY = "招待费"
# names of eating places that contain a banned keyword without buying it
VENUE_WORDS = ("大酒店", "酒店", "酒楼", "酒家")


class Reception(NamedTuple):
    entry: data.Transaction
    day: date
    amount: Decimal
    guests_written: Any  # `guests` as written, None when absent
    hosts_written: Any
    guests: int | None  # the count, None when absent or not a count
    hosts: int | None  # absent counts as no hosts
    org: str | None
    letter: str | None

    @property
    def meta(self) -> dict[str, Any]:
        return self.entry.meta

    @property
    def who(self) -> str:
        """The visitors' unit, else the payee: who the reception was for or paid to."""
        return self.org or (self.entry.payee or "").strip() or "（未写明单位）"


def written(entry: data.Transaction, postings: list[data.Posting], key: str) -> Any:
    """A value from the transaction's metadata, else from one of its 招待费 postings."""
    value = entry.meta.get(key)
    if value is None:
        for posting in postings:
            if posting.meta and posting.meta.get(key) is not None:
                return posting.meta[key]
    return value


def text(value: Any) -> str | None:
    stripped = "" if value is None else str(value).strip()
    return stripped or None


def head_count(value: Any, *, least: int) -> int | None:
    """A count of people written as a number (`5`) or as digits (`"5"`); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = Decimal(value.strip())
    else:
        return None
    if number != number.to_integral_value() or number < least:
        return None
    return int(number)


def as_reception(
    entry: data.Transaction, amount: Decimal, postings: list[data.Posting]
) -> Reception:
    guests = written(entry, postings, "guests")
    hosts = written(entry, postings, "hosts")
    return Reception(
        entry,
        entry.date,
        amount,
        guests,
        hosts,
        head_count(guests, least=1),
        0 if hosts is None else head_count(hosts, least=0),
        text(written(entry, postings, "guest-org")),
        text(written(entry, postings, "letter")),
    )


@per_model
def receptions(model: LedgerModel) -> list[Reception]:
    """Every voucher that books entertainment, in date order."""
    index = ledger_index(model)
    entertainment = index.accounts(CATEGORY)
    found: list[Reception] = []
    for entry, amount in zip(index.entries(CATEGORY), index.amounts(CATEGORY), strict=True):
        if amount and entry.flag != flags.FLAG_PADDING:
            postings = [p for p in entry.postings if p.account in entertainment]
            found.append(as_reception(entry, amount, postings))
    return found


def year_totals(model: LedgerModel) -> Iterator[tuple[Reception, Decimal]]:
    """Each reception with its calendar year's running total after it."""
    year: int | None = None
    total = ZERO
    for reception in receptions(model):
        if reception.day.year != year:
            year, total = reception.day.year, ZERO
        total += reception.amount
        yield reception, total


@rule("VL401", "招待费超年度限额", reads=("招待费年度限额",))
def entertainment_over_annual_cap(model: LedgerModel) -> Iterator[Hit]:
    """A calendar year's entertainment may not exceed 招待费年度限额 (0: none at all)."""
    cap_on = policy_reader(model, "招待费年度限额")
    over = False
    year: int | None = None
    for reception, total in year_totals(model):
        if reception.day.year != year:
            year, over = reception.day.year, False
        cap = cap_on(reception.day)
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


@rule("VL405", "招待费接近年度限额", Severity.WARNING, reads=("招待费预警比例", "招待费年度限额"))
def entertainment_near_annual_cap(model: LedgerModel) -> Iterator[Hit]:
    """The year's entertainment has reached 招待费预警比例 of the annual cap."""
    cap_on = policy_reader(model, "招待费年度限额")
    share_on = policy_reader(model, "招待费预警比例")
    reached = False
    year: int | None = None
    for reception, total in year_totals(model):
        if reception.day.year != year:
            year, reached = reception.day.year, False
        cap, share = cap_on(reception.day), share_on(reception.day)
        mark = cap * share
        if cap > 0 and mark <= total <= cap and not reached:
            yield Hit(
                reception.meta,
                f"{year}年招待费累计 {fmt_yuan(total)} 元，已达年度限额 {fmt_yuan(cap)} 元的 "
                f"{share:.0%}（预警线 {fmt_yuan(mark)} 元）",
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


@rule("VL402", "单次招待超标", reads=("招待费单次限额", "招待费人均限额"))
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


@rule("VL403", "招待缺少来客或公函", reads=("招待需公函",))
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
    """The banned keywords `text` names, not counting those inside a restaurant's name."""
    if not any(k in text for k in keywords):
        return []
    venues = [v for v in VENUE_WORDS if v not in keywords]
    if venues:
        # a 烟酒店 sells cigarettes and liquor: it is no restaurant
        text = re.sub(f"(?<!烟)(?:{'|'.join(venues)})", "　", text)
    found = [k for k in keywords if k in text]
    # 香烟 names 烟 too: name the longer word only
    return [k for k in found if not any(k != other and k in other for other in found)]


@rule("VL404", "招待列支禁止项目", reads=("禁止招待项目",))
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
