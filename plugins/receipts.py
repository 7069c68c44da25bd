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
- VL306 (预警): gaps, repeats and out-of-order use in the numbers of the 收款收据 book
  (`receipt-no`).
- VL307: `voucher` missing, not `YYYY-MM-NNN`, of another month than the entry, repeated, or
  leaving a gap in its month's numbering from 001.

Where the specification is silent:

- "Debits" means a posting with a positive amount; a reversal (红字冲销, negative amounts) or a
  year-end closing entry that credits Expenses needs no receipt. Depreciation and transfers
  between asset accounts need `receipt: "内部凭证"`.
- A voucher whose `invoice` is present but malformed is reported by VL305 alone, not by VL301 as
  well: the invoice is there, its number is wrong. A `receipt` of 白条 is VL302 alone. An unknown
  `receipt` type is VL301, naming the accepted ones.
- Metadata written without quotes is read by Beancount as a number or a date
  (`voucher: 2025-03-001` becomes the date 2025-03-01, `invoice: 1234567890-12345678` a
  subtraction); VL305 and VL307 report it as malformed and say to add the quotes.
- Only well-formed invoice numbers are compared for reuse (VL303). Within a village the finding
  sits on every later use, in booking order (date, then file line), naming the first. Across
  villages each village contributes its first use of each number; uses are ordered by date,
  then village, and every use after the first in another village carries a finding naming the
  first use's village, date and voucher. Reuse within one village is never reported again
  across villages.
- A malformed `invoice-date` is a VL304 warning: the date is optional, and an unreadable one
  only means the check cannot be made.
- VL306 reads every voucher carrying `receipt-no`: the key is the number of the village's own
  book. A number is its trailing digits; what precedes them (`SJ-`, `2025-`) names a book, and
  each book is numbered on its own. The receipts of a book are taken in date order, same-day
  receipts by number. A receipt is out of order when a higher number was used on an earlier day.
  The first receipt of a book starts its sequence.
- VL307 accepts three or more digits for the sequence (`2025-03-1000` in a busy month). A number
  naming another month is reported once and then left out of its month's repeat and gap checks.
  A gap is reported on the voucher numbered just after it, naming the missing numbers.

How it stays fast: at 100k entries anything done per voucher in Python costs more than the
whole family may. The vouchers are read once per model into plain columns (lists of the raw
metadata values, in date order), and each rule first checks the compliant case in bulk with
C-level operations: a month's voucher numbers with one regular expression over the joined
numbers and one comparison of the sorted numbers with 1..n; the receipt book as one run of
consecutive numbers; invoice dates by comparing whole columns. It looks voucher by voucher only
at the month, book or rows where that check finds something to report.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import compress, repeat
from operator import attrgetter, gt, is_, is_not, lt
from typing import Any, NamedTuple

from beancount.core import data

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel, vocab
from village_ledger.model.directives import type_name
from village_ledger.model.index import per_model
from village_ledger.money import fmt_yuan
from village_ledger.registry import rule

__plugins__ = (make_plugin("receipts"),)

ZERO = Decimal(0)
# ASCII digits only: `\d` would take full-width and other scripts' digits
INVOICE = re.compile(r"[0-9]{20}|(?:[0-9]{10}|[0-9]{12})-[0-9]{8}")
VOUCHER = re.compile(r"([0-9]{4}-[0-9]{2})-([0-9]{3,})")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ISO_DATES = re.compile(r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2}\n)*[0-9]{4}-[0-9]{2}-[0-9]{2}")
RECEIPT_NO = re.compile(r"(.*?)([0-9]+)")

INVOICE_EXAMPLE = "144032509110-01234567"
INVOICE_FORM = (
    f"应为 20 位数字的全电发票号码，或“10 位或 12 位发票代码-8 位发票号码”（如 {INVOICE_EXAMPLE}）"
)
ACCEPTED = "、".join(vocab.ACCEPTED_RECEIPTS)
ACCEPTED_OR_IOU = frozenset((*vocab.ACCEPTED_RECEIPTS, vocab.IOU))
DATE = attrgetter("date")
# the metadata the family reads, and where each voucher is
KEYS = ("voucher", "invoice", "receipt", "invoice-date", "receipt-no", "filename", "lineno")


