"""The figures layer: periods, and balances and movements checked against beanquery."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from beanquery.query import run_query
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import make_village
from village_ledger.loading import load_ledger
from village_ledger.model import LedgerModel, Period, Quarter, build_model
from village_ledger.model.figures import Movement
from village_ledger.reports.statements import cents

# --- periods ----------------------------------------------------------------------------


def test_a_quarter_a_year_a_month_and_a_span() -> None:
    q = Period.quarter(Quarter(2025, 2))
    assert (q.first, q.last, q.label) == (date(2025, 4, 1), date(2025, 6, 30), "2025年第二季度")
    assert q.opening_day == date(2025, 3, 31)
    assert q.days == 91
    assert Period.year(2024).days == 366
    assert Period.month(2024, 12).last == date(2024, 12, 31)
    assert Period.month(2024, 2).last == date(2024, 2, 29)
    term = Period.span(date(2021, 5, 10), date(2026, 3, 19))
    assert term.contains(date(2021, 5, 10)) and term.contains(date(2026, 3, 19))
    assert not term.contains(date(2021, 5, 9)) and not term.contains(date(2026, 3, 20))
    with pytest.raises(ValueError):
        Period.span(date(2025, 2, 1), date(2025, 1, 31))


def test_year_to_date_and_a_year_earlier() -> None:
    q = Period.quarter(Quarter(2025, 3))
    assert q.year_to_date() == Period.span(date(2025, 1, 1), date(2025, 9, 30))
    earlier = q.a_year_earlier()
    assert earlier == Period.quarter(Quarter(2024, 3))
    assert earlier.label == "2024年第三季度"
    leap = Period.span(date(2024, 2, 29), date(2024, 2, 29)).a_year_earlier()
    assert leap.first == date(2023, 2, 28)


def test_a_term_splits_into_its_years_and_quarters() -> None:
    term = Period.span(date(2023, 11, 5), date(2025, 2, 10))
    assert [(p.first, p.last) for p in term.years()] == [
        (date(2023, 11, 5), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 2, 10)),
    ]
    quarters = ["2023Q4", *(f"2024Q{n}" for n in range(1, 5)), "2025Q1"]
    assert [str(q) for q in term.quarters()] == quarters


# --- balances and movements ---------------------------------------------------------------

BOOKS = """
2024-01-01 open Assets:102-银行存款:10202-信用社 CNY
  code: "10202"
2024-01-01 open Liabilities:211-应付款:21101-宏达建筑公司 CNY

2024-03-05 * "宏达农机合作社" "发包收入"
  Assets:102-银行存款:10201-农商行  8000.00 CNY
  Income:501-经营收入:50101-发包收入  -8000.00 CNY

2024-03-05 * "本村" "转存信用社"
  Assets:102-银行存款:10201-农商行  -3000.00 CNY
  Assets:102-银行存款:10202-信用社  3000.00 CNY

2024-04-20 * "宏达建筑公司" "维修款挂账"
  Expenses:513-管理费用:51308-其他管理费用  1200.00 CNY
  Liabilities:211-应付款:21101-宏达建筑公司  -1200.00 CNY

2024-05-02 * "宏达建筑公司" "支付维修款"
  Assets:102-银行存款:10202-信用社  -1200.00 CNY
  Liabilities:211-应付款:21101-宏达建筑公司  1200.00 CNY
