"""VL3xx 票据 (receipts and vouchers): every expense and asset purchase rests on an invoice or an
accepted receipt, invoices are well formed and used once, the 收款收据 book and the 记账凭证 are
numbered without gaps.

The rules read every voucher (`model.vouchers`: transactions the accountant booked, not those
Beancount's `pad` generated).

- VL301: a voucher that debits an Expenses account or buys an asset (121, 13x, 151, 153, 161,
  171: `AccountInfo.is_asset_purchase`) has no `invoice` and no accepted `receipt`
  (收款收据, 工资表, 银行回单, 内部凭证).
- VL302: `receipt: "白条"` on any voucher: an informal note is never a voucher.
- VL303: an invoice number used twice, within one village or across the villages of one check.
- VL304 (预警): `invoice-date` after the booking date, more than `票据最长间隔天数` before it, or
  not a date at all.
- VL305: an `invoice` that is not a 20-digit 全电发票 number or `<10 or 12 digit 发票代码>-<8
  digit 发票号码>`.
- VL306 (预警, `plugins/receipt_book.py`, imported below): gaps, repeats and out-of-order use
  in the numbers of the 收款收据 book (`receipt-no`).
- VL307 (`plugins/numbering.py`, imported below so that it runs with the family): `voucher`
  missing, not `YYYY-MM-NNN`, of another month than the entry, repeated, or leaving a gap in
  its month's numbering from 001.

What each rule decided where the regulations are silent is written once, in Chinese, in its
explanation (`EXPLAIN_VL3xx` above each rule; `village-ledger rule VL303`).

How it stays fast: at 100k entries anything done per voucher in Python costs more than the
whole family may. The vouchers are read once per model into plain columns (lists of the raw
metadata values, in date order: `model.columns.voucher_columns`), and each rule first checks the compliant case in bulk with
C-level operations: invoice dates by comparing whole columns (the receipt book and a month's
voucher numbers: see `plugins/receipt_book.py` and `plugins/numbering.py`). It looks voucher by
voucher only at the rows where that check finds something to report.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from itertools import compress, repeat
from operator import gt, is_, lt
from typing import Any, NamedTuple

from beancount.core import data

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel, vocab
from village_ledger.model.columns import (
    INVOICE,
    INVOICE_SEPARATORS,
    Invoices,
    VoucherColumns,
    invoice_list,
    invoice_number,
    present,
    voucher_columns,
)
from village_ledger.model.directives import type_name
from village_ledger.model.running import as_text
from village_ledger.money import fmt_yuan
from village_ledger.registry import Explanation, rule

# VL306 (the 收款收据 book) lives in its own module; importing it registers it with the family
from . import receipt_book  # noqa: F401

# importing numbering registers VL307, the family's rule on voucher numbers (relative, so that
# mypy, which checks this folder as `plugins`, follows it too)
from .numbering import (
    EXAMPLE_INVOICE_LINE,
    about,
    example_office_purchase,
    label_of,
    unquoted,
    voucher_label,
)

__plugins__ = (make_plugin("receipts"),)

ZERO = Decimal(0)
# ASCII digits only: `\d` would take full-width and other scripts' digits
ISO_DATES = re.compile(r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2}\n)*[0-9]{4}-[0-9]{2}-[0-9]{2}")
# an invoice date as accountants copy it off the invoice or out of Excel: 2025/03/10,
# 2025.3.10, 2025-3-10, 2025年3月10日
WRITTEN_DATE = re.compile(r"([0-9]{4})(?:[-/.]|年)([0-9]{1,2})(?:[-/.]|月)([0-9]{1,2})日?")

INVOICE_EXAMPLE = "144032509110-01234567"
INVOICE_FORM = (
    f"应为 20 位数字的全电发票号码，或“10 位或 12 位发票代码-8 位发票号码”（如 {INVOICE_EXAMPLE}）"
)
ACCEPTED = "、".join(vocab.ACCEPTED_RECEIPTS)
ACCEPTED_OR_IOU = frozenset((*vocab.ACCEPTED_RECEIPTS, vocab.IOU))


# ---- reading the metadata ----


def has_invoice(value: Any) -> bool:
    """An `invoice` value is there, well formed or not."""
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def invoice_problem(value: Any) -> str | None:
    """What is wrong with an `invoice` value; None when it is well formed (one number, or
    several listed) or absent."""
    if not has_invoice(value) or invoice_number(value) is not None:
        return None
    if not isinstance(value, str):
        return f"发票号码（{unquoted('invoice', value, INVOICE_EXAMPLE)}）"
    if invoice_list(value) is not None:
        return None
    parts = [p for p in INVOICE_SEPARATORS.split(value) if p]
    bad = [p for p in parts if not INVOICE.fullmatch(p)]
    if len(parts) > 1 and len(bad) < len(parts):
        return f"发票号码“{'”“'.join(bad)}”格式不对（共写了 {len(parts)} 个号码），{INVOICE_FORM}"
    return f"发票号码“{value.strip()}”格式不对，{INVOICE_FORM}"


def read_day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    written = WRITTEN_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if written is None:
        return None
    try:
        return date(*map(int, written.groups()))
    except ValueError:  # 2025-13-01
        return None


def receipted_debit(model: LedgerModel, entry: data.Transaction) -> tuple[Decimal, str | None]:
    """What the entry debits to expense and asset-purchase accounts, and the first such account."""
    total = ZERO
    first = None
    for posting in entry.postings:
        units = posting.units
        number = units.number if units is not None else None
        if not isinstance(number, Decimal) or number <= 0:
            continue
        info = model.chart.get(posting.account)
        if info.is_expense or info.is_asset_purchase:
            total += number
            first = first or posting.account
    return total, first


def daily(model: LedgerModel, key: str) -> Callable[[date], Any]:
    """A policy item by day, looked up once per day rather than once per entry."""
    memo: dict[date, Any] = {}

    def on(day: date) -> Any:
        if day not in memo:
            memo[day] = model.policy.value(key, day)
        return memo[day]

    return on


# ---- VL301, VL302: a voucher for every expense ----


EXAMPLE_SOURCE_DOCUMENTS = (
    "原始凭证要写明付款人、收款人、日期、内容、数量、单价、金额和经手人签字，"
    "外来凭证要有开具单位的印章（“票据管理规范”）。"
)


EXPLAIN_VL301 = Explanation(
    checks=(
        "借记费用类科目（Expenses）或购置资产（121 库存物资、13x 生物资产、151 固定资产、"
        "153 在建工程、161 无形资产、171 长期待摊费用）的凭证，既没有发票 `invoice`，"
        "也没有认可的其他凭据 `receipt`（收款收据、工资表、银行回单、内部凭证），就报告。"
    ),
    why=(
        EXAMPLE_SOURCE_DOCUMENTS + "检查中常见自制原始凭证、票据管理混乱、支出没有凭据。"
        "没有凭据的支出无从核实钱花到了哪里。"
    ),
    compliant=example_office_purchase(EXAMPLE_INVOICE_LINE),
    offending=example_office_purchase(""),
    decisions=(
        "“借记”指金额为正的分录：红字冲销（金额为负）和年终结转不需要凭据。",
        '计提折旧、在建工程转固定资产等内部转账写 `receipt: "内部凭证"`。',
        '写了 `invoice` 但号码格式不对，只由 VL305 报告；`receipt: "白条"` 只由 VL302 报告。',
        "`receipt` 写了认可类型以外的文字，报 VL301，并列出认可的类型。常见的别称按认可类型读："
        "收据（收款收据），工资单、工资发放表、工资花名册（工资表），回单、银行进账单、银行收款回单、"
        "银行付款回单（银行回单），自制凭证、内部转账单（内部凭证）。",
    ),
    fix='取得发票并写 `invoice: "发票号码"`；没有发票的，写明认可的凭据类型并附凭据。',
)


@rule("VL301", "支出或购置资产无合规凭据", explain=EXPLAIN_VL301)
def expense_without_voucher(model: LedgerModel) -> Iterator[Hit]:
    """An entry that debits an Expenses account or buys an asset has an `invoice` or an accepted
    `receipt` type (收款收据, 工资表, 银行回单, 内部凭证)."""
    cols = voucher_columns(model)
    invoices = invoice_numbers(cols)
    # rows with no invoice value; a malformed one is VL305's finding, 白条 VL302's
    without = compress(range(len(cols.entries)), map(is_, cols.invoices, repeat(None)))
    blank = (i for i in invoices.odd if not has_invoice(cols.invoices[i]))
    for i in sorted([*without, *blank]):
        if cols.receipts[i] in ACCEPTED_OR_IOU:
            continue
        receipt = as_text(cols.receipts[i])
        if receipt is not None and vocab.receipt_named(receipt) in ACCEPTED_OR_IOU:
            continue
        entry = cols.entries[i]
        debit, account = receipted_debit(model, entry)
        if account is None:
            continue
        what = f"记入 {account.rpartition(':')[2]} 的 {fmt_yuan(debit)} 元{about(entry)}"
        if receipt is None:
            why = "没有发票（invoice），也没有其他凭据（receipt）"
        else:
            why = f"所附凭据“{receipt}”不是认可的凭据类型"
        yield Hit(
            entry.meta,
            f"{what}{why}；应取得发票，或注明{ACCEPTED}之一",
            entry.date,
            amount=debit,
        )


EXPLAIN_VL302 = Explanation(
    checks='凭证写着 `receipt: "白条"`，即以非正式的字条入账，就报告（不论收入还是支出）。',
    why=(
        "白条入账、白条抵库是检查中最常见的问题之一。白条没有开具单位、没有印章，"
        "无法核实真假，任何情况下都不能作为记账凭证。"
    ),
    compliant=example_office_purchase('  receipt: "收款收据"\n'),
    offending=example_office_purchase('  receipt: "白条"\n'),
    decisions=(
        "白条只由 VL302 报告，不再同时算作 VL301 的“没有凭据”。",
        "收入凭证上写白条同样报告。",
    ),
    fix="向收款方取得发票或正式收据；确实无法取得的，由经手人说明情况、监委会核实后按程序处理。",
)


@rule("VL302", "白条入账", explain=EXPLAIN_VL302)
def iou_as_voucher(model: LedgerModel) -> Iterator[Hit]:
    """`receipt: "白条"`: an informal note is never a voucher."""
    cols = voucher_columns(model)
    ious = {v for v in set(cols.receipts) if v is not None and as_text(v) == vocab.IOU}
    if not ious:
        return
    for i, receipt in enumerate(cols.receipts):
        if receipt in ious:
            entry = cols.entries[i]
            debit, _ = receipted_debit(model, entry)
            yield Hit(
                entry.meta,
                f"白条入账：{label_of(entry)}{about(entry)}以白条作为凭据；"
                "白条不能作为记账凭证，应取得发票或收款收据等合规凭据",
                entry.date,
                amount=debit or None,
            )


# ---- VL303, VL304, VL305: invoices ----


def invoice_numbers(cols: VoucherColumns) -> Invoices:
    return cols.checked


def invoice_uses(cols: VoucherColumns) -> list[int]:
    """The rows with a well-formed invoice number."""
    return present(invoice_numbers(cols).numbers)


def first_uses(cols: VoucherColumns) -> list[tuple[int, str]]:
    """(row, number) for the first use of each invoice number (a row may list several)."""
    invoices = invoice_numbers(cols)
    uses = invoices.uses(invoice_uses(cols))
    if len({n for _, n in uses}) == len(uses):
        return uses
    seen: set[str] = set()
    first = []
    for i, number in uses:
        if number not in seen:
            seen.add(number)
            first.append((i, number))
    return first


class InvoiceUses(NamedTuple):
    """One village's first use of each invoice number, as columns, for the check across
    villages: a few lists of plain values, small to pickle."""

    title: str
    numbers: list[str]
    days: list[date]
    vouchers: list[Any]  # the raw `voucher` values, made labels only when reported
    filenames: list[str]
    linenos: list[int]


def first_invoice_uses(model: LedgerModel) -> InvoiceUses:
    """The village's title and the first use of each of its invoice numbers."""
    cols = voucher_columns(model)
    uses = first_uses(cols)
    rows = [i for i, _ in uses]
    return InvoiceUses(
        model.title,
        [n for _, n in uses],
        *(list(map(column.__getitem__, rows)) for column in (cols.days, cols.vouchers)),
        *(list(map(column.__getitem__, rows)) for column in (cols.filenames, cols.linenos)),
    )


