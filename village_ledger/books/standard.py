"""The standard books (会计账簿) of a village, built on the model's figures.

- 科目余额表 (trial balance): every account at every level, 期初/本期借方/本期贷方/期末, each
  balance in its 借方 or 贷方 column; the first-level totals balance.
- 总分类账: one table per first-level account, 明细分类账: one per 明细科目 (or the accounts under
  `--account`): 月 日 凭证号 摘要 借方 贷方 借或贷 余额, opening with 期初余额 (上年结转 on 1 January)
  and closing each month with 本月合计 and 本年累计.
- 现金日记账 and 银行存款日记账 (one per bank account): each voucher with its 对方科目, and a
  本日合计 line with the day's balance.

Amounts are integer 分 in the tables (`reports.tables.Table`), and never in Beancount's signs: a
balance is a positive amount with 借, 贷 or 平. Balances brought forward and totals come from
`model.figures`; the lines of a ledger are the postings the figures add up, so each ledger's
last balance equals the trial balance's 期末 (tested).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from beancount.core import data

from village_ledger.books import BOOK_NAMES, REGISTERS
from village_ledger.model import LedgerModel, is_opening
from village_ledger.model.accounts import parent_of
from village_ledger.model.period import Period
from village_ledger.money import posting_cny
from village_ledger.reports.statements import cents, display_name
from village_ledger.reports.tables import Column, Table, frame

ZERO = Decimal(0)

# option values: the Chinese name of each book and its English alias
ALIASES = {alias: name for name, alias in BOOK_NAMES.items()}


def book_name(text: str) -> str | None:
    """The Chinese name of a book given by its name or English alias (总账 and 明细账 too)."""
    short = {
        "总账": "总分类账",
        "明细账": "明细分类账",
        "余额表": "科目余额表",
        "收益分配表": "收益及收益分配表",
        "收益表": "收益及收益分配表",
    }
    value = text.strip()
    if value in BOOK_NAMES:
        return value
    return ALIASES.get(value.lower()) or short.get(value)


@dataclass
class Book:
    name: str  # 科目余额表 …
    title: str  # the collective's name
    village: str
    period: Period
    tables: list[Table] = field(default_factory=list)


def direction(balance: Decimal) -> str:
    return "借" if balance > 0 else "贷" if balance < 0 else "平"


def account_label(account: str) -> tuple[str, str]:
    """`Assets:102-银行存款:10201-农商行` -> ("10201", "农商行")."""
    last = account.rsplit(":", 1)[-1]
    code, _, name = last.partition("-")
    return (code, name) if code.isdigit() and name else ("", last)


# ---- 科目余额表 ----

TRIAL_COLUMNS = (
    Column("code", "科目编码", width=1.4),
    Column("name", "科目名称", width=3.2),
    Column("opening_debit", "期初借方", "amount"),
    Column("opening_credit", "期初贷方", "amount"),
    Column("debit", "本期借方", "amount"),
    Column("credit", "本期贷方", "amount"),
    Column("closing_debit", "期末借方", "amount"),
    Column("closing_credit", "期末贷方", "amount"),
)


def _sides(balance: Decimal) -> tuple[int | None, int | None]:
    value = cents(balance)
    return (value, None) if value > 0 else (None, -value) if value < 0 else (None, None)


def trial_balance(model: LedgerModel, period: Period, level: int | None = None) -> Book:
    book = _book(model, "科目余额表", period)
    records: list[dict[str, Any]] = []
    totals = dict.fromkeys(
        ("opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit"), 0
    )
    for line in model.figures.trial_balance(period):
        if level is not None and line.level > level:
            continue
        code, name = account_label(line.account)
        opening_debit, opening_credit = _sides(line.opening)
        closing_debit, closing_credit = _sides(line.closing)
        record: dict[str, Any] = {
            "code": code or line.code,
            "name": "　" * (line.level - 1) + name,
            "opening_debit": opening_debit,
            "opening_credit": opening_credit,
            "debit": cents(line.debit) or None,
            "credit": cents(line.credit) or None,
            "closing_debit": closing_debit,
            "closing_credit": closing_credit,
            "level": line.level,
        }
        records.append(record)
        if line.level == 1:
            for key in totals:
                totals[key] += record[key] or 0
    table = Table(
        "trial-balance",
        f"科目余额表（{period.label}）",
        TRIAL_COLUMNS,
        frame(records, TRIAL_COLUMNS),
        totals=[{"code": "", "name": "合计", **totals}],
        note="合计为一级科目之和；期初、期末借方合计应等于贷方合计，本期借方合计应等于贷方合计。",
        empty="本期没有任何科目的余额或发生额",
    )
    book.tables.append(table)
    return book


# ---- 总分类账 and 明细分类账 ----

LEDGER_COLUMNS = (
    Column("month", "月", "int", width=0.6),
    Column("day", "日", "int", width=0.6),
    Column("voucher", "凭证号", width=1.8),
    Column("summary", "摘要", width=4.0),
    Column("debit", "借方", "amount"),
    Column("credit", "贷方", "amount"),
    Column("side", "借或贷", width=1.1),
    Column("balance", "余额", "amount"),
)


@dataclass(frozen=True)
class Line:
    """What one voucher posted to an account (or its sub-accounts)."""

    day: date
    voucher: str
    summary: str
    debit: Decimal
    credit: Decimal
    others: tuple[str, ...]  # the voucher's other accounts (对方科目)


def lines_of(model: LedgerModel, accounts: Iterable[str], period: Period) -> dict[str, list[Line]]:
    """Per account (each with its sub-accounts), the vouchers that moved it in the period."""
    wanted = set(accounts)
    found: dict[str, list[Line]] = defaultdict(list)
    for entry in model.transactions:
        if not period.contains(entry.date) or is_opening(entry):
            continue  # the 期初余额 voucher is brought forward (`Figures.brought_forward`)
        moved: dict[str, list[Decimal]] = {}
        for posting in entry.postings:
            number = posting_cny(posting)
            if not number:
                continue
            for account in _self_and_ancestors(posting.account):
                if account in wanted:
                    sides = moved.setdefault(account, [ZERO, ZERO])
                    sides[0 if number > 0 else 1] += abs(number)
        for account, (debit, credit) in moved.items():
            others = _other_accounts(entry, account)
            found[account].append(
                Line(entry.date, _voucher(entry), entry.narration or "", debit, credit, others)
            )
    return found


def _self_and_ancestors(account: str) -> Iterator[str]:
    current: str | None = account
    while current is not None and ":" in current:
        yield current
        current = parent_of(current)


def _other_accounts(entry: data.Transaction, account: str) -> tuple[str, ...]:
    prefix = account + ":"
    names: dict[str, None] = {}
    for posting in entry.postings:
        if posting.account != account and not posting.account.startswith(prefix):
            names.setdefault(display_name(posting.account), None)
    return tuple(names)


def _voucher(entry: data.Transaction) -> str:
    value = entry.meta.get("voucher")
    if value is not None:
        return str(value)
    return "期初" if entry.meta.get("opening") is True else ""


def ledger_table(
    model: LedgerModel, account: str, period: Period, lines: list[Line], key: str
) -> Table:
    figures = model.figures
    opening = figures.brought_forward(account, period)
    begun = figures.opening_within(period)
    year_start = Period(date(period.first.year, 1, 1), period.last).opening_day
    new_year = period.first.month == 1 and period.first.day == 1 and begun is None
    records: list[dict[str, Any]] = [
        _balance_row(begun or period.first, "上年结转" if new_year else "期初余额", opening)
    ]
    balance = opening
    by_month: dict[tuple[int, int], list[Line]] = defaultdict(list)
    for line in lines:
        by_month[(line.day.year, line.day.month)].append(line)
    for (year, month), month_lines in sorted(by_month.items()):
        for line in month_lines:
            balance += line.debit - line.credit
            records.append(_line_row(line, balance))
        month_period = Period.month(year, month)
        moved = figures.flow(account, month_period)
        records.append(
            _total_row(month_period.last, "本月合计", moved.debit, moved.credit, balance)
        )
        ytd = figures.flow(account, Period(max(year_start, date(year, 1, 1)), month_period.last))
        records.append(_total_row(month_period.last, "本年累计", ytd.debit, ytd.credit, balance))
    code, _ = account_label(account)
    return Table(
        key,
        f"{code} {display_name(account)}".strip(),
        LEDGER_COLUMNS,
        frame(records, (*LEDGER_COLUMNS, Column("role", ""))),
        empty="本期无发生额",
    )


def _balance_row(day: date, summary: str, balance: Decimal) -> dict[str, Any]:
    return {
        "month": day.month,
        "day": day.day,
        "voucher": None,
        "summary": summary,
        "debit": None,
        "credit": None,
        "side": direction(balance),
        "balance": abs(cents(balance)),
        "role": "heading",
    }


def _line_row(line: Line, balance: Decimal) -> dict[str, Any]:
    return {
        "month": line.day.month,
        "day": line.day.day,
        "voucher": line.voucher,
        "summary": line.summary,
        "debit": cents(line.debit) or None,
        "credit": cents(line.credit) or None,
        "side": direction(balance),
        "balance": abs(cents(balance)),
        "role": "line",
    }


def _total_row(
    day: date, summary: str, debit: Decimal, credit: Decimal, balance: Decimal
) -> dict[str, Any]:
    return {
        "month": day.month,
        "day": day.day,
        "voucher": None,
        "summary": summary,
        "debit": cents(debit),
        "credit": cents(credit),
        "side": direction(balance),
        "balance": abs(cents(balance)),
        "role": "total",
    }


def _active(model: LedgerModel, account: str, period: Period) -> bool:
    figures = model.figures
    moved = figures.movement(account, period)
    return bool(moved.debit or moved.credit or figures.balance(account, period.opening_day))


def general_ledger(model: LedgerModel, period: Period, account: str | None = None) -> Book:
    book = _book(model, "总分类账", period)
    firsts = [a for a in model.figures.accounts if a.count(":") == 1]
    chosen = [a for a in firsts if _matches(a, account) and _active(model, a, period)]
    found = lines_of(model, chosen, period)
    book.tables = [ledger_table(model, a, period, found.get(a, []), "ledger") for a in chosen]
    return book


def subsidiary_ledger(model: LedgerModel, period: Period, account: str | None = None) -> Book:
    """The 明细科目 (accounts below the first level) under `account`, or all of them."""
    book = _book(model, "明细分类账", period)
    accounts = model.figures.accounts
    leaves = [a for a in accounts if a.count(":") > 1 and not _has_children(a, accounts)]
    chosen = [a for a in leaves if _matches(a, account) and _active(model, a, period)]
    found = lines_of(model, chosen, period)
    book.tables = [ledger_table(model, a, period, found.get(a, []), "ledger") for a in chosen]
    return book


def _has_children(account: str, accounts: list[str]) -> bool:
    prefix = account + ":"
    return any(a.startswith(prefix) for a in accounts)


def _matches(account: str, wanted: str | None) -> bool:
    """`wanted` is a code (102, 10201) or an account name; None takes every account."""
    if wanted is None:
        return True
    if wanted.isdigit():
        return account_label(account)[0].startswith(wanted)
    return account == wanted or account.startswith(wanted + ":")


# ---- 现金日记账 and 银行存款日记账 ----

JOURNAL_COLUMNS = (
    Column("month", "月", "int", width=0.6),
    Column("day", "日", "int", width=0.6),
    Column("voucher", "凭证号", width=1.8),
    Column("summary", "摘要", width=3.6),
    Column("others", "对方科目", width=2.6),
    Column("debit", "借方（收入）", "amount"),
    Column("credit", "贷方（支出）", "amount"),
    Column("balance", "余额", "amount"),
)


def journal_table(model: LedgerModel, account: str, period: Period, lines: list[Line]) -> Table:
    opening = model.figures.brought_forward(account, period)
    first = model.figures.opening_within(period) or period.first
    records: list[dict[str, Any]] = [
        {
            "month": first.month,
            "day": first.day,
            "voucher": None,
            "summary": "期初余额",
            "others": None,
            "debit": None,
            "credit": None,
            "balance": cents(opening),
            "role": "heading",
        }
    ]
    balance = opening
    by_day: dict[date, list[Line]] = defaultdict(list)
    for line in lines:
        by_day[line.day].append(line)
    for day, day_lines in sorted(by_day.items()):
        for line in day_lines:
            balance += line.debit - line.credit
            records.append(
                {
                    "month": day.month,
                    "day": day.day,
                    "voucher": line.voucher,
                    "summary": line.summary,
                    "others": "、".join(line.others),
                    "debit": cents(line.debit) or None,
                    "credit": cents(line.credit) or None,
                    "balance": cents(balance),
                    "role": "line",
                }
            )
        records.append(
            {
                "month": day.month,
                "day": day.day,
                "voucher": None,
                "summary": "本日合计",
                "others": None,
                "debit": cents(sum((x.debit for x in day_lines), ZERO)),
                "credit": cents(sum((x.credit for x in day_lines), ZERO)),
                "balance": cents(balance),
                "role": "total",
            }
        )
    code, _ = account_label(account)
    return Table(
        "journal",
        f"{code} {display_name(account)}".strip(),
        JOURNAL_COLUMNS,
        frame(records, (*JOURNAL_COLUMNS, Column("role", ""))),
        empty="本期无收付",
    )


def cash_journal(model: LedgerModel, period: Period, account: str | None = None) -> Book:
    return _journal(model, period, "现金日记账", "101", account)


def bank_journal(model: LedgerModel, period: Period, account: str | None = None) -> Book:
    return _journal(model, period, "银行存款日记账", "102", account)


def _journal(model: LedgerModel, period: Period, name: str, code: str, account: str | None) -> Book:
    book = _book(model, name, period)
    accounts = model.figures.accounts
    under = [a for a in accounts if model.chart.get(a).code.startswith(code)]
    # one journal per bank account; the cash journal is kept for 101 as a whole
    if code == "102":
        under = [a for a in under if not _has_children(a, accounts) and a.count(":") > 1] or under
    else:
        under = [a for a in under if a.count(":") == 1]
    chosen = [a for a in under if _matches(a, account) and _active(model, a, period)]
    found = lines_of(model, chosen, period)
    book.tables = [journal_table(model, a, period, found.get(a, [])) for a in chosen]
    return book


BUILDERS = {
    "总分类账": general_ledger,
    "明细分类账": subsidiary_ledger,
    "现金日记账": cash_journal,
    "银行存款日记账": bank_journal,
}


def build_book(
    model: LedgerModel,
    name: str,
    period: Period,
    *,
    account: str | None = None,
    level: int | None = None,
) -> Book:
    if name == "科目余额表":
        return trial_balance(model, period, level)
    if name in REGISTERS:
        return register_book(model, name, period)
    if name in ("资产负债表", "收益及收益分配表"):
        from village_ledger.books.statements import balance_sheet_book, income_statement_book

        statement = balance_sheet_book if name == "资产负债表" else income_statement_book
        return statement(model, period)
    return BUILDERS[name](model, period, account)


def register_book(model: LedgerModel, name: str, period: Period) -> Book:
    """合同台账: the register, then each contract's 收付计划 on a page of its own; 资产台账: the
    assets, then the accounts where the register and the books disagree. As of the period's
    last day (the books' last day if earlier), with what fell due and came in within the
    period."""
    from village_ledger.reports import contract_tables as tables

    book = _book(model, name, period)
    as_of = tables.as_of_day(model, period)
    if name == "合同台账":
        book.tables.append(tables.register_table(model, period))
        for contract in tables.signed_by(model, as_of):
            schedule = model.figures.contracts.schedule(contract, as_of)
            book.tables.append(tables.schedule_table(schedule))
    else:
        book.tables.append(tables.assets_table(model, as_of))
        book.tables.append(tables.asset_gaps_table(model, as_of))
    return book


def _book(model: LedgerModel, name: str, period: Period) -> Book:
    return Book(name, model.title or model.village, model.village, period)
