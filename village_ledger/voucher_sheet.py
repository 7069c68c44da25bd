"""The 记账凭证录入 workbook: vouchers typed in Excel (or WPS), read back as Beancount entries.

`village_ledger.voucher_template.write_template(model, path, day)` writes the workbook: the
sheet 凭证 (one row per posting line, the columns of `COLUMNS`), the village's accounts, people
by role and resolutions on sheets of their own and offered as drop-down lists (data validation)
in 凭证, and a 说明 sheet. `read_sheet(path, model)` reads it back as `SheetVoucher`s, or the rows it cannot read with
the reason (`RowError`); `entries(model, vouchers)` numbers them and makes the entries.

How the rows make vouchers (decided here, written in the 说明 sheet and the guide):

- A row with a 日期 starts a voucher; the rows below it with 日期 left empty are its further
  posting lines. The voucher's own columns (凭证号, 摘要, 对方单位, the signatures, …) are read
  from its first row; a further row may repeat them but not contradict them.
- 凭证号 left empty: the month's next free number, in the order of date and then row; a number
  typed in is kept (and VL307 judges it).
- 发票号码/凭据类型 holds a 发票号码 (`invoice`) or one of the receipt types (`receipt`).
- Every entry carries `entry-digest`, a digest of what the sheet said of the voucher (and
  which of several identical vouchers of the sheet it is). Importing a sheet again skips the
  vouchers whose digest the books already hold: a sheet imported twice, or extended and
  imported again, adds each voucher once.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from beancount.core import data

from village_ledger.entries import Entry, Posting, next_voucher_numbers, quoted
from village_ledger.model import LedgerModel, vocab

SHEET = "凭证"
ACCOUNTS_SHEET, PEOPLE_SHEET, MEETINGS_SHEET, HELP_SHEET = "科目", "人员", "决议", "说明"
DIGEST_KEY = "entry-digest"
VILLAGE_LABEL = "本表所属账簿"
CENT = Decimal("0.01")


class SheetError(Exception):
    """The workbook as a whole cannot be read; the message is for the accountant."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    voucher_level: bool = True  # read from a voucher's first row
    meta: str | None = None  # the metadata key it fills
    kind: str = "text"  # text, integer, date, amount, account, document, number


COLUMNS = (
    Column("number", "凭证号", 13, kind="number"),
    Column("day", "日期", 12, kind="date"),
    Column("narration", "摘要", 28),
    Column("payee", "对方单位", 22),
    Column("account", "科目编码", 34, voucher_level=False, kind="account"),
    Column("debit", "借方金额", 13, voucher_level=False, kind="amount"),
    Column("credit", "贷方金额", 13, voucher_level=False, kind="amount"),
    Column("handler", "经手人", 9, meta="handler"),
    Column("reviewer", "审核人", 9, meta="reviewer"),
    Column("approver", "审批人", 9, meta="approver"),
    Column("meeting", "决议编号", 18, meta="meeting"),
    Column("document", "发票号码/凭据类型", 24, kind="document"),
    Column("invoice_date", "开票日期", 12, meta="invoice-date", kind="date"),
    Column("attachments", "附件张数", 9, meta="attachments", kind="integer"),
    Column("receipt_no", "收款收据号", 12, meta="receipt-no"),
    Column("project", "专项项目", 14, meta="project"),
    Column("guests", "来客人数", 9, meta="guests", kind="integer"),
    Column("hosts", "陪同人数", 9, meta="hosts", kind="integer"),
    Column("guest_org", "来客单位", 18, meta="guest-org"),
    Column("letter", "公函", 18, meta="letter"),
    Column("witness", "证明人", 9, meta="witness"),
    # money under a contract (VL701, VL705) and the people on an outing (VL407)
    Column("contract", "合同编号", 14, meta="contract"),
    Column("period", "所收期间", 10, meta="period"),
    Column("travellers", "外出人数", 9, meta="travellers", kind="integer"),
)
BY_HEADER = {c.header: c for c in COLUMNS}
REQUIRED = ("日期", "科目编码", "借方金额", "贷方金额")
# the metadata a voucher's columns fill, in the order they are written
META_ORDER = (
    "attachments",
    "handler",
    "witness",
    "reviewer",
    "approver",
    "meeting",
    "project",
    "invoice",
    "receipt",
    "invoice-date",
    "receipt-no",
    "guests",
    "hosts",
    "guest-org",
    "letter",
    "contract",
    "period",
    "travellers",
)
INTEGER_KEYS = frozenset({"attachments", "guests", "hosts", "travellers"})
VOUCHER_NUMBER = re.compile(r"^(\d{4})-(\d{2})-(\d{3})$")


