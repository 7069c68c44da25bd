"""VL306 of the VL3xx 票据 family: the 收款收据 book is used in number order, without gaps or
repeats.

A rule of the receipts family (code VL3xx; `plugins/receipts.py` imports this module, so
`plugin "village_ledger.plugins.receipts"` runs it with the others). It lives apart because it
reads the receipt book's numbers (`receipt-no`), not the invoices.

- VL306 (预警): gaps, repeats and out-of-order use in the numbers of the 收款收据 book
  (`receipt-no`).

How it stays fast: the receipt numbers are read from the voucher columns
(`model.columns.voucher_columns`, in date order) and checked first as one run of consecutive
plain numbers; only a book where that check fails is read receipt by receipt.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data

from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel
from village_ledger.model.columns import present, voucher_columns
from village_ledger.registry import Explanation, rule

from .numbering import label_of, missing_numbers

RECEIPT_NO = re.compile(r"(.*?)([0-9]+)")


def example_rent_receipt(day: str, number: str, receipt_no: str) -> str:
    return f"""\
{day} * "张小军" "收到门面租金"
  voucher: "{number}"
  receipt: "收款收据"
  receipt-no: "{receipt_no}"
  Assets:102-银行存款:10201-农商行  1500.00 CNY
  Income:501-经营收入:50102-租赁收入
"""


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


EXPLAIN_VL306 = Explanation(
    checks=("本村收款收据本上的编号（`receipt-no`）出现跳号、重号，或没有按编号顺序使用，就预警。"),
    why=(
        "预先编号的收据要按顺序使用，作废的收据要保留并注明“作废”。跳号可能是收了钱不入账，"
        "重号可能是一张收据用了两次。"
    ),
    compliant=example_rent_receipt("2025-03-05", "2025-03-001", "SJ-0001")
    + "\n"
    + example_rent_receipt("2025-03-18", "2025-03-002", "SJ-0002"),
    offending=example_rent_receipt("2025-03-05", "2025-03-001", "SJ-0001")
    + "\n"
    + example_rent_receipt("2025-03-18", "2025-03-002", "SJ-0003"),
    decisions=(
        "编号取末尾的数字，前面的部分（如 `SJ-`、`2025-`）视为收据本的名称，各本分别编号。",
        "收据按日期排序，同一天的按编号排序后再检查；较早的日期用了较大的编号，算未按顺序使用。",
        "每本的第一张收据不要求从 1 开始。",
        "作废的收据在账上没有记录，所以会报跳号预警，监委会核对时应看到保留的作废联。",
    ),
    fix="找到缺号的收据（作废联或漏记的收入）；重号的查明是否一张收据用了两次。",
)


@rule("VL306", "收款收据跳号或重号", Severity.WARNING, explain=EXPLAIN_VL306)
def receipt_book_out_of_sequence(model: LedgerModel) -> Iterator[Hit]:
    """The 收款收据 of a book are used in date order without gaps or repeats."""
    cols = voucher_columns(model)
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
