"""The quarterly 财务公开: every table of the 公开栏 sheet for one village and one quarter, computed once.

`build_disclosure(model, quarter)` returns a `Disclosure` holding the numbers; it is not public
until `masking.publish` has made the masked copy that the renderers accept. Where each figure
comes from is written in docs/reports.md.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
from beancount.core import data

from village_ledger.findings import SEVERITY_ZH, Finding
from village_ledger.model import LedgerModel, Period, Quarter, build_model
from village_ledger.model.figures import EntertainmentYear, text_of
from village_ledger.rectification import open_on
from village_ledger.registry import family_label
from village_ledger.reports.chinese_amount import capital_cents
from village_ledger.reports.masking import relief_names, relief_texts
from village_ledger.reports.render import Renderers
from village_ledger.reports.statements import (
    Books,
    balance_sheet_records,
    cents,
    display_name,
    leaf_name,
    yuan_display,
)
from village_ledger.reports.tables import Column, Table, frame

PHONE_EVENT = "监督电话"
RELIEF = "救助"


@dataclass
class MoneySummary:
    """The villager's view of money: cash and bank at the start, in, out, at the end (分)."""

    cash_start: int
    bank_start: int
    money_in: int
    money_out: int
    cash_end: int
    bank_end: int

    @property
    def start(self) -> int:
        return self.cash_start + self.bank_start

    @property
    def end(self) -> int:
        return self.cash_end + self.bank_end


@dataclass
class Signature:
    reviewers: list[str]
    published: date
    # Published on purpose so villagers can call it: the one number masking leaves alone.
    phone: str = field(default="", metadata={"unmasked": "监督电话 is published for villagers"})
    seal_digest: str | None = field(default=None, metadata={"unmasked": "a hash, not personal"})
    seal_day: date | None = None


@dataclass
class Disclosure:
    village: str
    title: str
    quarter: Quarter
    published: date
    money: MoneySummary
    tables: dict[str, Table]
    signature: Signature
    capitals: dict[str, str]  # label -> 大写 of the totals a signature depends on
    entertainment_ytd: int
    entertainment_cap: int
    relief_payees: frozenset[str] = frozenset()

    renderers: ClassVar[Renderers[Disclosure]] = Renderers(
        "village_ledger.reports.disclosure_render"
    )

    @property
    def period(self) -> str:
        return str(self.quarter)

    @property
    def label(self) -> str:
        return self.quarter.label


def build_disclosure(
    model: LedgerModel,
    quarter: Quarter,
    *,
    published: date | None = None,
    findings: Sequence[Finding],
    books: Books | None = None,
) -> Disclosure:
    """The report of `quarter`; `findings` are the audit's (`village_ledger.audit`), all of them."""
    books = books or Books.of(model)
    seal = model.seals.get(quarter)
    published = published or (seal.day if seal else quarter.last_day)
    money = money_summary(books, quarter)
    income = income_table(books, quarter)
    sheet = balance_sheet_table(books, quarter)
    period = Period.quarter(quarter)
    reception, year = entertainment_table(model, period)
    tables = [
        income,
        detail_table(books, quarter),
        reception,
        cadre_table(books, quarter),
        travel_table(books, quarter),
        meetings_table(model, period),
        sheet,
        debts_table(books, quarter),
        funds_table(model, period),
        *findings_tables(model, findings, quarter, published),
    ]
    signature = Signature(
        reviewers=model.roster.holders("监委会主任", quarter.last_day),
        published=published,
        phone=supervision_phone(model.entries, published),
        seal_digest=seal.digest if seal else None,
        seal_day=seal.day if seal else None,
    )
    return Disclosure(
        village=model.village,
        title=model.title or model.village,
        quarter=quarter,
        published=published,
        money=money,
        tables={t.key: t for t in tables},
        signature=signature,
        capitals=capitals(income, sheet, money),
        entertainment_ytd=cents(year.total),
        entertainment_cap=cents(year.cap),
        relief_payees=relief_payees(books, quarter),
    )


# --- money ------------------------------------------------------------------------------


