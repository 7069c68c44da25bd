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


# ---- books begun in mid-year: the 期初余额 voucher is brought forward, not received ----


def test_the_quarter_the_books_begin_in_receives_nothing_from_the_opening_balances() -> None:
    """河湾村's books begin with the old books' balances on 2025-06-30: the 2025Q2 sheet starts
    with them and shows no money received (it showed 153,400.55 received, the opening voucher
    a line of the 收支明细)."""
    code, out = run(
        "disclose", str(DATA / "hewan"), "--period", "2025Q2", "--format", "json", today=HEWAN_TODAY
    )
    assert code == 0, out
    sheet = json.loads(out)
    loaded = load_ledger(str(DATA / "hewan" / "main.beancount"))
    opened = bq_sum(loaded, "account ~ '^Assets:10[12]' AND date <= 2025-06-30")
    assert opened > 0
    money = sheet["money"]
    assert (cents(money["start"]), cents(money["in"]), cents(money["out"])) == (opened, 0, 0)
    assert cents(money["end"]) == opened
    detail = next(t for t in sheet["tables"] if t["key"] == "detail")
    assert detail["rows"] == []


def _trial_rows(village: str, period: str, today: str) -> dict[str, dict[str, str | None]]:
    code, out = run(
        "books", str(DATA / village), "--book", "trial-balance", "--period", period, today=today
    )
    assert code == 0, out
    return {row["code"]: row for row in json.loads(out)["tables"][0]["rows"]}


def _side(row: dict[str, str | None], debit: str, credit: str) -> int:
    return cents(row[debit]) - cents(row[credit])


@pytest.mark.parametrize("code", ["101", "10201", "10202", "151", "152", "241", "301", "311"])
def test_the_year_the_books_begin_opens_with_the_old_books_balances(code: str) -> None:
    """科目余额表 2025 of 河湾村: 期初 is the opening voucher's balances (it was empty, and the
    opening balances were counted as the year's 本期借方/贷方); 本期 what was posted after."""
    rows = _trial_rows("hewan", "2025", HEWAN_TODAY)
    loaded = load_ledger(str(DATA / "hewan" / "main.beancount"))
    account = next(e.account for e in loaded.entries if getattr(e, "meta", {}).get("code") == code)
    where = f"account ~ '^{account}'"
    row = rows[code]
    assert _side(row, "opening_debit", "opening_credit") == bq_sum(
        loaded, f"{where} AND date <= 2025-06-30"
    )
    assert _side(row, "debit", "credit") == bq_sum(
        loaded, f"{where} AND date > 2025-06-30 AND year = 2025"
    )
    assert _side(row, "closing_debit", "closing_credit") == bq_sum(
        loaded, f"{where} AND year <= 2025"
    )


def test_the_ledgers_of_the_first_year_total_only_what_was_posted() -> None:
    code, out = run(
        "books",
        str(DATA / "hewan"),
        "--book",
        "general-ledger",
        "--period",
        "2025",
        "--account",
        "102",
        today=HEWAN_TODAY,
    )
    assert code == 0, out
    rows = json.loads(out)["tables"][0]["rows"]
    loaded = load_ledger(str(DATA / "hewan" / "main.beancount"))
    assert rows[0]["summary"] == "期初余额"
    assert (rows[0]["month"], rows[0]["day"]) == (6, 30)
    assert cents(rows[0]["balance"]) == bq_sum(
        loaded, "account ~ '^Assets:102' AND date <= 2025-06-30"
    )
    december = [r for r in rows if r["summary"] == "本年累计"][-1]
    posted = "account ~ '^Assets:102' AND date > 2025-06-30 AND year = 2025"
    assert cents(december["debit"]) == bq_sum(loaded, f"{posted} AND number > 0")
    assert cents(december["credit"]) == -bq_sum(loaded, f"{posted} AND number < 0")
    assert all(r["voucher"] != "期初" for r in rows)


# ---- the asset register agrees with the books it sits beside ----


@pytest.mark.parametrize(("village", "today"), [("shanxia", SHANXIA_TODAY), ("hewan", HEWAN_TODAY)])
def test_the_asset_register_nets_to_the_books_fixed_assets(village: str, today: str) -> None:
    """山下村's opening voucher carries the old books' 64,000.00 of 累计折旧 as one 152 line
    naming no asset: the register showed 净值 64,000.00 above the books' 固定资产净值 (and the
    handover printed both). The part no registered asset carries is a line of its own."""
    code, out = run(
        "books", str(DATA / village), "--book", "asset-register", "--period", "2026", today=today
    )
    assert code == 0, out
    register = json.loads(out)["tables"][0]
    day = register["title"].split("截至 ")[1].rstrip("）")
    loaded = load_ledger(str(DATA / village / "main.beancount"))
    books_net = bq_sum(loaded, f"account ~ '^Assets:15[12]' AND date <= {day}")
    (totals,) = register["totals"]
    assert cents(totals["net"]) == books_net
    assert cents(totals["depreciation"]) == -bq_sum(
        loaded, f"account ~ '^Assets:152' AND date <= {day}"
    )


# ---- import-bank: statements in the banks' own layouts ----

STATEMENTS = DATA / "statements"


def test_a_total_row_written_under_another_column_ends_the_statement() -> None:
    """农业银行 writes 合计 under 收入金额 with the date left empty: the import stopped there
    with “交易日期“”不是日期”. The township's banks.toml describes the layout."""
    code, out = run(
        "import-bank",
        str(DATA / "hewan"),
        str(STATEMENTS / "hewan-农行-2025Q4.csv"),
        "--format",
        "json",
        today=HEWAN_TODAY,
    )
    assert "不是日期" not in out
    # the 2.00 fee the books never had, drafted into the sealed 2025Q4: refused, exit 2
    assert code == 2, out
    assert "VL602" in out and "ABC2512210002" in out


