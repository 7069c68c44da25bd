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
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from beancount.core import data

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel, vocab
from village_ledger.model.directives import type_name
from village_ledger.money import fmt_yuan
from village_ledger.registry import rule

__plugins__ = (make_plugin("receipts"),)

ZERO = Decimal(0)
# ASCII digits only: `\d` would take full-width and other scripts' digits
INVOICE = re.compile(r"[0-9]{20}|(?:[0-9]{10}|[0-9]{12})-[0-9]{8}")
VOUCHER = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{3,})")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
RECEIPT_NO = re.compile(r"(.*?)([0-9]+)")

INVOICE_FORM = "应为 20 位数字的全电发票号码，或“10 位或 12 位发票代码-8 位发票号码”（如 144032509110-01234567）"
ACCEPTED = "、".join(vocab.ACCEPTED_RECEIPTS)


# ---- reading the metadata ----


def text_meta(entry: data.Transaction, key: str) -> str | None:
    """A metadata value as text, None when absent or blank."""
    value = entry.meta.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def unquoted(key: str, value: Any, example: str) -> str:
    return f'{key} 未加引号，被读作{type_name(value)} {value}；应加引号书写，如 {key}: "{example}"'


@dataclass(frozen=True, slots=True)
class Invoice:
    number: str | None  # the well-formed number
    problem: str | None  # what is wrong with the value otherwise


def read_invoice(entry: data.Transaction) -> Invoice | None:
    """The entry's `invoice`; None when it has none."""
    value = entry.meta.get("invoice")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        return Invoice(
            None, "发票号码（" + unquoted("invoice", value, "144032509110-01234567") + "）"
        )
    number = value.strip()
    if INVOICE.fullmatch(number):
        return Invoice(number, None)
    return Invoice(None, f"发票号码“{number}”格式不对，{INVOICE_FORM}")


def read_day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


@dataclass(frozen=True, slots=True)
class VoucherNo:
    year: int
    month: int
    number: int
    text: str

    @property
    def month_key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def read_voucher(entry: data.Transaction) -> VoucherNo | str:
    """The entry's voucher number, or what is wrong with it."""
    example = f"{entry.date:%Y-%m}-001"
    value = entry.meta.get("voucher")
    if value is None or (isinstance(value, str) and not value.strip()):
        return f'没有凭证号（voucher）；应按月从 001 起连续编号，如 voucher: "{example}"'
    if not isinstance(value, str):
        return "凭证号（" + unquoted("voucher", value, example) + "）"
    text = value.strip()
    match = VOUCHER.fullmatch(text)
    if match is None or int(match.group(3)) == 0:
        return f"凭证号“{text}”格式不对，应为“年-月-顺序号”，顺序号每月从 001 起，如“{example}”"
    year, month, number = (int(g) for g in match.groups())
    return VoucherNo(year, month, number, text)


def voucher_label(entry: data.Transaction) -> str:
    """How a finding names another voucher: its number, or its file and line."""
    read = read_voucher(entry)
    if isinstance(read, VoucherNo):
        return f"凭证 {read.text}"
    filename = os.path.basename(str(entry.meta.get("filename", "")))
    return f"{filename} 第 {entry.meta.get('lineno', 0)} 行的凭证"


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


# ---- VL301, VL302: a voucher for every expense ----


@rule("VL301", "支出或购置资产无合规凭据")
def expense_without_voucher(model: LedgerModel) -> Iterator[Hit]:
    """An entry that debits an Expenses account or buys an asset has an `invoice` or an accepted
    `receipt` type (收款收据, 工资表, 银行回单, 内部凭证)."""
    for entry in model.vouchers:
        receipt = text_meta(entry, "receipt")
        if receipt in vocab.ACCEPTED_RECEIPTS or receipt == vocab.IOU:
            continue
        if "invoice" in entry.meta and read_invoice(entry) is not None:
            continue  # a malformed invoice is VL305's finding
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
    for entry in model.vouchers:
        if text_meta(entry, "receipt") != vocab.IOU:
            continue
        debit, _ = receipted_debit(model, entry)
        yield Hit(
            entry.meta,
            f"白条入账：{voucher_label(entry)}{about(entry)}以白条作为凭据；"
            "白条不能作为记账凭证，应取得发票或收款收据等合规凭据",
            entry.date,
            amount=debit or None,
        )


# ---- VL303, VL304, VL305: invoices ----


def invoice_uses(model: LedgerModel) -> Iterator[tuple[str, data.Transaction]]:
    for entry in model.vouchers:
        if "invoice" in entry.meta:
            invoice = read_invoice(entry)
            if invoice is not None and invoice.number is not None:
                yield invoice.number, entry


# one village's first use of each invoice number: (number, day, voucher, filename, lineno)
InvoiceUse = tuple[str, date, str, str, int]


def first_invoice_uses(model: LedgerModel) -> tuple[str, list[InvoiceUse]]:
    """The village's title and the first use of each of its invoice numbers."""
    firsts: dict[str, InvoiceUse] = {}
    for number, entry in invoice_uses(model):
        if number not in firsts:
            filename, lineno = str(entry.meta.get("filename", "")), entry.meta.get("lineno", 0)
            firsts[number] = (number, entry.date, voucher_label(entry), filename, int(lineno))
    return model.title, list(firsts.values())


