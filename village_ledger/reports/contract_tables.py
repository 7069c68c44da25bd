"""The tables of the contract and asset registers (三资), shared by every report that prints them.

- `register_table`: the 合同台账, one row per contract signed by the period's end: term, amount
  per period, what fell due and was received in the period and to date, arrears, state;
- `schedule_table`: one contract's 收款计划, a row per period (due day, due, received, the
  vouchers, what is unpaid, its state), the detail pages of the 合同台账;
- `arrears_table`: the contracts with money due and not received (the handover);
- `assets_table`: the 资产台账, every asset with its 原值, 累计折旧 and 净值, and what it is let
  under; `asset_gaps_table`: the 151 accounts where the register and the books disagree;
- `leasing_table`: the 财务公开's 资产资源发包租赁, every live 发包/租赁/承包 contract.

Every figure is read from `model.figures` (`contracts.schedule`, `asset_values`, `asset_gaps`),
the ones the VL7xx rules judge; nothing here computes what is due or received. Amounts are 分.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from village_ledger.model import LedgerModel, Period, vocab
from village_ledger.model.contracts import Contract
from village_ledger.model.depreciation import ACCUMULATED
from village_ledger.model.schedule import Line, Schedule
from village_ledger.money import fmt_yuan
from village_ledger.reports.statements import cents
from village_ledger.reports.tables import Column, Table, frame

# kinds a 资产资源发包租赁 table lists: the village lets out an asset or a resource
LETTING_KINDS = (vocab.LETTING, vocab.LEASE, "承包")


def contract_state(schedule: Schedule) -> str:
    """履行中, 已到期, 已终止 or 未开始 on the schedule's day."""
    contract = schedule.contract
    if schedule.as_of < contract.start:
        return "未开始"
    if schedule.live:
        return "履行中"
    return "已终止" if contract.terminated(schedule.as_of) else "已到期"


def term_text(contract: Contract, as_of: date) -> str:
    return f"{contract.start} 至 {contract.ends(as_of)}"


def amount_in_force(contract: Contract, as_of: date) -> int:
    """The amount per period in force on `as_of` (after any 变更 or 续签 by then)."""
    amounts = contract.amounts(as_of)
    return cents(next((a for since, a in reversed(amounts) if since <= as_of), amounts[0][1]))


def direction(contract: Contract) -> str:
    return "付" if contract.paying else "收"


# --- 合同台账 -------------------------------------------------------------------------------

REGISTER_COLUMNS = (
    Column("id", "合同编号", width=2.3),
    Column("kind", "类型", width=1.0),
    Column("counterparty", "对方", width=2.6),
    Column("subject", "标的", width=2.8),
    Column("term", "起止日期", width=2.9),
    Column("amount", "每期金额", "amount", width=1.8),
    Column("period", "收付周期", width=0.9),
    Column("meeting", "决议编号", width=2.0),
    Column("due_in", "本期应收付", "amount", width=1.8),
    Column("received_in", "本期实收付", "amount", width=1.8),
    Column("due", "累计应收付", "amount", width=1.9),
    Column("received", "累计已收付", "amount", width=1.9),
    Column("arrears", "欠收付", "amount", width=1.8),
    Column("overdue", "其中逾期", "amount", width=1.8),
    Column("state", "状态", width=1.4),
)
REGISTER_SUMMED = ("due_in", "received_in", "due", "received", "arrears", "overdue")


def register_record(schedule: Schedule, period: Period) -> dict[str, Any]:
    contract, as_of = schedule.contract, schedule.as_of
    return {
        "id": contract.id,
        "kind": contract.kind,
        "counterparty": contract.counterparty,
        "subject": contract.subject,
        "term": term_text(contract, as_of),
        "amount": amount_in_force(contract, as_of),
        "period": contract.period,
        "meeting": contract.meeting or "",
        "due_in": cents(schedule.due_in(period)),
        "received_in": cents(schedule.received_in(period)),
        "due": cents(schedule.due_to_date),
        "received": cents(schedule.received),
        "arrears": cents(schedule.arrears),
        "overdue": cents(schedule.overdue),
        "state": contract_state(schedule),
    }


def signed_by(model: LedgerModel, day: date) -> list[Contract]:
    return [c for c in model.contracts if c.day <= day]


def as_of_day(model: LedgerModel, period: Period) -> date:
    """The day a register of `period` is drawn up at: its last day, or the books' last day when
    the books stop before it (money not yet booked is not yet owed in arrears)."""
    end = model.figures.books_end
    return min(period.last, end) if end is not None else period.last


