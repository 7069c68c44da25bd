"""The handover audit (换届/离任交接审计): one village, one handover date, three signatories.

`resolve_parties(model, day, outgoing, incoming, supervisor)` checks the three names against
the roster and finds the roles handed over; `build_handover(model, parties)` computes every
table once; `masking.publish` makes the public copy the renderers at the bottom of this module
lay out (HTML, PDF, Excel, JSON), reached through `render.render` like every other report.

The cut-off is the start of the handover day D: book figures are the balances at the end of
D−1, the outgoing term runs to D−1, and a verified figure is a `balance` assertion dated D
(Beancount checks an assertion before the entries of its own date, so a cash count or bank
statement balance written on the handover day compares with exactly these book figures). This
matches the roster, where a `离任` dated D is the first day the outgoing person no longer
holds the role. Where each figure comes from is written in docs/handover.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from beancount.core import data

from village_ledger.engine import run_rules
from village_ledger.findings import Finding
from village_ledger.model import LedgerModel, Quarter
from village_ledger.model.roster import Roster, Term
from village_ledger.registry import all_rules, family_label
from village_ledger.reports.chinese_amount import capital_cents
from village_ledger.reports.disclosure import (
    debts_table,
    finding_records,
    funds_table,
    meetings_table,
    open_since,
    relief_payees,
)
from village_ledger.reports.masking import Public, require_public
from village_ledger.reports.statements import (
    Books,
    balance_sheet,
    cents,
    display_name,
    leaf_name,
    sheet_figures,
)
from village_ledger.reports.tables import Column, Table, frame

# 新一届村委会应在选举后 10 日内完成交接 (domain.md): the roster change and the handover day
# may lie this many days apart, either way.
WINDOW_DAYS = 10
FORMATS = ("html", "pdf", "xlsx", "json")


class HandoverError(ValueError):
    """The names, roles or date do not fit the roster or the books; the message is Chinese."""


@dataclass(frozen=True)
class Span:
    """A run of days; it answers `first_day`, `last_day` and `contains` as a `Quarter` does."""

    first_day: date
    last_day: date

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def years(self) -> list[int]:
        return list(range(self.first_day.year, self.last_day.year + 1))

    def year_part(self, year: int) -> Span:
        return Span(max(self.first_day, date(year, 1, 1)), min(self.last_day, date(year, 12, 31)))


@dataclass(frozen=True)
class Parties:
    outgoing: str
    incoming: str
    supervisor: str
    day: date
    roles: tuple[str, ...]  # the roles handed over
    term_start: date  # the outgoing person's first day in them (roster)
    left: date  # the first day the outgoing person no longer holds them (roster)
    taken: date  # the incoming person's first day in them (roster)


@dataclass
class Handover:
    village: str
    title: str
    parties: Parties
    term: Span  # the part of the outgoing term the books hold, through D−1
    books_start: date
    books_end: date
    tables: dict[str, Table]
    capitals: dict[str, str]  # label -> 大写 of the money totals the signatures depend on
    sources: list[str]
    differences: int  # rows of the 移交清单 whose verified figure differs from the books
    relief_payees: frozenset[str] = frozenset()

    @property
    def day(self) -> date:
        return self.parties.day

    @property
    def cutoff(self) -> date:
        return self.parties.day - timedelta(days=1)

    @property
    def roles(self) -> str:
        return "、".join(self.parties.roles)

    @property
    def label(self) -> str:
        return f"{self.roles}换届交接审计"


# --- who hands over what ----------------------------------------------------------------


def resolve_parties(
    model: LedgerModel, day: date, outgoing: str, incoming: str, supervisor: str
) -> Parties:
    """The roles `outgoing` gives up and `incoming` takes up around `day`, or a HandoverError."""
    check_date(model, day)
    outgoing, incoming, supervisor = outgoing.strip(), incoming.strip(), supervisor.strip()
    roster = model.roster
    if not outgoing or not incoming:
        raise HandoverError("移交人和接交人的姓名不能为空")
    if outgoing == incoming:
        raise HandoverError(f"移交人和接交人不能是同一人（{outgoing}）")
    leaving = _terms_near(roster, outgoing, day, "end", "移交人", "离任")
    taking = _terms_near(roster, incoming, day, "start", "接交人", "就任")
    roles = tuple(sorted({t.role for t in leaving} & {t.role for t in taking}, key=_role_order))
    if not roles:
        raise HandoverError(
            f"移交人{outgoing}在 {day} 前后离任的职务是{_roles_text(leaving)}，"
            f"接交人{incoming}就任的是{_roles_text(taking)}，两人之间没有交接同一职务"
        )
    check_supervisor(roster, day, supervisor, outgoing, incoming)
    left = [t for t in leaving if t.role in roles]
    taken = [t for t in taking if t.role in roles]
    return Parties(
        outgoing=outgoing,
        incoming=incoming,
        supervisor=supervisor,
        day=day,
        roles=roles,
        term_start=min(t.start for t in left),
        left=max(t.end or day for t in left),
        taken=min(t.start for t in taken),
    )


def check_date(model: LedgerModel, day: date) -> None:
    if not model.transactions:
        raise HandoverError("账簿中没有任何记账记录，无法交接")
    start = model.transactions[0].date
    if day <= start:
        raise HandoverError(
            f"交接日期 {day} 不晚于账簿的第一笔记录（{start}），账簿中没有可移交的数字"
        )


def _terms_near(
    roster: Roster, person: str, day: date, edge: str, who: str, change: str
) -> list[Term]:
    """`person`'s terms that end (edge `end`) or start (`start`) within the window of `day`."""
    if person not in roster.people():
        nearby = _changes_near(roster, day, edge)
        hint = f"；{day} 前后 {WINDOW_DAYS} 天内{change}的有：{nearby}" if nearby else ""
        raise HandoverError(f"{who}“{person}”不在本村任职名单（任职、离任记录）中{hint}")
    terms = [t for t in roster.terms_of(person) if _near(getattr(t, edge), day)]
    if terms:
        return terms
    held = "；".join(_term_text(t) for t in roster.terms_of(person))
    raise HandoverError(
        f"{who}{person}没有在交接日 {day} 前后 {WINDOW_DAYS} 天内{change}的职务（{held}）；"
        f"请核对交接日期，或先在账簿中记入“{'离任' if edge == 'end' else '任职'}”"
    )


