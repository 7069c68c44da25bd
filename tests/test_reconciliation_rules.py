"""VL207–VL209 (对账): each fires on a ledger built for it and stays silent on its near miss; the
reconciliation read from the books agrees with beanquery.

The preamble of `make_village` leaves 500,000.00 in the bank and 2,000.00 of cash on
2024-01-01 (assertions that day); the township's 未达账项天数 is 30, 对账间隔天数 31.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from beanquery import query

from tests.support import check, make_village
from village_ledger.findings import Finding
from village_ledger.loading import load_ledger
from village_ledger.model import build_model
from village_ledger.model.reconciliation import Reconciliation

BANK = "Assets:102-银行存款:10201-农商行"
CASH = "Assets:101-库存现金"
D = Decimal


def found(main: Path, code: str) -> list[Finding]:
    findings = check(main, select=[code, "BEANCOUNT"])
    assert [f.message for f in findings if f.rule == "BEANCOUNT"] == []
    return [f for f in findings if f.rule == code]


def interest(day: date, number: str, amount: str = "35.20") -> str:
    return f"""
{day} * "梅川县农商行" "存款利息"
  voucher: "{number}"
  receipt: "银行回单"
  {BANK}  {amount} CNY
  Income:504-其他收入:50401-利息收入
"""


def cheque(day: date, number: str, amount: str = "800.00") -> str:
    return f"""
{day} * "便民五金店" "购买水管配件（转账支票）"
  voucher: "{number}"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25320000000012345611"
  Expenses:514-公益支出:51402-公共设施维护  {amount} CNY
  {BANK}
"""


def draft(day: date, number: str, amount: str = "1200.00") -> str:
    return f"""
{day} ! "梅川县农商行" "对账单：转账收入（待查明）"
  voucher: "{number}"
  bank-ref: "{day:%Y%m%d}-0001"
  receipt: "银行回单"
  {BANK}  {amount} CNY
  Liabilities:211-应付款
"""


def statement(day: date, book: str, bank: str, outstanding: str = "") -> str:
    extra = f'\n  outstanding: "{outstanding}"' if outstanding else ""
    return f"""
{day} balance {BANK}  {book} CNY
  bank-statement: {bank} CNY{extra}