def register_table(model: LedgerModel, period: Period) -> Table:
    as_of = as_of_day(model, period)
    within = Period.span(period.first, max(as_of, period.first))
    schedules = [model.figures.contracts.schedule(c, as_of) for c in signed_by(model, as_of)]
    records = [register_record(s, within) for s in schedules]
    table = Table(
        "contracts",
        f"合同台账（截至 {as_of}）",
        REGISTER_COLUMNS,
        frame(records, REGISTER_COLUMNS),
        note=(
            f"列出 {as_of} 以前签订的全部合同。本期为 {period.first} 至 {as_of}；"
            "累计数自账簿记录的第一期起；“收付”对发包、租赁、承包、借款合同为应收、实收，"
            "对采购、工程合同为应付、实付。欠收付为已到期未收付的金额，"
            "其中逾期为超过合同欠收宽限天数仍未收付的部分。多收或预收的款项不计入已收付。"
        ),
        empty="没有登记合同",
    )
    for label, side in (("应收合计", False), ("应付合计", True)):
        rows = [r for r, s in zip(records, schedules, strict=True) if s.contract.paying == side]
        if rows:
            table.totals.append(_totals(rows, REGISTER_SUMMED, id=label))
    return table


def _totals(records: Iterable[dict[str, Any]], keys: Iterable[str], **label: str) -> dict[str, Any]:
    rows = list(records)
    return {**label, **{k: sum(int(r[k]) for r in rows) for k in keys}}


# --- one contract's 收款计划 ----------------------------------------------------------------

SCHEDULE_COLUMNS = (
    Column("label", "期次", width=1.2),
    Column("span", "所属期间", width=3.0),
    Column("due_day", "到期日", "date", width=1.6),
    Column("amount", "应收付", "amount"),
    Column("received", "已收付", "amount"),
    Column("vouchers", "收付凭证", width=3.0),
    Column("unpaid", "未收付", "amount"),
    Column("state", "状态", width=1.1),
)


def line_record(line: Line) -> dict[str, Any]:
    vouchers: dict[str, None] = {}
    for settlement in line.settlements:
        meta = settlement.money.meta
        number = str(meta.get("voucher") or settlement.day)
        vouchers.setdefault(f"{number}（{settlement.day}）", None)
    return {
        "label": line.label,
        "span": f"{line.instalment.first} 至 {line.instalment.last}",
        "due_day": line.due,
        "amount": cents(line.amount),
        "received": cents(line.received),
        "vouchers": "、".join(vouchers),
        "unpaid": cents(line.unpaid),
        "state": line.state,
    }


def schedule_table(schedule: Schedule) -> Table:
    contract = schedule.contract
    records = [line_record(line) for line in schedule.lines]
    notes = [
        f"{contract.kind}合同，{contract.counterparty}，{contract.subject}，"
        f"{term_text(contract, schedule.as_of)}，截至 {schedule.as_of}。"
        "状态：已收、待收（已到期，尚在宽限期内）、欠收（超过宽限期）、部分收到、未到期。"
    ]
    if schedule.surplus_amount:
        notes.append(f"另有多收（预收）{fmt_yuan(schedule.surplus_amount)} 元未归入任何一期。")
    table = Table(
        f"schedule-{contract.id}",
        f"{contract.id} 收付计划",
        SCHEDULE_COLUMNS,
        frame(records, SCHEDULE_COLUMNS),
        note="".join(notes),
        empty="截至该日没有应收付的期次",
    )
    if records:
        table.totals = [_totals(records, ("amount", "received", "unpaid"), label="合计")]
    return table


# --- arrears (the handover) ----------------------------------------------------------------

ARREARS_COLUMNS = (
    Column("id", "合同编号", width=2.4),
    Column("kind", "类型", width=1.3),
    Column("counterparty", "对方", width=2.4),
    Column("subject", "标的", width=2.4),
    Column("term", "起止日期", width=2.4),
    Column("periods", "欠收付期次", width=1.7),
    Column("arrears", "欠收付金额", "amount", width=2.0),
    Column("overdue", "其中逾期", "amount", width=2.0),
    Column("oldest", "最早到期日", "date", width=2.1),
)