@dataclass(frozen=True, slots=True)
class Columns:
    """The vouchers in date order, one list per value; row i of every list is voucher i. The
    metadata values are kept as Beancount read them (None when absent)."""

    entries: list[data.Transaction]
    days: list[date]
    vouchers: list[Any]
    invoices: list[Any]
    receipts: list[Any]
    invoice_dates: list[Any]
    receipt_nos: list[Any]
    filenames: list[Any]
    linenos: list[Any]
    checked: Invoices  # the invoice numbers, checked with one regular-expression match each


@per_model
def columns_of(model: LedgerModel) -> Columns:
    """The model's vouchers as columns, read once per model and dropped with it."""
    return read_columns(model.vouchers)


def read_columns(entries: list[data.Transaction]) -> Columns:
    # one pass, touching each entry and its metadata once: at 100k entries the cost is in
    # reaching the scattered objects, not in what is done with them
    if any(map(gt, map(DATE, entries[:-1]), map(DATE, entries[1:]))):
        entries = sorted(entries, key=DATE)  # the model keeps date order; this makes sure
    days: list[date] = []
    values: dict[str, list[Any]] = {key: [] for key in KEYS}
    appends = [(key, values[key].append) for key in KEYS]
    for entry in entries:
        meta = entry.meta
        days.append(entry.date)
        for key, append in appends:
            append(meta.get(key))
    invoices = values["invoice"]
    return Columns(
        list(entries),
        days,
        values["voucher"],
        invoices,
        values["receipt"],
        values["invoice-date"],
        values["receipt-no"],
        values["filename"],
        values["lineno"],
        read_invoices(invoices),
    )


def present(values: list[Any]) -> list[int]:
    """The rows where a value is present."""
    return list(compress(range(len(values)), map(is_not, values, repeat(None))))


# ---- reading the metadata ----