def invoice_reused_across_villages(
    summaries: Sequence[tuple[str, InvoiceUses]],
) -> Iterator[tuple[str, Hit]]:
    """Every use of an invoice number after its first use in another village of the run."""
    counts = Counter(n for _, uses in summaries for n in uses.numbers)
    reused = {number for number, count in counts.items() if count > 1}
    if not reused:
        return
    found: dict[str, list[tuple[date, str, InvoiceUses, int]]] = defaultdict(list)
    for village, uses in summaries:
        for j, number in enumerate(uses.numbers):
            if number in reused:
                found[number].append((uses.days[j], village, uses, j))
    for number, group in found.items():
        group.sort(key=lambda use: (use[0], use[1]))
        day, village, uses, j = group[0]
        where = f"{uses.title}（{village}）" if uses.title else village
        label = voucher_label(uses.vouchers[j], uses.filenames[j], uses.linenos[j])
        for later_day, later_village, later, k in group[1:]:
            yield (
                later_village,
                Hit(
                    {"filename": later.filenames[k], "lineno": later.linenos[k]},
                    f"发票 {number} 已于 {day} 在{where}入账（{label}），本村再次入账；"
                    "同一张发票不能在两个村重复报销",
                    later_day,
                ),
            )


EXPLAIN_VL303 = Explanation(
    checks=(
        "同一个发票号码入账两次：在本村之内，或在同一次检查的不同村之间。发现落在后一次入账上，"
        "并指明第一次入账的日期和凭证（跨村时还有村名）。"
    ),
    why=(
        "一张发票报销两次，是虚列支出的常见手法；村账乡代管时，同一张发票还可能在两个村分别报销。"
    ),
    compliant=example_office_purchase(EXAMPLE_INVOICE_LINE)
    + "\n"
    + example_office_purchase('  invoice: "25320000000012345679"\n', "2025-03-002", "2025-03-20"),
    offending=example_office_purchase(EXAMPLE_INVOICE_LINE)
    + "\n"
    + example_office_purchase(EXAMPLE_INVOICE_LINE, "2025-03-002", "2025-03-20"),
    decisions=(
        "只比较格式正确的发票号码（格式错误由 VL305 报告）。",
        "一张凭证的 `invoice` 写了几个号码（用逗号、顿号、分号或空格隔开）的，每个号码分别比较。",
        "本村之内，按记账顺序（日期、再按文件行号）第一次之后的每次使用都报告。",
        "跨村时，每个村只拿出每个号码的第一次使用；按日期、再按村名排序，"
        "第一次之后其他村的每次使用都报告。本村内的重复不会在跨村检查中再报一次。",
    ),
    fix="查明重复报销的原因，冲销多记的一笔（红字冲销），并追回多付的款项。",
)


