"""期末: `depreciate` (年限平均法, VL506) and `close` (年终结账), checked against beanquery."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from beanquery.query import run_query
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import check, codes, make_village
from village_ledger.cli.main import main
from village_ledger.loading import load_ledger
from village_ledger.model.accounts import DepreciationTerms
from village_ledger.model.depreciation import monthly_charge

ASSET = "Assets:151-固定资产:15102-机器设备:1510201-收割机"

BOOKS = f"""
2024-12-01 open {ASSET} CNY
  code: "1510201"
  life-years: 10
2025-01-01 custom "会议决议" "2025-01-村代会-1" "村民代表会议" "购置收割机" 120000.00 CNY
2025-01-15 * "农机公司" "购置收割机"
  voucher: "2025-01-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "王建国"
  meeting: "2025-01-村代会-1"
  invoice: "25000000000000000001"
  {ASSET}  120000.00 CNY
  Assets:102-银行存款:10201-农商行  -120000.00 CNY
2025-03-10 * "承包户" "收到鱼塘发包款"
  voucher: "2025-03-001"
  receipt-no: "SJ-0001"
  Assets:102-银行存款:10201-农商行  50000.00 CNY
  Income:501-经营收入  -50000.00 CNY
2025-06-10 * "供电所" "村部电费"
  voucher: "2025-06-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "王建国"
  invoice: "25000000000000000002"
  Expenses:513-管理费用:51305-水电费  800.00 CNY
  Assets:102-银行存款:10201-农商行  -800.00 CNY
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def write(main_file: Path, *args: str):
    result = run(*args, str(main_file.parent), "--write")
    assert result.exit_code == 0, result.output
    return result


def balances(main_file: Path, day: str) -> dict[str, Decimal]:
    loaded = load_ledger(main_file)
    _, rows = run_query(
        loaded.entries,
        loaded.options,
        f"SELECT account, sum(number) WHERE date <= {day} GROUP BY account",
    )
    return {account: total for account, total in rows}


@pytest.fixture
def books(tmp_path: Path) -> Path:
    return make_village(tmp_path, BOOKS)


def test_no_charge_in_the_month_an_asset_is_bought(books: Path):
    result = run("depreciate", str(books.parent), "--month", "2025-01")
    assert result.exit_code == 0
    assert "没有需要计提折旧" in result.output


def test_the_month_after_is_charged_cost_less_salvage_over_the_life(books: Path):
    result = run("depreciate", str(books.parent), "--month", "2025-02")
    assert result.exit_code == 0, result.output
    monthly = Decimal("120000.00") * Decimal("0.95") / 120  # 950.00
    assert f"{monthly:.2f}" in result.output
    assert 'voucher: "2025-02-001"' in result.output
    before = books.read_bytes()
    assert books.read_bytes() == before  # nothing written without --write


def test_write_appends_once_and_a_second_run_is_refused(books: Path):
    write(books, "depreciate", "--month", "2025-02")
    found = balances(books, "2025-02-28")
    assert found["Assets:152-累计折旧"] == Decimal("-950.00")
    assert found["Expenses:513-管理费用"] == Decimal("950.00")
    after = books.read_bytes()
    again = run("depreciate", str(books.parent), "--month", "2025-02", "--write")
    assert again.exit_code == 2 and "不能重复计提" in again.output
    assert books.read_bytes() == after


@pytest.mark.fires("VL506")
def test_vl506_fires_for_a_month_the_books_are_past_without_depreciation(books: Path):
    found = [f for f in check(books, select=["VL506"])]
    months = sorted(f.message[:8] for f in found)
    # bought in January, books run to June: February to May are past and unbooked
    assert len(found) == 4, [f.message for f in found]
    assert all("950.00" in f.message for f in found), months


@pytest.mark.near_miss("VL506")
def test_vl506_near_miss_every_past_month_booked(books: Path):
    for month in ("2025-02", "2025-03", "2025-04", "2025-05"):
        write(books, "depreciate", "--month", month)
    assert codes(check(books, select=["VL506"])) == []


def by_hand(month: str, day: str, number: int) -> str:
    """A 计提折旧 voucher as another accountant writes it: no `depreciation` nor `asset`."""
    return f"""
{day} * "计提{month}折旧"
  voucher: "{month}-{number:03d}"
  receipt: "内部凭证"
  Expenses:513-管理费用:51308-其他管理费用  950.00 CNY
  Assets:152-累计折旧  -950.00 CNY
"""


@pytest.mark.near_miss("VL506")
def test_vl506_near_miss_depreciation_written_by_hand(tmp_path: Path):
    months = [("2025-02", "2025-02-28", 1), ("2025-03", "2025-03-31", 2)]
    months += [("2025-04", "2025-04-30", 1), ("2025-05", "2025-05-31", 1)]
    main_file = make_village(tmp_path, BOOKS + "".join(by_hand(*m) for m in months))
    assert codes(check(main_file, select=["VL506", "VL3", "BEANCOUNT"])) == []
    # and depreciate does not charge a month again
    again = run("depreciate", str(main_file.parent), "--month", "2025-03")
    assert again.exit_code == 2 and "不能重复计提" in again.output