def money_summary(books: Books, quarter: Quarter) -> MoneySummary:
    before = _money_balances(books, quarter.first_day.toordinal() - 1)
    after = _money_balances(books, quarter.last_day.toordinal())
    flows = books.txns_between(quarter.first_day, quarter.last_day)["money"]
    return MoneySummary(
        cash_start=before[0],
        bank_start=before[1],
        money_in=int(flows[flows > 0].sum()),
        money_out=int(-flows[flows < 0].sum()),
        cash_end=after[0],
        bank_end=after[1],
    )


def _money_balances(books: Books, upto: int) -> tuple[int, int]:
    postings = books.postings[books.postings["day"] <= upto]
    joined = postings.join(books.accounts[["is_money", "is_cash"]], on="account")
    money = joined[joined["is_money"]]
    cash = int(money[money["is_cash"]]["cents"].sum())
    return cash, int(money["cents"].sum()) - cash


# --- 收支情况 ---------------------------------------------------------------------------

INCOME_COLUMNS = (
    Column("kind", "类别", width=1.0),
    Column("code", "科目代码", width=1.3),
    Column("name", "科目名称", width=3.2),
    Column("quarter", "本季", "amount"),
    Column("ytd", "本年累计", "amount"),
    Column("last_year", "上年同期", "amount"),
)


def income_table(books: Books, quarter: Quarter) -> Table:
    windows = {
        "quarter": (quarter.first_day, quarter.last_day),
        "ytd": (date(quarter.year, 1, 1), quarter.last_day),
        "last_year": (
            Quarter(quarter.year - 1, quarter.number).first_day,
            Quarter(quarter.year - 1, quarter.number).last_day,
        ),
    }
    accounts = books.accounts
    pl_accounts = accounts.index[accounts["root"].isin(("Income", "Expenses"))]
    pl = books.postings[books.postings["account"].isin(pl_accounts)]
    sums = pd.DataFrame(
        {
            key: pl[(pl["day"] >= a.toordinal()) & (pl["day"] <= b.toordinal())]
            .groupby("account")["cents"]
            .sum()
            for key, (a, b) in windows.items()
        }
    ).fillna(0)
    sums = sums[(sums != 0).any(axis=1)].astype("int64")
    info = accounts.loc[sums.index]
    # income is a credit in Beancount; villagers read it as a positive figure
    sign = info["root"].map({"Income": -1, "Expenses": 1})
    rows = sums.mul(sign, axis=0)
    rows["kind"] = info["root"].map({"Income": "收入", "Expenses": "支出"})
    rows["code"] = info["code"]
    rows["name"] = info["name"]
    rows["order"] = info["root"].map({"Income": 0, "Expenses": 1})
    rows = rows.sort_values(["order", "code", "name"]).reset_index(drop=True)
    totals: list[dict[str, Any]] = []
    for kind in ("收入", "支出"):
        part = rows[rows["kind"] == kind]
        totals.append({"kind": f"{kind}合计", **{k: int(part[k].sum()) for k in windows}})
    totals.append(
        {"kind": "收益", **{k: totals[0][k] - totals[1][k] for k in windows}},
    )
    return Table(
        "income",
        "收支情况公开表",
        INCOME_COLUMNS,
        rows,
        totals,
        note="按收入、支出科目汇总；收益 = 收入合计 − 支出合计。",
    )


# --- 收支明细 ---------------------------------------------------------------------------

DETAIL_COLUMNS = (
    Column("date", "日期", "date"),
    Column("voucher", "凭证号", width=2.4),
    Column("payee", "对方单位/个人", width=2.6),
    Column("narration", "摘要", width=4.2),
    Column("income", "收入", "amount"),
    Column("expense", "支出", "amount"),
    Column("transfer", "转账", "amount"),
    Column("handler", "经手人", width=1.25),
    Column("approver", "审批人", width=1.25),
)


