"""The 记账凭证录入 workbook written (`village-ledger template vouchers`): the sheet 凭证 with one row
per posting line (the columns of `voucher_sheet.COLUMNS`), the village's accounts, people by
role and resolutions on sheets of their own and offered as drop-down lists (data validation) in
凭证, and a 说明 sheet. How the rows make vouchers, and reading the workbook back, is
`village_ledger.voucher_sheet`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from village_ledger.model import LedgerModel, vocab
from village_ledger.voucher_sheet import (
    ACCOUNTS_SHEET,
    COLUMNS,
    HELP_SHEET,
    MEETINGS_SHEET,
    PEOPLE_SHEET,
    SHEET,
    VILLAGE_LABEL,
    Column,
    Voucher,
    account_name,
    open_accounts,
)

# rows offered with drop-down lists beyond those already filled
SPARE_ROWS = 500

# ---- what the drop-down lists offer ----


@dataclass(frozen=True)
class Choices:
    accounts: list[tuple[str, str, str]]  # (code, Chinese name, account)
    approvers: list[str]
    reviewers: list[str]
    people: list[str]
    meetings: list[tuple[str, str, str, str]]  # (id, date, body, subject)
    projects: list[str]

    def account_choice(self, code: str, name: str) -> str:
        return f"{code} {name}"


def choices(model: LedgerModel, day: date) -> Choices:
    roster = model.roster
    approvers = sorted({p for r in vocab.APPROVING_ROLES for p in roster.holders(r, day)})
    reviewers = sorted({p for r in vocab.REVIEWING_ROLES for p in roster.holders(r, day)})
    people = sorted(
        {p for r in vocab.ROLES if r not in vocab.TOWNSHIP_ROLES for p in roster.holders(r, day)}
    )
    meetings = [
        (m.id, m.day.isoformat(), m.body, m.subject) for m in sorted(model.meetings, key=_by_day)
    ]
    accounts = [(code, account_name(a), a) for code, a in open_accounts(model, day).items()]
    return Choices(
        accounts=accounts,
        approvers=approvers,
        reviewers=reviewers,
        people=people,
        meetings=meetings,
        projects=sorted(model.figures.funds.projects),
    )


def _by_day(meeting: Any) -> tuple[date, str]:
    return (meeting.day, meeting.id)


# ---- writing the workbook ----


HELP_TEXT = (
    "记账凭证录入表 使用说明",
    "",
    "1. 在“凭证”工作表中每一行填一条分录（一个科目的借方或贷方金额）。",
    "2. 一张凭证的第一行填日期；同一张凭证的其余分录行日期留空，写在紧接着的下面几行。"
    "下一个填了日期的行开始下一张凭证。",
    "3. 凭证号、摘要、对方单位、经手人、审核人、审批人、决议编号、发票号码/凭据类型、开票日期、附件张数、"
    "收款收据号、专项项目、来客人数、陪同人数、来客单位、公函、证明人、合同编号、所收期间、"
    "外出人数只在凭证的第一行填写"
    "（其余行可以留空，也可以照抄，但不能填得不一样）。",
    "4. 凭证号一般留空：导入时按日期先后接着本月最后一个凭证号连续编号。填了凭证号的按所填的用"
    "（格式 YYYY-MM-NNN，年月须与日期一致）。",
    "5. 科目编码从下拉列表选（“科目”工作表列出本村全部科目），也可以直接输入编码，如 10201。",
    "6. 每行的借方金额、贷方金额只填一个；金额最多两位小数；红字冲销填负数。"
    "每张凭证借方合计须等于贷方合计。",
    "7. 经手人、审核人、审批人、决议编号可从下拉列表选（“人员”“决议”工作表）；"
    "列表是生成本表当天的任职情况，凭证日期的任职以账簿为准，导入时由规则检查。",
    "8. 发票号码/凭据类型：填 20 位全电发票号码或“发票代码-发票号码”，没有发票时选"
    "收款收据、工资表、银行回单或内部凭证。发票号码列已设为文本格式，请勿改成数字格式。",
    "9. 招待费凭证填来客人数、陪同人数、来客单位和公函；专项资金支出填专项项目。",
    "",
    "导入：village-ledger import-vouchers 账簿 凭证.xlsx  先检查并显示将写入的凭证和规则发现；",
    "确认无误后加 --write 写入当年的账簿文件。读不懂的行会指出行号和原因，有错误时一张也不写入。",
    "同一张表再次导入时，已导入的凭证会跳过，不会重复入账。",
)


def write_template(
    model: LedgerModel, path: Path, day: date, vouchers: Sequence[Voucher] = ()
) -> None:
    """The workbook for `model`'s village, its lists as of `day`; `vouchers` filled in (for
    tests and examples: an accountant gets it empty)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    offered = choices(model, day)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, 1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        # the column's format applies to every cell typed into it: numbers stay as typed
        # (a 20-digit invoice, a receipt number with leading zeros), dates read as dates
        _format(sheet.column_dimensions[letter], column)
    sheet.freeze_panes = "A2"
    rows = list(sheet_rows(vouchers, offered))
    for number, values in enumerate(rows, 2):
        for index, (column, value) in enumerate(zip(COLUMNS, values, strict=True), 1):
            cell = sheet.cell(row=number, column=index, value=value)
            _format(cell, column)
    last = len(rows) + 1 + SPARE_ROWS
    _lists(book, sheet, offered, last)
    _help(book, model, day)
    book.save(path)