@dataclass(frozen=True)
class Line:
    """A posting line: the account and its amount, debit positive."""

    account: str
    amount: Decimal


@dataclass(frozen=True)
class Voucher:
    """What the sheet says of one voucher."""

    day: date
    narration: str
    payee: str
    lines: tuple[Line, ...]
    meta: tuple[tuple[str, str | int], ...] = ()  # in META_ORDER
    number: str | None = None  # None: the next free number

    def canonical(self) -> str:
        return json.dumps(
            {
                "number": self.number or "",
                "day": self.day.isoformat(),
                "narration": self.narration,
                "payee": self.payee,
                "meta": [[k, v] for k, v in self.meta],
                "lines": [[ln.account, f"{ln.amount:.2f}"] for ln in self.lines],
            },
            ensure_ascii=False,
            sort_keys=True,
        )


@dataclass(frozen=True)
class SheetVoucher:
    voucher: Voucher
    rows: tuple[int, ...]  # the sheet's row numbers, first row first
    digest: str

    @property
    def where(self) -> str:
        first, last = self.rows[0], self.rows[-1]
        return f"第 {first} 行" if first == last else f"第 {first}–{last} 行"


@dataclass(frozen=True)
class RowError:
    row: int  # 0: the workbook as a whole
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.message}" if self.row else self.message


@dataclass
class ReadSheet:
    vouchers: list[SheetVoucher]
    errors: list[RowError]


# ---- accounts by code (the drop-down lists offer them; a row names one) ----


def account_code(account: str) -> str:
    """`Assets:102-银行存款:10201-农商行` -> "10201"; "" for an account without a code."""
    last = account.rsplit(":", 1)[-1]
    code, dash, _ = last.partition("-")
    return code if dash and code.isdigit() else ""


def account_name(account: str) -> str:
    """`Assets:102-银行存款:10201-农商行` -> "银行存款—农商行"."""
    parts = []
    for component in account.split(":")[1:]:
        code, dash, name = component.partition("-")
        parts.append(name if dash and code.isdigit() else component)
    return "—".join(parts)


def open_accounts(model: LedgerModel, day: date | None = None) -> dict[str, str]:
    """Code -> account, for every account open (on `day`, when given) that has a code. A
    code two accounts share is left out (the sheet names those by their full name)."""
    closed = {e.account: e.date for e in model.entries if isinstance(e, data.Close)}
    found: dict[str, list[str]] = {}
    for account, entry in model.chart.opens.items():
        code = account_code(account)
        if not code:
            continue
        if day is not None and (entry.date > day or closed.get(account, date.max) <= day):
            continue
        found.setdefault(code, []).append(account)
    return {code: accounts[0] for code, accounts in sorted(found.items()) if len(accounts) == 1}


# ---- reading it back ----


def read_sheet(path: Path, model: LedgerModel) -> ReadSheet:
    """The vouchers of the workbook, and every row that cannot be read (then no voucher)."""
    book = _open(path)
    try:
        _check_village(book, model)
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return read_rows(rows, model)


def _open(path: Path) -> Any:
    import openpyxl

    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise SheetError(f"{path}：只能导入 .xlsx 格式的凭证录入表（Excel 或 WPS 另存为 xlsx）")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise SheetError(f"无法读取 {path}：{exc.strerror or exc}") from None
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise SheetError(f"{path} 不是可读取的 Excel 文件（{exc}）") from None


def _check_village(book: Any, model: LedgerModel) -> None:
    if HELP_SHEET not in book.sheetnames:
        return
    for row in book[HELP_SHEET].iter_rows(min_row=1, max_row=3, values_only=True):
        if row and row[0] == VILLAGE_LABEL and len(row) > 1 and row[1]:
            named, own = str(row[1]).strip(), model.title or model.village
            if named != own:
                raise SheetError(f"这张录入表是为“{named}”生成的，不能导入“{own}”的账簿")