def detail_table(books: Books, quarter: Quarter) -> Table:
    txns = books.txns_between(quarter.first_day, quarter.last_day)
    money = txns["money"]
    rows = pd.DataFrame(
        {
            "date": txns["date"],
            "voucher": txns["voucher"],
            "payee": txns["payee"],
            "narration": txns["narration"],
            "income": money.where(money > 0, 0),
            "expense": (-money).where(money < 0, 0),
            # entries that move no money (accruals, depreciation, cash to bank) still belong here
            "transfer": txns["debits"].where(money == 0, 0),
            "handler": txns["handler"],
            "approver": txns["approver"],
        }
    ).reset_index(drop=True)
    totals = [
        {
            "narration": "合计",
            "income": int(rows["income"].sum()),
            "expense": int(rows["expense"].sum()),
            "transfer": int(rows["transfer"].sum()),
        }
    ]
    return Table(
        "detail",
        "收支明细公开表",
        DETAIL_COLUMNS,
        rows,
        totals,
        note="收入、支出为库存现金和银行存款的实际收付；不涉及资金收付的业务（计提、折旧、存取现等）"
        "金额列在“转账”栏。",
    )


# --- 重点支出 ---------------------------------------------------------------------------

RECEPTION_COLUMNS = (
    Column("date", "日期", "date"),
    Column("voucher", "凭证号", width=2.4),
    Column("guest_org", "来客单位", width=2.6),
    Column("guests", "来客人数", "int", width=1.3),
    Column("hosts", "陪同人数", "int", width=1.3),
    Column("amount", "金额", "amount"),
    Column("ytd", "本年累计", "amount"),
    Column("cap", "年度限额", "amount"),
    Column("over", "超限", width=1.0),
)


def _category_postings(
    books: Books, categories: Iterable[str], first: date, last: date
) -> pd.DataFrame:
    wanted = books.accounts.index[books.accounts["category"].isin(tuple(categories))]
    window = books.window(first, last)
    return window[window["account"].isin(wanted)]


def entertainment_table(model: LedgerModel, period: Period) -> tuple[Table, EntertainmentYear]:
    """The receptions of `period`, each with its year's running total against the cap in
    force that day, as the entertainment rules (VL401, VL405) count them; and the year."""
    year = model.figures.entertainment(period.last.year, period.last)
    records = [
        {
            "date": figure.day,
            "voucher": text_of(figure.reception.meta, "voucher") or "",
            "guest_org": figure.reception.org or (figure.reception.entry.payee or "").strip(),
            "guests": figure.reception.guests,
            "hosts": figure.reception.hosts if figure.reception.hosts_written is not None else None,
            "amount": cents(figure.reception.amount),
            "ytd": cents(figure.year_total),
            "cap": cents(figure.cap),
            "over": "是" if figure.year_total > figure.cap else "",
        }
        for figure in year.within(period)
    ]
    rows = frame(records, RECEPTION_COLUMNS)
    totals = [{"date": None, "guest_org": "本季合计", "amount": int(rows["amount"].sum())}]
    total, cap, left = cents(year.total), cents(year.cap), cents(year.left)
    note = f"本年累计 {yuan_display(total)} 元，年度限额 {yuan_display(cap)} 元，" + (
        f"尚余 {yuan_display(left)} 元。" if left >= 0 else f"超出 {yuan_display(-left)} 元。"
    )
    if year.warned and not year.over:
        note += f"已达预警线 {yuan_display(cents(year.mark))} 元。"
    return Table("reception", "招待费", RECEPTION_COLUMNS, rows, totals, note), year


CADRE_COLUMNS = (
    Column("date", "日期", "date"),
    Column("voucher", "凭证号", width=2.4),
    Column("payee", "对方单位/个人"),
    Column("narration", "摘要", width=3.0),
    Column("accounts", "科目", width=2.6),
    Column("charged", "列支金额", "amount"),
    Column("paid", "支付金额", "amount"),
)