@rule(
    "VL303",
    "发票重复使用",
    collect=first_invoice_uses,
    across=invoice_reused_across_villages,
    explain=EXPLAIN_VL303,
)
def invoice_reused(model: LedgerModel) -> Iterator[Hit]:
    """An invoice number is booked once, within a village and across the villages of a check."""
    cols = voucher_columns(model)
    invoices = invoice_numbers(cols)
    rows = invoice_uses(cols)
    if not invoices.several and len(set(map(invoices.numbers.__getitem__, rows))) == len(rows):
        return
    first: dict[str, int] = {}
    for i, number in invoices.uses(rows):
        earlier = first.setdefault(number, i)
        if earlier != i:
            entry, previous = cols.entries[i], cols.entries[earlier]
            yield Hit(
                entry.meta,
                f"发票 {number} 重复入账，已用于 {previous.date} {label_of(previous)}"
                f"{about(previous)}；同一张发票只能入账一次",
                entry.date,
            )


EXPLAIN_VL304 = Explanation(
    checks=(
        "开票日期 `invoice-date`（选填）晚于记账日期、早于记账日期超过“票据最长间隔天数”，"
        "或不是有效日期，就预警。"
    ),
    why=(
        "发票日期晚于记账日期，说明先记账后补票；发票开出很久才报销，可能是拿旧票顶账。"
        "两者都需要监委会核实。"
    ),
    compliant=example_office_purchase(EXAMPLE_INVOICE_LINE + '  invoice-date: "2025-03-10"\n'),
    offending=example_office_purchase(EXAMPLE_INVOICE_LINE + '  invoice-date: "2024-08-01"\n'),
    decisions=(
        "没写 `invoice-date` 不检查；写了就检查。",
        '开票日期写错（如 `"2025-13-01"`）报预警而不是错误：开票日期本是选填，写错只是无法检查。',
        "恰好早于记账日期“票据最长间隔天数”天不预警，再早一天才预警。",
        '日期照发票或 Excel 抄写的 `"2025/03/10"`、`"2025.3.10"`、`"2025年3月10日"` 与 '
        '`"2025-03-10"` 一样读。',
    ),
    fix="核对发票原件，更正开票日期；确属旧票的，说明原因。",
)


