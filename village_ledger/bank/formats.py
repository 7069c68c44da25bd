"""Bank statement layouts: which column of a bank's statement holds what.

A 农商行-style layout ships with the project (`DEFAULT`); a township adds its banks, or changes
the default, in `banks.toml` in its own folder (next to `chart.beancount`):

```toml
[[bank]]
name = "邮储银行"
match = ["邮储", "邮政储蓄"]      # words in the file's name or the rows above the table
date = "交易日期"
income = "收入金额"              # money in; or `amount` for one signed column
expense = "支出金额"             # money out
balance = "账户余额"
summary = "摘要"
payee = "对方户名"
reference = "交易流水号"
```

`income`/`expense` name the two columns a statement shows money in and out (many call them
贷方发生额 and 借方发生额: the bank's credit to the account is the village's receipt); `amount`
names a single signed column instead (negative = money out). A layout is chosen by `--bank NAME`,
else by the first whose `match` words appear in the statement's file name or in the rows above
its table, else the first whose columns are all in the table's header row.

Counter accounts of the drafts made from lines with no voucher (`import-bank --write`) are set in
the same file:

```toml
[drafts]
income = "Liabilities:211-应付款"                    # money in with no voucher yet
expense = "Assets:112-应收款"                        # money out with no voucher yet
keywords = { "利息" = "Income:504-其他收入:50401-利息收入" }
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

BANKS_FILE = "banks.toml"


class FormatError(Exception):
    """The township's banks.toml cannot be used; the message says where and why, in Chinese."""


@dataclass(frozen=True)
class BankFormat:
    name: str
    date: str
    balance: str
    income: str | None = None
    expense: str | None = None
    amount: str | None = None
    summary: str | None = None
    payee: str | None = None
    reference: str | None = None
    match: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        """The header names a statement of this layout must have."""
        money = (self.amount,) if self.amount else (self.income or "", self.expense or "")
        return (self.date, *money, self.balance)

    @property
    def named(self) -> tuple[str, ...]:
        optional = (self.summary, self.payee, self.reference)
        return self.required + tuple(n for n in optional if n)


DEFAULT = BankFormat(
    name="农商行",
    match=("农商", "农村商业银行", "农信", "信用社"),
    date="交易日期",
    income="贷方发生额",
    expense="借方发生额",
    balance="余额",
    summary="摘要",
    payee="对方户名",
    reference="流水号",
)


@dataclass(frozen=True)
class DraftAccounts:
    """Where a draft's second posting goes, until the accountant completes it."""

    income: str = "Liabilities:211-应付款"
    expense: str = "Assets:112-应收款"
    keywords: tuple[tuple[str, str], ...] = (
        ("利息", "Income:504-其他收入:50401-利息收入"),
        ("结息", "Income:504-其他收入:50401-利息收入"),
        ("手续费", "Expenses:513-管理费用:51308-其他管理费用"),
        ("管理费", "Expenses:513-管理费用:51308-其他管理费用"),
        ("年费", "Expenses:513-管理费用:51308-其他管理费用"),
        ("服务费", "Expenses:513-管理费用:51308-其他管理费用"),
    )

    def counter(self, text: str, money_in: bool) -> str:
        for word, account in self.keywords:
            if word in text:
                return account
        return self.income if money_in else self.expense


@dataclass(frozen=True)
class Formats:
    banks: tuple[BankFormat, ...] = (DEFAULT,)
    drafts: DraftAccounts = field(default_factory=DraftAccounts)
    source: str = "内置"

    def named(self, name: str) -> BankFormat | None:
        return next((b for b in self.banks if b.name == name), None)


KEYS = {"name", "match", "date", "income", "expense", "amount", "balance", "summary", "payee"}
KEYS |= {"reference"}


def load_formats(township_dir: str | Path | None) -> Formats:
    """The shipped layout and the township's, its own first (so it can replace the default)."""
    if township_dir is None:
        return Formats()
    path = Path(township_dir) / BANKS_FILE
    if not path.is_file():
        return Formats()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FormatError(f"{path}：无法读取银行对账单格式配置（{exc}）") from None
    banks = tuple(_bank(path, i, raw) for i, raw in enumerate(document.get("bank", []), 1))
    names = {b.name for b in banks}
    shipped = tuple(b for b in (DEFAULT,) if b.name not in names)
    drafts = _drafts(path, document.get("drafts", {}))
    return Formats(banks + shipped, drafts, str(path))


def _bank(path: Path, index: int, raw: Any) -> BankFormat:
    where = f"{path} 第 {index} 个 [[bank]]"
    if not isinstance(raw, dict):
        raise FormatError(f"{where}：应为表格（[[bank]] 下写 name = …）")
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise FormatError(
            f"{where}：不认识的项 {'、'.join(unknown)}（可用：{'、'.join(sorted(KEYS))}）"
        )
    for key in ("name", "date", "balance"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise FormatError(f"{where}：缺少 {key}（列名，文字）")
    has_pair = isinstance(raw.get("income"), str) and isinstance(raw.get("expense"), str)
    if not has_pair and not isinstance(raw.get("amount"), str):
        raise FormatError(
            f"{where}：须写 income 和 expense（收入、支出两列），或 amount（一列带符号金额）"
        )
    match = raw.get("match", [])
    if isinstance(match, str):
        match = [match]
    if not isinstance(match, list) or not all(isinstance(m, str) for m in match):
        raise FormatError(f'{where}：match 应为文字列表，如 ["邮储", "邮政储蓄"]')
    values = {k: v.strip() for k, v in raw.items() if isinstance(v, str)}
    fmt = BankFormat(**{k: v for k, v in values.items() if k != "match"})  # type: ignore[arg-type]
    return replace(fmt, match=tuple(m.strip() for m in match if m.strip()))


def _drafts(path: Path, raw: Any) -> DraftAccounts:
    if not isinstance(raw, dict):
        raise FormatError(f"{path} [drafts]：应为表格")
    base = DraftAccounts()
    keywords = raw.get("keywords", {})
    if not isinstance(keywords, dict) or not all(isinstance(v, str) for v in keywords.values()):
        raise FormatError(f'{path} [drafts] keywords：应写作 {{ "利息" = "Income:…" }}')
    for key in ("income", "expense"):
        if key in raw and not isinstance(raw[key], str):
            raise FormatError(f"{path} [drafts] {key}：应为科目名称（文字）")
    return DraftAccounts(
        income=raw.get("income", base.income),
        expense=raw.get("expense", base.expense),
        keywords=tuple(keywords.items()) + base.keywords,
    )