def _category_vouchers(
    books: Books, categories: tuple[str, ...], quarter: Quarter
) -> Iterator[tuple[dict[str, Any], pd.Series, pd.DataFrame]]:
    """Each transaction of the quarter with postings on accounts of `categories`, in order: the
    start of its record (date, voucher, payee, narration), its row of `books.txns` and those
    postings."""
    postings = books.with_info(
        _category_postings(books, categories, quarter.first_day, quarter.last_day)
    )
    for txn, group in postings.groupby("txn", sort=True):
        row = books.txns.loc[txn]
        head = {
            "date": row["date"],
            "voucher": row["voucher"],
            "payee": row["payee"],
            "narration": row["narration"],
        }
        yield head, row, group


def cadre_table(books: Books, quarter: Quarter) -> Table:
    records = [
        {
            **head,
            "accounts": "、".join(dict.fromkeys(group["name"])),
            "charged": int(group[group["root"] == "Expenses"]["cents"].sum()),
            "paid": max(-int(row["money"]), 0),
        }
        for head, row, group in _category_vouchers(books, ("干部报酬",), quarter)
    ]
    rows = frame(records, CADRE_COLUMNS)
    totals = [
        {
            "narration": "本季合计",
            "charged": int(rows["charged"].sum()) if records else 0,
            "paid": int(rows["paid"].sum()) if records else 0,
        }
    ]
    note = (
        "列支金额为计入干部报酬、误工补贴等科目的金额；支付金额为该笔业务从现金、银行付出的金额。"
    )
    return Table("cadre", "干部报酬与补贴", CADRE_COLUMNS, rows, totals, note)


TRAVEL_COLUMNS = (
    Column("date", "日期", "date"),
    Column("voucher", "凭证号", width=2.4),
    Column("payee", "对方单位/个人"),
    Column("narration", "摘要", width=3.2),
    Column("kind", "类别", width=1.2),
    Column("amount", "金额", "amount"),
)


def travel_table(books: Books, quarter: Quarter) -> Table:
    records = [
        {
            **head,
            "kind": "、".join(dict.fromkeys(group["category"])),
            "amount": int(group["cents"].sum()),
        }
        for head, _, group in _category_vouchers(books, ("差旅费", "车辆"), quarter)
    ]
    rows = frame(records, TRAVEL_COLUMNS)
    total = int(rows["amount"].sum()) if records else 0
    totals = [{"narration": "本季合计", "amount": total}]
    return Table("travel", "差旅与车辆", TRAVEL_COLUMNS, rows, totals)


MEETING_COLUMNS = (
    Column("id", "决议编号", width=2.0),
    Column("date", "决议日期", "date"),
    Column("body", "会议", width=1.6),
    Column("subject", "事项", width=2.4),
    Column("approved", "批准金额", "amount"),
    Column("quarter", "本季支出", "amount"),
    Column("spent", "累计支出", "amount"),
    Column("left", "结余", "amount"),
    Column("over", "超支", width=1.0),
)


def meetings_table(model: LedgerModel, period: Period) -> Table:
    """The resolutions made in `period` or with spending in it, against their amounts, as the
    resolution rule (VL105) counts the spending."""
    resolutions = model.figures.resolutions
    records = []
    for meeting in model.meetings:
        in_period = resolutions.spent_in(meeting.id, period)
        made = period.contains(meeting.day)
        if not made and not any(
            period.contains(use.day) for use in resolutions.uses_of(meeting.id)
        ):
            continue
        approved = cents(meeting.amount)
        total = cents(resolutions.spent(meeting.id, period.last))
        records.append(
            {
                "id": meeting.id,
                "date": meeting.day,
                "body": meeting.body,
                "subject": meeting.subject,
                "approved": approved,
                "quarter": cents(in_period),
                "spent": total,
                "left": approved - total,
                "over": "是" if total > approved else "",
            }
        )
    rows = frame(records, MEETING_COLUMNS)
    totals = [{"subject": "本季合计", "quarter": int(rows["quarter"].sum()) if records else 0}]
    note = "列出本季度作出或本季度有支出的会议决议；支出按引用该决议编号（meeting）的付款计算。"
    return Table("meetings", "会议决议事项支出", MEETING_COLUMNS, rows, totals, note)