@rule("VL304", "开票日期异常", Severity.WARNING, reads=("票据最长间隔天数",), explain=EXPLAIN_VL304)
def invoice_date_out_of_range(model: LedgerModel) -> Iterator[Hit]:
    """The invoice is dated neither after the booking date nor more than 票据最长间隔天数
    before it."""
    cols = voucher_columns(model)
    rows = present(cols.invoice_dates)
    if invoice_dates_fine(model, cols, rows):
        return
    limit = daily(model, "票据最长间隔天数")
    for i in rows:
        entry, value = cols.entries[i], cols.invoice_dates[i]
        issued = read_day(value)
        if issued is None:
            shown = f"“{value}”" if isinstance(value, str) else f"被读作{type_name(value)} {value}"
            yield Hit(
                entry.meta,
                f"开票日期（invoice-date）{shown}不是有效日期，应写作 YYYY-MM-DD，如 2025-03-01",
                entry.date,
            )
            continue
        message = invoice_date_problem(limit(entry.date), entry.date, issued)
        if message:
            yield Hit(entry.meta, message, entry.date, policy="票据最长间隔天数")


def invoice_dates_fine(model: LedgerModel, cols: VoucherColumns, rows: list[int]) -> bool:
    """Every invoice date is a date, none after its booking, none older than the strictest
    limit the ledger ever had: then no row needs a closer look."""
    strictest = min(value for _, value in model.policy.changes("票据最长间隔天数"))
    issued = as_days(list(map(cols.invoice_dates.__getitem__, rows)))
    if issued is None:
        return False
    booked = list(map(cols.days.__getitem__, rows))
    oldest = map(date.__sub__, booked, repeat(timedelta(days=strictest)))
    return not any(map(gt, issued, booked)) and not any(map(lt, issued, oldest))


