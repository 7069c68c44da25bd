"""The model's payments and vouchers as columns: one list per value, row i of every list is
payment (or voucher) i, in date order, read once per model and dropped with it.

At 100k entries anything done per payment in Python costs more than a whole rule family may:
the cost is in reaching the scattered entry and metadata objects, not in what is done with
them. So each is reached once, here, and the rules check whole columns with C-level
operations (`None in`, sets, `map`), walking row by row only where something is to report.
`payment_columns(model)` serves the approval rules (VL1xx), `voucher_columns(model)` the
receipts rules (VL3xx).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from itertools import compress, repeat
from operator import attrgetter, gt, is_not
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from beancount.core import data

from village_ledger.findings import Hit
from village_ledger.model.index import per_model
from village_ledger.model.payments import Payment
from village_ledger.model.roster import person_named
from village_ledger.money import fmt_yuan

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

# an invoice number: a 20-digit 全电发票 number, or `<10 or 12 digit 发票代码>-<8 digit 发票号码>`;
# ASCII digits only: `\d` would take full-width and other scripts' digits
INVOICE = re.compile(r"[0-9]{20}|(?:[0-9]{10}|[0-9]{12})-[0-9]{8}")
INVOICES = re.compile(f"(?:(?:{INVOICE.pattern})\n)*(?:{INVOICE.pattern})")
# a voucher that rests on several invoices lists them in one `invoice`, separated by commas,
# 顿号, semicolons or spaces: `"25320000000012345601,25320000000012345602"`
INVOICE_SEPARATORS = re.compile(r"[,，、;；\s]+")
DATE = attrgetter("date")
META = attrgetter("meta")
ENTRY = attrgetter("entry")
AMOUNT = attrgetter("amount")
PAYEE = attrgetter("payee")
# the voucher metadata the receipts rules read, and where each voucher is
VOUCHER_KEYS = ("voucher", "invoice", "receipt", "invoice-date", "receipt-no", "filename", "lineno")


# ---- payments ----


def spend_text(payment: Payment) -> str:
    """A payment as the 监委会 reads it: to whom, how much."""
    payee = payment.payee.strip()
    to = f"付 {payee} 的" if payee else "未写明收款人的"
    return f"{to}支出 {fmt_yuan(payment.amount)} 元"


class PaymentColumns(NamedTuple):
    """The payments in date order, as one list per value; row i of every list is payment i."""

    payments: list[Payment]
    days: list[date]
    amounts: list[Decimal]
    payees: list[str]  # "" when there is none
    persons: list[str]  # the person each payee names (`roster.person_named`), to match names
    handlers: list[str | None]  # stripped text, None when absent or blank
    reviewers: list[str | None]
    approvers: list[str | None]
    meetings: list[str | None]  # the cited resolution's id

    def spend(self, i: int) -> str:
        """Payment i as the 监委会 reads it: to whom, how much."""
        return spend_text(self.payments[i])

    def hit(
        self, i: int, message: str, amount: Decimal | None = None, policy: str | None = None
    ) -> Hit:
        """A finding on payment i, for its whole amount unless `amount` says otherwise."""
        amount = self.amounts[i] if amount is None else amount
        return Hit(self.payments[i].meta, message, self.days[i], amount=amount, policy=policy)


@per_model
def payment_columns(model: LedgerModel) -> PaymentColumns:
    """The model's payments as columns."""
    return read_payment_columns(model.payments)


def read_payment_columns(payments: list[Payment]) -> PaymentColumns:
    entries = list(map(ENTRY, payments))
    days = list(map(DATE, entries))
    if any(map(gt, days[:-1], days[1:])):  # the model keeps date order; this makes sure
        payments = sorted(payments, key=attrgetter("entry.date"))
        entries = list(map(ENTRY, payments))
        days = list(map(DATE, entries))
    metas = list(map(META, entries))
    payees = or_empty(cleaned(list(map(PAYEE, entries))))
    return PaymentColumns(
        payments,
        days,
        list(map(AMOUNT, payments)),
        payees,
        persons_named(payees),
        cleaned(meta_column(metas, "handler")),
        cleaned(meta_column(metas, "reviewer")),
        cleaned(meta_column(metas, "approver")),
        cleaned(meta_column(metas, "meeting")),
    )


def persons_named(payees: list[str]) -> list[str]:
    """The person each payee names; the column itself when no payee ends in a bracket (each
    distinct payee is read once)."""
    named = {p: person_named(p) for p in set(payees) if p.endswith((")", "）"))}
    return list(map(named.get, payees, payees)) if named else payees


def or_empty(values: list[str | None]) -> list[str]:
    """None as "", for a column of names; one with none is kept as it is."""
    return [value or "" for value in values] if None in values else cast(list[str], values)


