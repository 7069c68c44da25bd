"""`village-ledger vouchers`: every 记账凭证 of the period, balanced, with its 大写 and signatures."""

from __future__ import annotations

import json
from decimal import Decimal

from beanquery.query import run_query
from click.testing import CliRunner

from tests.reporting import pdf_text
from tests.support import REPO
from village_ledger.books.vouchers import account_title
from village_ledger.cli.main import main
from village_ledger.loading import load_ledger
from village_ledger.reports.chinese_amount import capital_amount

TAIBAI = REPO / "ledgers" / "taibai"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def oracle_debits(month_start: str, month_end: str) -> dict[str, Decimal]:
    """Each numbered voucher's debit total in the month, as beanquery adds it up."""
    loaded = load_ledger(TAIBAI / "main.beancount")
    _, rows = run_query(
        loaded.entries,
        loaded.options,
        "SELECT entry_meta('voucher') AS v, sum(number) AS debit "
        f"WHERE number > 0 AND date >= {month_start} AND date <= {month_end} "
        "AND entry_meta('voucher') IS NOT NULL GROUP BY v",
    )
    return {str(v): total for v, total in rows}


def test_every_voucher_of_the_month_with_the_oracles_totals():
    result = run("vouchers", str(TAIBAI), "--period", "2026-09")
    assert result.exit_code == 0, result.output
    book = json.loads(result.stdout)
    printed = {v["voucher"]: Decimal(v["debit_total"]) for v in book["vouchers"]}
    assert printed == oracle_debits("2026-09-01", "2026-09-30")
    for voucher in book["vouchers"]:
        assert voucher["debit_total"] == voucher["credit_total"]
        assert voucher["capital"] == capital_amount(Decimal(voucher["debit_total"]))
        assert voucher["accountant"] and voucher["cashier"]
    numbers = [v["voucher"] for v in book["vouchers"]]
    assert numbers == sorted(numbers)


def test_pdf_prints_two_vouchers_a_page_with_capitals(tmp_path):
    out = tmp_path / "凭证.pdf"
    result = run("vouchers", str(TAIBAI), "--period", "2026-09", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes())
    book = json.loads(run("vouchers", str(TAIBAI), "--period", "2026-09").stdout)
    for voucher in book["vouchers"]:
        assert voucher["voucher"] in text
        assert voucher["capital"] in text.replace(" ", "")
    pages = text.count("\f")
    assert pages <= (len(book["vouchers"]) + 1) // 2 + 1
    assert "审批人" in text and "附件" in text


def test_account_titles_split_general_and_detail():
    title = account_title("Assets:112-应收款:11201-个人借支:1120101-张三")
    assert (title.general, title.detail) == ("112 应收款", "1120101 个人借支—张三")
    assert account_title("Assets:101-库存现金").detail == ""


def test_a_bad_period_is_a_chinese_usage_error():
    result = run("vouchers", str(TAIBAI), "--period", "2026-13")
    assert result.exit_code == 2
    assert "不是期间" in result.output