@pytest.mark.fires("VL506")
def test_vl506_fires_for_the_month_missing_among_those_written_by_hand(tmp_path: Path):
    months = [("2025-02", "2025-02-28", 1), ("2025-03", "2025-03-31", 2)]
    months += [("2025-05", "2025-05-31", 1)]
    main_file = make_village(tmp_path, BOOKS + "".join(by_hand(*m) for m in months))
    [found] = check(main_file, select=["VL506"])
    assert found.message.startswith("2025年4月有 1 个固定资产科目应计提折旧 950.00 元")


@pytest.mark.near_miss("VL506")
def test_a_public_interest_asset_is_not_depreciated(tmp_path: Path):
    main_file = make_village(
        tmp_path, BOOKS.replace("life-years: 10", "life-years: 10\n  depreciate: FALSE")
    )
    assert codes(check(main_file, select=["VL506"])) == []
    result = run("depreciate", str(main_file.parent), "--month", "2025-02")
    assert "没有需要计提折旧" in result.output


def test_bad_depreciation_metadata_is_vl901(tmp_path: Path):
    main_file = make_village(
        tmp_path, BOOKS.replace("life-years: 10", "life-years: 10\n  salvage-rate: 5")
    )
    assert "VL901" in codes(check(main_file, select=["VL901"]))


def test_close_carries_the_year_to_322_and_leaves_income_and_spending_at_zero(books: Path):
    write(books, "close", "--year", "2025")
    found = balances(books, "2025-12-31")
    assert found.get("Income:501-经营收入", Decimal(0)) == 0
    assert found.get("Expenses:513-管理费用:51305-水电费", Decimal(0)) == 0
    assert found.get("Equity:321-本年收益", Decimal(0)) == 0
    assert found["Equity:322-收益分配"] == Decimal("-49200.00")  # 50,000 − 800
    result = run("close", str(books.parent), "--year", "2025")
    assert result.exit_code == 2 and "不能重复结账" in result.output


def test_close_refuses_a_year_whose_year_before_is_open(books: Path):
    result = run("close", str(books.parent), "--year", "2026")
    assert result.exit_code == 2 and "2025年尚未结账" in result.output


DISTRIBUTE = """
2026-01-20 custom "会议决议" "2026-01-村代会-1" "村民代表会议" "2025年收益分配" 30000.00 CNY
  reserve: 10000.00 CNY
  members: 20000.00 CNY
"""


def test_close_distributes_as_the_resolution_says(tmp_path: Path):
    main_file = make_village(tmp_path, BOOKS + DISTRIBUTE)
    write(main_file, "close", "--year", "2025", "--resolution", "2026-01-村代会-1")
    found = balances(main_file, "2025-12-31")
    assert found["Equity:322-收益分配"] == Decimal("-19200.00")
    assert found["Equity:311-公积公益金"] == Decimal("-10000.00")
    assert found["Liabilities:211-应付款"] == Decimal("-20000.00")


def test_close_refuses_to_distribute_more_than_there_is(tmp_path: Path):
    main_file = make_village(
        tmp_path,
        BOOKS
        + DISTRIBUTE.replace("20000.00 CNY\n", "40000.00 CNY\n").replace("30000.00", "50000.00"),
    )
    result = run(
        "close", str(main_file.parent), "--year", "2025", "--resolution", "2026-01-村代会-1"
    )
    assert result.exit_code == 2 and "超过可分配收益 49,200.00" in result.output


def test_close_refuses_a_resolution_of_the_two_committees(tmp_path: Path):
    main_file = make_village(tmp_path, BOOKS + DISTRIBUTE.replace("村民代表会议", "两委联席会议"))
    result = run(
        "close", str(main_file.parent), "--year", "2025", "--resolution", "2026-01-村代会-1"
    )
    assert result.exit_code == 2 and "村民代表会议或村民会议" in result.output


@settings(max_examples=200)
@given(
    cost=st.integers(min_value=1, max_value=10**10).map(lambda c: Decimal(c) / 100),
    years=st.integers(min_value=1, max_value=50),
    salvage=st.integers(min_value=0, max_value=99).map(lambda r: Decimal(r) / 100),
)
def test_monthly_charges_add_up_exactly_to_cost_less_salvage(cost, years, salvage):
    terms = DepreciationTerms(years, salvage, "Expenses:513-管理费用")
    ceiling = (cost * (1 - salvage)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    accumulated = Decimal(0)
    months = 0
    for _ in range(years * 12 + 2):
        charge = monthly_charge(cost, terms, accumulated)
        assert charge >= 0
        months += charge > 0
        accumulated += charge
        assert accumulated <= ceiling
    assert accumulated == ceiling
    if ceiling >= years * 12 * 10:  # a charge of 10 元 or more a month: rounding drifts < 1 month
        assert months == years * 12
