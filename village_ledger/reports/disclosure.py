"""The quarterly 财务公开: every table of the 公开栏 sheet for one village and one quarter, computed once.

`build_disclosure(model, quarter)` returns a `Disclosure` holding the numbers; it is not public
until `masking.publish` has made the masked copy that the renderers accept. Where each figure
comes from is written in docs/reports.md. The tables are built by modules other reports share:
`account_tables` (收支情况, 收支明细, 资产负债), `spending_tables` (重点支出, 专项资金, read from
`model.figures` where a rule judges the same money), `debts` (债权债务) and `findings_tables`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from beancount.core import data

from village_ledger.findings import Finding
from village_ledger.model import LedgerModel, Period, Quarter, build_model
from village_ledger.reports.account_tables import balance_sheet_table, detail_table, income_table
from village_ledger.reports.charts import Chart
from village_ledger.reports.chinese_amount import capital_cents
from village_ledger.reports.contract_tables import leasing_table
from village_ledger.reports.debts import debts_table
from village_ledger.reports.disclosure_charts import disclosure_charts
from village_ledger.reports.findings_tables import findings_tables
from village_ledger.reports.masking import (
    counterparty_names,
    officers,
    relief_names,
    relief_texts,
)
from village_ledger.reports.reconciliation import latest_checks_table
from village_ledger.reports.render import Renderers
from village_ledger.reports.spending_tables import (
    cadre_pay_table,
    cadre_table,
    entertainment_table,
    funds_table,
    meetings_table,
    process_table,
    travel_table,
)
from village_ledger.reports.statements import Books, cents
from village_ledger.reports.tables import Table

if TYPE_CHECKING:
    import pandas as pd

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
    # the township's public server on the day of publication, where the QR code leads
    public_url: str | None = field(default=None, metadata={"unmasked": "the township's server"})


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
    public_names: frozenset[str] = frozenset()  # the roster's officers: shown as written
    # the 图示: the sheet's pictures, drawn from the same figures as its tables
    charts: tuple[Chart, ...] = ()

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
    period = Period.quarter(quarter)
    money = money_summary(books, period)
    income = income_table(model, period)
    sheet = balance_sheet_table(books, period)
    reception, year = entertainment_table(model, period)
    tables = [
        income,
        detail_table(books, period),
        reception,
        cadre_table(books, period),
        cadre_pay_table(model, period),
        travel_table(books, period),
        meetings_table(model, period),
        process_table(model, period),
        sheet,
        latest_checks_table(model, period.last),
        debts_table(model, period),
        funds_table(model, period),
        leasing_table(model, period),
        *findings_tables(model, findings, period, published),
    ]
    signature = Signature(
        reviewers=model.roster.holders("监委会主任", quarter.last_day),
        published=published,
        phone=supervision_phone(model.entries, published),
        seal_digest=seal.digest if seal else None,
        seal_day=seal.day if seal else None,
        public_url=model.public_urls.at(published),
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
        relief_payees=relief_payees(books, period) | counterparty_names(model),
        public_names=officers(model),
        charts=disclosure_charts(model, period, income, year),
    )


# --- money ------------------------------------------------------------------------------


def money_summary(books: Books, period: Period) -> MoneySummary:
    # books begun within the period start it with the 期初余额 voucher's balances
    before = _money_balances(books.money_balances(period.opening_day, period.last), books)
    after = _money_balances(books.money_balances(period.last), books)
    flows = books.txns_between(period.first, period.last)["money"]
    return MoneySummary(
        cash_start=before[0],
        bank_start=before[1],
        money_in=int(flows[flows > 0].sum()),
        money_out=int(-flows[flows < 0].sum()),
        cash_end=after[0],
        bank_end=after[1],
    )


def _money_balances(postings: pd.DataFrame, books: Books) -> tuple[int, int]:
    joined = postings.join(books.accounts[["is_money", "is_cash"]], on="account")
    money = joined[joined["is_money"]]
    cash = int(money[money["is_cash"]]["cents"].sum())
    return cash, int(money["cents"].sum()) - cash


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


def relief_payees(books: Books, period: Period) -> frozenset[str]:
    """Recipients of any relief (救助) payment up to the period's end (payees and the names in
    the narrations): their given names are hidden."""
    relief = books.accounts.index[books.accounts["category"] == RELIEF]
    upto = books.window(None, period.last)
    txns = upto[upto["account"].isin(relief)]["txn"].unique()
    if not len(txns):
        return frozenset()
    rows = books.txns.loc[txns, ["payee", "narration"]]
    return frozenset(n for p, t in rows.itertuples(index=False) for n in relief_texts(p, t))


def township_relief_names(
    main: str | os.PathLike[str], besides: Iterable[Path] = ()
) -> frozenset[str]:
    """Relief recipients of the other villages of the township (the folders beside this
    village's): their names are hidden in this village's report too, where its books mention
    them. Villages in `besides` (main files already read by the caller) are not loaded again."""
    from village_ledger.loading import load_ledger
    from village_ledger.paths import PathError, find_villages

    here = Path(main).resolve()
    try:
        skip = {here, *(Path(b).resolve() for b in besides)}
        others = [m for m in find_villages([str(here.parent.parent)]) if m not in skip]
    except PathError:
        return frozenset()
    names: set[str] = set()
    for other in others:
        loaded = load_ledger(other)
        names |= relief_names(build_model(loaded.entries, loaded.options))
    return frozenset(names)