# --- 资产负债 ---------------------------------------------------------------------------

SHEET_COLUMNS = (
    Column("item", "项目", width=4.0),
    Column("opening", "年初数", "amount"),
    Column("closing", "期末数", "amount"),
)


def balance_sheet_table(books: Books, quarter: Quarter) -> Table:
    """The 资产负债表's rows, as `village-ledger books --book 资产负债表` prints them."""
    records = balance_sheet_records(books, date(quarter.year - 1, 12, 31), quarter.last_day)
    rows = pd.DataFrame.from_records(records)
    note = (
        f"年初数为 {quarter.year - 1} 年末余额，期末数为 {quarter.last_day} 余额；"
        "未分配收益含尚未结转的本年收益。"
    )
    return Table("balance", "资产负债情况", SHEET_COLUMNS, rows, [], note)


# --- 债权债务 ---------------------------------------------------------------------------

DEBT_COLUMNS = (
    Column("kind", "类别"),
    Column("account", "科目"),
    Column("party", "对方单位/个人"),
    Column("amount", "余额", "amount"),
    Column("since", "发生日期", "date"),
    Column("age", "账龄（天）", "int"),
)
RECEIVABLE_CODES = ("112", "113")
PAYABLE_CODES = ("113", "201", "211", "212", "213", "214", "221")


def debts_table(books: Books, quarter: Quarter) -> Table:
    codes = set(RECEIVABLE_CODES + PAYABLE_CODES)
    accounts = books.accounts[books.accounts["first_level"].isin(codes)]
    upto = books.window(None, quarter.last_day)
    upto = upto[upto["account"].isin(accounts.index)]
    records = []
    end = quarter.last_day.toordinal()
    for account, group in upto.groupby("account", sort=True):
        balance = int(group["cents"].sum())
        first_level = accounts.loc[account, "first_level"]
        if balance == 0:
            continue
        receivable = balance > 0 and first_level in RECEIVABLE_CODES
        payable = balance < 0 and first_level in PAYABLE_CODES
        if not (receivable or payable):
            continue
        since = open_since(group["day"].tolist(), group["cents"].tolist(), 1 if receivable else -1)
        records.append(
            {
                "kind": "应收" if receivable else "应付",
                "account": display_name(str(account).rpartition(":")[0]) or display_name(account),
                "party": leaf_name(str(account)),
                "amount": abs(balance),
                "since": date.fromordinal(since),
                "age": end - since,
                "order": 0 if receivable else 1,
            }
        )
    rows = frame(records, DEBT_COLUMNS)
    if records:
        rows = rows.sort_values(["order", "age"], ascending=[True, False]).reset_index(drop=True)
    totals = [
        {"kind": f"{kind}合计", "amount": int(rows[rows["kind"] == kind]["amount"].sum())}
        for kind in ("应收", "应付")
    ]
    note = "按明细科目（对方单位/个人）列示；发生日期为尚未结清部分中最早一笔的日期（先进先出）。"
    return Table("debts", "债权债务明细", DEBT_COLUMNS, rows, totals, note)


def open_since(days: Sequence[int], amounts: Sequence[int], sign: int) -> int:
    """The day the oldest still-open part of a balance arose, settling first in first out."""
    lots: deque[list[int]] = deque()
    for day, amount in zip(days, amounts, strict=True):
        amount *= sign
        if amount > 0:
            lots.append([day, amount])
            continue
        owed = -amount
        while owed and lots:
            take = min(owed, lots[0][1])
            lots[0][1] -= take
            owed -= take
            if lots[0][1] == 0:
                lots.popleft()
    return lots[0][0] if lots else days[-1]


# --- 专项资金 ---------------------------------------------------------------------------

FUND_COLUMNS = (
    Column("project", "项目"),
    Column("received_q", "本季拨入", "amount"),
    Column("spent_q", "本季支出", "amount"),
    Column("received", "累计拨入", "amount"),
    Column("spent", "累计支出", "amount"),
    Column("left", "结余", "amount"),
)


