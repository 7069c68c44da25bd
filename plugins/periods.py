"""VL6xx 期间与公开 (periods and disclosure): published quarters stay as they were published.

A quarter is sealed after its 财务公开 is published, by a `公开封存` directive carrying the digest
of its books (`village-ledger seal`; what the digest covers is in `village_ledger.sealing`).

VL601: a sealed quarter's books no longer match its digest, whichever file changed: the
village's own, one it includes from elsewhere, or the township's (a backdated appointment or
policy item there changes the quarter as much). The finding sits on the seal directive and says,
from what the seal command recorded, whether the township's files changed and how the count of
vouchers and their debit total changed.
VL602: a voucher dated inside a sealed quarter that was booked after the seal: its number comes
after the last number of its month that the seal recorded (`last-vouchers`). Vouchers are
numbered without gaps, so an entry slipped into a published month must take a later number. The
finding sits on the voucher itself; the quarter's VL601 fires as well.
VL603: as of the audit's day (`model.as_of`; in bean-check and Fava today, or
`VILLAGE_LEDGER_TODAY`), a quarter ended more than 公开期限天数 ago and
has no seal dated on or before today. Quarters before the first voucher are not reported; each
unsealed quarter is reported once, on line 1 of the main file, where `seal --write` puts the seal.

VL604 (预警): a quarter sealed after its deadline (公开期限天数 after its end): published late.
The warning sits on the seal; the seal's date is the day of publication.

VL601 reads the quarters' seal states (`village_ledger.sealing.checked_seals`), the answer the
reports and the dashboard show; VL603 reads `sealing.SealCalendar`, which answers as
`seal_states` does but keeps without the books, so a cached village is judged again each day.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel
from village_ledger.model.columns import voucher_columns
from village_ledger.model.seals import Quarter
from village_ledger.model.subjects import subject_at, subject_of
from village_ledger.money import fmt_yuan, to_cents
from village_ledger.registry import Dated, Explanation, rule
from village_ledger.sealing import (
    QuarterBooks,
    SealCalendar,
    SealedFigures,
    SealState,
    checked_seals,
    sealed_figures,
    today,
    voucher_number,
)

__plugins__ = (make_plugin("periods"),)

CORRECTION = "公开后的更正应在未封存的期间以红字冲销入账，不能改动已公开的账目"


# ---- ledger text the explanations of several rules share (village-ledger rule VL6xx) ----

EXAMPLE_Q1_BOOKS = """\
2025-02-11 * "城关文具店" "购买村部办公用品"
  voucher: "2025-02-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25320000000012345678"
  Expenses:513-管理费用:51302-办公费  360.00 CNY
  Assets:102-银行存款:10201-农商行

2025-03-05 * "梅川县供电公司" "缴纳2月份村部电费"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25320000000012345679"
  Expenses:513-管理费用:51305-水电费  320.00 CNY
  Assets:102-银行存款:10201-农商行
"""

EXAMPLE_Q1_SEAL = """\
2025-04-10 custom "公开封存" "2025Q1" "sha256:e093fa162745a383ae8fb5486537db0006d51766018443f47492468de13fa45b"
  vouchers: 2
  total: 680.00
  last-vouchers: "2025-02-001,2025-03-001"
"""

EXAMPLE_DISCLOSURE = (
    "《农村集体经济组织财务公开规定》和《村民委员会组织法》第三十条要求至少每季度公开一次财务，"
    "公开前由村务监督委员会（民主理财小组）审核。"
)


def example_voucher_after_seal(day: str, number: str) -> str:
    return f"""\
{day} * "城关文具店" "购买打印纸"
  voucher: "{number}"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25320000000012345680"
  Expenses:513-管理费用:51302-办公费  150.00 CNY
  Assets:102-银行存款:10201-农商行
