"""What an account *is* for the rules: its code and category, read from `open` metadata.

Sub-accounts inherit `category`, `project` and `kind` from the nearest opened ancestor that sets
them. The code comes from the `code` metadata or, failing that, from the digits that start the
account's last component (`10201-农商行` -> `10201`); it must agree with both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data

from village_ledger.findings import Hit

CODE_PREFIX = re.compile(r"^(\d+)(?:-|$)")
INHERITED = ("category", "project", "kind")

# first-level codes whose purchase is an asset acquisition for the receipt rules (VL301)
ASSET_PURCHASE_CODES = ("121", "131", "132", "133", "134", "151", "153", "161", "171")
SPECIAL_FUND_CODES = ("231", "241")


class AccountInfo(NamedTuple):
    name: str
    code: str
    category: str | None = None
    project: str | None = None
    kind: str | None = None

    @property
    def first_level(self) -> str:
        return self.code[:3]

    @property
    def is_cash(self) -> bool:
        return self.code.startswith("101")

    @property
    def is_bank(self) -> bool:
        return self.code.startswith("102")

    @property
    def is_money(self) -> bool:
        return self.is_cash or self.is_bank

    @property
    def is_expense(self) -> bool:
        return self.name.startswith("Expenses:")

    @property
    def is_asset_purchase(self) -> bool:
        return self.first_level in ASSET_PURCHASE_CODES

    @property
    def is_special_fund(self) -> bool:
        return self.first_level in SPECIAL_FUND_CODES


class DepreciationTerms(NamedTuple):
    """How a fixed-asset account depreciates (年限平均法), from its `open` metadata."""

    life_years: int  # 使用年限
    salvage_rate: Decimal  # 残值率
    expense: str  # the account the monthly charge is debited to

    @property
    def monthly_rate(self) -> Decimal:
        """The share of 原值 charged each month: (1 − 残值率) / (使用年限 × 12)."""
        return (1 - self.salvage_rate) / (self.life_years * 12)


DEFAULT_SALVAGE_RATE = Decimal("0.05")
DEFAULT_DEPRECIATION_EXPENSE = "Expenses:513-管理费用"
DEPRECIATION_KEYS = ("life-years", "salvage-rate", "depreciation-expense", "depreciate")


def parent_of(account: str) -> str | None:
    head, sep, _ = account.rpartition(":")
    return head if sep else None


def name_code(account: str) -> str | None:
    match = CODE_PREFIX.match(account.rpartition(":")[2])
    return match.group(1) if match else None


# what `Chart.money_kind` answers: the hot path of finding payments compares small ints
NOT_MONEY, BANK, CASH = 0, 1, 2


class Chart:
    """Every opened account of a ledger, classified once."""

    def __init__(self, opens: Iterable[data.Open]) -> None:
        self.opens: dict[str, data.Open] = {}
        for entry in opens:
            self.opens.setdefault(entry.account, entry)
        self.hits: list[Hit] = []
        self._info: dict[str, AccountInfo] = {}
        # `money_kind` of every account asked so far, for walks that read it per posting
        self.money_kinds: dict[str, int] = {}
        for account in sorted(self.opens):
            self._info[account] = self._classify(account)
            if any(key in self.opens[account].meta for key in DEPRECIATION_KEYS):
                self._check_depreciation_meta(self.opens[account])

    def get(self, account: str) -> AccountInfo:
        """Info for an account; one never opened (Beancount reports it) borrows its ancestor's."""
        info = self._info.get(account)
        if info is None:
            info = self._classify(account)
            self._info[account] = info
        return info

    def money_kind(self, account: str) -> int:
        """`CASH`, `BANK` or `NOT_MONEY`, remembered per account."""
        kind = self.money_kinds.get(account)
        if kind is None:
            info = self.get(account)
            kind = CASH if info.is_cash else BANK if info.is_bank else NOT_MONEY
            self.money_kinds[account] = kind
        return kind

    def is_money(self, account: str) -> bool:
        """A cash (101…) or bank (102…) account, opened or not (one never opened is Beancount's
        error; its postings still move the village's money)."""
        return self.money_kind(account) != NOT_MONEY

    def __iter__(self) -> Iterator[AccountInfo]:
        return iter(self._info.values())

    def inherited(self, account: str, key: str) -> Any:
        """The `key` metadata of the account's `open`, or of its nearest ancestor that sets it."""
        return self._ancestor_meta(account, key)

    def depreciation_terms(self, account: str) -> DepreciationTerms | None:
        """How a 151 fixed-asset account depreciates; None when it does not: no `life-years`
        on it or an ancestor, `depreciate: FALSE` (公益性 assets), or a value Beancount could
        not read as a number (reported as VL901 on its `open`)."""
        if not account.startswith("Assets:151-") or self.inherited(account, "depreciate") is False:
            return None
        years = self.inherited(account, "life-years")
        rate = self.inherited(account, "salvage-rate")
        rate = DEFAULT_SALVAGE_RATE if rate is None else rate
        expense = self.inherited(account, "depreciation-expense") or DEFAULT_DEPRECIATION_EXPENSE
        if not _whole(years) or not isinstance(rate, Decimal) or not 0 <= rate < 1:
            return None
        return DepreciationTerms(int(years), rate, str(expense))

    def _check_depreciation_meta(self, entry: data.Open) -> None:
        meta = entry.meta
        years, rate = meta.get("life-years"), meta.get("salvage-rate")
        if years is not None and not _whole(years):
            self.hits.append(_bad(entry, f"使用年限 life-years: {years} 应为正整数（年）"))
        if rate is not None and not (isinstance(rate, Decimal) and 0 <= rate < 1):
            self.hits.append(
                _bad(entry, f"残值率 salvage-rate: {rate} 应为 0 到 1 之间的小数，如 0.05")
            )
        flag = meta.get("depreciate")
        if flag is not None and not isinstance(flag, bool):
            self.hits.append(_bad(entry, f"depreciate: {flag} 应为 TRUE 或 FALSE"))
        expense = meta.get("depreciation-expense")
        if expense is not None and not str(expense).startswith(("Expenses:", "Assets:401-")):
            self.hits.append(
                _bad(entry, f"折旧费用科目 depreciation-expense: {expense} 应为支出或成本类科目")
            )

    def _ancestor_meta(self, account: str, key: str) -> Any:
        current: str | None = account
        while current is not None:
            entry = self.opens.get(current)
            if entry is not None and entry.meta.get(key) is not None:
                return entry.meta[key]
            current = parent_of(current)
        return None

    def _classify(self, account: str) -> AccountInfo:
        inherited = {key: self._ancestor_meta(account, key) for key in INHERITED}
        entry = self.opens.get(account)
        code = self._code(account, entry)
        return AccountInfo(account, code, **{k: _text(v) for k, v in inherited.items()})

    def _code(self, account: str, entry: data.Open | None) -> str:
        from_name = name_code(account)
        declared = entry.meta.get("code") if entry is not None else None
        if entry is None:
            parent = parent_of(account)
            return from_name or (self.get(parent).code if parent else "")
        if declared is not None:
            declared = str(declared).strip()
            if not declared.isdigit():
                self.hits.append(_bad(entry, f"科目代码 code: “{declared}” 应为数字"))
            elif from_name and declared != from_name:
                self.hits.append(
                    _bad(
                        entry, f"科目代码 code: “{declared}” 与科目名称中的代码 {from_name} 不一致"
                    )
                )
        code = declared or from_name
        if not code:
            self.hits.append(
                _bad(entry, "没有科目代码：请在名称前加代码（如 10201-农商行）或设置 code 元数据")
            )
            return ""
        parent = parent_of(account)
        parent_code = self.get(parent).code if parent and parent in self.opens else ""
        if parent_code and not code.startswith(parent_code):
            self.hits.append(
                _bad(entry, f"明细科目代码 {code} 未以上级科目代码 {parent_code} 开头")
            )
        return code


def _whole(value: Any) -> bool:
    return isinstance(value, Decimal) and value > 0 and value == value.to_integral_value()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _bad(entry: data.Open, message: str) -> Hit:
    return Hit(entry.meta, f"科目 {entry.account} {message}", entry.date)