def _near(edge: date | None, day: date) -> bool:
    return edge is not None and abs((edge - day).days) <= WINDOW_DAYS


def _changes_near(roster: Roster, day: date, edge: str) -> str:
    terms = sorted(
        (t for t in roster.terms if _near(getattr(t, edge), day)),
        key=lambda t: (_role_order(t.role), t.person),
    )
    return "、".join(f"{t.person}（{t.role}）" for t in terms)


def _term_text(term: Term) -> str:
    until = f"至 {term.end - timedelta(days=1)}" if term.end else "起至今"
    return f"{term.role} {term.start} {until}"


def _roles_text(terms: Iterable[Term]) -> str:
    return "、".join(sorted({t.role for t in terms}, key=_role_order))


def _role_order(role: str) -> int:
    from village_ledger.model import vocab

    roles = list(vocab.ROLES)
    return roles.index(role) if role in roles else len(roles)


def check_supervisor(
    roster: Roster, day: date, supervisor: str, outgoing: str, incoming: str
) -> None:
    """The 监交人 comes from the township: no role in the village, no close relative of either."""
    if not supervisor:
        raise HandoverError("监交人的姓名不能为空（监交人由乡镇派出）")
    if supervisor in (outgoing, incoming):
        raise HandoverError(f"监交人不能由移交人或接交人担任（{supervisor}）")
    roles = roster.roles_of(supervisor, day - timedelta(days=1)) | roster.roles_of(supervisor, day)
    if roles:
        raise HandoverError(
            f"监交人{supervisor}在 {day} 任本村{'、'.join(sorted(roles, key=_role_order))}；"
            "监交人应由乡镇派出，不在本村任职"
        )
    for party in (outgoing, incoming):
        relation = roster.relation(supervisor, party)
        if relation:
            raise HandoverError(f"监交人{supervisor}与{party}是近亲属（{relation}），应当回避")


# --- the report -------------------------------------------------------------------------


def build_handover(
    model: LedgerModel,
    parties: Parties,
    *,
    findings: Sequence[Finding] | None = None,
    books: Books | None = None,
) -> Handover:
    """Every table of the handover; `findings` default to every registered rule over the model."""
    books = books or Books.of(model)
    if findings is None:
        findings = run_rules(model, all_rules())
    cutoff = parties.day - timedelta(days=1)
    first_voucher = model.vouchers[0].date if model.vouchers else model.transactions[0].date
    term = Span(max(parties.term_start, min(first_voucher, cutoff)), cutoff)
    inventory = inventory_table(model, books, cutoff, assertions(model, parties.day))
    term_income = term_income_table(books, term)
    sheet_start = _sheet(books, term.first_day - timedelta(days=1))
    sheet_end = _sheet(books, cutoff)
    tables = [
        inventory,
        checklist_table(model, term, parties.day),
        term_income,
        net_assets_table(sheet_start, sheet_end, term_income),
        limits_table(model, books, term),
        *findings_tables(model, findings, term),
        advances_table(model, books, cutoff),
        resolutions_table(model, term),
        special_funds_table(model, books, term),
        unsealed_table(model, term, parties.day),
        handover_debts_table(books, cutoff),
    ]
    return Handover(
        village=model.village,
        title=model.title or model.village,
        parties=parties,
        term=term,
        books_start=model.transactions[0].date,
        books_end=model.transactions[-1].date,
        tables={t.key: t for t in tables},
        capitals=capitals(sheet_end),
        sources=sources(model, parties, term, len(findings)),
        differences=sum(1 for r in inventory.records() if r["check"] == MISMATCH),
        relief_payees=relief_payees(books, term),
    )