def arrears_table(model: LedgerModel, as_of: date) -> Table:
    """Every contract with money due on or before `as_of` and not received by then."""
    records = []
    for contract in signed_by(model, as_of):
        schedule = model.figures.contracts.schedule(contract, as_of)
        owing = [line for line in schedule.lines if line.arrears > 0]
        if not owing:
            continue
        records.append(
            {
                "id": contract.id,
                "kind": contract.kind,
                "counterparty": contract.counterparty,
                "subject": contract.subject,
                "term": term_text(contract, as_of),
                "periods": "、".join(line.label for line in owing),
                "arrears": cents(schedule.arrears),
                "overdue": cents(schedule.overdue),
                "oldest": owing[0].due,
            }
        )
    table = Table(
        "contract_arrears",
        "欠收（欠付）合同",
        ARREARS_COLUMNS,
        frame(records, ARREARS_COLUMNS),
        note=(
            f"截至 {as_of} 已到期而未收（采购、工程合同为未付）的合同款；其中逾期为超过"
            "合同欠收宽限天数仍未收付的部分。新一届应逐项催收或核实。"
        ),
        empty="没有欠收或欠付的合同",
    )
    if records:
        table.totals = [_totals(records, ("arrears", "overdue"), id="合计")]
    return table


# --- 资产台账 -------------------------------------------------------------------------------

ASSET_COLUMNS = (
    Column("id", "资产编号", width=2.0),
    Column("name", "名称", width=2.4),
    Column("kind", "类别", width=1.3),
    Column("location", "坐落", width=1.7),
    Column("day", "登记日期", "date", width=2.1),
    Column("account", "记账科目", width=2.2),
    Column("cost", "原值", "amount", width=2.1),
    Column("depreciation", "累计折旧", "amount", width=1.9),
    Column("net", "净值", "amount", width=2.1),
    Column("let", "出租发包", width=2.4),
    Column("state", "状态", width=1.6),
)


def assets_table(model: LedgerModel, day: date, *, held_only: bool = False) -> Table:
    """Every asset registered by `day` with what the books carry it at (`held_only`: those
    still held)."""
    letting: dict[str, list[str]] = {}
    for contract in signed_by(model, day):
        if contract.asset and contract.start <= day <= contract.ends(day):
            letting.setdefault(contract.asset, []).append(f"{contract.id} {contract.counterparty}")
    records = []
    for value in model.figures.asset_values(day):
        asset = value.asset
        if held_only and not value.held:
            continue
        disposal = asset.disposal
        if value.held:
            state = "在用"
        elif disposal is not None:
            state = f"{disposal.day} {disposal.way}（{fmt_yuan(disposal.amount)} 元）"
        else:
            state = "已处置"
        records.append(
            {
                "id": asset.id,
                "name": asset.name,
                "kind": asset.kind,
                "location": asset.location or "",
                "day": asset.day,
                "account": _account_code(asset.account),
                "cost": cents(value.cost),
                "depreciation": cents(value.depreciation),
                "net": cents(value.net),
                "let": "、".join(letting.get(asset.id, ())),
                "state": state,
            }
        )
    note = (
        f"原值、累计折旧、净值为 {day} 日终数；折旧按科目计提，一个科目下有几项资产时，"
        "累计折旧按各项原值占该科目余额的比例分摊。资源性资产（土地、水面等）原值为零。"
        "已处置的资产列出处置日期、方式和金额，不再计原值。"
    )
    unnamed = _unnamed_depreciation(model, day, records)
    if unnamed:
        records.append(
            {"name": UNNAMED_DEPRECIATION, "cost": 0, "depreciation": unnamed, "net": -unnamed}
        )
        note += (
            f"“{UNNAMED_DEPRECIATION}”是 152 累计折旧的账面余额中台账上的资产没有分到的部分："
            "152 分录没有注明所属的资产科目（多为期初余额凭证从旧账转来的累计折旧），"
            "或科目余额中有台账未登记的资产（见“资产台账与账簿不符”）；列出后合计与账簿相符。"
            "请会计在这些 152 分录上注明所属的固定资产科目，提足折旧时才能停提。"
        )
    table = Table(
        "assets",
        f"资产台账（截至 {day}）",
        ASSET_COLUMNS,
        frame(records, ASSET_COLUMNS),
        note=note,
        empty="没有登记资产",
    )
    if records:
        table.totals = [_totals(records, ("cost", "depreciation", "net"), id="合计")]
    return table


UNNAMED_DEPRECIATION = "未分摊到台账资产的累计折旧"


