"""建账: starting a new village's books from the township's chart and policy.

`plan_village` reads the township's chart, the opening balances (期初余额表) if any, and returns
the files of a new village folder as text; `create_files` writes them, never over an existing
file. Nothing here guesses a balance: the opening voucher must balance as entered (试算平衡), so
no account becomes a silent plug the way a `pad` to 资本 would.

Decisions where the regulation is silent:
- The opening voucher is one transaction dated the day before the books start, flagged `*`,
  with `opening: TRUE`. It is not a 记账凭证 of the new books (it carries the old books' closing
  balances), so it has no `voucher` number and the payment and receipt rules skip it.
- A 期初余额表 often lists a first-level account's total *and* its 明细科目. A row whose code is
  the prefix of another row's code is read as a subtotal: it must equal the sum of the rows
  below it, and only the lowest rows are posted.
- A code the chart lacks is a new 明细科目 of the chart account its code extends (two digits per
  level); every level in between must be in the chart or in the sheet, so each gets a name.
- Amounts are entered as positive numbers in their 借方 or 贷方 column; a row with both, or a
  negative amount, is refused rather than guessed at.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data

from village_ledger.columns import display_width
from village_ledger.model import vocab
from village_ledger.money import CURRENCY, fmt_yuan

SLUG = re.compile(r"^[a-z][a-z0-9_-]*$")
OPENING_META = "opening"
ZERO = Decimal(0)


class FoundingError(Exception):
    """Why a village cannot be started as asked; the message is for the accountant."""


@dataclass(frozen=True)
class ChartAccount:
    account: str
    code: str


@dataclass(frozen=True)
class OpeningRow:
    row: int
    code: str
    name: str
    debit: Decimal
    credit: Decimal

    @property
    def net(self) -> Decimal:
        """Debit positive, credit negative: Beancount's sign for the opening posting."""
        return self.debit - self.credit


@dataclass
class OpeningBalances:
    """The opening balances, resolved to accounts: what the opening voucher posts."""

    postings: list[tuple[str, Decimal]] = field(default_factory=list)
    new_accounts: list[ChartAccount] = field(default_factory=list)

    @property
    def debit_total(self) -> Decimal:
        return sum((n for _, n in self.postings if n > 0), ZERO)

    @property
    def credit_total(self) -> Decimal:
        return sum((-n for _, n in self.postings if n < 0), ZERO)


# ---- the township's chart ----


CHART_FILE = "chart.beancount"
# an `open` of a first-level account, as a chart writes it: `2000-01-01 open Assets:101-库存现金`
FIRST_LEVEL_OPEN = re.compile(
    r"^\ufeff?\d{4}-\d{2}-\d{2}\s+open\s+(?:Assets|Liabilities|Equity|Income|Expenses):[^:\s]+\s",
    re.MULTILINE,
)


def chart_files(township: Path) -> list[Path]:
    """The files of the township's chart: its `chart.beancount`, or else the files in the
    township folder and its sub-folders that open first-level accounts (a chart split into one
    file per class, as in `科目表/资产类.beancount`)."""
    if (township / CHART_FILE).is_file():
        return [township / CHART_FILE]
    found = [
        path
        for path in sorted(township.rglob("*.beancount"))
        if path.is_file() and FIRST_LEVEL_OPEN.search(path.read_text("utf-8", errors="replace"))
    ]
    if not found:
        raise FoundingError(
            f"乡镇共用文件夹 {township} 中没有科目表（{CHART_FILE}，或开设一级科目的文件）；"
            "请用 --township 指明乡镇文件夹"
        )
    return found


def read_chart(chart: Path | list[Path]) -> dict[str, ChartAccount]:
    """The accounts of the township's chart by code (its file, or the files it is split into)."""
    found: dict[str, ChartAccount] = {}
    for chart_file in [chart] if isinstance(chart, Path) else chart:
        entries, errors, _ = loader.load_file(str(chart_file))
        if errors:
            first = errors[0]
            line = (getattr(first, "source", None) or {}).get("lineno", 0)
            raise FoundingError(f"{chart_file} 第 {line} 行：科目表有错误（{first.message}）")
        for entry in entries:
            if isinstance(entry, data.Open):
                code = str(entry.meta.get("code") or _code_of(entry.account))
                if code:
                    found[code] = ChartAccount(entry.account, code)
    if not found:
        raise FoundingError(f"{chart} 中没有带科目代码的 open 指令，不是科目表")
    return found