def _sheet(books: Books, upto: date) -> dict[str, int]:
    figures = sheet_figures(books.balances(upto), books.accounts)
    return {label: value for label, role, value in balance_sheet(figures) if role != "heading"}


def sources(model: LedgerModel, parties: Parties, term: Span, findings: int) -> list[str]:
    day, cutoff = parties.day, parties.day - timedelta(days=1)
    vouchers = [v for v in model.vouchers if term.contains(v.date)]
    lines = [
        f"账簿：{model.title or model.village}（{_short_path(model.main_file)}），"
        f"记录自 {model.transactions[0].date} 至 {model.transactions[-1].date}。",
        f"任期：{parties.outgoing}自 {parties.term_start} 起任{'、'.join(parties.roles)}"
        f"（任职记录），{parties.left} 离任；{parties.incoming}自 {parties.taken} 起就任。",
        f"本报告覆盖 {term.first_day} 至 {term.last_day}，期间凭证 {len(vouchers)} 张。",
        f"账面数：截至 {cutoff} 日终（交接日 {day} 开始前）的全部记账记录，含 pad 自动补记。",
        f"核实数：账簿中日期为 {day} 的 balance 余额断言（Beancount 在当日开始时核对，"
        "即与上述账面数同一时点）；现金盘点、银行对账单余额均以此方式记入账簿。空白表示尚未核实。",
        f"审计发现：village-ledger 全部规则及 Beancount 自身检查，共 {findings} 条，"
        "列出日期在本报告期间内的部分。跨村核对（VL303）须用 village-ledger check 对全乡运行。",
    ]
    if parties.term_start < term.first_day:
        lines.insert(
            2,
            f"任期始于 {parties.term_start}，早于本账簿的第一张凭证（{term.first_day}）；"
            "此前的收支不在本账簿内，期初数为建账余额。",
        )
    return lines


def _short_path(path: str) -> str:
    parts = path.replace("\\", "/").split("/")
    return "/".join(parts[-2:])


# --- 1. 移交清单 ------------------------------------------------------------------------

MISMATCH = "不符"
INVENTORY_COLUMNS = (
    Column("section", "类别", width=1.5),
    Column("item", "项目", width=2.8),
    Column("code", "科目代码", width=1.2),
    Column("book", "账面数", "amount"),
    Column("verified", "核实数", "amount"),
    Column("difference", "差异", "amount"),
    Column("check", "核对", width=0.8),
)


@dataclass(frozen=True)
class Section:
    label: str
    codes: tuple[str, ...]
    sign: int = 1  # liabilities and contra accounts are shown as positive figures
    side: int = 0  # for 113: only accounts with a debit (1) or credit (-1) balance
    always: bool = False  # list every opened account, zero or not (money changes hands)


SECTIONS = (
    Section("库存现金", ("101",), always=True),
    Section("银行存款", ("102",), always=True),
    Section("应收款项", ("112", "113"), side=1),
    Section("存货", ("121", "401")),
    Section("固定资产原值", ("151",)),
    Section("累计折旧", ("152",), sign=-1),
    Section("在建工程", ("153",)),
    Section("对外投资", ("111", "141")),
    Section("其他资产", ("131", "132", "133", "134", "154", "161", "162", "171", "181")),
    Section("应付款项", ("201", "211", "212", "213", "214", "221", "113"), sign=-1, side=-1),
    Section("一事一议资金", ("231",), sign=-1),
    Section("专项应付款", ("241",), sign=-1),
)


def assertions(model: LedgerModel, day: date) -> dict[str, int]:
    """`balance` assertions dated `day`: account -> asserted balance in 分 (debit positive)."""
    return {
        entry.account: cents(entry.amount.number)
        for entry in model.entries
        if isinstance(entry, data.Balance) and entry.date == day and entry.amount.number is not None
    }