def _unnamed_depreciation(model: LedgerModel, day: date, records: list[dict[str, Any]]) -> int:
    """The 分 of the books' 累计折旧 that no asset of the register carries: 152 postings naming
    no asset (the old books' depreciation on an opening voucher, written as one line), or the
    share of an account's depreciation that falls on cost the register lacks. Without this
    line the register's 净值 disagrees with the books' 固定资产净值 (the handover printed
    both, 64,000.00 apart, on a village whose opening voucher carried 152 as one line)."""
    booked = -cents(model.figures.balance(ACCUMULATED, day))
    return booked - sum(int(r["depreciation"]) for r in records)


def _account_code(account: str | None) -> str:
    if account is None:
        return ""
    last = account.rsplit(":", 1)[-1]
    code, _, name = last.partition("-")
    return f"{code} {name}" if code.isdigit() and name else last


GAP_COLUMNS = (
    Column("account", "科目", width=2.6),
    Column("registered", "台账原值", "amount"),
    Column("booked", "账面余额", "amount"),
    Column("difference", "差额", "amount"),
    Column("assets", "台账登记的资产", width=3.4),
)


def asset_gaps_table(model: LedgerModel, day: date) -> Table:
    """The 151 accounts whose balance differs from the 原值 registered on them (VL707's)."""
    records = [
        {
            "account": _account_code(gap.account),
            "registered": cents(gap.registered),
            "booked": cents(gap.booked),
            "difference": cents(gap.difference),
            "assets": "、".join(f"{a.id} {a.name}" for a in gap.assets),
        }
        for gap in model.figures.asset_gaps(day)
    ]
    return Table(
        "asset_gaps",
        "资产台账与账簿不符",
        GAP_COLUMNS,
        frame(records, GAP_COLUMNS),
        note=(
            f"{day} 日终，固定资产明细科目的余额与台账登记（未处置）资产原值之和不一致的科目；"
            "差额 = 账面余额 − 台账原值。应查明是漏登台账、漏记账还是处置未入账。"
        ),
        empty="台账与账簿相符",
    )


# --- 资产资源发包租赁 (the 财务公开) ---------------------------------------------------------

LEASING_COLUMNS = (
    Column("id", "合同编号", width=1.8),
    Column("kind", "方式", width=0.9),
    Column("counterparty", "承包（承租）方", width=2.4),
    Column("subject", "资产资源", width=2.8),
    Column("term", "起止日期", width=2.9),
    Column("amount", "每期金额", "amount", width=1.8),
    Column("period", "周期", width=0.8),
    Column("due_year", "本年应收", "amount", width=1.8),
    Column("received_year", "本年已收", "amount", width=1.8),
    Column("arrears", "累计欠收", "amount", width=1.8),
)


def letting_contracts(model: LedgerModel, period: Period) -> list[Schedule]:
    """The 发包, 租赁 and 承包 contracts in force at some time within `period`, as of its end
    (the books' last day if earlier)."""
    as_of = as_of_day(model, period)
    found = []
    for contract in signed_by(model, as_of):
        if contract.kind not in LETTING_KINDS:
            continue
        if contract.start <= as_of and contract.ends(as_of) >= period.first:
            found.append(model.figures.contracts.schedule(contract, as_of))
    return found


def leasing_table(model: LedgerModel, period: Period) -> Table:
    """资产资源发包租赁: for villagers, what the village lets out, to whom, and what came in."""
    as_of = as_of_day(model, period)
    year = Period.span(period.last.replace(month=1, day=1), period.last)
    records = []
    for schedule in letting_contracts(model, period):
        contract = schedule.contract
        records.append(
            {
                "id": contract.id,
                "kind": contract.kind,
                "counterparty": contract.counterparty,
                "subject": contract.subject,
                "term": term_text(contract, as_of),
                "amount": amount_in_force(contract, as_of),
                "period": contract.period,
                "due_year": cents(schedule.due_in(year)),
                "received_year": cents(schedule.received_in(year)),
                "arrears": cents(schedule.arrears),
            }
        )
    table = Table(
        "leasing",
        "资产资源发包租赁",
        LEASING_COLUMNS,
        frame(records, LEASING_COLUMNS),
        note=(
            f"本季度内履行的发包、租赁、承包合同。本年应收为 {year.first} 至 {year.last} 到期的"
            f"金额，本年已收为同期收到的合同款（含预收）；累计欠收为截至 {as_of} 已到期未收的金额。"
            "承包（承租）方为个人的，只公开姓氏。"
        ),
        empty="本季度没有发包、租赁合同",
    )
    if records:
        table.totals = [_totals(records, ("due_year", "received_year", "arrears"), id="合计")]
    return table