"""


EXPLAIN_VL601 = Explanation(
    checks=(
        "已公开封存（`公开封存`）的季度，其账目与封存时记录的摘要（sha256）不再一致，"
        "即公开之后又改了账，就报告；发现落在封存指令上，并说明凭证张数和借方合计的变化。"
    ),
    why=(
        EXAMPLE_DISCLOSURE + "检查中常见公开流于形式、公开后再改账。封存摘要印在公开表上，"
        "村民和审计可以核对账簿是否仍是公开时的样子。"
    ),
    compliant=EXAMPLE_Q1_BOOKS + "\n" + EXAMPLE_Q1_SEAL,
    offending=EXAMPLE_Q1_BOOKS.replace("360.00 CNY", "630.00 CNY") + "\n" + EXAMPLE_Q1_SEAL,
    decisions=(
        "摘要覆盖该季度本村文件中的全部账目（凭证、余额断言、`pad`、任职、决议、财务制度等），"
        "不含注释和排版：加注释、调整空格不算改账。",
        "公开后发现的错误用红字冲销在当前未封存的季度更正，不改已封存的账目。",
        "手写的封存指令只按摘要核对；`vouchers`、`total`、`last-vouchers` 只用于说明变化。",
        "封存由 `village-ledger seal --period YYYYQn` 生成，见用户指南。",
    ),
    fix="恢复被改动的账目，在当前季度用红字冲销更正；确需重新公开的，重新公开后再封存。",
    as_of="2025-05-20",
)


@rule("VL601", "已公开封存的账目被改动", explain=EXPLAIN_VL601)
def sealed_books_changed(model: LedgerModel) -> Iterator[Hit]:
    """A sealed quarter's entries no longer match the digest of its `公开封存` directive."""
    for state in checked_seals(model):
        if state.broken and state.seal is not None and state.books is not None:
            seal, quarter, now = state.seal, state.quarter, state.books
            yield Hit(
                seal.entry.meta,
                f"{quarter.label}（{quarter}）已于 {seal.day} 公开封存，但账目与封存摘要不符，"
                f"公开后被改动：{how_changed(state)}；{CORRECTION}",
                seal.day,
                amount=total_change(sealed_figures(seal), now),
            )


def how_changed(state: SealState) -> str:
    """Which side changed, when the seal recorded the township files' digest, and how the
    village's vouchers changed."""
    assert state.seal is not None and state.books is not None
    village = what_changed(sealed_figures(state.seal), state.books)
    if not state.township_changed:
        return village
    township = f"乡镇共用文件中{TOWNSHIP_ITEMS}与封存时不同"
    if state.village_changed is False:
        return f"{township}，本村账目未变"
    return f"{township}；本村账目也有改动，{village}"


TOWNSHIP_ITEMS = "本季度及以前的任职、会议决议、财务制度等记录"


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


EXPLAIN_VL602 = Explanation(
    checks=(
        "在已封存的季度里新增了凭证：凭证日期在封存季度内，编号排在封存时该月最后一张凭证之后。"
        "发现落在这张凭证上；该季度的 VL601 也同时报告。"
    ),
    why=(EXAMPLE_DISCLOSURE + "公开以后补记到已公开期间的凭证，村民在公开栏上从来没有看到过。"),
    compliant=EXAMPLE_Q1_BOOKS
    + "\n"
    + EXAMPLE_Q1_SEAL
    + "\n"
    + example_voucher_after_seal("2025-04-15", "2025-04-001"),
    offending=EXAMPLE_Q1_BOOKS
    + "\n"
    + EXAMPLE_Q1_SEAL
    + "\n"
    + example_voucher_after_seal("2025-03-20", "2025-03-002"),
    decisions=(
        "凭证每月连续编号，补进已公开月份的凭证只能用更大的编号，所以按封存时记录的各月最后凭证号"
        "（`last-vouchers`）判断。",
        "封存时就有、只是改了编号的凭证不算新增（由 VL601 报告改动）。",
        "封存前没有凭证的月份，新增的任何凭证都报告。",
    ),
    fix="把漏记的业务记在当前未封存的季度。",
    as_of="2025-05-20",
)