def inventory_table(
    model: LedgerModel, books: Books, cutoff: date, verified: dict[str, int]
) -> Table:
    balances = books.balances(cutoff)
    records: list[dict[str, Any]] = []
    for section in SECTIONS:
        lines = _section_lines(model, books, balances, section, cutoff)
        records += [_checked(line, verified, section.sign) for line in lines]
        if section.label == "累计折旧":
            records.append(_checked(_net_fixed_assets(records), verified, 1))
        elif len(lines) > 1:
            total = _checked(_subtotal(section, lines), verified, section.sign)
            records.append(total)
    rows = frame(records, INVENTORY_COLUMNS)
    note = (
        f"账面数为 {cutoff} 日终余额；负债和累计折旧以贷方余额列为正数。核实数为交接日的余额断言"
        "（现金盘点、银行对账单），空白处由交接双方当场清点、核对后填写；差异 = 核实数 − 账面数。"
    )
    table = Table("inventory", "账面余额与核实数", INVENTORY_COLUMNS, rows, note=note)
    table.empty = "账簿中没有余额"
    return table


def _section_lines(
    model: LedgerModel, books: Books, balances: pd.Series, section: Section, cutoff: date
) -> list[dict[str, Any]]:
    accounts = books.accounts[books.accounts["first_level"].isin(section.codes)]
    figures = {str(a): int(balances.get(a, 0)) for a in accounts.index}
    if section.always:
        for info in model.chart:
            opened = model.chart.opens.get(info.name)
            if info.first_level in section.codes and opened and opened.date <= cutoff:
                figures.setdefault(info.name, 0)
        figures = {a: v for a, v in figures.items() if v != 0 or not _has_children(a, figures)}
    lines = []
    for account, value in sorted(figures.items(), key=lambda kv: (model.chart.get(kv[0]).code,)):
        if value == 0 and not section.always:
            continue
        if (
            section.side
            and value * section.side <= 0
            and model.chart.get(account).first_level == "113"
        ):
            continue
        lines.append(
            {
                "section": section.label,
                "item": _item_name(account),
                "code": model.chart.get(account).code,
                "account": account,
                "book": section.sign * value,
                "role": "line",
            }
        )
    return lines


def _has_children(account: str, figures: dict[str, int]) -> bool:
    return any(other.startswith(account + ":") for other in figures)


def _item_name(account: str) -> str:
    parts = account.split(":")
    if len(parts) <= 2:
        return display_name(account)
    return "—".join(display_name(f"Root:{p}") for p in parts[2:])


def _subtotal(section: Section, lines: list[dict[str, Any]]) -> dict[str, Any]:
    accounts = {":".join(line["account"].split(":")[:2]) for line in lines}
    single = accounts.pop() if len(accounts) == 1 else ""
    return {
        "section": section.label,
        "item": f"{section.label}合计",
        "code": "",
        "account": single,
        "book": sum(line["book"] for line in lines),
        "role": "total",
    }


def _net_fixed_assets(records: list[dict[str, Any]]) -> dict[str, Any]:
    cost = sum(r["book"] for r in records if r["section"] == "固定资产原值" and r["role"] == "line")
    depreciation = sum(
        r["book"] for r in records if r["section"] == "累计折旧" and r["role"] == "line"
    )
    return {
        "section": "固定资产",
        "item": "固定资产净值（原值 − 累计折旧）",
        "code": "",
        "account": "",
        "book": cost - depreciation,
        "role": "total",
    }


def _checked(line: dict[str, Any], verified: dict[str, int], sign: int) -> dict[str, Any]:
    asserted = verified.get(line.get("account", ""))
    if asserted is None:
        return {**line, "verified": None, "difference": None, "check": ""}
    value = sign * asserted
    difference = value - line["book"]
    check = MISMATCH if difference else "相符"
    role = f"{line['role']} flagged" if difference else line["role"]
    return {**line, "verified": value, "difference": difference, "check": check, "role": role}


# --- 其他移交事项 -----------------------------------------------------------------------

CHECKLIST_COLUMNS = (
    Column("number", "序号", "int", width=0.6),
    Column("kind", "类别", width=1.1),
    Column("item", "移交事项", width=3.2),
    Column("detail", "账簿记载 / 数量", width=3.2),
    Column("given", "移交人确认", width=1.3),
    Column("received", "接交人确认", width=1.3),
    Column("remark", "备注", width=1.6),
)
SEALS = ("村民委员会印章", "村股份经济合作社印章", "财务专用章", "法定代表人名章")
BLANK_LINES = 4


