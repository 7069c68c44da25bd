"""Reading a bank statement (银行对账单) from CSV or Excel into lines, whatever the bank.

What real statements do, and what is done about it:
- encodings: UTF-8 with or without a BOM, GBK/GB18030 (what Chinese Excel saves CSV in);
- rows above the table (户名, 账号, 起止日期 …): the header row is the first holding every column
  the layout needs (`formats.BankFormat.required`);
- money in and out as two columns (收入/支出, 贷方/借方) or as one signed amount, with thousands
  separators, currency signs and blanks for zero;
- newest line first: reversed, so the running balance reads forward;
- a 合计/总计 row below the table, or a blank row, ends it.

Every line's balance must follow from the one before it and the line's amount; a row that
cannot be read stops the import with its row number and the reason, in Chinese.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from village_ledger.bank.formats import BankFormat, Formats

ZERO = Decimal(0)
CENT = Decimal("0.01")
HEADER_SEARCH_ROWS = 40
FOOTERS = ("合计", "总计", "小计", "本页合计", "累计", "打印", "说明", "注：")
DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})(?:[ T]?\d{2}:?\d{2}:?\d{2})?$"),
)
MONEY_NOISE = re.compile(r"[,，\s¥￥元]")


class StatementError(Exception):
    """The statement cannot be read; the message names the file, the row and what is wrong."""


@dataclass(frozen=True, slots=True)
class StatementLine:
    row: int  # the row in the file (1-based), for messages
    day: date
    amount: Decimal  # positive: money in
    balance: Decimal  # after this line
    summary: str = ""
    payee: str = ""
    reference: str = ""
    key: str = ""  # this line's identity across imports (`bank-ref` of its draft)

    @property
    def text(self) -> str:
        return " ".join(p for p in (self.summary, self.payee) if p) or "（无摘要）"


@dataclass(frozen=True)
class Statement:
    path: str
    bank: BankFormat
    lines: tuple[StatementLine, ...]

    @property
    def first_day(self) -> date:
        return self.lines[0].day

    @property
    def last_day(self) -> date:
        return self.lines[-1].day

    @property
    def opening(self) -> Decimal:
        first = self.lines[0]
        return first.balance - first.amount

    @property
    def closing(self) -> Decimal:
        return self.lines[-1].balance


def read_statement(path: str | Path, formats: Formats, bank: str | None = None) -> Statement:
    """The statement at `path` (.csv or .xlsx) in the layout `bank`, or the one it matches."""
    path = Path(path)
    rows = read_rows(path)
    fmt, header = find_header(path, rows, formats, bank)
    lines = parse_lines(path, rows, header, fmt)
    return Statement(str(path), fmt, tuple(lines))


# ---- rows of cells -------------------------------------------------------------------


def read_rows(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StatementError(f"{path}：无法读取（{exc.strerror or exc}）") from None
    if suffix == ".csv" or suffix == ".txt":
        return _csv_rows(path, raw)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, raw)
    if suffix == ".xls":
        raise StatementError(
            f"{path}：旧版 Excel（.xls）无法读取，请在 Excel 中另存为 .xlsx 或 CSV"
        )
    raise StatementError(f"{path}：不认识的文件类型 {suffix or '（无扩展名）'}，应为 .csv 或 .xlsx")


def decode(path: Path, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementError(f"{path}：文件编码无法识别（应为 UTF-8 或 GBK），请另存为 UTF-8 的 CSV")


def _csv_rows(path: Path, raw: bytes) -> list[list[str]]:
    text = decode(path, raw)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(path: Path, raw: bytes) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise StatementError(f"{path}：不是可读取的 Excel 文件（{exc}）") from None
    sheet = book.worksheets[0]
    return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(Decimal(repr(value)).quantize(CENT)) if value != int(value) else str(int(value))
    return str(value).strip()


# ---- the table -------------------------------------------------------------------------


def find_header(
    path: Path, rows: list[list[str]], formats: Formats, bank: str | None
) -> tuple[BankFormat, int]:
    """The layout and the index of the header row."""
    if bank is not None:
        chosen = formats.named(bank)
        if chosen is None:
            known = "、".join(b.name for b in formats.banks)
            raise StatementError(
                f"没有名为“{bank}”的对账单格式（已有：{known}；见 {formats.source}）"
            )
        candidates: tuple[BankFormat, ...] = (chosen,)
    else:
        candidates = formats.banks
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = set(row)
        fitting = [f for f in candidates if all(name in cells for name in f.required)]
        if fitting:
            above = " ".join(" ".join(r) for r in rows[:index]) + " " + path.name
            named = [f for f in fitting if any(word in above for word in f.match)]
            return (named or fitting)[0], index
    wanted = "；".join(f"{f.name}：{'、'.join(f.required)}" for f in candidates)
    raise StatementError(
        f"{path}：前 {HEADER_SEARCH_ROWS} 行中找不到表头（需要的列 {wanted}）；"
        f"银行的列名不同时，请在乡镇文件夹的 banks.toml 中添加该银行的格式"
    )


def parse_lines(
    path: Path, rows: list[list[str]], header: int, fmt: BankFormat
) -> list[StatementLine]:
    columns = {name: rows[header].index(name) for name in fmt.named}
    lines: list[StatementLine] = []
    for index in range(header + 1, len(rows)):
        row = rows[index]
        if not any(row):
            break
        if _is_footer(row):
            break
        lines.append(_line(path, index + 1, row, columns, fmt))
    if not lines:
        raise StatementError(f"{path}：表头（第 {header + 1} 行）下面没有交易记录")
    if lines[0].day > lines[-1].day:
        lines.reverse()  # newest first, as some banks print it
    _check_running_balance(path, lines)
    return _keyed(lines)


def _is_footer(row: list[str]) -> bool:
    """A 合计/总计 row, whichever column the bank writes the word in (农业银行 leaves the date
    empty and writes 合计：… under 收入金额)."""
    first = next((c.replace(" ", "").replace("\u3000", "") for c in row if c.strip()), "")
    return first.startswith(FOOTERS)


def _line(
    path: Path, number: int, row: list[str], columns: dict[str, int], fmt: BankFormat
) -> StatementLine:
    def cell(name: str | None) -> str:
        if name is None:
            return ""
        i = columns[name]
        return row[i] if i < len(row) else ""

    where = f"{path} 第 {number} 行"
    day = parse_day(cell(fmt.date))
    if day is None:
        raise StatementError(f"{where}：{fmt.date}“{cell(fmt.date)}”不是日期（应如 2026-03-05）")
    if fmt.amount:
        amount = _money(where, fmt.amount, cell(fmt.amount), blank_is_zero=False)
    else:
        money_in = _money(where, fmt.income or "", cell(fmt.income), blank_is_zero=True)
        money_out = _money(where, fmt.expense or "", cell(fmt.expense), blank_is_zero=True)
        if money_in and money_out:
            raise StatementError(f"{where}：{fmt.income}和{fmt.expense}同时有金额，一行只能有一个")
        amount = money_in - abs(money_out)
    balance = _money(where, fmt.balance, cell(fmt.balance), blank_is_zero=False)
    return StatementLine(
        number, day, amount, balance, cell(fmt.summary), cell(fmt.payee), cell(fmt.reference)
    )


def parse_day(text: str) -> date | None:
    text = text.strip()
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None


def _money(where: str, column: str, text: str, *, blank_is_zero: bool) -> Decimal:
    cleaned = MONEY_NOISE.sub("", text).replace("−", "-")
    if cleaned in ("", "-", "--") and blank_is_zero:
        return ZERO
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = "-" + cleaned[1:-1]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value != value.quantize(CENT):
        raise StatementError(f"{where}：{column}“{text}”不是金额（应如 1,234.56）")
    return value.quantize(CENT)


def _check_running_balance(path: Path, lines: list[StatementLine]) -> None:
    for before, line in itertools.pairwise(lines):
        if before.balance + line.amount != line.balance:
            raise StatementError(
                f"{path} 第 {line.row} 行：余额 {line.balance:,.2f} 不等于上一笔余额 "
                f"{before.balance:,.2f} 加本行发生额 {line.amount:,.2f}；对账单不完整或有误"
            )


def _keyed(lines: Iterable[StatementLine]) -> list[StatementLine]:
    """Each line's identity: its reference, or its date and amount (numbered when repeated)."""
    seen: Counter[str] = Counter()
    keyed = []
    for line in lines:
        base = line.reference or f"{line.day:%Y%m%d}/{line.amount}"
        seen[base] += 1
        key = base if seen[base] == 1 else f"{base}/{seen[base]}"
        keyed.append(
            StatementLine(
                line.row,
                line.day,
                line.amount,
                line.balance,
                line.summary,
                line.payee,
                line.reference,
                key,
            )
        )
    return keyed
