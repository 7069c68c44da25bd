"""VL6xx 期间与公开 (periods and disclosure): published quarters stay as they were published.

A quarter is sealed after its 财务公开 is published, by a `公开封存` directive carrying the digest
of its books (`village-ledger seal`; what the digest covers is in `village_ledger.sealing`).

VL601: a sealed quarter's books no longer match its digest. The finding sits on the seal
directive and says, from the figures the seal command recorded, how the count of vouchers and
their debit total changed.
VL602: a voucher dated inside a sealed quarter that was booked after the seal: its number comes
after the last number of its month that the seal recorded (`last-vouchers`). Vouchers are
numbered without gaps, so an entry slipped into a published month must take a later number. The
finding sits on the voucher itself; the quarter's VL601 fires as well.
VL603: as of today (or `VILLAGE_LEDGER_TODAY`), a quarter ended more than 公开期限天数 ago and
has no seal dated on or before today. Quarters before the first voucher are not reported; each
unsealed quarter is reported once, on line 1 of the main file, where `seal --write` puts the seal.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel, Quarter
from village_ledger.model.seals import Seal
from village_ledger.money import fmt_yuan, to_cents
from village_ledger.registry import rule
from village_ledger.sealing import (
    QuarterBooks,
    SealedFigures,
    quarter_books,
    sealed_figures,
    today,
    voucher_number,
)

__plugins__ = (make_plugin("periods"),)

CORRECTION = "公开后的更正应在未封存的期间以红字冲销入账，不能改动已公开的账目"


@rule("VL601", "已公开封存的账目被改动")
def sealed_books_changed(model: LedgerModel) -> Iterator[Hit]:
    """A sealed quarter's entries no longer match the digest of its `公开封存` directive."""
    seals = {seal.quarter: seal for seal in model.seals}
    if not seals:
        return
    books = quarter_books(model.entries, seals, model.is_township_file)
    for quarter, seal in seals.items():
        now = books[quarter]
        if now.digest != seal.digest:
            yield Hit(
                seal.entry.meta,
                f"{quarter.label}（{quarter}）已于 {seal.day} 公开封存，但账目与封存摘要不符，"
                f"公开后被改动：{what_changed(sealed_figures(seal), now)}；{CORRECTION}",
                seal.day,
                amount=total_change(sealed_figures(seal), now),
            )


def what_changed(then: SealedFigures, now: QuarterBooks) -> str:
    """The change in the count of vouchers and their debit total, as far as the seal tells."""
    current = f"现有凭证 {len(now.vouchers)} 笔、借方合计 {fmt_yuan(now.total)} 元"
    if then.vouchers is None or then.total is None:
        return f"{current}（封存指令未记录封存时的笔数与合计）"
    if then.vouchers == len(now.vouchers) and to_cents(then.total) == to_cents(now.total):
        return (
            f"凭证笔数（{then.vouchers} 笔）与借方合计（{fmt_yuan(now.total)} 元）未变，"
            "可能改动了凭证的日期、科目、对方、摘要、标记、标签或元数据，"
            "或本季度的余额断言、任职、会议决议、财务制度等记录"
        )
    change = f"封存时凭证 {then.vouchers} 笔、借方合计 {fmt_yuan(then.total)} 元，{current}"
    if then.last_vouchers is not None:
        added = sum(added_after(v, then.last_vouchers) is not None for v in now.vouchers)
        if added:
            change += f"，其中 {added} 笔是封存后新增的（见 VL602）"
    return change


def total_change(then: SealedFigures, now: QuarterBooks) -> Decimal | None:
    if then.total is None or to_cents(then.total) == to_cents(now.total):
        return None
    return now.total - then.total


@rule("VL602", "已封存期间内新增凭证")
def voucher_added_after_seal(model: LedgerModel) -> Iterator[Hit]:
    """A voucher inside a sealed quarter numbered after the last voucher the seal recorded."""
    seals = {(s.quarter.year, s.quarter.number): s for s in model.seals}
    recorded = {key: sealed_figures(s).last_vouchers for key, s in seals.items()}
    if not any(last is not None for last in recorded.values()):
        return  # nothing sealed, or sealed by hand without the numbers
    for voucher in model.vouchers:
        key = (voucher.date.year, (voucher.date.month + 2) // 3)
        last = recorded.get(key)
        if last is None:
            continue
        added = added_after(voucher, last)
        if added is not None and not model.is_township_file(voucher.meta.get("filename", "")):
            seal = seals[key]
            yield Hit(
                voucher.meta,
                f"凭证 {voucher.meta['voucher']}（{voucher.date}）记在已于 {seal.day} "
                f"公开封存的{seal.quarter.label}（{seal.quarter}）内，是封存后新增的"
                f"（{added}）；{CORRECTION}",
                voucher.date,
            )


def added_after(voucher: data.Transaction, last: dict[str, int]) -> str | None:
    """Why a voucher's number shows it was booked after the seal, or None if it does not."""
    parsed = voucher_number(voucher)
    if parsed is None:  # no usable number: only the digest (VL601) can tell
        return None
    month, count = parsed
    if count <= last.get(month, 0):
        return None
    year, mm = month.split("-")
    if month not in last:
        return f"封存时 {year} 年 {int(mm)} 月没有凭证"
    return f"封存时 {year} 年 {int(mm)} 月的凭证止于 {month}-{last[month]:03d}"


@rule("VL603", "季度逾期未公开封存", Severity.WARNING, reads=("公开期限天数",))
def quarter_not_sealed(model: LedgerModel) -> Iterator[Hit]:
    """A quarter ended more than 公开期限天数 ago and has no seal dated on or before today."""
    if not model.vouchers:
        return
    as_of = today()
    where = {"filename": model.main_file, "lineno": 1}
    quarter = Quarter.of(model.vouchers[0].date)
    while quarter.last_day < as_of:
        days = model.policy.value("公开期限天数", quarter.last_day)
        deadline = quarter.last_day + timedelta(days=days)
        if as_of > deadline and not sealed_by(model.seals.get(quarter), as_of):
            yield Hit(
                where,
                f"{quarter.label}（{quarter}）已于 {quarter.last_day} 结束，"
                f"应在 {days} 天内（最迟 {deadline}）公开并封存，至 {as_of} 仍未封存；"
                f"公开后运行 village-ledger seal --period {quarter} 生成“公开封存”指令",
                deadline,
                policy="公开期限天数",
            )
        quarter = quarter.next()


def sealed_by(seal: Seal | None, as_of: date) -> bool:
    return seal is not None and seal.day <= as_of