def checklist_table(model: LedgerModel, term: Span, day: date) -> Table:
    vouchers = [v for v in model.vouchers if v.date < day]
    items: list[tuple[str, str, str]] = [("印章", name, "") for name in SEALS]
    items += [
        ("会计档案", "记账凭证及原始凭证", _voucher_range(vouchers)),
        ("会计档案", "会计账簿（Beancount 账簿文件及其版本库）", _short_path(model.main_file)),
        ("会计档案", "财务公开资料及公开封存记录", _sealed_text(model, day)),
        ("票据", "收款收据（已用、未用、作废）", _receipt_text(vouchers)),
        ("银行账户", "银行账户、预留印鉴、网银 U 盾、支票", _bank_text(model, day)),
        ("合同", "仍在履行的发包、租赁、工程及其他合同", ""),
        ("档案", "会议决议、村务档案、资产台账、土地承包资料", _meetings_text(model, term)),
        ("钥匙", "办公室、档案柜、保险柜钥匙", ""),
        ("设备", "办公设备及其他固定资产实物", ""),
    ]
    records = [
        {"number": n, "kind": kind, "item": item, "detail": detail}
        for n, (kind, item, detail) in enumerate(items, 1)
    ]
    records += [{"number": len(items) + n} for n in range(1, BLANK_LINES + 1)]
    rows = frame(records, CHECKLIST_COLUMNS).reindex(columns=[c.key for c in CHECKLIST_COLUMNS])
    note = "逐项清点后由移交人、接交人在确认栏签字或打“√”；未列出的事项写在空行内。"
    return Table(
        "checklist",
        "其他移交事项（印章、档案、合同、钥匙、设备）",
        CHECKLIST_COLUMNS,
        rows,
        note=note,
    )


def _voucher_range(vouchers: Sequence[data.Transaction]) -> str:
    numbers = [str(v.meta["voucher"]) for v in vouchers if v.meta.get("voucher")]
    if not numbers:
        return "账簿中没有凭证"
    return f"{numbers[0]} 至 {numbers[-1]}，共 {len(numbers)} 张"


def _sealed_text(model: LedgerModel, day: date) -> str:
    sealed = [str(s.quarter) for s in model.seals if s.day < day]
    return f"已封存 {sealed[0]} 至 {sealed[-1]}，共 {len(sealed)} 个季度" if sealed else "尚无封存"


def _receipt_text(vouchers: Sequence[data.Transaction]) -> str:
    numbers = [str(v.meta["receipt-no"]) for v in vouchers if v.meta.get("receipt-no")]
    return f"已用至 {max(numbers)} 号" if numbers else "账簿中没有收款收据号"


def _bank_text(model: LedgerModel, day: date) -> str:
    banks = [
        _item_name(info.name)
        for info in model.chart
        if info.is_bank
        and info.name in model.chart.opens
        and model.chart.opens[info.name].date < day
        and not any(o.name.startswith(info.name + ":") for o in model.chart if o.is_bank)
    ]
    return "、".join(banks)


def _meetings_text(model: LedgerModel, term: Span) -> str:
    count = sum(1 for m in model.meetings if term.contains(m.day))
    return f"任期内会议决议 {count} 项" if count else ""


# --- 2. 任期收支 ------------------------------------------------------------------------