@rule("VL602", "已封存期间内新增凭证", explain=EXPLAIN_VL602)
def voucher_added_after_seal(model: LedgerModel) -> Iterator[Hit]:
    """A voucher inside a sealed quarter numbered after the last voucher the seal recorded."""
    columns = voucher_columns(model)  # the vouchers in date order, and their numbers
    for seal in model.seals:
        last = sealed_figures(seal).last_vouchers
        if last is None:
            continue  # sealed by hand without the numbers
        first = bisect_left(columns.days, seal.quarter.first_day)
        end = bisect_right(columns.days, seal.quarter.last_day, lo=first)
        booked = booked_before(last, end - first)
        for voucher, number in zip(
            columns.entries[first:end], columns.vouchers[first:end], strict=True
        ):
            if type(number) is str and number in booked:
                continue
            added = added_after(voucher, last)
            if added is not None:
                yield Hit(
                    voucher.meta,
                    f"凭证 {voucher.meta['voucher']}（{voucher.date}）记在已于 {seal.day} "
                    f"公开封存的{seal.quarter.label}（{seal.quarter}）内，是封存后新增的"
                    f"（{added}）；{CORRECTION}",
                    voucher.date,
                )


def booked_before(last: dict[str, int], limit: int) -> frozenset[str]:
    """Voucher numbers as the seal command writes them (`2025-03-001`) up to the last of each
    month the seal recorded, at most `limit` of them (the quarter's count of vouchers: the list
    is the ledger's, and may be hand-edited): a voucher numbered so was booked before the seal,
    known without parsing its number, which is most vouchers; any other is parsed."""
    numbers: list[str] = []
    for month, count in last.items():  # (`%` formats a number faster than an f-string)
        numbers += map(f"{month}-%03d".__mod__, range(1, min(count, limit) + 1))
    return frozenset(numbers[:limit])


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


EXPLAIN_VL603 = Explanation(
    checks=(
        "一个季度结束已超过“公开期限天数”，还没有在今天或之前封存（`公开封存`），就预警。"
        "每个未封存的季度预警一次，落在主文件第 1 行（`seal --write` 写入封存指令的文件）。"
    ),
    why=(
        EXAMPLE_DISCLOSURE
        + "检查中常见公开栏几个月不更新。公开一般在下季度第一个月的 8 日至 15 日。"
    ),
    compliant=EXAMPLE_Q1_BOOKS + "\n" + EXAMPLE_Q1_SEAL,
    offending=EXAMPLE_Q1_BOOKS,
    decisions=(
        "“今天”是运行检查的日期；设置环境变量 `VILLAGE_LEDGER_TODAY=YYYY-MM-DD` 可以按另一天检查"
        "（审计某一天的状态，或测试）。示例按 2025-04-20 检查。",
        "在期限的最后一天封存不预警；封存指令的日期晚于今天的，今天还不算封存。",
        "从第一张凭证所在的季度算起；没有凭证的账簿不预警。",
        "村里可以把期限定得更短，不能更长。",
    ),
    fix="由监委会审核后公开该季度财务，再运行 `village-ledger seal --period YYYYQn --write` 封存。",
    as_of="2025-04-20",
)


class ToSeal(NamedTuple):
    """VL603's state (`registry.Dated`): the seals and deadlines, and what line 1 of the main
    file (where its findings sit) is about."""

    calendar: SealCalendar
    subject: str


def quarters_to_seal(model: LedgerModel) -> ToSeal:
    calendar = SealCalendar.of(model)
    return ToSeal(calendar, _subject_on_line_one(model))


def _subject_on_line_one(model: LedgerModel) -> str:
    """What `subject_at` names for line 1 of the main file (normally an option: nothing),
    without building the subjects of every entry when no quarter may ever be reported."""
    for entry in model.entries:
        meta = entry.meta or {}
        if meta.get("lineno") == 1 and meta.get("filename") == model.main_file:
            return subject_of(entry)
    return ""


def _line_one(calendar: SealCalendar) -> dict[str, Any]:
    return {"filename": calendar.main_file, "lineno": 1}


