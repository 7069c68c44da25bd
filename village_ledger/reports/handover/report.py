"""The handover report: its model (`Handover`) and its builder (`build_handover`).

The builder computes every table once, from the model and the parties; `masking.publish`
makes the public copy that the renderers in `handover.render` lay out, reached through
`render.render` like every other report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from village_ledger.findings import Finding
from village_ledger.model import LedgerModel, Period
from village_ledger.reports.chinese_amount import capital_cents
from village_ledger.reports.contract_tables import arrears_table, asset_gaps_table, assets_table
from village_ledger.reports.disclosure import relief_payees
from village_ledger.reports.handover.findings import (
    advances_table,
    findings_tables,
    resolutions_table,
    special_funds_table,
    unsealed_table,
)
from village_ledger.reports.handover.inventory import (
    MISMATCH,
    assertions,
    checklist_table,
    handover_debts_table,
    inventory_table,
    short_path,
)
from village_ledger.reports.handover.parties import Parties
from village_ledger.reports.handover.term import (
    limits_table,
    net_assets_table,
    term_income_table,
)
from village_ledger.reports.masking import counterparty_names, officers
from village_ledger.reports.reconciliation import latest_checks_table
from village_ledger.reports.render import Renderers
from village_ledger.reports.statements import Books, balance_sheet, sheet_figures
from village_ledger.reports.tables import Table


@dataclass
class Handover:
    village: str
    title: str
    parties: Parties
    term: Period  # the part of the outgoing term the books hold, through D−1
    books_start: date
    books_end: date
    tables: dict[str, Table]
    capitals: dict[str, str]  # label -> 大写 of the money totals the signatures depend on
    sources: list[str]
    differences: int  # rows of the 移交清单 whose verified figure differs from the books
    relief_payees: frozenset[str] = frozenset()
    public_names: frozenset[str] = frozenset()  # the roster's officers: shown as written

    renderers: ClassVar[Renderers[Handover]] = Renderers("village_ledger.reports.handover.render")

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


def build_handover(
    model: LedgerModel,
    parties: Parties,
    *,
    findings: Sequence[Finding],
    books: Books | None = None,
) -> Handover:
    """Every table of the handover; `findings` are the audit's (`village_ledger.audit`)."""
    books = books or Books.of(model)
    cutoff = parties.day - timedelta(days=1)
    first_voucher = model.vouchers[0].date if model.vouchers else model.transactions[0].date
    term = Period.span(max(parties.term_start, min(first_voucher, cutoff)), cutoff)
    inventory = inventory_table(model, books, cutoff, assertions(model, parties.day))
    term_income = term_income_table(model, term)
    sheet_start = _sheet(books, term.first_day - timedelta(days=1))
    sheet_end = _sheet(books, cutoff)
    tables = [
        inventory,
        latest_checks_table(model, cutoff),
        checklist_table(model, term, parties.day),
        arrears_table(model, cutoff),
        assets_table(model, cutoff, held_only=True),
        asset_gaps_table(model, cutoff),
        term_income,
        net_assets_table(sheet_start, sheet_end, term_income),
        limits_table(model, books, term),
        *findings_tables(model, findings, term),
        advances_table(model, cutoff),
        resolutions_table(model, term),
        special_funds_table(model, books, term),
        unsealed_table(model, term, parties.day),
        handover_debts_table(model, cutoff),
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
        relief_payees=relief_payees(books, term) | counterparty_names(model),
        public_names=officers(model),
    )


def _sheet(books: Books, upto: date) -> dict[str, int]:
    figures = sheet_figures(books.balances(upto), books.accounts)
    return {label: value for label, role, value in balance_sheet(figures) if role != "heading"}


def sources(model: LedgerModel, parties: Parties, term: Period, findings: int) -> list[str]:
    day, cutoff = parties.day, parties.day - timedelta(days=1)
    vouchers = [v for v in model.vouchers if term.contains(v.date)]
    lines = [
        f"账簿：{model.title or model.village}（{short_path(model.main_file)}），"
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


def capitals(sheet: dict[str, int]) -> dict[str, str]:
    figures = {
        "货币资金": sheet.get("货币资金", 0),
        "应收款项": sheet.get("应收款项", 0),
        "资产总计": sheet.get("资产总计", 0),
        "负债合计": sheet.get("负债合计", 0),
        "净资产": sheet.get("所有者权益合计", 0),
    }
    return {label: capital_cents(value) for label, value in figures.items()}