def term_income_table(books: Books, term: Span) -> Table:
    years = term.years()
    columns = (
        Column("kind", "类别", width=0.8),
        Column("code", "科目代码", width=1.1),
        Column("name", "科目名称", width=3.2),
        *(Column(f"y{year}", f"{year}年", "amount") for year in years),
        Column("total", "任期合计", "amount"),
    )
    accounts = books.accounts
    pl = books.with_info(books.window(term.first_day, term.last_day))
    pl = pl[pl["root"].isin(("Income", "Expenses"))]
    pl = pl.assign(year=pl["day"].map(lambda d: date.fromordinal(int(d)).year))
    sums = pl.pivot_table(index="account", columns="year", values="cents", aggfunc="sum")
    sums = sums.reindex(columns=years).fillna(0).astype("int64")
    sums.columns = [f"y{year}" for year in years]
    info = accounts.loc[sums.index]
    sign = info["root"].map({"Income": -1, "Expenses": 1})
    rows = sums.mul(sign, axis=0)
    rows["total"] = rows.sum(axis=1)
    rows["kind"] = info["root"].map({"Income": "收入", "Expenses": "支出"})
    rows["code"] = info["code"]
    rows["name"] = info["name"]
    rows["order"] = info["root"].map({"Income": 0, "Expenses": 1})
    rows = rows.sort_values(["order", "code", "name"]).reset_index(drop=True)
    keys = [*(f"y{year}" for year in years), "total"]
    totals = []
    for kind in ("收入", "支出"):
        part = rows[rows["kind"] == kind]
        totals.append({"kind": f"{kind}合计", **{k: int(part[k].sum()) for k in keys}})
    totals.append({"kind": "收益", **{k: totals[0][k] - totals[1][k] for k in keys}})
    spans = "；".join(
        f"{y} 年为 {term.year_part(y).first_day} 至 {term.year_part(y).last_day}" for y in years
    )
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
    records = [
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


def limits_table(model: LedgerModel, books: Books, term: Span) -> Table:
    records = []
    for year in term.years():
        part = term.year_part(year)
        window = books.with_info(books.window(part.first_day, part.last_day))
        expenses = window[window["root"] == "Expenses"]
        reception = int(expenses[expenses["category"] == "招待费"]["cents"].sum())
        cadre_rows = expenses[expenses["category"] == "干部报酬"]
        cadre = int(cadre_rows["cents"].sum())
        cited = sorted({m for m in books.txns.loc[cadre_rows["txn"].unique(), "meeting"] if m})
        meetings = [model.meetings.get(m) for m in cited]
        approved = sum(cents(m.amount) for m in meetings if m is not None)
        cap = cents(model.policy.value("招待费年度限额", part.last_day))
        records.append(
            {
                "year": f"{year}年",
                "entertainment": reception,
                "entertainment_cap": cap,
                "entertainment_over": "是" if reception > cap else "",
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
        "招待费限额为当年适用的财务制度“招待费年度限额”；干部报酬与补贴为计入干部报酬、误工补贴等"
        "科目的金额，核定额为当年这些支出所引用的村民（代表）会议决议的金额（全年标准，不按月折算）。"
    )
    return Table("limits", "招待费与干部报酬（按年度对照限额）", LIMIT_COLUMNS, rows, totals, note)


# --- 3. 任期审计发现 --------------------------------------------------------------------

FINDING_COLUMNS = (
    Column("family", "类别", width=2.0),
    Column("rule", "规则", width=1.1),
    Column("severity", "级别", width=0.8),
    Column("date", "日期", "date"),
    Column("voucher", "凭证号", width=1.9),
    Column("message", "说明", width=5.5),
    Column("amount", "金额", "amount"),
)
FAMILY_COLUMNS = (
    Column("family", "类别", width=3.0),
    Column("severity", "级别", width=1.0),
    Column("count", "条数", "int"),
    Column("amount", "涉及金额", "amount"),
)


def findings_tables(
    model: LedgerModel, findings: Iterable[Finding], term: Span
) -> tuple[Table, Table]:
    mine = finding_records(
        model,
        findings,
        term.contains,
        key=lambda f: (family_label(f.rule), not f.is_error, f.date, f.rule, f.line),
    )
    records = [
        {
            "family": family_label(f.rule),
            **record,
            "amount": cents(f.amount) if f.amount is not None else None,
        }
        for f, record in mine
    ]
    listing = Table(
        "findings", "任期审计发现明细", FINDING_COLUMNS, frame(records, FINDING_COLUMNS)
    )
    listing.empty = "任期内未发现问题"
    summary = Table(
        "families", "任期审计发现（按类别和级别）", FAMILY_COLUMNS, *_family_rows(records)
    )
    summary.empty = "任期内未发现问题"
    summary.note = "涉及金额为各条发现所指金额之和（同一笔业务可能被多条规则指出）。"
    return summary, listing


def _family_rows(records: list[dict[str, Any]]) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    families = dict.fromkeys(r["family"] for r in records)
    for family in families:
        mine = [r for r in records if r["family"] == family]
        for severity in ("错误", "预警"):
            part = [r for r in mine if r["severity"] == severity]
            if part:
                rows.append(
                    {"family": family, "severity": severity, **_count(part), "role": "line"}
                )
        rows.append({"family": f"{family} 小计", **_count(mine), "role": "total"})
    table = frame(rows, FAMILY_COLUMNS)
    if rows:
        table["role"] = [r["role"] for r in rows]
    return table, [{"family": "合计", **_count(records)}]


def _count(records: list[dict[str, Any]]) -> dict[str, int]:
    return {"count": len(records), "amount": sum(r["amount"] or 0 for r in records)}


ADVANCE_COLUMNS = (
    Column("party", "借支人"),
    Column("account", "科目"),
    Column("amount", "未结清金额", "amount"),
    Column("since", "借支日期", "date"),
    Column("age", "已借天数", "int"),
    Column("limit", "期限（天）", "int"),
    Column("overdue", "逾期", width=0.8),
)


def advances_table(model: LedgerModel, books: Books, cutoff: date) -> Table:
    accounts = books.accounts[books.accounts["category"] == "借支"].index
    upto = books.window(None, cutoff)
    upto = upto[upto["account"].isin(accounts)]
    limit = int(model.policy.value("借支期限天数", cutoff))
    records = []
    for account, group in upto.groupby("account", sort=True):
        balance = int(group["cents"].sum())
        if balance <= 0:
            continue
        since = open_since(group["day"].tolist(), group["cents"].tolist(), 1)
        age = cutoff.toordinal() - since
        records.append(
            {
                "party": leaf_name(str(account)),
                "account": display_name(str(account).rpartition(":")[0]),
                "amount": balance,
                "since": date.fromordinal(since),
                "age": age,
                "limit": limit,
                "overdue": "是" if age > limit else "",
            }
        )
    records.sort(key=lambda r: r["since"])
    rows = frame(records, ADVANCE_COLUMNS)
    totals = [{"party": "合计", "amount": sum(r["amount"] for r in records)}]
    note = f"截至 {cutoff} 尚未结清的个人借支，先借先还；天数计至该日。"
    table = Table("advances", "未结清的个人借支", ADVANCE_COLUMNS, rows, totals, note)
    table.empty = "没有未结清的个人借支"
    return table


def resolutions_table(model: LedgerModel, term: Span) -> Table:
    table = meetings_table(model, term)  # type: ignore[arg-type]  # Span answers as a Quarter
    rows = table.rows
    if len(rows):
        rows = rows[rows["left"] != 0].reset_index(drop=True)
        rows["over"] = ["超支" if left < 0 else "未用完" for left in rows["left"]]
    columns = tuple(
        dataclasses.replace(c, title=RENAMED.get(c.title, c.title)) for c in table.columns
    )
    columns = tuple(c if c.key != "over" else Column("over", "状态", width=1.3) for c in columns)
    totals = [{"subject": "合计", "left": int(rows["left"].sum()) if len(rows) else 0}]
    note = (
        "任期内作出或有支出的会议决议中，累计支出与批准金额不一致的：超支的须说明原因，"
        "未用完的由新一届继续执行或按程序终止。支出按引用决议编号（meeting）的付款计算。"
    )
    result = Table("resolutions", "会议决议执行情况（超支或未用完）", columns, rows, totals, note)
    result.empty = "任期内的会议决议均已按批准金额执行完毕"
    return result


RENAMED = {"本季支出": "任期支出", "本季拨入": "任期拨入", "累计支出": "累计支出"}


def special_funds_table(model: LedgerModel, books: Books, term: Span) -> Table:
    table = funds_table(model, books, term)  # type: ignore[arg-type]  # Span answers as a Quarter
    columns = tuple(
        dataclasses.replace(c, title=RENAMED.get(c.title, c.title)) for c in table.columns
    )
    note = (
        "拨入为专项应付款、一事一议资金明细科目的贷方发生额；支出为注明该项目（project）的付款；"
        "结余为尚未使用、随账移交的专项资金，须专款专用。"
    )
    result = dataclasses.replace(table, columns=columns, title="专项资金结余", note=note)
    result.key = "funds"
    result.empty = "没有专项资金"
    return result


SEAL_COLUMNS = (
    Column("quarter", "季度"),
    Column("ended", "季度结束", "date"),
    Column("status", "状态", width=3.0),
)


def unsealed_table(model: LedgerModel, term: Span, day: date) -> Table:
    records = []
    quarter = Quarter.of(term.first_day)
    while quarter.first_day <= term.last_day:
        seal = model.seals.get(quarter)
        if seal is None or seal.day >= day:
            records.append(
                {
                    "quarter": quarter.label,
                    "ended": quarter.last_day,
                    "status": _seal_status(quarter, seal, day),
                }
            )
        quarter = quarter.next()
    rows = frame(records, SEAL_COLUMNS)
    note = "交接日之前未公开封存的季度，由新一届公开并封存（village-ledger disclose、seal）。"
    table = Table("unsealed", "未公开封存的季度", SEAL_COLUMNS, rows, note=note)
    table.empty = "任期内各季度均已公开封存"
    return table


def _seal_status(quarter: Quarter, seal: Any, day: date) -> str:
    if quarter.last_day >= day:
        return "交接时尚未结束"
    if seal is not None:
        return f"未封存（交接后于 {seal.day} 封存）"
    return "未封存"


# --- 4. 债权债务 ------------------------------------------------------------------------


def handover_debts_table(books: Books, cutoff: date) -> Table:
    table = debts_table(books, Span(cutoff, cutoff))  # type: ignore[arg-type]
    rows = table.rows
    if len(rows):
        rows = rows.sort_values(["since", "kind"], kind="stable").reset_index(drop=True)
    note = (
        f"截至 {cutoff} 日终尚未结清的应收、应付款，按发生日期从早到晚排列；"
        "发生日期为尚未结清部分中最早一笔的日期（先进先出），账龄计至该日。"
    )
    result = dataclasses.replace(table, rows=rows, note=note)
    result.empty = "没有未结清的债权债务"
    return result


# --- 5. 大写 ----------------------------------------------------------------------------


def capitals(sheet: dict[str, int]) -> dict[str, str]:
    figures = {
        "货币资金": sheet.get("货币资金", 0),
        "应收款项": sheet.get("应收款项", 0),
        "资产总计": sheet.get("资产总计", 0),
        "负债合计": sheet.get("负债合计", 0),
        "净资产": sheet.get("所有者权益合计", 0),
    }
    return {label: capital_cents(value) for label, value in figures.items()}


# --- renderers --------------------------------------------------------------------------

ORDER = (
    ("一、移交清单", ("inventory", "checklist")),
    ("二、任期收支", ("term", "net_assets", "limits")),
    ("三、任期审计发现", ("families", "findings", "advances", "resolutions", "funds", "unsealed")),
    ("四、债权债务明细", ("debts",)),
)
SIGNERS = (("移交人", "outgoing"), ("接交人", "incoming"), ("监交人", "supervisor"))


def handover_html(public: Public[Handover], paper: str = "a4") -> bytes:
    require_public(public, handover_html)
    return _html(public.report).encode("utf-8")


def _html(report: Handover) -> str:
    from village_ledger.reports.render import environment, table_view

    parts = [
        (heading, [table_view(report.tables[key]) for key in keys if key in report.tables])
        for heading, keys in ORDER
    ]
    signers = [(label, getattr(report.parties, attr)) for label, attr in SIGNERS]
    return (
        environment()
        .get_template("handover.html.j2")
        .render(report=report, parts=parts, signers=signers)
    )


def handover_pdf(public: Public[Handover], paper: str = "a4") -> bytes:
    require_public(public, handover_pdf)
    from village_ledger.reports.render import html_to_pdf

    return html_to_pdf(_html(public.report).encode("utf-8"))


def handover_json(public: Public[Handover], paper: str = "a4") -> bytes:
    require_public(public, handover_json)
    from village_ledger.reports.render import json_bytes, table_json

    report = public.report
    parties = report.parties
    document = {
        "village": report.village,
        "title": report.title,
        "report": "handover",
        "date": parties.day.isoformat(),
        "cutoff": report.cutoff.isoformat(),
        "roles": list(parties.roles),
        "parties": {attr: getattr(parties, attr) for _, attr in SIGNERS},
        "term": {
            "start": parties.term_start.isoformat(),
            "left": parties.left.isoformat(),
            "taken": parties.taken.isoformat(),
            "first": report.term.first_day.isoformat(),
            "last": report.term.last_day.isoformat(),
        },
        "books": {"start": report.books_start.isoformat(), "end": report.books_end.isoformat()},
        "sources": report.sources,
        "differences": report.differences,
        "tables": [table_json(t) for t in report.tables.values()],
        "capitals": report.capitals,
    }
    return json_bytes(document)


def handover_xlsx(public: Public[Handover], paper: str = "a4") -> bytes:
    require_public(public, handover_xlsx)
    from openpyxl import Workbook

    from village_ledger.reports.xlsx import sheet_title, workbook_bytes, write_table

    report = public.report
    book = Workbook()
    summary = book.active
    summary.title = "交接概况"
    for row in _summary_rows(report):
        summary.append(row)
    summary.column_dimensions["A"].width = 16
    summary.column_dimensions["B"].width = 90
    taken = {summary.title}
    heading = f"{report.title} {report.label}"
    period = f"交接日期：{report.day}　报告期间：{report.term.first_day} 至 {report.term.last_day}"
    for table in report.tables.values():
        sheet = book.create_sheet(sheet_title(table.title, taken))
        write_table(sheet, table, [f"{heading} {table.title}", period])
    return workbook_bytes(book)


def _summary_rows(report: Handover) -> list[list[Any]]:
    parties = report.parties
    rows: list[list[Any]] = [
        [f"{report.title} {report.label}"],
        ["交接日期", parties.day],
        ["移交职务", report.roles],
        *([label, getattr(parties, attr)] for label, attr in SIGNERS),
        ["报告期间", f"{report.term.first_day} 至 {report.term.last_day}"],
        ["清单差异", f"{report.differences} 项" if report.differences else "无"],
        [],
    ]
    rows += [[f"{label}（大写）", text] for label, text in report.capitals.items()]
    rows += [[], ["数据来源"], *(["", line] for line in report.sources)]
    return rows


RENDERERS = {
    "html": handover_html,
    "pdf": handover_pdf,
    "xlsx": handover_xlsx,
    "json": handover_json,
}


__all__ = [
    "FORMATS",
    "RENDERERS",
    "Handover",
    "HandoverError",
    "Parties",
    "Span",
    "build_handover",
    "resolve_parties",
]
