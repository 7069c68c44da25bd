"""The output commands on a township written by other hands (tests/data/foreign_outputs/).

青溪镇 keeps its own habits: 山下村 (shanxia) files a month per file under year folders,
included by glob, main.beancount saved by Windows Notepad (UTF-8 with BOM, CRLF), 明细科目 the
chart lacks, two banks, relief payments with ID, phone and card numbers written in the
narration and in metadata in various ways; 河湾村 (hewan) starts mid-year from the old books'
balances, keeps a file per quarter in a Chinese-named folder, indents with tabs and writes
`1,200.00`. Both hold sealed and unsealed quarters, a contract paid in instalments and fixed
assets depreciated by `depreciate --write`.

Every figure is checked against beanquery over the same books.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.reporting import bq_sum
from village_ledger.cli.main import main
from village_ledger.loading import load_ledger

DATA = Path(__file__).parent / "data" / "foreign_outputs"
SHANXIA_TODAY = "2026-04-05"
HEWAN_TODAY = "2026-07-05"


@pytest.fixture
def township(tmp_path: Path) -> Path:
    """A copy of the township, so a command that writes cannot touch the test data."""
    target = tmp_path / "qingxi"
    shutil.copytree(DATA, target)
    return target


def run(*args: str, today: str = SHANXIA_TODAY) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"VILLAGE_LEDGER_TODAY": today})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def cents(text: str | None) -> int:
    return int(Decimal(text or "0") * 100)


# ---- loading: files saved by Windows editors ----


def test_a_file_saved_with_a_byte_order_mark_loads_as_any_other() -> None:
    """Notepad and WPS save UTF-8 with a BOM; Beancount's lexer alone reads it as an invalid
    token on line 1 (the title comment here) and would report every such file."""
    assert (DATA / "shanxia" / "main.beancount").read_bytes().startswith(b"\xef\xbb\xbf")
    loaded = load_ledger(str(DATA / "shanxia" / "main.beancount"))
    assert [e.message for e in loaded.errors] == []
    assert loaded.options["title"] == "青溪镇山下村股份经济合作社"


def test_the_foreign_township_passes_its_check_but_for_what_it_holds() -> None:
    code, out = run("check", str(DATA / "shanxia"), "--no-cache", "--format", "json")
    assert code == 0, out
    assert {f["rule"] for f in json.loads(out)} <= {"VL209"}
    code, out = run(
        "check", str(DATA / "hewan"), "--no-cache", "--format", "json", today=HEWAN_TODAY
    )
    # 一肩挑: the 书记 and 主任 is one man, who handled and approved a payment himself
    assert [f["rule"] for f in json.loads(out) if f["severity"] == "error"] == ["VL103"]


# ---- entries a command adds go where the accountant keeps that month ----


def test_depreciation_goes_to_the_months_own_file_and_keeps_its_line_ends(
    township: Path,
) -> None:
    village = township / "shanxia"
    january = village / "2025" / "2025-01.beancount"
    december = village / "2025" / "2025-12.beancount"
    voucher_start = january.read_bytes().index(b'"2025-01-006"')
    # take January's depreciation voucher out, as before the accountant ran the command
    text = january.read_bytes()
    start = text.rindex(b"\r\n\r\n2025-01-31", 0, voucher_start)
    january.write_bytes(text[:start] + b"\r\n")
    before_december = december.read_bytes()
    code, out = run("depreciate", str(village), "--month", "2025-01", "--write")
    assert code == 0, out
    assert december.read_bytes() == before_december
    written = january.read_bytes()
    assert b'depreciation: "2025-01"' in written
    assert written.startswith(b"\xef\xbb\xbf")
    assert written.count(b"\n") == written.count(b"\r\n")  # every line still ends in CRLF


def test_a_quarter_file_takes_the_months_of_its_quarter(township: Path) -> None:
    village = township / "hewan"
    q1 = village / "账务" / "2026-Q1.beancount"
    assert b'depreciation: "2026-02"' in q1.read_bytes()
    q2 = village / "账务" / "2026-Q2.beancount"
    assert b'depreciation: "2026-05"' in q2.read_bytes()


# ---- the disclosure's figures against beanquery ----


@pytest.mark.parametrize(
    ("village", "quarter", "first", "last", "year_first", "today"),
    [
        ("shanxia", "2025Q4", "2025-10-01", "2026-01-01", "2025-01-01", SHANXIA_TODAY),
        ("shanxia", "2026Q1", "2026-01-01", "2026-04-01", "2026-01-01", SHANXIA_TODAY),
        ("hewan", "2025Q3", "2025-07-01", "2025-10-01", "2025-01-01", HEWAN_TODAY),
        ("hewan", "2026Q2", "2026-04-01", "2026-07-01", "2026-01-01", HEWAN_TODAY),
    ],
)
def test_disclosure_figures_agree_with_beanquery(
    village: str, quarter: str, first: str, last: str, year_first: str, today: str
) -> None:
    code, out = run(
        "disclose", str(DATA / village), "--period", quarter, "--format", "json", today=today
    )
    assert code == 0, out
    sheet = json.loads(out)
    loaded = load_ledger(str(DATA / village / "main.beancount"))
    quarter_days = f"date >= {first} AND date < {last}"
    year_days = f"date >= {year_first} AND date < {last}"
    income = next(t for t in sheet["tables"] if t["key"] == "income")
    totals = {row["kind"]: row for row in income["totals"]}
    assert cents(totals["收入合计"]["quarter"]) == -bq_sum(
        loaded, f"account ~ '^Income:' AND {quarter_days}"
    )
    assert cents(totals["支出合计"]["quarter"]) == bq_sum(
        loaded, f"account ~ '^Expenses:' AND {quarter_days}"
    )
    assert cents(totals["收入合计"]["ytd"]) == -bq_sum(
        loaded, f"account ~ '^Income:' AND {year_days}"
    )
    money = sheet["money"]
    assert cents(money["end"]) == bq_sum(loaded, f"account ~ '^Assets:10[12]' AND date < {last}")
    assert cents(money["start"]) == bq_sum(loaded, f"account ~ '^Assets:10[12]' AND date < {first}")
    assert cents(money["end"]) - cents(money["start"]) == cents(money["in"]) - cents(money["out"])