def overdue_on(state: ToSeal, as_of: date) -> Iterator[Hit]:
    """VL603 on a day: each quarter overdue then, once, on line 1 of the main file."""
    for quarter, deadline in state.calendar.overdue(as_of):
        days = (deadline - quarter.last_day).days
        yield Hit(
            _line_one(state.calendar),
            f"{quarter.label}（{quarter}）已于 {quarter.last_day} 结束，"
            f"应在 {days} 天内（最迟 {deadline}）公开并封存，至 {as_of} 仍未封存；"
            f"公开后运行 village-ledger seal --period {quarter} 生成“公开封存”指令",
            deadline,
            policy="公开期限天数",
            subject=state.subject,
        )


@rule(
    "VL603",
    "季度逾期未公开封存",
    Severity.WARNING,
    reads=("公开期限天数",),
    explain=EXPLAIN_VL603,
    dated=Dated(quarters_to_seal, overdue_on),
)
def quarter_not_sealed(model: LedgerModel) -> Iterator[Hit]:
    """A quarter ended more than 公开期限天数 ago and has no seal dated on or before today."""
    return overdue_on(quarters_to_seal(model), model.as_of or today())


EXPLAIN_VL604 = Explanation(
    checks=(
        "一个季度的封存（`公开封存`）日期晚于该季度结束后“公开期限天数”的最后一天，就预警：公开晚了。"
        "预警落在封存指令上，写明期限和晚了多少天。"
    ),
    why=(
        EXAMPLE_DISCLOSURE
        + "封存的日期就是公开的日期；按时封存的季度不等于按时公开，逾期公开本身就是检查中常见的问题。"
    ),
    compliant=EXAMPLE_Q1_BOOKS + "\n" + EXAMPLE_Q1_SEAL,
    offending=EXAMPLE_Q1_BOOKS + "\n" + EXAMPLE_Q1_SEAL.replace("2025-04-10", "2025-04-16"),
    decisions=(
        "在期限的最后一天封存不预警（默认季度结束后第 15 天，如一季度为 4 月 15 日），第二天起预警。",
        "期限取季度最后一天生效的“公开期限天数”。",
        "尚未封存的逾期季度由 VL603 预警；封存以后 VL603 不再预警，改由本规则记录晚了多少天。",
        "和 VL603 一样按检查当天判断：日期晚于今天的封存今天还不算封存，也不预警。",
    ),
    fix="已经晚了的无法更改；以后在期限内公开并封存。封存的日期应如实写公开的日期。",
    as_of="2025-04-20",
)


class LateSeal(NamedTuple):
    """A quarter sealed after its deadline, as VL604 needs it whatever the day (picklable)."""

    quarter: Quarter
    days: int
    deadline: date
    sealed: date
    late: int
    meta: dict[str, Any]
    subject: str


def late_seals(model: LedgerModel) -> list[LateSeal]:
    found = []
    for due in model.figures.late_seals(date.max):
        seal = due.seal
        assert seal is not None
        meta: dict[str, Any] = {
            k: seal.entry.meta[k] for k in ("filename", "lineno") if k in seal.entry.meta
        }
        found.append(
            LateSeal(due.quarter, due.days, due.deadline, seal.day, due.sealed_late, meta,
                     subject_at(model, seal.entry.meta))
        )  # fmt: skip
    return found


def sealed_late_on(state: list[LateSeal], as_of: date) -> Iterator[Hit]:
    """VL604 on a day: the late seals dated on or before it (a later one has not happened yet)."""
    for late in state:
        if late.sealed > as_of:
            continue
        quarter = late.quarter
        yield Hit(
            late.meta,
            f"{quarter.label}（{quarter}）应在 {late.days} 天内（最迟 {late.deadline}）公开并封存，"
            f"{late.sealed} 才封存，晚了 {late.late} 天",
            late.sealed,
            policy="公开期限天数",
            subject=late.subject,
        )


@rule(
    "VL604",
    "季度逾期公开封存",
    Severity.WARNING,
    reads=("公开期限天数",),
    explain=EXPLAIN_VL604,
    dated=Dated(late_seals, sealed_late_on),
)
def quarter_sealed_late(model: LedgerModel) -> Iterator[Hit]:
    """A quarter was sealed (published) after its deadline: the seal's date tells."""
    if not model.seals.by_quarter:
        return iter(())
    return sealed_late_on(late_seals(model), model.as_of or today())
