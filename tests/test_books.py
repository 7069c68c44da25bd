"""The standard books: 科目余额表, 总账, 明细账, 日记账 agree with each other and with beanquery."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from beanquery.query import run_query
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reporting import pdf_text
from tests.support import REPO, make_village
from village_ledger.books.standard import build_book
from village_ledger.cli.main import main
from village_ledger.loading import load_ledger
from village_ledger.model import Quarter, build_model
from village_ledger.model.period import Period

TAIBAI = REPO / "ledgers" / "taibai"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def book_json(*args: str) -> dict:
    result = run("books", str(TAIBAI), *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def yuan(text: str | None) -> Decimal:
    return Decimal(text.replace(",", "")) if text else Decimal(0)


def signed(row: dict, prefix: str) -> Decimal:
    return yuan(row[f"{prefix}_debit"]) - yuan(row[f"{prefix}_credit"])


def oracle_balances(main_file: Path, day: date) -> dict[str, Decimal]:
    loaded = load_ledger(main_file)
    _, rows = run_query(
        loaded.entries,
        loaded.options,
        f"SELECT account, sum(number) WHERE date <= {day} AND currency = 'CNY' GROUP BY account",
    )
    return {account: total for account, total in rows}


def subtree_total(balances: dict[str, Decimal], code: str) -> Decimal:
    total = Decimal(0)
    for account, amount in balances.items():
        codes = [part.split("-", 1)[0] for part in account.split(":")[1:]]
        if code in codes:
            total += amount
    return total


def test_trial_balance_balances_and_every_closing_matches_beanquery():
    book = book_json("--book", "科目余额表", "--period", "2026Q3")
    table = book["tables"][0]
    total = table["totals"][0]
    assert yuan(total["opening_debit"]) == yuan(total["opening_credit"])
    assert yuan(total["debit"]) == yuan(total["credit"])
    assert yuan(total["closing_debit"]) == yuan(total["closing_credit"])
    oracle = oracle_balances(TAIBAI / "main.beancount", date(2026, 9, 30))
    for row in table["rows"]:
        assert signed(row, "closing") == subtree_total(oracle, row["code"]), row


def test_general_ledger_ends_where_the_trial_balance_does():
    trial = book_json("--book", "trial-balance", "--period", "2026Q3")["tables"][0]
    closing = {r["code"]: signed(r, "closing") for r in trial["rows"]}
    ledger = book_json("--book", "总分类账", "--period", "2026Q3")
    assert ledger["tables"]
    for table in ledger["tables"]:
        code = table["title"].split()[0]
        last = table["rows"][-1]
        sign = {"借": 1, "贷": -1, "平": 0}[last["side"]]
        assert sign * yuan(last["balance"]) == closing[code], table["title"]


def test_month_totals_add_up_the_month_lines():
    ledger = book_json("--book", "general-ledger", "--period", "2026-08", "--account", "102")
    (table,) = ledger["tables"]
    lines = [r for r in table["rows"] if r["voucher"]]
    month_total = next(r for r in table["rows"] if r["summary"] == "本月合计")
    assert sum(yuan(r["debit"]) for r in lines) == yuan(month_total["debit"])
    assert sum(yuan(r["credit"]) for r in lines) == yuan(month_total["credit"])


@pytest.mark.parametrize("name", ["cash-journal", "bank-journal", "明细分类账"])
def test_journals_and_subsidiary_ledgers_end_at_the_oracles_balance(name: str):
    oracle = oracle_balances(TAIBAI / "main.beancount", date(2026, 9, 30))
    book = book_json("--book", name, "--period", "2026Q3")
    assert book["tables"]
    for table in book["tables"]:
        code = table["title"].split()[0]
        last = table["rows"][-1]
        balance = yuan(last["balance"])
        if "side" in last:
            balance *= {"借": 1, "贷": -1, "平": 0}[last["side"]]
        assert balance == subtree_total(oracle, code), table["title"]


@pytest.mark.parametrize("fmt", ["html", "pdf", "xlsx"])
def test_every_format_renders(tmp_path: Path, fmt: str):
    out = tmp_path / f"账簿.{fmt}"
    result = run("books", str(TAIBAI), "--book", "总账", "--period", "2026-09", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "pdf":
        text = pdf_text(data)
        assert "总 分 类 账" in text or "总分类账" in text
        assert "102 银行存款" in text and "本月合计" in text
    elif fmt == "xlsx":
        workbook = openpyxl.load_workbook(out)
        assert any(name.startswith("102") for name in workbook.sheetnames)
    else:
        assert "本年累计" in data.decode("utf-8")


def test_an_unknown_book_is_a_chinese_usage_error():
    result = run("books", str(TAIBAI), "--book", "流水账", "--period", "2026Q3")
    assert result.exit_code == 2 and "没有“流水账”这种账簿" in result.output


ACCOUNTS = [
    "Assets:101-库存现金",
    "Assets:102-银行存款:10201-农商行",
    "Liabilities:211-应付款",
    "Income:501-经营收入",
    "Expenses:513-管理费用:51302-办公费",
]


@settings(max_examples=12)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=360),
            st.sampled_from(ACCOUNTS),
            st.sampled_from(ACCOUNTS),
            st.integers(min_value=1, max_value=10**8),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_any_books_give_a_trial_balance_that_balances(tmp_path_factory, moves):
    body = []
    for day, debit, credit, cents_ in moves:
        if debit == credit:
            continue
        when = date(2025, 1, 1).fromordinal(date(2025, 1, 1).toordinal() + day - 1)
        amount = Decimal(cents_) / 100
        body.append(
            f'{when} * "测试"\n  {debit}  {amount:.2f} CNY\n  {credit}  {-amount:.2f} CNY\n'
        )
    main_file = make_village(tmp_path_factory.mktemp("books"), "\n".join(body))
    loaded = load_ledger(main_file)
    model = build_model(loaded.entries, loaded.options)
    for period in (Period.quarter(Quarter(2025, 2)), Period.year(2025)):
        table = build_book(model, "科目余额表", period).tables[0]
        (total,) = table.total_records()
        assert total["opening_debit"] == total["opening_credit"]
        assert total["debit"] == total["credit"]
        assert total["closing_debit"] == total["closing_credit"]