"""


def model_of(main: Path) -> tuple[LedgerModel, object]:
    loaded = load_ledger(main)
    return build_model(loaded.entries, loaded.options), loaded


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[LedgerModel, object]:
    return model_of(make_village(tmp_path_factory.mktemp("books"), BOOKS))


def test_figures_are_built_once_per_model(books) -> None:
    model, _ = books
    assert model.figures is model.figures


def test_a_parent_adds_up_its_sub_accounts(books) -> None:
    model, _ = books
    figures = model.figures
    day = date(2024, 3, 31)
    bank = "Assets:102-银行存款"
    assert figures.balance(bank + ":10201-农商行", day) == Decimal("505000.00")
    assert figures.balance(bank + ":10202-信用社", day) == Decimal("3000.00")
    assert figures.balance(bank, day) == Decimal("508000.00")
    # a name that merely starts like another account is not its sub-account
    assert figures.balance("Assets:10", day) == 0
    assert figures.balance(bank, date(2023, 12, 30)) == 0


def test_movements_of_a_period_keep_debits_and_credits_apart(books) -> None:
    model, _ = books
    q2 = Period.quarter(Quarter(2024, 2))
    payable = "Liabilities:211-应付款"
    assert model.figures.movement(payable, q2) == Movement(Decimal(1200), Decimal(1200))
    line = model.figures.line(payable, q2)
    assert (line.opening, line.closing, line.level, line.code) == (0, 0, 1, "211")
    q1 = Period.quarter(Quarter(2024, 1))
    bank = model.figures.movement("Assets:102-银行存款", q1)
    # moving money between two bank accounts shows on both sides of the parent
    assert bank == Movement(Decimal(11000), Decimal(3000))


def test_the_trial_balance_lists_every_level_and_balances(books) -> None:
    model, _ = books
    year = Period.year(2024)
    lines = model.figures.trial_balance(year)
    names = [line.account for line in lines]
    assert names.index("Assets:102-银行存款") < names.index("Assets:102-银行存款:10201-农商行")
    assert "Expenses:513-管理费用:51308-其他管理费用" in names
    assert "Assets:121-库存物资" not in names  # opened by the chart, never used
    assert "Assets:121-库存物资" in [
        line.account for line in model.figures.trial_balance(year, quiet=True)
    ]
    first_level = [line for line in lines if line.level == 1]
    assert sum(line.debit for line in first_level) == sum(line.credit for line in first_level)
    assert sum(line.closing for line in first_level) == 0


def test_first_level_balances(books) -> None:
    model, _ = books
    found = model.figures.first_level_balances(date(2024, 12, 31))
    assert found["102"] == Decimal("506800.00")
    assert found["513"] == Decimal("1200.00")
    assert found["211"] == 0


# --- against beanquery, on generated books -------------------------------------------------

ACCOUNTS = (
    "Assets:101-库存现金",
    "Assets:102-银行存款:10201-农商行",
    "Assets:112-应收款:11201-个人借支",
    "Liabilities:211-应付款",
    "Expenses:513-管理费用:51302-办公费",
    "Expenses:513-管理费用:51303-招待费",
    "Income:501-经营收入:50101-发包收入",
)
QUERIED = ("Assets", "Assets:102-银行存款", "Assets:112-应收款", "Expenses:513-管理费用", *ACCOUNTS)

moves = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=400),
        st.sampled_from(ACCOUNTS),
        st.sampled_from(ACCOUNTS),
        st.integers(min_value=1, max_value=2_000_000),
    ).filter(lambda m: m[1] != m[2]),
    min_size=1,
    max_size=20,
)
spans = st.tuples(
    st.integers(min_value=-10, max_value=420), st.integers(min_value=0, max_value=200)
)


def bq_by_account(loaded, where: str) -> dict[str, int]:
    """Each account's sum of CNY postings matching `where`, in 分, as beanquery computes it."""
    _, rows = run_query(
        loaded.entries,
        loaded.options,
        f"SELECT account, sum(number) WHERE currency = 'CNY' AND {where} GROUP BY account",
    )
    return {str(account): cents(total) for account, total in rows if total is not None}


def under(account: str, sums: dict[str, int]) -> int:
    pattern = re.compile(f"^{re.escape(account)}(:|$)")
    return sum(value for name, value in sums.items() if pattern.match(name))


@settings(max_examples=10)
@given(moves, spans)
def test_balances_and_movements_equal_beanquery(tmp_path_factory, items, span) -> None:
    start = date(2024, 1, 1)
    lines = []
    for n, (offset, debit, credit, amount) in enumerate(items, 1):
        value = Decimal(amount) / 100
        lines.append(
            f'{start + timedelta(days=offset)} * "对方{n}" "业务{n}"\n'
            f"  {debit}  {value} CNY\n  {credit}  {-value} CNY\n"
        )
    model, loaded = model_of(make_village(tmp_path_factory.mktemp("g"), "\n".join(lines)))
    first = start + timedelta(days=span[0])
    period = Period.span(first, first + timedelta(days=span[1]))
    within = f"date >= {period.first} AND date <= {period.last}"
    closing = bq_by_account(loaded, f"date <= {period.last}")
    opening = bq_by_account(loaded, f"date < {period.first}")
    debits = bq_by_account(loaded, f"{within} AND number > 0")
    credits = bq_by_account(loaded, f"{within} AND number < 0")
    for account in QUERIED:
        line = model.figures.line(account, period)
        assert cents(line.closing) == under(account, closing)
        assert cents(line.opening) == under(account, opening)
        assert cents(line.debit) == under(account, debits)
        assert cents(line.credit) == -under(account, credits)