def invoice_reused_across_villages(
    summaries: Sequence[tuple[str, tuple[str, list[InvoiceUse]]]],
) -> Iterator[tuple[str, Hit]]:
    """Every use of an invoice number after its first use in another village of the run."""
    uses: dict[str, list[tuple[date, str, str, InvoiceUse]]] = defaultdict(list)
    for village, (title, firsts) in summaries:
        for use in firsts:
            uses[use[0]].append((use[1], village, title, use))
    for number, group in uses.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda u: (u[0], u[1]))
        day, village, title, (_, _, label, _, _) = group[0]
        where = f"{title}（{village}）" if title else village
        for later_day, later_village, _, (_, _, _, filename, lineno) in group[1:]:
            yield (
                later_village,
                Hit(
                    {"filename": filename, "lineno": lineno},
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
    first: dict[str, data.Transaction] = {}
    for number, entry in invoice_uses(model):
        earlier = first.setdefault(number, entry)
        if earlier is not entry:
            yield Hit(
                entry.meta,
                f"发票 {number} 重复入账，已用于 {earlier.date} {voucher_label(earlier)}"
                f"{about(earlier)}；同一张发票只能入账一次",
                entry.date,
            )


@rule("VL304", "开票日期异常", Severity.WARNING, reads=("票据最长间隔天数",))
def invoice_date_out_of_range(model: LedgerModel) -> Iterator[Hit]:
    """The invoice is dated neither after the booking date nor more than 票据最长间隔天数
    before it."""
    for entry in model.vouchers:
        value = entry.meta.get("invoice-date")
        if value is None:
            continue
        issued = read_day(value)
        if issued is None:
            shown = f"“{value}”" if isinstance(value, str) else f"被读作{type_name(value)} {value}"
            yield Hit(
                entry.meta,
                f"开票日期（invoice-date）{shown}不是有效日期，应写作 YYYY-MM-DD，如 2025-03-01",
                entry.date,
            )
            continue
        message = invoice_date_problem(model, entry.date, issued)
        if message:
            yield Hit(entry.meta, message, entry.date, policy="票据最长间隔天数")


def invoice_date_problem(model: LedgerModel, booked: date, issued: date) -> str | None:
    if issued > booked:
        return f"开票日期 {issued} 晚于记账日期 {booked}，先记账后开票，应核实发票与业务"
    limit = model.policy.value("票据最长间隔天数", booked)
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
    for entry in model.vouchers:
        if "invoice" not in entry.meta:
            continue
        invoice = read_invoice(entry)
        if invoice is not None and invoice.problem is not None:
            yield Hit(entry.meta, invoice.problem, entry.date)


# ---- VL306: the 收款收据 book ----


@dataclass(frozen=True, slots=True)
class ReceiptNo:
    book: str  # what precedes the digits
    number: int
    width: int
    entry: data.Transaction

    def shown(self, number: int | None = None) -> str:
        return f"{self.book}{(self.number if number is None else number):0{self.width}d}"


def read_receipt_no(entry: data.Transaction) -> ReceiptNo | str | None:
    """The entry's `receipt-no`, what is wrong with it, or None when it has none."""
    value = entry.meta.get("receipt-no")
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
    books: dict[str, list[ReceiptNo]] = defaultdict(list)
    for entry in model.vouchers:
        read = read_receipt_no(entry)
        if isinstance(read, str):
            yield Hit(entry.meta, read, entry.date)
        elif read is not None:
            books[read.book].append(read)
    for receipts in books.values():
        receipts.sort(key=lambda r: (r.entry.date, r.number))
        yield from sequence_breaks(receipts)


def sequence_breaks(receipts: list[ReceiptNo]) -> Iterator[Hit]:
    used: dict[int, ReceiptNo] = {}
    highest: ReceiptNo | None = None
    for receipt in receipts:
        entry = receipt.entry
        earlier = used.get(receipt.number)
        if earlier is not None:
            message = (
                f"收款收据 {receipt.shown()} 重复使用，已用于 {earlier.entry.date} "
                f"{voucher_label(earlier.entry)}；每张收据只能使用一次"
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
    months: dict[str, dict[int, data.Transaction]] = defaultdict(dict)
    for entry in model.vouchers:
        read = read_voucher(entry)
        if isinstance(read, str):
            yield Hit(entry.meta, f"{read}{about(entry)}", entry.date)
            continue
        if (read.year, read.month) != (entry.date.year, entry.date.month):
            yield Hit(
                entry.meta,
                f"凭证号 {read.text} 的年月与记账日期 {entry.date} 不符，"
                f"应为 {entry.date:%Y-%m}-NNN{about(entry)}",
                entry.date,
            )
            continue
        month = months[read.month_key]
        earlier = month.setdefault(read.number, entry)
        if earlier is not entry:
            yield Hit(
                entry.meta,
                f"凭证号 {read.text} 重复，已用于 {earlier.date} 的凭证{about(earlier)}；"
                "每张凭证的编号应唯一",
                entry.date,
            )
    for key, numbered in months.items():
        yield from voucher_gaps(key, numbered)


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
