"""The books as pandas frames, built in one pass over the ledger, and the national statement.

`Books.of(model)` reads every transaction once (padding included, since it moves balances; the
year-end entries that only carry income and spending to 本年收益/收益分配 left out) into
a postings frame (transaction, day, account, 分) and a transactions frame; every table of every
report is then a filter and a group-by over them. Amounts are integer 分: a 元 amount with more
than two decimals is rounded half up per posting.

The balance sheet follows the line items of 《农村集体经济组织会计制度》 (财会〔2023〕14号, its 资产负债表 and 收益及收益分配表).
未分配收益 is what balances the sheet: the credit balance of every account that is neither an
asset, a liability, 资本 nor 公积公益金 — the income and spending not yet carried forward
together with 本年收益 and 收益分配, so it is the same before and after the year-end close.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from beancount.core import data

from village_ledger.model import LedgerModel, is_opening
from village_ledger.model.figures import is_carrying
from village_ledger.money import posting_cny

PADDING_NARRATION = "余额调整（自动补记）"
TXN_META = ("voucher", "handler", "approver", "reviewer", "meeting", "project", "guest-org")


def cents(number: Decimal) -> int:
    return int((number * 100).to_integral_value(rounding=ROUND_HALF_UP))


def yuan_text(value: int) -> str:
    """Integer 分 -> `"-1234.56"`: exact, no float on the way."""
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(int(value)), 100)
    return f"{sign}{whole}.{part:02d}"


def yuan_display(value: int) -> str:
    """Integer 分 -> `"-1,234.56"` as printed."""
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(int(value)), 100)
    return f"{sign}{whole:,}.{part:02d}"


def display_name(account: str) -> str:
    """`Expenses:513-管理费用:51303-招待费` -> `管理费用—招待费` (codes and the root dropped)."""
    parts = account.split(":")[1:]
    return "—".join(p.split("-", 1)[1] if "-" in p and p[0].isdigit() else p for p in parts)


def leaf_name(account: str) -> str:
    last = account.rpartition(":")[2]
    return last.split("-", 1)[1] if "-" in last and last[0].isdigit() else last


@dataclass
class Books:
    postings: pd.DataFrame  # txn, day (ordinal), account, cents
    txns: pd.DataFrame  # one row per transaction, indexed by txn
    accounts: pd.DataFrame  # one row per account posted to, indexed by account
    entries: list[data.Transaction]

    @classmethod
    def of(cls, model: LedgerModel) -> Books:
        post_rows: list[tuple[int, int, str, int, bool]] = []
        txn_rows: list[dict[str, Any]] = []
        for index, entry in enumerate(model.transactions):
            if is_carrying(entry):
                # the year-end carrying forward: Q4's income and spending stay the year's real ones
                continue
            day = entry.date.toordinal()
            opening = is_opening(entry)
            money = 0
            debits = 0
            for posting in entry.postings:
                number = posting_cny(posting)
                if number is None:
                    continue
                amount = cents(number)
                post_rows.append((index, day, posting.account, amount, opening))
                if model.chart.get(posting.account).is_money:
                    money += amount
                if amount > 0:
                    debits += amount
            txn_rows.append(_txn_record(index, entry, day, money, debits))
        postings = pd.DataFrame(post_rows, columns=["txn", "day", "account", "cents", "opening"])
        postings = postings.astype(
            {"txn": "int64", "day": "int64", "cents": "int64", "opening": "bool"}
        )
        txns = pd.DataFrame.from_records(txn_rows, index="txn") if txn_rows else _empty_txns()
        accounts = _accounts_frame(model, postings["account"].unique())
        return cls(postings, txns, accounts, list(model.transactions))

    def window(self, first: date | None, last: date) -> pd.DataFrame:
        """Postings dated from `first` (None: from the beginning) through `last`."""
        days = self.postings["day"]
        mask = days <= last.toordinal()
        if first is not None:
            mask &= days >= first.toordinal()
        return self.postings[mask]

    def balances(self, upto: date) -> pd.Series:
        """Every account's balance (debit positive, 分) at the end of `upto`."""
        return self.window(None, upto).groupby("account")["cents"].sum()

    def info(self, account: str) -> pd.Series:
        return self.accounts.loc[account]

    def with_info(self, postings: pd.DataFrame) -> pd.DataFrame:
        return postings.join(self.accounts, on="account")

    def txns_between(self, first: date, last: date) -> pd.DataFrame:
        """The transactions dated from `first` through `last`, but for the 期初余额 voucher: the
        old books' balances it brings are no money received or paid in the period."""
        days = self.txns["day"]
        within = (days >= first.toordinal()) & (days <= last.toordinal())
        return self.txns[within & ~self.txns["opening"].astype(bool)]

    def money_balances(self, upto: date, openings_upto: date | None = None) -> pd.DataFrame:
        """The postings to count for balances at the end of `upto`, and with `openings_upto`
        those of a 期初余额 voucher dated up to that day too (brought forward into a period the
        books began in)."""
        days = self.postings["day"]
        mask = days <= upto.toordinal()
        if openings_upto is not None:
            mask |= self.postings["opening"] & (days <= openings_upto.toordinal())
        return self.postings[mask]


