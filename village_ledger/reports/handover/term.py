"""二、任期收支: the outgoing term's income and spending by year, the change in net assets, and
the yearly limits (entertainment against its cap, cadre pay against the approving resolutions).
"""

from __future__ import annotations

from typing import Any

from village_ledger.model import LedgerModel, Period
from village_ledger.reports.account_tables import income_records
from village_ledger.reports.statements import Books, cents
from village_ledger.reports.tables import Column, Table, frame


def term_income_table(model: LedgerModel, term: Period) -> Table:
    parts = term.years()
    years = [part.first.year for part in parts]
    columns = (
        Column("kind", "类别", width=0.8),
        Column("code", "科目代码", width=1.1),
        Column("name", "科目名称", width=3.2),
        *(Column(f"y{year}", f"{year}年", "amount") for year in years),
        Column("total", "任期合计", "amount"),
    )
    windows = {f"y{part.first.year}": part for part in parts}
    records, totals = income_records(model, {**windows, "total": term})
    rows = frame(records, columns)
    spans = "；".join(f"{part.first.year} 年为 {part.first} 至 {part.last}" for part in parts)
    note = f"按收入、支出科目汇总；收益 = 收入合计 − 支出合计。{spans}。"
    return Table("term", "任期收支", columns, rows, totals, note)


NET_COLUMNS = (
    Column("item", "项目", width=4.0),
    Column("start", "任期开始", "amount"),
    Column("end", "交接时", "amount"),
    Column("change", "变动", "amount"),
)


def net_assets_table(start: dict[str, int], end: dict[str, int], income: Table) -> Table:
    profit = next(t["total"] for t in income.totals if t["kind"] == "收益")
    records: list[dict[str, Any]] = [
        {"item": label, "start": start.get(key, 0), "end": end.get(key, 0), "role": "line"}
        for label, key in (
            ("资产总计", "资产总计"),
            ("负债合计", "负债合计"),
            ("净资产（所有者权益合计）", "所有者权益合计"),
        )
    ]
    for record in records:
        record["change"] = record["end"] - record["start"]
    change = records[-1]["change"]
    records += [
        {"item": "其中：任期收益（收入 − 支出）", "change": profit, "role": "memo"},
        {
            "item": "其中：直接计入所有者权益（专项资金转入公积公益金、资本投入等）",
            "change": change - profit,
            "role": "memo",
        },
    ]
    rows = frame(records, NET_COLUMNS)
    note = (
        "任期开始为报告期间第一天之前的余额，交接时为交接日前一日日终余额；"
        "净资产变动 = 任期收益 + 直接计入所有者权益的变动。负债的增加即任期内新增的债务。"
    )
    table = Table("net_assets", "任期资产负债变动", NET_COLUMNS, rows, note=note)
    table.rows["role"] = [r["role"] for r in records]
    return table


LIMIT_COLUMNS = (
    Column("year", "年度", width=1.5),
    Column("entertainment", "招待费", "amount"),
    Column("entertainment_cap", "招待费年度限额", "amount"),
    Column("entertainment_over", "招待费超限", width=1.1),
    Column("cadre", "干部报酬与补贴", "amount"),
    Column("cadre_approved", "决议核定额", "amount"),
    Column("cadre_over", "报酬超出核定", width=1.3),
    Column("resolutions", "核定决议", width=2.4),
)


def _cadre_status(paid: int, approved: int | None) -> str:
    if approved is None:
        return "无决议" if paid else ""
    return "是" if paid > approved else ""


def limits_table(model: LedgerModel, books: Books, term: Period) -> Table:
    records = []
    for part in term.years():
        year = part.first.year
        # the whole calendar year through the part's end: the total VL401 holds to the cap
        spent = model.figures.entertainment(year, part.last)
        window = books.with_info(books.window(part.first, part.last))
        expenses = window[window["root"] == "Expenses"]
        cadre_rows = expenses[expenses["category"] == "干部报酬"]
        cadre = int(cadre_rows["cents"].sum())
        cited = sorted({m for m in books.txns.loc[cadre_rows["txn"].unique(), "meeting"] if m})
        meetings = [model.meetings.get(m) for m in cited]
        approved = sum(cents(m.amount) for m in meetings if m is not None)
        records.append(
            {
                "year": f"{year}年",
                "entertainment": cents(spent.total),
                "entertainment_cap": cents(spent.cap),
                "entertainment_over": "是"
                if any(r.year_total > r.cap for r in spent.receptions)
                else "",
                "cadre": cadre,
                "cadre_approved": approved if cited else None,
                "cadre_over": _cadre_status(cadre, approved if cited else None),
                "resolutions": "、".join(cited),
            }
        )
    rows = frame(records, LIMIT_COLUMNS)
    totals = [
        {
            "year": "任期合计",
            "entertainment": int(rows["entertainment"].sum()),
            "cadre": int(rows["cadre"].sum()),
        }
    ]
    note = (
        "招待费为当年 1 月 1 日起至该年在任期内最后一天的累计（与规则 VL401 相同），限额为当年"
        "适用的财务制度“招待费年度限额”，曾超过即为超限；干部报酬与补贴为计入干部报酬、误工补贴等"
        "科目的金额，核定额为当年这些支出所引用的村民（代表）会议决议的金额（全年标准，不按月折算）。"
    )
    return Table("limits", "招待费与干部报酬（按年度对照限额）", LIMIT_COLUMNS, rows, totals, note)