def text_of(value: Any) -> str | None:
    """A metadata value as text, None when absent or blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def unquoted(key: str, value: Any, example: str) -> str:
    return f'{key} 未加引号，被读作{type_name(value)} {value}；应加引号书写，如 {key}: "{example}"'


def has_invoice(value: Any) -> bool:
    """An `invoice` value is there, well formed or not."""
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def invoice_number(value: Any) -> str | None:
    """The well-formed invoice number of an `invoice` value, if it is one."""
    if not isinstance(value, str):
        return None
    if INVOICE.fullmatch(value):
        return value
    value = value.strip()
    return value if INVOICE.fullmatch(value) else None


def invoice_problem(value: Any) -> str | None:
    """What is wrong with an `invoice` value; None when it is well formed or absent."""
    if not has_invoice(value) or invoice_number(value) is not None:
        return None
    if not isinstance(value, str):
        return f"发票号码（{unquoted('invoice', value, INVOICE_EXAMPLE)}）"
    return f"发票号码“{value.strip()}”格式不对，{INVOICE_FORM}"


def read_day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def voucher_number(value: Any) -> tuple[str, int] | None:
    """A well-formed voucher number as (`YYYY-MM`, sequence); None otherwise."""
    if not isinstance(value, str):
        return None
    match = VOUCHER.fullmatch(value) or VOUCHER.fullmatch(value.strip())
    if match is None:
        return None
    number = int(match.group(2))
    return (match.group(1), number) if number else None


def voucher_problem(value: Any, day: date) -> str:
    """What is wrong with a voucher number that `voucher_number` did not accept."""
    example = f"{month_of(day)}-001"
    if value is None or (isinstance(value, str) and not value.strip()):
        return f'没有凭证号（voucher）；应按月从 001 起连续编号，如 voucher: "{example}"'
    if not isinstance(value, str):
        return f"凭证号（{unquoted('voucher', value, example)}）"
    return (
        f"凭证号“{value.strip()}”格式不对，应为“年-月-顺序号”，顺序号每月从 001 起，如“{example}”"
    )


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def voucher_label(voucher: Any, filename: Any, lineno: Any) -> str:
    """How a finding names another voucher: its number, or its file and line."""
    if isinstance(voucher, str) and VOUCHER.fullmatch(voucher.strip()):
        return f"凭证 {voucher.strip()}"
    return f"{os.path.basename(str(filename or ''))} 第 {lineno or 0} 行的凭证"


def label_of(entry: data.Transaction) -> str:
    meta = entry.meta
    return voucher_label(meta.get("voucher"), meta.get("filename"), meta.get("lineno"))


def about(entry: data.Transaction) -> str:
    """The entry as the 监委会 recognises it: counterparty and 摘要."""
    parts = [p for p in (entry.payee, entry.narration) if p]
    return f"（{'：'.join(parts)}）" if parts else ""


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


def missing_numbers(first: int, last: int, shown: Callable[[int], str]) -> str:
    """The numbers first..last as `a`, `a、b`, or `a 至 z（共 n 个）`, however many they are."""
    if last - first < 2:
        return "、".join(shown(n) for n in range(first, last + 1))
    return f"{shown(first)} 至 {shown(last)}（共 {last - first + 1} 个）"


def daily(model: LedgerModel, key: str) -> Callable[[date], Any]:
    """A policy item by day, looked up once per day rather than once per entry."""
    memo: dict[date, Any] = {}

    def on(day: date) -> Any:
        if day not in memo:
            memo[day] = model.policy.value(key, day)
        return memo[day]

    return on


# ---- VL301, VL302: a voucher for every expense ----


@rule("VL301", "支出或购置资产无合规凭据")
def expense_without_voucher(model: LedgerModel) -> Iterator[Hit]:
    """An entry that debits an Expenses account or buys an asset has an `invoice` or an accepted
    `receipt` type (收款收据, 工资表, 银行回单, 内部凭证)."""
    cols = columns_of(model)
    invoices = invoice_numbers(cols)
    # rows with no invoice value; a malformed one is VL305's finding, 白条 VL302's
    without = compress(range(len(cols.entries)), map(is_, cols.invoices, repeat(None)))
    blank = (i for i in invoices.odd if not has_invoice(cols.invoices[i]))
    for i in sorted([*without, *blank]):
        if cols.receipts[i] in ACCEPTED_OR_IOU:
            continue
        receipt = text_of(cols.receipts[i])
        if receipt in ACCEPTED_OR_IOU:
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


@rule("VL302", "白条入账")
def iou_as_voucher(model: LedgerModel) -> Iterator[Hit]:
    """`receipt: "白条"`: an informal note is never a voucher."""
    cols = columns_of(model)
    ious = {v for v in set(cols.receipts) if v is not None and text_of(v) == vocab.IOU}
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


@dataclass(frozen=True, slots=True)
class Invoices:
    numbers: list[str | None]  # per row: the well-formed invoice number, None otherwise
    odd: list[int]  # rows whose invoice value is there but not a well-formed number as written


def invoice_numbers(cols: Columns) -> Invoices:
    return cols.checked


def read_invoices(values: list[Any]) -> Invoices:
    rows = present(values)
    written = list(map(values.__getitem__, rows))
    try:
        matches = list(map(INVOICE.fullmatch, written))
    except TypeError:  # a value written without quotes: a number or a date
        matches = [INVOICE.fullmatch(v) if isinstance(v, str) else None for v in written]
    if None not in matches:
        return Invoices(values, [])
    odd = [i for i, match in zip(rows, matches, strict=True) if match is None]
    numbers = list(values)
    for i in odd:
        numbers[i] = invoice_number(values[i])
    return Invoices(numbers, odd)


def invoice_uses(cols: Columns) -> list[int]:
    """The rows with a well-formed invoice number."""
    return present(invoice_numbers(cols).numbers)


def first_uses(cols: Columns) -> list[int]:
    """The rows that use an invoice number for the first time."""
    numbers = invoice_numbers(cols).numbers
    rows = invoice_uses(cols)
    if len(set(map(numbers.__getitem__, rows))) == len(rows):
        return rows
    seen: set[str | None] = set()
    return [i for i in rows if not (numbers[i] in seen or seen.add(numbers[i]))]


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
    cols = columns_of(model)
    rows = first_uses(cols)
    numbers = invoice_numbers(cols).numbers
    return InvoiceUses(
        model.title,
        *(list(map(column.__getitem__, rows)) for column in (numbers, cols.days, cols.vouchers)),
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


@rule(
    "VL303",
    "发票重复使用",
    collect=first_invoice_uses,
    across=invoice_reused_across_villages,
)
def invoice_reused(model: LedgerModel) -> Iterator[Hit]:
    """An invoice number is booked once, within a village and across the villages of a check."""
    cols = columns_of(model)
    numbers = invoice_numbers(cols).numbers
    rows = invoice_uses(cols)
    if len(set(map(numbers.__getitem__, rows))) == len(rows):
        return
    first: dict[str, int] = {}
    for i in rows:
        earlier = first.setdefault(numbers[i], i)  # type: ignore[arg-type]
        if earlier != i:
            entry, previous = cols.entries[i], cols.entries[earlier]
            yield Hit(
                entry.meta,
                f"发票 {numbers[i]} 重复入账，已用于 {previous.date} {label_of(previous)}"
                f"{about(previous)}；同一张发票只能入账一次",
                entry.date,
            )


@rule("VL304", "开票日期异常", Severity.WARNING, reads=("票据最长间隔天数",))
def invoice_date_out_of_range(model: LedgerModel) -> Iterator[Hit]:
    """The invoice is dated neither after the booking date nor more than 票据最长间隔天数
    before it."""
    cols = columns_of(model)
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


def invoice_dates_fine(model: LedgerModel, cols: Columns, rows: list[int]) -> bool:
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


@rule("VL305", "发票号码格式错误")
def invoice_malformed(model: LedgerModel) -> Iterator[Hit]:
    """An `invoice` is a 20-digit 全电发票 number or `<10 or 12 digit code>-<8 digit number>`."""
    cols = columns_of(model)
    for i in invoice_numbers(cols).odd:
        problem = invoice_problem(cols.invoices[i])
        if problem is not None:
            yield Hit(cols.entries[i].meta, problem, cols.days[i])


# ---- VL306: the 收款收据 book ----


class ReceiptNo(NamedTuple):
    book: str  # what precedes the digits
    number: int
    width: int
    entry: data.Transaction

    def shown(self, number: int | None = None) -> str:
        return f"{self.book}{(self.number if number is None else number):0{self.width}d}"


def read_receipt_no(value: Any, entry: data.Transaction) -> ReceiptNo | str | None:
    """A `receipt-no`, what is wrong with it, or None when there is none."""
    if value is None:
        return None
    if isinstance(value, Decimal) and value >= 0 and value == value.to_integral_value():
        return ReceiptNo("", int(value), 1, entry)
    match = RECEIPT_NO.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        return f"收款收据号（receipt-no）“{value}”无法识别，应为收据上印制的编号"
    book, digits = match.groups()
    return ReceiptNo(book, int(digits), len(digits), entry)


@rule("VL306", "收款收据跳号或重号", Severity.WARNING)
def receipt_book_out_of_sequence(model: LedgerModel) -> Iterator[Hit]:
    """The 收款收据 of a book are used in date order without gaps or repeats."""
    cols = columns_of(model)
    rows = present(cols.receipt_nos)
    if receipts_consecutive(list(map(cols.receipt_nos.__getitem__, rows))):
        return
    books: dict[str, list[ReceiptNo]] = defaultdict(list)
    for i in rows:
        read = read_receipt_no(cols.receipt_nos[i], cols.entries[i])
        if isinstance(read, str):
            yield Hit(cols.entries[i].meta, read, cols.days[i])
        elif read is not None:
            books[read.book].append(read)
    for receipts in books.values():
        receipts.sort(key=lambda r: (r.entry.date, r.number))
        yield from sequence_breaks(receipts)


def receipts_consecutive(numbers: list[Any]) -> bool:
    """The usual case: one book of plain numbers, each one more than the last, in date order."""
    try:
        digits = "".join(numbers)
    except TypeError:  # a number written without quotes
        return False
    if not (digits.isascii() and digits.isdigit()):
        return False
    values = list(map(int, numbers))
    return not values or values == list(range(values[0], values[0] + len(values)))


def sequence_breaks(receipts: list[ReceiptNo]) -> Iterator[Hit]:
    used: dict[int, ReceiptNo] = {}
    highest: ReceiptNo | None = None
    for receipt in receipts:
        entry = receipt.entry
        earlier = used.get(receipt.number)
        if earlier is not None:
            message = (
                f"收款收据 {receipt.shown()} 重复使用，已用于 {earlier.entry.date} "
                f"{label_of(earlier.entry)}；每张收据只能使用一次"
            )
        elif highest is not None and receipt.number > highest.number + 1:
            gap = missing_numbers(highest.number + 1, receipt.number - 1, receipt.shown)
            message = (
                f"收款收据 {receipt.shown()} 之前缺少 {gap}"
                f"（上一张为 {highest.shown()}，{highest.entry.date}）；"
                "收据应按编号顺序使用，作废的收据应保留备查"
            )
        elif highest is not None and receipt.number < highest.number:
            message = (
                f"收款收据 {receipt.shown()} 于 {entry.date} 使用，晚于编号更大的 "
                f"{highest.shown()}（{highest.entry.date}）；收据应按编号顺序使用"
            )
        else:
            message = None
        if message:
            yield Hit(entry.meta, message, entry.date)
        used.setdefault(receipt.number, receipt)
        if highest is None or receipt.number > highest.number:
            highest = receipt


# ---- VL307: 记账凭证 numbers ----


@rule("VL307", "凭证号缺失、错误、重号或跳号")
def voucher_number_irregular(model: LedgerModel) -> Iterator[Hit]:
    """Every voucher has a `voucher: "YYYY-MM-NNN"` of its own month, used once, numbered from
    001 in each month without gaps."""
    cols = columns_of(model)
    for month, run in month_runs(cols.days):
        if not month_numbered_in_order(month, cols.vouchers[run]):
            yield from month_irregularities(cols, month, range(run.start, run.stop))


def month_runs(days: list[date]) -> Iterator[tuple[str, slice]]:
    """(`YYYY-MM`, rows) for each calendar month of the date-ordered rows."""
    start = 0
    while start < len(days):
        first = days[start]
        if (first.year, first.month) == (9999, 12):
            stop = len(days)
        else:
            stop = bisect_left(days, date(first.year + first.month // 12, first.month % 12 + 1, 1))
        yield month_of(first), slice(start, stop)
        start = stop


def month_numbered_in_order(month: str, values: list[Any]) -> bool:
    """The usual case, checked on the whole month at once: every voucher carries a number of
    this month, and they are 001 to the count, each once."""
    try:
        joined = "\n".join(values)
    except TypeError:  # a missing number, or one written without quotes
        return False
    prefix = re.escape(month) + "-"
    if not re.fullmatch(f"(?:{prefix}[0-9]{{3,}}\n)*{prefix}[0-9]{{3,}}", joined):
        return False
    numbers = sorted(map(int, joined.replace(month + "-", "").split("\n")))
    return numbers == list(range(1, len(numbers) + 1))


def month_irregularities(cols: Columns, month: str, rows: range) -> Iterator[Hit]:
    """Each voucher of the month whose number is missing, malformed, of another month or
    repeated, and each gap in the month's numbering."""
    numbered: dict[int, data.Transaction] = {}
    for i in rows:
        entry = cols.entries[i]
        read = voucher_number(cols.vouchers[i])
        if read is None:
            yield Hit(
                entry.meta,
                f"{voucher_problem(cols.vouchers[i], entry.date)}{about(entry)}",
                entry.date,
            )
            continue
        of_month, number = read
        if of_month != month:
            yield Hit(
                entry.meta,
                f"凭证号 {of_month}-{number:03d} 的年月与记账日期 {entry.date} 不符，"
                f"应为 {month}-NNN{about(entry)}",
                entry.date,
            )
            continue
        earlier = numbered.setdefault(number, entry)
        if earlier is not entry:
            yield Hit(
                entry.meta,
                f"凭证号 {month}-{number:03d} 重复，已用于 {earlier.date} 的凭证{about(earlier)}；"
                "每张凭证的编号应唯一",
                entry.date,
            )
    yield from voucher_gaps(month, numbered)


def voucher_gaps(month: str, numbered: dict[int, data.Transaction]) -> Iterator[Hit]:
    expected = 1
    for number in sorted(numbered):
        if number > expected:
            entry = numbered[number]
            gap = missing_numbers(expected, number - 1, lambda n: f"{month}-{n:03d}")
            yield Hit(
                entry.meta,
                f"凭证号 {month}-{number:03d} 之前缺少 {gap}；"
                "每月凭证应从 001 起连续编号，不能跳号",
                entry.date,
            )
        expected = number + 1