def _txn_record(
    index: int, entry: data.Transaction, day: int, money: int, debits: int
) -> dict[str, Any]:
    padding = entry.flag == "P"
    meta = entry.meta or {}
    record: dict[str, Any] = {
        "txn": index,
        "date": entry.date,
        "day": day,
        "payee": entry.payee or "",
        "narration": PADDING_NARRATION if padding else (entry.narration or ""),
        "money": money,
        "debits": debits,
        "opening": is_opening(entry),
        "padding": padding,
        "guests": _int_or_none(meta.get("guests")),
        "hosts": _int_or_none(meta.get("hosts")),
    }
    for key in TXN_META:
        value = meta.get(key)
        record[key.replace("-", "_")] = "" if value is None else str(value).strip()
    return record


def _int_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(Decimal(str(value)))
    except (ArithmeticError, ValueError):
        return None


def _empty_txns() -> pd.DataFrame:
    columns = ["date", "day", "payee", "narration", "money", "debits", "opening", "padding"]
    columns += ["guests"]
    columns += ["hosts", *(k.replace("-", "_") for k in TXN_META)]
    return pd.DataFrame(columns=columns, index=pd.Index([], name="txn"))


def _accounts_frame(model: LedgerModel, names: Iterable[str]) -> pd.DataFrame:
    rows = []
    for name in names:
        info = model.chart.get(name)
        rows.append(
            {
                "account": name,
                "root": name.split(":", 1)[0],
                "code": info.code,
                "first_level": info.first_level,
                "category": info.category or "",
                "project": info.project or "",
                "is_money": info.is_money,
                "is_cash": info.is_cash,
                "name": display_name(name),
            }
        )
    columns = ["account", "root", "code", "first_level", "category", "project", "is_money"]
    columns += ["is_cash", "name"]
    frame = pd.DataFrame(rows, columns=columns).set_index("account")
    # without rows the flags would be object columns, and a mask of them selects columns
    return frame.astype({"is_money": bool, "is_cash": bool})


# --- the national balance sheet ---------------------------------------------------------

Lines = dict[str, int]
LineFn = Callable[[Lines], int]


@dataclass(frozen=True)
class SheetLine:
    label: str
    value: LineFn
    role: str = "line"  # line (adds up to its section), memo (shown, not added), total, heading


def _fl(*codes: str, sign: int = 1) -> LineFn:
    return lambda f: sign * sum(f.get(c, 0) for c in codes)


ASSET_LINES = (
    SheetLine("货币资金", _fl("101", "102")),
    SheetLine("短期投资", _fl("111")),
    SheetLine("应收款项", lambda f: f.get("112", 0) + f.get("113+", 0)),
    SheetLine("存货", _fl("121", "401")),
    SheetLine("消耗性生物资产", _fl("131")),
    SheetLine("生产性生物资产原值", _fl("132"), "memo"),
    SheetLine("减：生产性生物资产累计折旧", _fl("133", sign=-1), "memo"),
    SheetLine("生产性生物资产净值", _fl("132", "133")),
    SheetLine("公益性生物资产", _fl("134")),
    SheetLine("长期投资", _fl("141")),
    SheetLine("固定资产原值", _fl("151"), "memo"),
    SheetLine("减：累计折旧", _fl("152", sign=-1), "memo"),
    SheetLine("固定资产净值", _fl("151", "152")),
    SheetLine("在建工程", _fl("153")),
    SheetLine("固定资产清理", _fl("154")),
    SheetLine("无形资产", _fl("161", "162")),
    SheetLine("长期待摊费用", _fl("171")),
    SheetLine("待处理财产损溢", _fl("181")),
)
ASSET_CODES: tuple[str, ...] = (
    "101",
    "102",
    "111",
    "112",
    "121",
    "401",
    "131",
    "132",
    "133",
    "134",
    "141",
)
ASSET_CODES += ("151", "152", "153", "154", "161", "162", "171", "181")