def read_rows(rows: Sequence[Sequence[Any]], model: LedgerModel) -> ReadSheet:
    """The vouchers of a sheet's rows (the first row holding the headers)."""
    header_row, columns = _headers(rows)
    accounts = open_accounts(model)
    known = set(model.chart.opens)
    errors: list[RowError] = []
    groups: list[list[tuple[int, dict[str, Any]]]] = []
    for number, cells in enumerate(rows[header_row + 1 :], header_row + 2):
        values = {c.key: _value(cells, i) for c, i in columns.items()}
        if all(v is None for v in values.values()):
            continue
        if values.get("day") is not None:
            groups.append([])
        elif not groups:
            errors.append(RowError(number, "没有日期：每张凭证的第一行须填日期"))
            continue
        groups[-1].append((number, values))
    vouchers: list[SheetVoucher] = []
    seen: Counter[str] = Counter()
    numbers: dict[str, int] = {}
    for group in groups:
        voucher, problems = _voucher(group, accounts, known)
        errors += problems
        if voucher is None:
            continue
        first = group[0][0]
        if voucher.number:
            if voucher.number in numbers:
                errors.append(
                    RowError(
                        first,
                        f"凭证号 {voucher.number} 在本表第 {numbers[voucher.number]} 行已用过",
                    )
                )
            numbers.setdefault(voucher.number, first)
        canonical = voucher.canonical()
        seen[canonical] += 1
        digest = hashlib.sha256(f"{canonical}#{seen[canonical]}".encode()).hexdigest()[:16]
        vouchers.append(SheetVoucher(voucher, tuple(n for n, _ in group), digest))
    errors.sort(key=lambda e: e.row)
    return ReadSheet(vouchers if not errors else [], errors)


def _headers(rows: Sequence[Sequence[Any]]) -> tuple[int, dict[Column, int]]:
    for index, cells in enumerate(rows[:10]):
        found: dict[Column, int] = {}
        for position, cell in enumerate(cells):
            column = BY_HEADER.get(str(cell).strip()) if cell is not None else None
            if column is not None:
                found.setdefault(column, position)
        if all(BY_HEADER[h] in found for h in REQUIRED):
            return index, found
    raise SheetError(
        "找不到表头：凭证录入表应有“日期、科目编码、借方金额、贷方金额”等列"
        "（用 village-ledger template vouchers 生成）"
    )


def _value(cells: Sequence[Any], index: int) -> Any:
    value = cells[index] if index < len(cells) else None
    if isinstance(value, str):
        value = " ".join(value.split())  # a line break typed in a cell is a space
        return value or None
    return value


def _voucher(
    group: list[tuple[int, dict[str, Any]]],
    accounts: dict[str, str],
    known: set[str],
    unit: str = "行",
) -> tuple[Voucher | None, list[RowError]]:
    errors: list[RowError] = []
    first_row, first = group[0]
    for row, values in group[1:]:
        for column in COLUMNS:
            value = values.get(column.key)
            if column.voucher_level and value is not None and value != first.get(column.key):
                errors.append(
                    RowError(
                        row,
                        f"{column.header}“{_shown(value)}”与本凭证第一行（第 {first_row} 行）"
                        f"不同；同一张凭证的{column.header}只在第一行填写",
                    )
                )
    fields: dict[str, Any] = {}
    for column in COLUMNS:
        if not column.voucher_level:
            continue
        try:
            fields[column.key] = _read(column, first.get(column.key))
        except ValueError as exc:
            errors.append(RowError(first_row, str(exc)))
    day = fields.get("day")
    number = fields.get("number")
    if isinstance(day, date) and number:
        match = VOUCHER_NUMBER.match(number)
        if match and (int(match[1]), int(match[2])) != (day.year, day.month):
            errors.append(
                RowError(first_row, f"凭证号 {number} 的年月与日期 {day.isoformat()} 不一致")
            )
    lines: list[Line] = []
    for row, values in group:
        line = _line(row, values, accounts, known, errors)
        if line is not None:
            lines.append(line)
    if not errors and len(lines) < 2:
        errors.append(RowError(first_row, "一张凭证至少要有两行分录（借方和贷方）"))
    if not errors:
        debit = sum((ln.amount for ln in lines if ln.amount > 0), Decimal(0))
        credit = -sum((ln.amount for ln in lines if ln.amount < 0), Decimal(0))
        if debit != credit:
            where = f"第 {first_row}–{group[-1][0]} {unit}的凭证"
            errors.append(
                RowError(
                    first_row,
                    f"{where}借方合计 {debit:,.2f} 元，贷方合计 {credit:,.2f} 元，借贷不平"
                    f"（相差 {abs(debit - credit):,.2f} 元）",
                )
            )
    if errors:
        return None, errors
    assert isinstance(day, date)
    if not fields.get("narration"):
        return None, [RowError(first_row, "缺少摘要")]
    meta = _meta(fields)
    voucher = Voucher(
        day=day,
        narration=str(fields["narration"]),
        payee=str(fields.get("payee") or ""),
        lines=tuple(lines),
        meta=meta,
        number=number or None,
    )
    return voucher, []