def funds_table(model: LedgerModel, period: Period) -> Table:
    """Each project's money in and out over `period` and since the books began, as the
    special-fund rule (VL501) counts it."""
    records = [
        {
            "project": line.project,
            "received_q": cents(line.received_in),
            "spent_q": cents(line.spent_in),
            "received": cents(line.received),
            "spent": cents(line.spent),
            "left": cents(line.remaining),
        }
        for line in model.figures.funds.lines(period)
    ]
    rows = frame(records, FUND_COLUMNS)
    keys = ("received_q", "spent_q", "received", "spent", "left")
    totals = [{"project": "合计", **{k: int(rows[k].sum()) if records else 0 for k in keys}}]
    note = (
        "拨入为专项应付款、一事一议资金明细科目的贷方发生额；支出为注明该项目（project）的付款，"
        "经应付款挂账的工程款在挂账时计入，付款时不重复计算。"
    )
    return Table("funds", "专项资金收支", FUND_COLUMNS, rows, totals, note)


# --- 审计发现 ---------------------------------------------------------------------------

FINDING_COLUMNS = (
    Column("rule", "规则", width=1.1),
    Column("severity", "级别", width=0.8),
    Column("date", "日期", "date"),
    Column("voucher", "凭证号", width=2.4),
    Column("message", "说明", width=7.0),
)
RECTIFIED_COLUMNS = (
    Column("rule", "规则", width=1.1),
    Column("date", "问题日期", "date"),
    Column("voucher", "凭证号", width=2.4),
    Column("message", "问题", width=5.0),
    Column("rectified_on", "整改日期", "date"),
    Column("way", "整改方式", width=2.4),
    Column("accepted_by", "验收人", width=1.2),
)
FAMILY_COLUMNS = (
    Column("family", "类别", width=3.0),
    Column("errors", "错误", "int"),
    Column("warnings", "预警", "int"),
    Column("rectified", "已整改", "int"),
    Column("count", "合计", "int"),
)
COUNTED = ("errors", "warnings", "rectified", "count")


def findings_tables(
    model: LedgerModel, findings: Iterable[Finding], quarter: Quarter, published: date
) -> tuple[Table, Table, Table]:
    """The quarter's problems still standing when it was published, those put right during the
    quarter (whenever they were found), and the quarter's findings counted by family. A 整改 dated
    after publication does not change what was published."""
    findings = list(findings)
    mine = finding_records(
        model, findings, quarter.contains, key=lambda f: (f.date, f.rule, f.line)
    )
    standing = [(f, r) for f, r in mine if open_on(f, published)]
    listing = Table(
        "findings", "审计发现", FINDING_COLUMNS, frame([r for _, r in standing], FINDING_COLUMNS)
    )
    listing.empty = "本季度未发现问题" if len(standing) == len(mine) else "本季度发现的问题均已整改"
    counts: dict[str, dict[str, Any]] = {}
    for f, _ in mine:
        label = family_label(f.rule)
        entry = counts.setdefault(label, {"family": label, **dict.fromkeys(COUNTED, 0)})
        key = ("errors" if f.is_error else "warnings") if open_on(f, published) else "rectified"
        entry[key] += 1
        entry["count"] += 1
    records = [c for _, c in sorted(counts.items())]
    rows = frame(records, FAMILY_COLUMNS)
    totals = [{"family": "合计", **{k: sum(int(c[k]) for c in records) for k in COUNTED}}]
    by_family = Table("families", "审计发现分类统计", FAMILY_COLUMNS, rows, totals)
    by_family.empty = "本季度未发现问题"
    return listing, rectified_table(model, findings, quarter, published), by_family


