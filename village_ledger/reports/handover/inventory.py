"""What changes hands: the 移交清单 (book balances against verified figures), the other items
to hand over (seals, archives, keys), and the debts open at the cut-off.

Book figures are the balances at the end of D−1; a verified figure is a `balance` assertion
dated D (Beancount checks an assertion before the entries of its own date, so a cash count or
bank statement balance written on the handover day compares with exactly these book figures).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from beancount.core import data

from village_ledger.model import LedgerModel, Period
from village_ledger.reports.debts import debts_table
from village_ledger.reports.statements import Books, cents, display_name
from village_ledger.reports.tables import Column, Table, frame

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


def checklist_table(model: LedgerModel, term: Period, day: date) -> Table:
    vouchers = [v for v in model.vouchers if v.date < day]
    items: list[tuple[str, str, str]] = [("印章", name, "") for name in SEALS]
    items += [
        ("会计档案", "记账凭证及原始凭证", _voucher_range(vouchers)),
        ("会计档案", "会计账簿（Beancount 账簿文件及其版本库）", short_path(model.main_file)),
        ("会计档案", "财务公开资料及公开封存记录", _sealed_text(model, day)),
        ("票据", "收款收据（已用、未用、作废）", _receipt_text(vouchers)),
        ("银行账户", "银行账户、预留印鉴、网银 U 盾、支票", _bank_text(model, day)),
        ("合同", "仍在履行的发包、租赁、工程及其他合同", _contracts_text(model, day)),
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


def _contracts_text(model: LedgerModel, day: date) -> str:
    """How many contracts are in force at the cut-off, and how many owe money (合同台账)."""
    cutoff = day - timedelta(days=1)
    schedules = [
        model.figures.contracts.schedule(c, cutoff) for c in model.contracts if c.day <= cutoff
    ]
    live = sum(1 for s in schedules if s.live)
    owing = sum(1 for s in schedules if s.arrears > 0)
    if not schedules:
        return ""
    text = f"合同台账登记 {len(schedules)} 份，履行中 {live} 份"
    return text + (f"，欠收（欠付）{owing} 份，见欠收合同表" if owing else "")


def _meetings_text(model: LedgerModel, term: Period) -> str:
    count = sum(1 for m in model.meetings if term.contains(m.day))
    return f"任期内会议决议 {count} 项" if count else ""


# --- 四、债权债务 ----------------------------------------------------------------------


def handover_debts_table(model: LedgerModel, cutoff: date) -> Table:
    table = debts_table(model, Period.span(cutoff, cutoff))
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


def short_path(path: str) -> str:
    """The ledger's file as its folder and name: enough to find it, nothing of the machine."""
    parts = path.replace("\\", "/").split("/")
    return "/".join(parts[-2:])