def _meta(fields: dict[str, Any]) -> tuple[tuple[str, str | int], ...]:
    found: dict[str, str | int] = {}
    for column in COLUMNS:
        value = fields.get(column.key)
        if value is None or value == "":
            continue
        if column.meta:
            found[column.meta] = value.isoformat() if isinstance(value, date) else value
    document = fields.get("document")
    if document:
        key = "receipt" if document in (*vocab.ACCEPTED_RECEIPTS, vocab.IOU) else "invoice"
        found[key] = document
    return tuple((k, found[k]) for k in META_ORDER if k in found)


def _line(
    row: int,
    values: dict[str, Any],
    accounts: dict[str, str],
    known: set[str],
    errors: list[RowError],
) -> Line | None:
    problems = []
    amounts = []
    for key, header in (("debit", "借方金额"), ("credit", "贷方金额")):
        try:
            amounts.append(_amount(values.get(key), header))
        except ValueError as exc:
            problems.append(str(exc))
            amounts.append(None)
    debit, credit = amounts
    if not problems:
        if debit is not None and credit is not None:
            problems.append("借方金额和贷方金额只能填一个")
        elif debit is None and credit is None:
            problems.append("借方金额和贷方金额都没有填")
        elif (debit if debit is not None else credit) == 0:
            problems.append("金额为零")
    account = None
    raw = values.get("account")
    if raw is None:
        problems.append("缺少科目编码")
    else:
        account = _account(raw, accounts, known)
        if account is None:
            problems.append(f"科目“{_shown(raw)}”不在本村的科目表中（见“科目”工作表）")
    errors += [RowError(row, p) for p in problems]
    if problems or account is None:
        return None
    if debit is not None:
        return Line(account, debit)
    assert credit is not None  # one of the two is filled in, or a problem was found
    return Line(account, -credit)


def _account(raw: Any, accounts: dict[str, str], known: set[str]) -> str | None:
    text = _text(raw)
    if text in known:
        return text
    match = re.match(r"^(\d+)", text)
    if match:
        return accounts.get(match[1])
    return None


def _read(column: Column, value: Any) -> Any:
    """A voucher-level cell as its column means it; ValueError with the reason."""
    if value is None:
        return None
    if column.kind == "date":
        return _date(value, column.header)
    if column.kind == "integer":
        return _integer(value, column.header)
    if column.kind == "number":
        text = _text(value)
        if not VOUCHER_NUMBER.match(text):
            raise ValueError(f"凭证号“{text}”应写作 YYYY-MM-NNN（如 2026-10-001），或留空自动编号")
        return text
    if column.kind == "document":
        if isinstance(value, float | int) and not isinstance(value, bool):
            raise ValueError(
                f"发票号码被存成了数字（{value:g}），位数可能已经丢失；"
                "请把该列设为文本格式后重新输入"
            )
        return _text(value)
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return " ".join(str(value).split())


def _shown(value: Any) -> str:
    return _text(value)


DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date(value: Any, header: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = DATE_TEXT.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise ValueError(f"{header}“{text}”不是日期，应写作 2026-10-08 这样的日期")


def _integer(value: Any, header: str) -> int:
    try:
        number = Decimal(_text(value))
    except InvalidOperation:
        number = Decimal(-1)
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        raise ValueError(f"{header}“{_shown(value)}”应为不小于零的整数")
    return int(number)


def _amount(value: Any, header: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{header}“{value}”不是金额")
    if isinstance(value, float):
        cents = round(value * 100)
        if abs(value * 100 - cents) > 1e-6:
            raise ValueError(f"{header} {value} 超过两位小数")
        return Decimal(cents) / 100
    text = _text(value).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    text = text.removesuffix("元").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{header}“{_shown(value)}”不是金额") from None
    if not number.is_finite():
        raise ValueError(f"{header}“{_shown(value)}”不是金额")
    if number != number.quantize(CENT):
        raise ValueError(f"{header} {_shown(value)} 超过两位小数")
    return number.quantize(CENT)


# ---- the dashboard's form: one voucher ----

FORM_UNIT = "条分录"


def read_form(
    fields: dict[str, Any], lines: Sequence[dict[str, Any]], model: LedgerModel, nonce: str
) -> ReadSheet:
    """One voucher typed into the dashboard's 录入凭证 form: its voucher-level `fields` and its
    posting `lines` (keys of `COLUMNS`), read as the sheet's rows are; errors name the line
    (`RowError.row` is the line's number, 1 for the voucher's own fields). The digest holds the
    form's `nonce`, so saving the same form twice adds the voucher once, and the same voucher
    entered again in a new form is a voucher of its own."""
    wanted = {c.key for c in COLUMNS if c.voucher_level and c.key != "number"}
    first = {k: _form_value(v) for k, v in fields.items() if k in wanted}
    rows = []
    for line in lines:
        values = {k: _form_value(line.get(k)) for k in ("account", "debit", "credit")}
        if any(v is not None for v in values.values()):
            rows.append(values)
    if not rows:
        return ReadSheet([], [RowError(1, "请至少填写两条分录")])
    group = [(1, {**rows[0], **first})] + [(n, r) for n, r in enumerate(rows[1:], 2)]
    if first.get("day") is None:
        return ReadSheet([], [RowError(1, "请填写日期")])
    voucher, errors = _voucher(group, open_accounts(model), set(model.chart.opens), FORM_UNIT)
    if voucher is None:
        return ReadSheet([], errors)
    digest = hashlib.sha256(f"{voucher.canonical()}#form:{nonce}".encode()).hexdigest()[:16]
    return ReadSheet([SheetVoucher(voucher, tuple(n for n, _ in group), digest)], [])


def _form_value(value: Any) -> Any:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


# ---- vouchers as entries ----


def digests_in_books(model: LedgerModel) -> dict[str, data.Transaction]:
    """The `entry-digest` of every entry the books hold."""
    return {str(t.meta[DIGEST_KEY]): t for t in model.transactions if DIGEST_KEY in t.meta}


def numbered(model: LedgerModel, vouchers: Sequence[SheetVoucher]) -> dict[SheetVoucher, str]:
    """Each voucher's number: the one typed in, else the month's next free one, in order of
    date and row."""
    taken = [v.voucher.number for v in vouchers if v.voucher.number]
    numbers = {v: v.voucher.number for v in vouchers if v.voucher.number}
    by_month: dict[tuple[int, int], list[SheetVoucher]] = {}
    for voucher in sorted(
        (v for v in vouchers if not v.voucher.number), key=lambda v: (v.voucher.day, v.rows[0])
    ):
        by_month.setdefault((voucher.voucher.day.year, voucher.voucher.day.month), []).append(
            voucher
        )
    for group in by_month.values():
        free = next_voucher_numbers(model, group[0].voucher.day, len(group), taken)
        numbers.update(zip(group, free, strict=True))
    return {v: numbers[v] for v in vouchers}


def entry_of(voucher: Voucher, number: str, digest: str) -> Entry:
    meta: list[tuple[str, str]] = [("voucher", quoted(number))]
    for key, value in voucher.meta:
        written = str(value) if key in INTEGER_KEYS else quoted(str(value))
        meta.append((key, written))
    meta.append((DIGEST_KEY, quoted(digest)))
    postings = tuple(Posting(line.account, line.amount) for line in voucher.lines)
    return Entry(voucher.day, voucher.payee, voucher.narration, tuple(meta), postings)


def entries(model: LedgerModel, vouchers: Sequence[SheetVoucher]) -> dict[Entry, SheetVoucher]:
    """The entries of the vouchers, numbered, in date order (then row), each to its voucher."""
    numbers = numbered(model, vouchers)
    ordered = sorted(vouchers, key=lambda v: (v.voucher.day, v.rows[0]))
    return {entry_of(v.voucher, numbers[v], v.digest): v for v in ordered}