def _code_of(account: str) -> str:
    match = re.match(r"(\d+)-", account.rsplit(":", 1)[-1])
    return match.group(1) if match else ""


# ---- the 期初余额表 ----

HEADERS = {"code": ("科目编码", "科目代码"), "name": ("科目名称",)}
SIDES = {"debit": "借方", "credit": "贷方"}


def read_opening_sheet(path: Path) -> list[OpeningRow]:
    """The rows of a 期初余额表 (xlsx or csv) with the columns 科目编码, 科目名称, 借方余额, 贷方余额."""
    rows = _sheet_rows(path)
    for index, cells in enumerate(rows):
        columns = _header_columns(cells)
        if columns is not None:
            return _opening_rows(path, rows[index + 1 :], index + 2, columns)
    raise FoundingError(
        f"{path}：找不到表头。期初余额表应有“科目编码、科目名称、借方余额、贷方余额”四列"
    )


def _sheet_rows(path: Path) -> list[list[Any]]:
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            sheet = book.worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        if suffix == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as handle:
                return [list(row) for row in csv.reader(handle)]
    except OSError as exc:
        raise FoundingError(f"无法读取 {path}：{exc.strerror or exc}") from None
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise FoundingError(f"{path} 不是可读取的 Excel 文件（{exc}）") from None
    raise FoundingError(f"{path}：只支持 .xlsx 或 .csv 格式的期初余额表")


def _header_columns(cells: Sequence[Any]) -> dict[str, int] | None:
    texts = [str(c).strip() if c is not None else "" for c in cells]
    found: dict[str, int] = {}
    for i, text in enumerate(texts):
        for key, names in HEADERS.items():
            if text in names:
                found.setdefault(key, i)
        for key, side in SIDES.items():
            if side in text and "余额" in text:
                found.setdefault(key, i)
    return found if len(found) == 4 else None


def _opening_rows(
    path: Path, rows: list[list[Any]], first_row: int, columns: dict[str, int]
) -> list[OpeningRow]:
    read: list[OpeningRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows, first_row):
        values = {key: cells[i] if i < len(cells) else None for key, i in columns.items()}
        row = _opening_row(path, number, values, any(c not in (None, "") for c in cells))
        if row is None:
            continue
        if row.code in seen:
            raise FoundingError(
                f"{path} 第 {number} 行：科目编码 {row.code} 与第 {seen[row.code]} 行重复"
            )
        seen[row.code] = number
        read.append(row)
    return read


def _is_total(text: str) -> bool:
    return text.replace(" ", "").replace("\u3000", "").startswith(("合计", "总计"))


def _opening_row(
    path: Path, number: int, values: dict[str, Any], has_content: bool
) -> OpeningRow | None:
    """One row of the sheet; None for a blank row or the 合计 line."""
    code = _code_text(values["code"])
    name = str(values["name"] or "").strip()
    if _is_total(code) or (not code and _is_total(name)):
        return None  # the 合计 line, in whichever column the sheet writes the word
    if not code:
        if not has_content:
            return None
        raise FoundingError(f"{path} 第 {number} 行：缺少科目编码")
    if not code.isdigit():
        raise FoundingError(f"{path} 第 {number} 行：科目编码“{code}”应为数字")
    debit = _amount(path, number, "借方余额", values["debit"])
    credit = _amount(path, number, "贷方余额", values["credit"])
    if debit and credit:
        raise FoundingError(
            f"{path} 第 {number} 行：科目 {code} 借方、贷方余额都有数，一个科目只能有一方余额"
        )
    return OpeningRow(number, code, name, debit, credit)