def meta_column(metas: list[dict[str, Any]], key: str) -> list[Any]:
    """Each row's value of `key` (None when absent), read by `map`: a Python loop over the rows
    costs several times the lookups themselves."""
    return list(map(dict.get, metas, repeat(key)))


def cleaned(values: list[Any]) -> list[str | None]:
    """Values as text, stripped, None when absent or blank, as `Payment.get` reads them. Names
    and ids repeat: each distinct value is read once, and a clean column is kept as it is."""
    fixes = {
        value: (str(value).strip() or None)
        for value in set(values)
        if value is not None and not (isinstance(value, str) and value and value == value.strip())
    }
    return list(map(fixes.get, values, values)) if fixes else values


# ---- vouchers ----


class Invoices(NamedTuple):
    numbers: list[str | None]  # per row: the well-formed (first) invoice number, None otherwise
    odd: list[int]  # rows whose invoice value is there but not a well-formed number as written
    # rows that list several well-formed numbers: all of them, in the order written
    several: dict[int, tuple[str, ...]]

    def uses(self, rows: list[int]) -> list[tuple[int, str]]:
        """(row, number) for each invoice number of the rows, several per row when listed."""
        numbers, several = self.numbers, self.several
        return [(i, n) for i in rows for n in several.get(i) or (numbers[i] or "",)]


class VoucherColumns(NamedTuple):
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
def voucher_columns(model: LedgerModel) -> VoucherColumns:
    """The model's vouchers (not `pad`-generated) as columns."""
    return read_voucher_columns(model.vouchers)


def read_voucher_columns(entries: list[data.Transaction]) -> VoucherColumns:
    if any(map(gt, map(DATE, entries[:-1]), map(DATE, entries[1:]))):
        entries = sorted(entries, key=DATE)  # the model keeps date order; this makes sure
    metas = list(map(META, entries))
    values = {key: meta_column(metas, key) for key in VOUCHER_KEYS}
    invoices = values["invoice"]
    return VoucherColumns(
        list(entries),
        list(map(DATE, entries)),
        values["voucher"],
        invoices,
        values["receipt"],
        values["invoice-date"],
        values["receipt-no"],
        values["filename"],
        values["lineno"],
        read_invoices(invoices),
    )


def all_invoices(written: list[Any]) -> bool:
    """The usual case, checked on all the values at once: each is a well-formed number as
    written (one match over the values joined by newlines, which no number holds)."""
    try:
        joined = "\n".join(written)
    except TypeError:  # a value written without quotes: a number or a date
        return False
    lines = joined.count("\n") + 1  # a value holding a newline is no number
    return lines == len(written) and INVOICES.fullmatch(joined) is not None


def present(values: list[Any]) -> list[int]:
    """The rows where a value is present."""
    return list(compress(range(len(values)), map(is_not, values, repeat(None))))


def invoice_number(value: Any) -> str | None:
    """The well-formed invoice number of an `invoice` value, if it is one."""
    if not isinstance(value, str):
        return None
    if INVOICE.fullmatch(value):
        return value
    value = value.strip()
    return value if INVOICE.fullmatch(value) else None


def invoice_list(value: Any) -> tuple[str, ...] | None:
    """The numbers of an `invoice` value that lists two or more, all well formed; else None."""
    if not isinstance(value, str):
        return None
    parts = tuple(p for p in INVOICE_SEPARATORS.split(value) if p)
    if len(parts) < 2 or not all(INVOICE.fullmatch(p) for p in parts):
        return None
    return parts


def invoices_of(value: Any) -> tuple[str, ...]:
    """The invoice numbers of an `invoice` value as the receipts rules compare them (VL303) and
    the export lists them: the one well-formed number, or every number of a list when each is
    well formed; none otherwise (VL305 reports the value)."""
    number = invoice_number(value)
    if number is not None:
        return (number,)
    return invoice_list(value) or ()


def read_invoices(values: list[Any]) -> Invoices:
    rows = present(values)
    written = list(map(values.__getitem__, rows))
    if all_invoices(written):
        return Invoices(values, [], {})
    try:
        matches = list(map(INVOICE.fullmatch, written))
    except TypeError:  # a value written without quotes: a number or a date
        matches = [INVOICE.fullmatch(v) if isinstance(v, str) else None for v in written]
    if None not in matches:
        return Invoices(values, [], {})
    odd = [i for i, match in zip(rows, matches, strict=True) if match is None]
    numbers = list(values)
    several: dict[int, tuple[str, ...]] = {}
    for i in odd:
        found = invoices_of(values[i])
        numbers[i] = found[0] if found else None
        if len(found) > 1:
            several[i] = found
    return Invoices(numbers, odd, several)