def test_the_bank_account_is_found_by_the_words_of_the_layout(township: Path) -> None:
    """山下村 names its account 10201-农商银行, not 农商行: with two banks the import asked for
    --account though the statement is plainly the 农商 one."""
    village = township / "shanxia"
    code, out = run(
        "import-bank", str(village), str(STATEMENTS / "shanxia-农商-2026Q1.xlsx"), "--write"
    )
    assert code == 0, out
    march = (village / "2026" / "2026-03.beancount").read_text(encoding="utf-8")
    assert 'bank-ref: "QX26033101"' in march
    assert "2026-04-01 balance Assets:102-银行存款:10201-农商银行  203976.50 CNY" in march
    loaded = load_ledger(str(village / "main.beancount"))
    assert loaded.errors == []
    assert bq_sum(loaded, "account ~ ':10201-' AND date <= 2026-03-31") == 20397650


# ---- import-vouchers into books kept a file per month ----

SHEETS = DATA / "sheets"


def test_imported_vouchers_go_to_the_months_file_made_for_them(township: Path) -> None:
    """山下村 keeps a file per month, included by `2026/*.beancount`: the accountant makes
    2026-04.beancount (Notepad: BOM, CRLF) and imports April's sheet, which went to March's."""
    village = township / "shanxia"
    april = village / "2026" / "2026-04.beancount"
    april.write_bytes("\ufeff; 2026年4月凭证\r\n".encode())
    march_before = (village / "2026" / "2026-03.beancount").read_bytes()
    sheet = str(SHEETS / "shanxia-2026-04-凭证.xlsx")
    code, out = run("import-vouchers", str(village), sheet, "--write", today="2026-04-20")
    assert code == 0, out
    assert (village / "2026" / "2026-03.beancount").read_bytes() == march_before
    written = april.read_bytes()
    assert written.count(b'voucher: "2026-04-') == 3
    assert written.count(b"\n") == written.count(b"\r\n")
    loaded = load_ledger(str(village / "main.beancount"))
    assert loaded.errors == []
    assert bq_sum(loaded, "account ~ '^Income:' AND month = 4 AND year = 2026") == -1800000
    code, out = run("import-vouchers", str(village), sheet, "--write", today="2026-04-20")
    assert code == 0 and "没有需要导入的新凭证" in out
    assert april.read_bytes() == written


def test_init_reads_a_balance_sheet_with_its_total_under_the_code(township: Path) -> None:
    """双河村's 科目余额表 as the old software exported it: a title above the header, text
    amounts `88,200.50`, a blank row and 合计 in the 科目编码 column (was “科目编码“合计”应为
    数字”, exit 2)."""
    sheet = SHEETS / "shuanghe-期初余额表.xlsx"
    folder = township / "shuanghe"
    code, out = run(
        "init",
        str(folder),
        "--title",
        "青溪镇双河村股份经济合作社",
        "--start",
        "2026-01-01",
        "--from-xlsx",
        str(sheet),
        "--township",
        str(township / "gongyong"),
    )
    assert code == 0, out
    loaded = load_ledger(str(folder / "main.beancount"))
    assert loaded.errors == []
    assert bq_sum(loaded, "account ~ '^Assets:102'") == 8820050
    assert bq_sum(loaded, "account ~ '^Equity:301'") == -20000000
    assert bq_sum(loaded, "account ~ '^Liabilities:211-应付款:21101-应付工程款'") == -1225050


# ---- the public sheet: persons masked, nothing else ----

RELIEF_GIVEN = ("秀英", "桂花", "小燕", "四妹", "桂英")
# each phone, identity and card number of the books, as its digits
PERSONAL = (
    "13855612093",
    "34082719660606",
    "34082719720315",
    "13905561234",
    "340827198002023321",
    "13805561111",
    "6228480123456789012",
    "34082719550101002",
    "13805562222",
    "340827195812120423",
    "13805567788",
    "340827195203150017",
    "13905560001",
)


@pytest.mark.parametrize(
    ("village", "quarter", "today"),
    [
        ("shanxia", "2025Q1", SHANXIA_TODAY),
        ("shanxia", "2025Q2", SHANXIA_TODAY),
        ("shanxia", "2026Q1", SHANXIA_TODAY),
        ("hewan", "2025Q3", HEWAN_TODAY),
        ("hewan", "2026Q1", HEWAN_TODAY),
    ],
)
def test_the_public_sheet_hides_the_persons_and_only_them(
    village: str, quarter: str, today: str
) -> None:
    """Relief narrations written as 临时救助 张秀英（身份证 …，电话 …）因病: the recipient's given
    name and every number are hidden, while 身份证, 电话, 手机, 因病, 群众 stayed masked
    everywhere as if they were names (电*, 因*, 身**, 困难群*)."""
    code, out = run(
        "disclose", str(DATA / village), "--period", quarter, "--format", "json", today=today
    )
    assert code == 0, out
    digits = "".join(ch for ch in out if ch.isdigit())
    text = json.loads(out)
    narrations = [
        row["narration"]
        for table in text["tables"]
        if table["key"] == "detail"
        for row in table["rows"]
    ]
    assert not [n for n in RELIEF_GIVEN if n in out]
    assert not [number for number in PERSONAL if number in digits]
    assert not [n for n in narrations if any(w in n for w in ("电*", "因*", "身**", "手*", "群*"))]
    relief = [n for n in narrations if "救助" in n or "慰问" in n]
    assert relief, "the quarter pays relief"