def rectified_table(
    model: LedgerModel, findings: list[Finding], quarter: Quarter, published: date
) -> Table:
    """Problems put right by a 整改 dated in the quarter (and by publication)."""
    put_right = [
        f
        for f in findings
        if f.rectified is not None
        and quarter.contains(f.rectified.day)
        and f.rectified.day <= published
    ]
    mine = finding_records(model, put_right, lambda day: True, key=lambda f: (f.date, f.rule))
    records = [
        {
            **{k: record[k] for k in ("rule", "date", "voucher", "message")},
            "rectified_on": f.rectified.day if f.rectified else None,
            "way": f.rectified.way if f.rectified else None,
            "accepted_by": f.rectified.accepted_by if f.rectified else None,
        }
        for f, record in mine
    ]
    table = Table(
        "rectified", "本季度整改的问题", RECTIFIED_COLUMNS, frame(records, RECTIFIED_COLUMNS)
    )
    table.empty = "本季度没有整改的问题"
    table.note = "整改由乡镇农经员、乡镇纪检员或村务监督委员会验收；问题仍留在原季度的记录中。"
    return table


def finding_records(
    model: LedgerModel,
    findings: Iterable[Finding],
    within: Callable[[date], bool],
    key: Callable[[Finding], Any],
) -> list[tuple[Finding, dict[str, Any]]]:
    """The dated findings for which `within(date)` holds, sorted by `key`, each with its record:
    rule, severity (in Chinese), date, voucher number (found by file and line) and message."""
    vouchers = vouchers_by_location(model.transactions)
    mine = sorted((f for f in findings if f.date is not None and within(f.date)), key=key)
    return [
        (
            f,
            {
                "rule": f.rule,
                "severity": SEVERITY_ZH[str(f.severity)],
                "date": f.date,
                "voucher": vouchers.get((f.file, f.line), ""),
                "message": f.message,
            },
        )
        for f in mine
    ]


def vouchers_by_location(entries: Iterable[data.Transaction]) -> dict[tuple[str, int], str]:
    found = {}
    for entry in entries:
        meta = entry.meta or {}
        voucher = meta.get("voucher")
        if voucher is not None:
            found[(str(meta.get("filename")), int(meta.get("lineno") or 0))] = str(voucher)
    return found


# --- signature, 大写, relief ------------------------------------------------------------


def supervision_phone(entries: Iterable[data.Directive], day: date) -> str:
    """The latest `event "监督电话" "…"` on or before `day`."""
    phone = ""
    for entry in entries:
        if isinstance(entry, data.Event) and entry.type == PHONE_EVENT and entry.date <= day:
            phone = entry.description.strip()
    return phone


def capitals(income: Table, sheet: Table, money: MoneySummary) -> dict[str, str]:
    totals = {t["kind"]: t["quarter"] for t in income.totals}
    figures = {
        "本季收入合计": totals["收入合计"],
        "本季支出合计": totals["支出合计"],
        "本季收益": totals["收益"],
        "期末货币资金": money.end,
    }
    closing = sheet.rows.set_index("item")["closing"]
    figures["期末资产总计"] = int(closing["资产总计"])
    return {label: capital_cents(int(value)) for label, value in figures.items()}


def relief_payees(books: Books, quarter: Quarter) -> frozenset[str]:
    """Recipients of any relief (救助) payment up to the quarter's end (payees and the names in
    the narrations): their given names are hidden."""
    relief = books.accounts.index[books.accounts["category"] == RELIEF]
    upto = books.window(None, quarter.last_day)
    txns = upto[upto["account"].isin(relief)]["txn"].unique()
    if not len(txns):
        return frozenset()
    rows = books.txns.loc[txns, ["payee", "narration"]]
    return frozenset(n for p, t in rows.itertuples(index=False) for n in relief_texts(p, t))


def township_relief_names(main: str | os.PathLike[str]) -> frozenset[str]:
    """Relief recipients of the other villages of the township (the folders beside this
    village's): their names are hidden in this village's report too, where its books mention
    them."""
    from village_ledger.loading import load_ledger
    from village_ledger.paths import PathError, find_villages

    here = Path(main).resolve()
    try:
        others = [m for m in find_villages([str(here.parent.parent)]) if m != here]
    except PathError:
        return frozenset()
    names: set[str] = set()
    for other in others:
        loaded = load_ledger(other)
        names |= relief_names(build_model(loaded.entries, loaded.options))
    return frozenset(names)
