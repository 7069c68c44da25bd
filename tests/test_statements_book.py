"""资产负债表 and 收益及收益分配表: against the trial balance, beanquery and the year-end close."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from beanquery.query import run_query
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import REPO, make_village
from tests.test_period_end import BOOKS, DISTRIBUTE
from village_ledger.books.statements import balance_sheet_book, income_statement_book
from village_ledger.cli.main import main
from village_ledger.loading import load_ledger
from village_ledger.model import Quarter, build_model
from village_ledger.model.period import Period
from village_ledger.reports.disclosure import build_disclosure

TAIBAI = REPO / "ledgers" / "taibai"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def statement(main_file: Path, book: str, period: str) -> dict[str, tuple[str | None, str | None]]:
    result = run("books", str(main_file), "--book", book, "--period", period)
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)["tables"][0]
    keys = [c["key"] for c in table["columns"]][1:]
    return {r["item"].strip("　"): (r[keys[0]], r[keys[1]]) for r in table["rows"]}


def yuan(text: str | None) -> Decimal:
    return Decimal(text) if text else Decimal(0)


def model_of(main_file: Path):
    loaded = load_ledger(main_file)
    return loaded, build_model(loaded.entries, loaded.options)


def bq(loaded, query: str) -> Decimal:
    _, rows = run_query(loaded.entries, loaded.options, query)
    value = rows[0][0] if rows else None
    return value if value is not None else Decimal(0)


def test_balance_sheet_agrees_with_the_trial_balance():
    sheet = statement(TAIBAI, "资产负债表", "2026Q3")
    trial = json.loads(
        run(
            "books", str(TAIBAI), "--book", "科目余额表", "--period", "2026Q3", "--level", "1"
        ).stdout
    )["tables"][0]["rows"]
    closing = {r["code"]: yuan(r["closing_debit"]) - yuan(r["closing_credit"]) for r in trial}
    assert yuan(sheet["货币资金"][1]) == closing["101"] + closing["102"]
    assert yuan(sheet["资本"][1]) == -closing["301"]
    assert yuan(sheet["资产总计"][1]) == yuan(sheet["负债和所有者权益总计"][1])
    assert yuan(sheet["资产总计"][0]) == yuan(sheet["负债和所有者权益总计"][0])


def test_year_result_is_income_less_spending_as_beanquery_adds_it():
    loaded, _ = model_of(TAIBAI / "main.beancount")
    net = bq(
        loaded,
        "SELECT sum(number) WHERE year = 2025 AND (account ~ '^Income:' OR account ~ '^Expenses:') "
        "AND entry_meta('closing') IS NULL",
    )
    figures = statement(TAIBAI, "收益及收益分配表", "2026Q3")
    assert yuan(figures["三、本年收益"][1]) == -net  # 上年数: 2025
    assert yuan(figures["加：年初未分配收益"][0]) == yuan(figures["五、年末未分配收益"][1])


def closed_village(tmp_path: Path) -> Path:
    main_file = make_village(tmp_path, BOOKS + DISTRIBUTE)
    before = run("books", str(main_file), "--book", "收益及收益分配表", "--period", "2025")
    assert before.exit_code == 0
    result = run("close", str(main_file.parent), "--year", "2025",
                 "--resolution", "2026-01-村代会-1", "--write")  # fmt: skip
    assert result.exit_code == 0, result.output
    return main_file


def test_after_close_the_statement_shows_the_real_year_and_322(tmp_path: Path):
    main_file = closed_village(tmp_path)
    figures = statement(main_file, "收益及收益分配表", "2025")
    assert yuan(figures["一、经营收入"][0]) == Decimal("50000.00")
    assert yuan(figures["三、本年收益"][0]) == Decimal("49200.00")
    assert yuan(figures["减：提取公积公益金"][0]) == Decimal("10000.00")
    assert yuan(figures["向成员分配"][0]) == Decimal("20000.00")
    loaded, _ = model_of(main_file)
    balance_322 = bq(loaded, "SELECT sum(number) WHERE account = 'Equity:322-收益分配'")
    assert yuan(figures["五、年末未分配收益"][0]) == -balance_322 == Decimal("19200.00")


def test_q4_disclosure_shows_the_years_income_after_close(tmp_path: Path):
    main_file = closed_village(tmp_path)
    _, model = model_of(main_file)
    report = build_disclosure(model, Quarter(2025, 4), findings=[])
    totals = {t["kind"]: t for t in report.tables["income"].totals}
    assert totals["收入合计"]["ytd"] == 5_000_000  # 50,000.00 元 in 分
    assert totals["支出合计"]["ytd"] == 80_000


MOVES = ["Income:501-经营收入", "Income:503-补助收入", "Expenses:513-管理费用:51302-办公费"]


@settings(max_examples=8)
@given(
    st.lists(
        st.tuples(st.sampled_from(MOVES), st.integers(min_value=1, max_value=10**7)),
        min_size=1,
        max_size=8,
    )
)
def test_closing_then_reopening_keeps_every_balance_sheet_figure(tmp_path_factory, moves):
    body = "\n".join(
        f'2025-{i % 12 + 1:02d}-10 * "测试"\n  {account}  {(-1 if account.startswith("Income") else 1) * n / 100:.2f} CNY\n'
        f"  Assets:102-银行存款:10201-农商行  {(1 if account.startswith('Income') else -1) * n / 100:.2f} CNY\n"
        for i, (account, n) in enumerate(moves)
    )
    main_file = make_village(tmp_path_factory.mktemp("close"), body)
    _, model = model_of(main_file)
    year_end = Period.year(2025)
    before = list(balance_sheet_book(model, year_end).tables[0].records())
    result = run("close", str(main_file.parent), "--year", "2025", "--write")
    assert result.exit_code == 0, result.output
    _, closed = model_of(main_file)
    after = list(balance_sheet_book(closed, year_end).tables[0].records())
    assert after == before
    next_year = balance_sheet_book(closed, Period.quarter(Quarter(2026, 1))).tables[0]
    opening = {r["item"]: r["opening"] for r in next_year.records()}
    assert opening == {r["item"]: r["closing"] for r in after}
    statement_ = list(income_statement_book(closed, year_end).tables[0].records())
    final = next(r for r in statement_ if r["item"] == "五、年末未分配收益")
    assert final["current"] == -int(
        closed.figures.balance("Equity:322-收益分配", date(2025, 12, 31)) * 100
    )