def _format(cell: Any, column: Column) -> None:
    if column.kind == "date":
        cell.number_format = "yyyy-mm-dd"
    elif column.kind == "amount":
        cell.number_format = "#,##0.00"
    elif column.kind in ("number", "document", "text"):
        cell.number_format = "@"


def sheet_rows(vouchers: Iterable[Voucher], offered: Choices | None = None) -> Iterator[list[Any]]:
    """The rows a voucher takes, as an accountant fills them in."""
    names = {a: offered.account_choice(c, n) for c, n, a in offered.accounts} if offered else {}
    for voucher in vouchers:
        meta = dict(voucher.meta)
        for index, line in enumerate(voucher.lines):
            values: dict[str, Any] = {
                "account": names.get(line.account, line.account),
                "debit": line.amount if line.amount > 0 else None,
                "credit": -line.amount if line.amount < 0 else None,
            }
            if index == 0:
                values |= {
                    "number": voucher.number,
                    "day": voucher.day,
                    "narration": voucher.narration,
                    "payee": voucher.payee,
                    "document": meta.get("invoice") or meta.get("receipt"),
                }
                for column in COLUMNS:
                    if column.meta and column.meta in meta:
                        value = meta[column.meta]
                        values[column.key] = (
                            date.fromisoformat(str(value)) if column.kind == "date" else value
                        )
            yield [_cell(values.get(c.key)) for c in COLUMNS]


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)  # Excel keeps numbers as doubles; two decimals survive exactly
    return value


def _lists(book: Any, sheet: Any, offered: Choices, last: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    accounts = book.create_sheet(ACCOUNTS_SHEET)
    accounts.append(["科目（下拉选项）", "科目编码", "科目名称", "Beancount 科目"])
    for code, name, account in offered.accounts:
        accounts.append([offered.account_choice(code, name), code, name, account])
    for letter, width in zip("ABCD", (36, 10, 30, 50), strict=True):
        accounts.column_dimensions[letter].width = width

    people = book.create_sheet(PEOPLE_SHEET)
    people.append(
        ["审批人（书记、主任）", "审核人（监委会、理财小组）", "经手人（村干部和财会人员）"]
    )
    columns = (offered.approvers, offered.reviewers, offered.people)
    for index in range(max(map(len, columns), default=0)):
        people.append([c[index] if index < len(c) else None for c in columns])
    for letter in "ABC":
        people.column_dimensions[letter].width = 26

    meetings = book.create_sheet(MEETINGS_SHEET)
    meetings.append(["决议编号", "日期", "会议", "事项"])
    for row in offered.meetings:
        meetings.append(list(row))
    for letter, width in zip("ABCD", (22, 12, 14, 30), strict=True):
        meetings.column_dimensions[letter].width = width
    if offered.projects:
        meetings["F1"] = "专项项目"
        for index, project in enumerate(offered.projects, 2):
            meetings.cell(row=index, column=6, value=project)

    def listed(title: str, letter: str, count: int) -> str:
        return f"'{title}'!${letter}$2:${letter}${max(count, 1) + 1}"

    lists = {
        "account": (listed(ACCOUNTS_SHEET, "A", len(offered.accounts)), "stop"),
        "approver": (listed(PEOPLE_SHEET, "A", len(offered.approvers)), "warning"),
        "reviewer": (listed(PEOPLE_SHEET, "B", len(offered.reviewers)), "warning"),
        "handler": (listed(PEOPLE_SHEET, "C", len(offered.people)), "warning"),
        "witness": (listed(PEOPLE_SHEET, "C", len(offered.people)), "warning"),
        "meeting": (listed(MEETINGS_SHEET, "A", len(offered.meetings)), "warning"),
        "document": ('"' + ",".join(vocab.ACCEPTED_RECEIPTS) + '"', "information"),
    }
    if offered.projects:
        lists["project"] = (listed(MEETINGS_SHEET, "F", len(offered.projects)), "warning")
    for index, column in enumerate(COLUMNS, 1):
        if column.key not in lists:
            continue
        formula, style = lists[column.key]
        rule = DataValidation(type="list", formula1=formula, allow_blank=True, errorStyle=style)
        rule.error = "不在列表中：请从下拉列表选择，或确认后继续。"
        rule.errorTitle = column.header
        if column.key == "account":
            rule.error = "科目须从下拉列表选择（“科目”工作表），或直接输入科目编码。"
            rule.showErrorMessage = False  # a code typed in is read as well
        letter = get_column_letter(index)
        rule.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(rule)


def _help(book: Any, model: LedgerModel, day: date) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(HELP_SHEET)
    sheet.append([VILLAGE_LABEL, model.title or model.village])
    sheet.append(["名单日期", day.isoformat()])
    sheet.append([])
    for text in HELP_TEXT:
        sheet.append([text])
    sheet["A4"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 120
    sheet.column_dimensions["B"].width = 40