def as_days(values: list[Any]) -> list[date] | None:
    """The values as dates, when all are dates or all ISO dates (`YYYY-MM-DD`); else None."""
    if all(map(isinstance, values, repeat(date))):
        return values
    try:
        text = "\n".join(values)
    except TypeError:  # a mix, or a number
        return None
    if not ISO_DATES.fullmatch(text):
        return None
    try:
        return list(map(date.fromisoformat, values))
    except ValueError:  # 2025-13-01
        return None


def invoice_date_problem(limit: int, booked: date, issued: date) -> str | None:
    if issued > booked:
        return f"开票日期 {issued} 晚于记账日期 {booked}，先记账后开票，应核实发票与业务"
    age = (booked - issued).days
    if age > limit:
        return (
            f"开票日期 {issued} 早于记账日期 {age} 天，超过票据最长间隔天数 {limit} 天；"
            "陈旧票据应查明原因"
        )
    return None


EXPLAIN_VL305 = Explanation(
    checks=(
        "`invoice` 不是格式正确的发票号码：20 位全电发票号码，"
        "或“10 位或 12 位发票代码-8 位发票号码”。"
    ),
    why=("发票号码是核对发票真伪、发现重复报销（VL303）的依据。号码写错，这两项检查都无法进行。"),
    compliant=example_office_purchase(EXAMPLE_INVOICE_LINE),
    offending=example_office_purchase('  invoice: "2532000000001234567"\n'),
    decisions=(
        "发票号码必须加引号：Beancount 会把不加引号的 `1440325091-01234567` 读成减法算式，"
        "这种情况报 VL305 并提示加引号。",
        "号码格式错误只由 VL305 报告，VL301 不再说“没有发票”。",
    ),
    fix="照发票原件抄写号码，并用英文双引号括起来。",
)


@rule("VL305", "发票号码格式错误", explain=EXPLAIN_VL305)
def invoice_malformed(model: LedgerModel) -> Iterator[Hit]:
    """An `invoice` is a 20-digit 全电发票 number or `<10 or 12 digit code>-<8 digit number>`."""
    cols = voucher_columns(model)
    for i in invoice_numbers(cols).odd:
        problem = invoice_problem(cols.invoices[i])
        if problem is not None:
            yield Hit(cols.entries[i].meta, problem, cols.days[i])