def _code_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _amount(path: Path, row: int, column: str, value: Any) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ZERO
    text = unicodedata.normalize("NFKC", str(value)).replace(",", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise FoundingError(f"{path} 第 {row} 行：{column}“{value}”不是金额") from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e15"):
        raise FoundingError(f"{path} 第 {row} 行：{column}“{value}”不是合理的金额")
    if amount < 0:
        raise FoundingError(
            f"{path} 第 {row} 行：{column}为负数 {value}；请把余额填在它所在方向的一列，填正数"
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise FoundingError(f"{path} 第 {row} 行：{column} {value} 超过两位小数")
    return amount.quantize(Decimal("0.01"))


def resolve_opening(
    rows: Sequence[OpeningRow], chart: dict[str, ChartAccount], source: str
) -> OpeningBalances:
    """Accounts for the lowest rows, subtotals verified, 试算平衡 enforced."""
    codes = {r.code for r in rows}
    leaves = [r for r in rows if not any(c != r.code and c.startswith(r.code) for c in codes)]
    for row in rows:
        if row not in leaves:
            _check_subtotal(row, [r for r in leaves if r.code.startswith(row.code)], source)
    names = {r.code: r.name for r in rows}
    balances = OpeningBalances()
    known = dict(chart)
    for row in sorted(leaves, key=lambda r: (len(r.code), r.code)):
        account = _account_for(row, known, names, balances.new_accounts, source)
        if row.net:
            balances.postings.append((account, row.net))
    balances.postings.sort(key=lambda p: _code_of_path(p[0]))
    difference = balances.debit_total - balances.credit_total
    if difference:
        raise FoundingError(
            f"{source}：期初余额试算不平衡，借方合计 {fmt_yuan(balances.debit_total)}，"
            f"贷方合计 {fmt_yuan(balances.credit_total)}，相差 {fmt_yuan(abs(difference))}"
            f"（{'借方' if difference > 0 else '贷方'}多）"
        )
    return balances


def _code_of_path(account: str) -> str:
    return _code_of(account)


def _check_subtotal(row: OpeningRow, below: list[OpeningRow], source: str) -> None:
    total = sum((r.net for r in below), ZERO)
    if total != row.net:
        raise FoundingError(
            f"{source} 第 {row.row} 行：科目 {row.code} 的余额 {_signed(row.net)} "
            f"与其明细科目合计 {_signed(total)} 不符，相差 {fmt_yuan(abs(row.net - total))}"
        )


def _signed(net: Decimal) -> str:
    if not net:
        return "0.00"
    return f"{'借' if net > 0 else '贷'} {fmt_yuan(abs(net))}"


def _account_for(
    row: OpeningRow,
    known: dict[str, ChartAccount],
    names: dict[str, str],
    created: list[ChartAccount],
    source: str,
) -> str:
    """The account of a row's code: the chart's, or a new 明细科目 under the nearest ancestor."""
    if row.code in known:
        return known[row.code].account
    missing: list[str] = []
    code = row.code
    while code not in known:
        if len(code) <= 3:
            raise FoundingError(
                f"{source} 第 {row.row} 行：科目编码 {row.code} 不在乡镇科目表中，"
                "也不是某个科目的明细科目（明细科目代码在上级代码后加两位）"
            )
        missing.append(code)
        code = code[:-2]
    parent = known[code].account
    for sub in reversed(missing):
        name = _component_name(names.get(sub, ""))
        if not name:
            raise FoundingError(
                f"{source} 第 {row.row} 行：科目 {row.code} 的上级科目 {sub} 不在科目表中，"
                "请在表中加一行写明它的科目名称"
            )
        parent = f"{parent}:{sub}-{name}"
        known[sub] = ChartAccount(parent, sub)
        created.append(known[sub])
    return parent


def _component_name(name: str) -> str:
    """A Chinese account name as a Beancount component: letters and digits only."""
    text = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in text if ch.isalnum() or ch == "-").strip("-")


# ---- the files of the new folder ----


@dataclass(frozen=True)
class VillagePlan:
    folder: Path
    files: dict[str, str]  # file name inside the folder -> text


def plan_village(
    folder: Path,
    title: str,
    start: date,
    township: Path,
    opening: OpeningBalances | None = None,
) -> VillagePlan:
    """The files of a new village folder; raises FoundingError for anything wrong with the ask."""
    if not SLUG.match(folder.name):
        raise FoundingError(
            f"村文件夹名“{folder.name}”应为小写拼音（字母、数字、连字符），如 shiqiao"
        )
    if not title.strip():
        raise FoundingError("请用 --title 写明集体经济组织全称，如“天城镇石桥村股份经济合作社”")
    includes = township_includes(folder, township)
    year_file = f"{start.year}.beancount"
    main = _main_text(title.strip(), start, includes, year_file, opening)
    year = f"; {title.strip()} {start.year} 年度记账凭证（按月排列，凭证号 YYYY-MM-NNN 每月从 001 起连续编号）\n"
    return VillagePlan(folder, {"main.beancount": main, year_file: year})


def township_includes(folder: Path, township: Path) -> list[str]:
    """The township files a village includes, relative to its folder: the chart first (its
    file, or the files it is split into), then the other files of the township folder."""
    chart = chart_files(township)
    others = sorted(p for p in township.glob("*.beancount") if p not in chart)
    base = folder.resolve()
    return [os.path.relpath(p.resolve(), base) for p in [*chart, *others]]


def _main_text(
    title: str,
    start: date,
    includes: list[str],
    year_file: str,
    opening: OpeningBalances | None,
) -> str:
    day = start.isoformat()
    lines = [
        f"; {title} 账簿主文件",
        f"; 由 village-ledger init 于建账时生成，账簿自 {day} 起。",
        "",
        f'option "title" "{_quoted(title)}"',
        f'option "operating_currency" "{CURRENCY}"',
        'plugin "village_ledger.plugins.all"',
        "",
        *(f'include "{_quoted(path)}"' for path in includes),
        "",
        "; ==== 本村明细科目 ====",
        "; 银行账户、专项项目、往来单位等明细科目，代码在上级代码后加两位，例如：",
        f"; {day} open Assets:102-银行存款:10201-农商行 CNY",
        ';   code: "10201"',
    ]
    opened = (start - timedelta(days=1)).isoformat()
    for account in opening.new_accounts if opening else []:
        lines += [f"{opened} open {account.account} {CURRENCY}", f'  code: "{account.code}"']
    lines += ["", *_roster_template(day), "", *_opening_text(start, opening), ""]
    lines += ["; ==== 各年度账务 ====", f'include "{year_file}"', ""]
    lines += ["; ==== 财务公开封存（每季度公开后由 village-ledger seal --write 追加）====", ""]
    return "\n".join(lines)


def _roster_template(day: str) -> list[str]:
    lines = [
        "; ==== 村两委、村务监督委员会、民主理财小组及财会人员任职 ====",
        "; 每人每个职务一行，去掉行首分号并填写姓名；离任写“离任”，日期为不再担任的第一天。",
    ]
    lines += [f'; {day} custom "{vocab.APPOINT}" "姓名" "{role}"' for role in vocab.ROLES]
    lines += [
        "",
        "; 近亲属关系（审核人不得审核其近亲属经手或审批的支出）",
        f'; {day} custom "{vocab.RELATIVE}" "姓名甲" "姓名乙" "夫妻"',
        "",
        "; 监督电话（印在财务公开栏上）",
        f'; {day} event "监督电话" "0000-0000000"',
    ]
    return lines


def _opening_text(start: date, opening: OpeningBalances | None) -> list[str]:
    day = (start - timedelta(days=1)).isoformat()
    header = [
        "; ==== 期初余额（建账时一次录入，借贷必须平衡，不用 pad）====",
    ]
    if not opening or not opening.postings:
        return [
            *header,
            "; 去掉行首分号，按上年末（或原账簿）余额填写；借方余额为正数，贷方余额为负数，合计为零。",
            f'; {day} * "期初余额" "建账期初余额"',
            f";   {OPENING_META}: TRUE",
            f";   Assets:101-库存现金                 0.00 {CURRENCY}",
            f";   Assets:102-银行存款:10201-农商行     0.00 {CURRENCY}",
            f";   Equity:301-资本                     -0.00 {CURRENCY}",
        ]
    width = max(display_width(a) for a, _ in opening.postings) + 2
    return [
        *header,
        f"; 借方合计 {fmt_yuan(opening.debit_total)}，贷方合计 {fmt_yuan(opening.credit_total)}",
        f'{day} * "期初余额" "建账期初余额"',
        f"  {OPENING_META}: TRUE",
        *(
            f"  {a}{' ' * (width - display_width(a))}{n:>16.2f} {CURRENCY}"
            for a, n in opening.postings
        ),
    ]


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def existing_files(plan: VillagePlan) -> list[Path]:
    return [plan.folder / name for name in plan.files if (plan.folder / name).exists()]


def create_files(plan: VillagePlan) -> list[Path]:
    """Write the plan's files, each created exclusively: nothing that exists is touched. On a
    failure part-way, the files this call created are removed again."""
    taken = existing_files(plan)
    if taken:
        raise FoundingError(f"文件已存在，不会覆盖：{', '.join(str(p) for p in taken)}")
    plan.folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for name, text in plan.files.items():
            target = plan.folder / name
            with open(target, "x", encoding="utf-8") as handle:
                written.append(target)
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise FoundingError(f"无法写入 {plan.folder}：{exc.strerror or exc}") from None
    return written


def opening_from_rows(
    rows: Iterable[OpeningRow], chart: Path | list[Path], source: str
) -> OpeningBalances:
    return resolve_opening(list(rows), read_chart(chart), source)