"""


def loaded(main: Path):  # type: ignore[no-untyped-def]
    ledger = load_ledger(str(main))
    return ledger.entries, ledger.options


def model_of(main: Path):  # type: ignore[no-untyped-def]
    return build_model(*loaded(main))


# ---- VL207 ---------------------------------------------------------------------------


@pytest.mark.fires("VL207")
def test_a_statement_off_by_200_after_the_outstanding_cheque_is_reported(tmp_path: Path) -> None:
    main = make_village(
        tmp_path,
        interest(date(2025, 3, 5), "2025-03-001")
        + cheque(date(2025, 3, 28), "2025-03-002")
        + statement(date(2025, 4, 1), "499235.20", "499835.20", "2025-03-002"),
    )
    [hit] = found(main, "VL207")
    assert "相差 -200.00 元" in hit.message or "相差 200.00 元" in hit.message
    assert hit.date == date(2025, 3, 31)


@pytest.mark.near_miss("VL207")
def test_a_statement_explained_by_the_outstanding_cheque_and_a_draft_agrees(
    tmp_path: Path,
) -> None:
    # the bank has 1,200.00 the books hold only as a `!` draft, and not yet the 800.00 cheque
    main = make_village(
        tmp_path,
        interest(date(2025, 3, 5), "2025-03-001")
        + cheque(date(2025, 3, 28), "2025-03-002")
        + draft(date(2025, 3, 30), "2025-03-003")
        + statement(date(2025, 4, 1), "500435.20", "501235.20", "2025-03-002"),
    )
    assert found(main, "VL207") == []
    [rec] = model_of(main).figures.reconciliations.statements
    assert (rec.book, rec.bank_received, rec.book_paid) == (D("499235.20"), D(1200), D(800))
    assert rec.adjusted_book == rec.adjusted_bank == D("500435.20")


@pytest.mark.fires("VL207")
def test_an_outstanding_voucher_the_books_do_not_hold_is_reported(tmp_path: Path) -> None:
    main = make_village(
        tmp_path,
        interest(date(2025, 3, 5), "2025-03-001")
        + statement(date(2025, 4, 1), "500035.20", "500035.20", "2025-03-009"),
    )
    [hit] = found(main, "VL207")
    assert "2025-03-009" in hit.message


# ---- VL208 ---------------------------------------------------------------------------


def books_ending(day: date, number: str) -> str:
    return interest(day, number, "1.00")


@pytest.mark.fires("VL208")
def test_a_draft_31_days_before_the_books_last_day_is_reported(tmp_path: Path) -> None:
    end = date(2025, 4, 30)
    main = make_village(
        tmp_path,
        draft(end - timedelta(days=31), "2025-03-001") + books_ending(end, "2025-04-001"),
    )
    [hit] = found(main, "VL208")
    assert "31 天" in hit.message and "1,200.00" in hit.message


@pytest.mark.near_miss("VL208")
def test_a_draft_30_days_old_is_not_yet_reported(tmp_path: Path) -> None:
    end = date(2025, 4, 30)
    main = make_village(
        tmp_path,
        draft(end - timedelta(days=30), "2025-03-001") + books_ending(end, "2025-04-001"),
    )
    assert found(main, "VL208") == []


@pytest.mark.fires("VL208")
@pytest.mark.near_miss("VL208")
@pytest.mark.parametrize("age", [30, 31])
def test_an_unpresented_cheque_is_reported_after_30_days_at_the_statement(
    tmp_path: Path, age: int
) -> None:
    day = date(2025, 3, 31)
    paid = day - timedelta(days=age)
    main = make_village(
        tmp_path,
        cheque(paid, f"{paid:%Y-%m}-001")
        + statement(day + timedelta(days=1), "499200.00", "500000.00", f"{paid:%Y-%m}-001"),
    )
    hits = found(main, "VL208")
    assert len(hits) == (1 if age > 30 else 0)
    if hits:
        assert "企业已付、银行未付" in hits[0].message


def test_a_completed_draft_is_no_longer_outstanding(tmp_path: Path) -> None:
    end = date(2025, 4, 30)
    completed = draft(end - timedelta(days=60), "2025-02-001").replace(" ! ", " * ")
    main = make_village(tmp_path, completed + books_ending(end, "2025-04-001"))
    assert found(main, "VL208") == []


# ---- VL209 ---------------------------------------------------------------------------


@pytest.mark.fires("VL209")
@pytest.mark.near_miss("VL209")
@pytest.mark.parametrize("gap", [31, 32])
def test_a_bank_account_checked_32_days_after_it_moved_is_reported(
    tmp_path: Path, gap: int
) -> None:
    moved = date(2025, 3, 1)
    checked = moved + timedelta(days=gap)
    main = make_village(
        tmp_path,
        interest(moved, "2025-03-001")
        + statement(checked, "500035.20", "500035.20")
        + books_ending(checked, f"{checked:%Y-%m}-001").replace("1.00", "0.00"),
    )
    hits = found(main, "VL209")
    assert [h.line for h in hits] == ([] if gap == 31 else [hits[0].line])
    if hits:
        assert f"相隔 {gap} 天" in hits[0].message and "银行对账" in hits[0].message


@pytest.mark.fires("VL209")
@pytest.mark.near_miss("VL209")
@pytest.mark.parametrize("gap", [31, 32])
def test_cash_not_counted_up_to_the_books_last_day_is_reported(tmp_path: Path, gap: int) -> None:
    moved = date(2025, 3, 1)
    body = f"""
{moved} * "张小军" "收到门面租金"
  voucher: "2025-03-001"
  {CASH}  300.00 CNY
  Income:501-经营收入:50102-租赁收入

{moved + timedelta(days=1)} balance {BANK} 500000.00 CNY
"""
    end = moved + timedelta(days=gap)
    body += f"""
{end} * "村委会" "内部调账（不涉及现金）"
  voucher: "{end:%Y-%m}-00{2 if end.month == 3 else 1}"
  receipt: "内部凭证"
  Income:501-经营收入:50102-租赁收入  10.00 CNY
  Income:504-其他收入:50402-其他
"""
    hits = found(make_village(tmp_path, body), "VL209")
    assert len(hits) == (1 if gap > 31 else 0)
    if hits:
        assert "101-库存现金" in hits[0].message and "现金盘点" in hits[0].message


def test_an_account_that_did_not_move_needs_no_new_check(tmp_path: Path) -> None:
    # the preamble's bank assertion of 2024-01-01 still holds in 2025: the account never moved
    main = make_village(
        tmp_path, books_ending(date(2025, 6, 30), "2025-06-001").replace(BANK, CASH)
    )
    hits = found(main, "VL209")
    assert [h.message for h in hits if "农商行" in h.message] == []


# ---- the reconciliation against beanquery ---------------------------------------------


def test_the_book_balance_of_a_reconciliation_is_beanquerys(tmp_path: Path) -> None:
    main = make_village(
        tmp_path,
        interest(date(2025, 3, 5), "2025-03-001")
        + cheque(date(2025, 3, 28), "2025-03-002", "1234.56")
        + draft(date(2025, 3, 30), "2025-03-003", "77.70")
        + statement(date(2025, 4, 1), "498878.34", "500112.90", "2025-03-002")
        + interest(date(2025, 4, 3), "2025-04-001"),
    )
    ledger = load_ledger(str(main))
    [rec] = build_model(ledger.entries, ledger.options).figures.reconciliations.statements
    assert isinstance(rec, Reconciliation) and rec.agrees
    _, rows = query.run_query(
        ledger.entries,
        ledger.options,
        f"SELECT sum(number) WHERE account = '{BANK}' AND date < 2025-04-01 AND flag != '!'",
    )
    assert rec.book == rows[0][0]
