"""记账凭证: the vouchers of a period as the accounting centre prints and binds them.

Each voucher shows its number, date, 附件张数 (`attachments` metadata), and one line per posting:
摘要, 总账科目 and 明细科目 by code and name, 借方 or 贷方 amount; then 合计 in figures and in 大写,
and the people who answer for it (会计 and 出纳 holding the role that day, 经手人, 审核人, 审批人).

Decisions where the regulation is silent:
- A posting's sign gives its side: positive is 借方, negative 贷方. A 红字冲销 therefore prints
  on the opposite side rather than in red; the 摘要 of the reversal says what it reverses.
- The 摘要 of a line is the posting's own `memo` metadata when it has one, else the voucher's
  narration (with the payee, as 对方单位, on the first line).
- Vouchers print in date order, then by number; entries without a number (the opening balances,
  Beancount's padding) are not 记账凭证 and are left out.
- Amounts are printed to the cent; the voucher is internal, so nothing is masked: it goes to
  the archive, not the 公开栏.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from beancount.core import data

from village_ledger.books.standard import account_label
from village_ledger.model import LedgerModel
from village_ledger.money import CURRENCY
from village_ledger.reports.chinese_amount import capital_amount

ZERO = Decimal(0)


@dataclass(frozen=True)
class AccountTitle:
    """An account as a voucher names it: 总账科目 (first level) and 明细科目 (the levels below)."""

    general_code: str
    general_name: str
    detail_code: str
    detail_name: str

    @property
    def general(self) -> str:
        return f"{self.general_code} {self.general_name}".strip()

    @property
    def detail(self) -> str:
        return f"{self.detail_code} {self.detail_name}".strip()


def account_title(account: str) -> AccountTitle:
    """`Assets:102-银行存款:10201-农商行` -> (102 银行存款, 10201 农商行)."""
    parts = [account_label(component) for component in account.split(":")[1:]]
    if not parts:
        return AccountTitle("", account, "", "")
    general_code, general_name = parts[0]
    if len(parts) == 1:
        return AccountTitle(general_code, general_name, "", "")
    detail_code = parts[-1][0]
    detail_name = "—".join(name for _, name in parts[1:])
    return AccountTitle(general_code, general_name, detail_code, detail_name)


@dataclass(frozen=True)
class VoucherLine:
    summary: str
    title: AccountTitle
    debit: Decimal | None
    credit: Decimal | None


@dataclass(frozen=True)
class PrintedVoucher:
    number: str
    day: date
    attachments: int | None
    lines: list[VoucherLine]
    accountant: str
    cashier: str
    handler: str
    reviewer: str
    approver: str
    file: str
    line: int

    @property
    def debit_total(self) -> Decimal:
        return sum((x.debit for x in self.lines if x.debit is not None), ZERO)

    @property
    def credit_total(self) -> Decimal:
        return sum((x.credit for x in self.lines if x.credit is not None), ZERO)

    @property
    def capital(self) -> str:
        return capital_amount(self.debit_total)


@dataclass
class VoucherBook:
    title: str
    village: str
    period_label: str
    vouchers: list[PrintedVoucher] = field(default_factory=list)


def voucher_book(model: LedgerModel, first: date, last: date, period_label: str) -> VoucherBook:
    """The numbered vouchers dated from `first` to `last`, in date and number order."""
    book = VoucherBook(model.title or model.village, model.village, period_label)
    chosen = [t for t in model.vouchers if first <= t.date <= last and _number(t)]
    chosen.sort(key=lambda t: (t.date, _number(t)))
    book.vouchers = [printed_voucher(model, t) for t in chosen]
    return book


def _number(entry: data.Transaction) -> str:
    value = entry.meta.get("voucher")
    return str(value) if value is not None else ""


def printed_voucher(model: LedgerModel, entry: data.Transaction) -> PrintedVoucher:
    meta = entry.meta
    return PrintedVoucher(
        number=_number(entry),
        day=entry.date,
        attachments=_attachments(meta.get("attachments")),
        lines=list(_lines(entry)),
        accountant="、".join(model.roster.holders("会计", entry.date)),
        cashier="、".join(model.roster.holders("出纳", entry.date)),
        handler=_text(meta.get("handler")),
        reviewer=_text(meta.get("reviewer")),
        approver=_text(meta.get("approver")),
        file=str(meta.get("filename", "")),
        line=int(meta.get("lineno", 0) or 0),
    )


def _lines(entry: data.Transaction) -> Iterable[VoucherLine]:
    narration = entry.narration or ""
    for index, posting in enumerate(entry.postings):
        units = posting.units
        if units is None or not isinstance(units.number, Decimal):
            continue
        memo = _text((posting.meta or {}).get("memo"))
        summary = memo or narration
        if index == 0 and entry.payee and not memo and entry.payee not in narration:
            summary = f"{narration}（{entry.payee}）" if narration else entry.payee
        number = units.number
        if units.currency != CURRENCY:
            summary = f"{summary} {units.currency}"
        yield VoucherLine(
            summary=summary,
            title=account_title(posting.account),
            debit=number if number > 0 else None,
            credit=-number if number < 0 else None,
        )


def _attachments(value: object) -> int | None:
    if isinstance(value, Decimal) and value == value.to_integral_value() and value >= 0:
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


# ---- output ----

FORMATS = ("pdf", "html", "json")


def voucher_html(book: VoucherBook) -> str:
    from village_ledger.reports.layout import environment

    template = environment().get_template("vouchers.html.j2")
    return template.render(book=book, money=_money)


def voucher_pdf(book: VoucherBook) -> bytes:
    import weasyprint  # loads Pango; only paged output needs it

    return bytes(weasyprint.HTML(string=voucher_html(book)).write_pdf())


def voucher_json(book: VoucherBook) -> dict[str, object]:
    def amount(value: Decimal | None) -> str | None:
        return None if value is None else f"{value:.2f}"

    return {
        "title": book.title,
        "village": book.village,
        "period": book.period_label,
        "vouchers": [
            {
                "voucher": v.number,
                "date": v.day.isoformat(),
                "attachments": v.attachments,
                "lines": [
                    {
                        "summary": x.summary,
                        "general_code": x.title.general_code,
                        "general_name": x.title.general_name,
                        "detail_code": x.title.detail_code,
                        "detail_name": x.title.detail_name,
                        "debit": amount(x.debit),
                        "credit": amount(x.credit),
                    }
                    for x in v.lines
                ],
                "debit_total": amount(v.debit_total),
                "credit_total": amount(v.credit_total),
                "capital": v.capital,
                "approver": v.approver,
                "reviewer": v.reviewer,
                "handler": v.handler,
                "accountant": v.accountant,
                "cashier": v.cashier,
            }
            for v in book.vouchers
        ],
    }


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"