LIABILITY_LINES = (
    SheetLine("短期借款", _fl("201", sign=-1)),
    SheetLine("应付款项", lambda f: -f.get("211", 0) - f.get("113-", 0)),
    SheetLine("应付工资", _fl("212", sign=-1)),
    SheetLine("应付劳务费", _fl("213", sign=-1)),
    SheetLine("应交税费", _fl("214", sign=-1)),
    SheetLine("长期借款及应付款", _fl("221", sign=-1)),
    SheetLine("一事一议资金", _fl("231", sign=-1)),
    SheetLine("专项应付款", _fl("241", sign=-1)),
)
LIABILITY_CODES = ("201", "211", "212", "213", "214", "221", "231", "241")


def sheet_figures(balances: pd.Series, accounts: pd.DataFrame) -> Lines:
    """First-level balances (debit positive) and the sides of 113, plus the roots' totals."""
    if balances.empty:
        return {}
    joined = pd.DataFrame({"cents": balances}).join(accounts[["root", "first_level"]])
    figures: Lines = {
        str(k): int(v) for k, v in joined.groupby("first_level")["cents"].sum().items()
    }
    internal = joined[joined["first_level"] == "113"]["cents"]
    figures["113+"] = int(internal[internal > 0].sum())
    figures["113-"] = int(internal[internal < 0].sum())
    for root, value in joined.groupby("root")["cents"].sum().items():
        figures[f"root:{root}"] = int(value)
    return figures


def balance_sheet(figures: Lines) -> list[tuple[str, str, int]]:
    """(label, role, 分) rows: the three sections, each with its total, and the grand totals."""
    assets = [(line.label, line.role, line.value(figures)) for line in ASSET_LINES]
    assets_total = figures.get("root:Assets", 0) - figures.get("113-", 0)
    known = sum(value for _, role, value in assets if role == "line")
    if assets_total != known:
        assets.append(("其他资产（非标准科目）", "line", assets_total - known))
    liabilities = [(line.label, line.role, line.value(figures)) for line in LIABILITY_LINES]
    liabilities_total = -figures.get("root:Liabilities", 0) - figures.get("113-", 0)
    known = sum(value for _, _, value in liabilities)
    if liabilities_total != known:
        liabilities.append(("其他负债（非标准科目）", "line", liabilities_total - known))
    capital = -figures.get("301", 0)
    reserve = -figures.get("311", 0)
    # Income and Expenses are never closed in Beancount: their balances are the retained result
    rest = -sum(figures.get(f"root:{root}", 0) for root in ("Equity", "Income", "Expenses"))
    undistributed = rest - capital - reserve
    equity_total = capital + reserve + undistributed
    equity = [
        ("资本", "line", capital),
        ("公积公益金", "line", reserve),
        ("未分配收益", "line", undistributed),
    ]
    return [
        ("资产", "heading", 0),
        *assets,
        ("资产总计", "total", assets_total),
        ("负债", "heading", 0),
        *liabilities,
        ("负债合计", "total", liabilities_total),
        ("所有者权益", "heading", 0),
        *equity,
        ("所有者权益合计", "total", equity_total),
        ("负债和所有者权益总计", "total", liabilities_total + equity_total),
    ]


def balance_sheet_records(
    books: Books, opening_day: date, closing_day: date
) -> list[dict[str, Any]]:
    """The balance sheet's rows (项目, 年初数, 期末数, role) in 分, as the 财务公开 and the
    资产负债表 print it. 年初数 is left empty, not 0.00, when the books began after
    `opening_day`: there was nothing to bring forward, not a balance of zero."""
    begun = bool(len(books.txns)) and int(books.txns["day"].min()) <= opening_day.toordinal()
    opening = balance_sheet(sheet_figures(books.balances(opening_day), books.accounts))
    closing = balance_sheet(sheet_figures(books.balances(closing_day), books.accounts))
    opening_by_label = {label: value for label, _, value in opening}
    closing_by_label = {label: value for label, _, value in closing}
    roles = {label: role for label, role, _ in opening + closing}
    labels = list(dict.fromkeys(label for label, _, _ in opening + closing))
    return [
        {
            "item": label,
            "opening": None
            if roles[label] == "heading" or not begun
            else opening_by_label.get(label, 0),
            "closing": None if roles[label] == "heading" else closing_by_label.get(label, 0),
            "role": roles[label],
        }
        for label in labels
    ]
