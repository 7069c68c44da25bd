"""`village-ledger init`: a new village's books that pass check, balanced openings, no overwrite."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from beanquery.query import run_query
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import TOWNSHIP
from village_ledger.cli.main import main
from village_ledger.founding import (
    FoundingError,
    OpeningRow,
    read_chart,
    resolve_opening,
)
from village_ledger.loading import load_ledger

TITLE = "天城镇石桥村股份经济合作社"
HEADER = ["科目编码", "科目名称", "借方余额", "贷方余额"]
# a 期初余额表 as township centres keep it: first-level totals above their 明细科目
SHEET = [
    ["101", "库存现金", 1680.50, None],
    ["102", "银行存款", 398952.18, None],
    ["10201", "农商行", 386452.18, None],
    ["10202", "邮储银行", 12500.00, None],
    ["112", "应收款", 3000.00, None],
    ["11201", "个人借支", 3000.00, None],
    ["1120101", "张三", 3000.00, None],
    ["151", "固定资产", 250000.00, None],
    ["152", "累计折旧", None, 40000.00],
    ["211", "应付款", None, 12000.00],
    ["301", "资本", None, 560000.00],
    ["311", "公积公益金", None, 41632.68],
]


@pytest.fixture
def township(tmp_path: Path) -> Path:
    shutil.copytree(TOWNSHIP, tmp_path / "township")
    return tmp_path / "township"


def write_sheet(path: Path, rows: list[list[object]], title: str = "期初余额表") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    sheet.append([None, "合计", None, None])
    book.save(path)
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def init_args(folder: Path, *extra: str) -> list[str]:
    return ["init", str(folder), "--title", TITLE, "--start", "2026-01-01", *extra]


def balances(main_file: Path, day: str) -> dict[str, Decimal]:
    """Every account's CNY balance at the end of `day`, as beanquery computes it."""
    loaded = load_ledger(main_file)
    _, rows = run_query(
        loaded.entries,
        loaded.options,
        f"SELECT account, sum(number) WHERE date <= {day} AND currency = 'CNY' GROUP BY account",
    )
    return {account: total for account, total in rows if total}


def test_init_from_sheet_passes_check_and_posts_every_balance(tmp_path: Path, township: Path):
    sheet = write_sheet(tmp_path / "期初余额表.xlsx", SHEET)
    folder = tmp_path / "shiqiao"
    code, out, err = run(*init_args(folder, "--from-xlsx", str(sheet)))
    assert code == 0, err
    assert "试算平衡" in out
    assert sorted(p.name for p in folder.iterdir()) == ["2026.beancount", "main.beancount"]
    text = (folder / "main.beancount").read_text(encoding="utf-8")
    assert " pad " not in text and "opening: TRUE" in text

    code, out, err = run("check", str(folder), "--format", "json")
    assert code == 0, out + err
    assert json.loads(out) == []

    found = balances(folder / "main.beancount", "2025-12-31")
    assert found == {
        "Assets:101-库存现金": Decimal("1680.50"),
        "Assets:102-银行存款:10201-农商行": Decimal("386452.18"),
        "Assets:102-银行存款:10202-邮储银行": Decimal("12500.00"),
        "Assets:112-应收款:11201-个人借支:1120101-张三": Decimal("3000.00"),
        "Assets:151-固定资产": Decimal("250000.00"),
        "Assets:152-累计折旧": Decimal("-40000.00"),
        "Liabilities:211-应付款": Decimal("-12000.00"),
        "Equity:301-资本": Decimal("-560000.00"),
        "Equity:311-公积公益金": Decimal("-41632.68"),
    }


def test_new_sub_accounts_inherit_the_chart_category(tmp_path: Path, township: Path):
    sheet = write_sheet(tmp_path / "s.xlsx", SHEET)
    folder = tmp_path / "shiqiao"
    assert run(*init_args(folder, "--from-xlsx", str(sheet)))[0] == 0
    text = (folder / "main.beancount").read_text(encoding="utf-8")
    assert 'open Assets:112-应收款:11201-个人借支:1120101-张三 CNY\n  code: "1120101"' in text


def test_init_without_a_sheet_writes_a_template_that_passes_check(tmp_path: Path, township: Path):
    folder = tmp_path / "shiqiao"
    code, out, err = run(*init_args(folder))
    assert code == 0, err
    assert "模板" in out
    code, out, _ = run("check", str(folder), "--format", "json")
    assert code == 0
    assert json.loads(out) == []


def test_an_unbalanced_sheet_is_refused_naming_the_difference(tmp_path: Path, township: Path):
    rows = [r for r in SHEET if r[0] != "311"]  # 41,632.68 of credit missing
    sheet = write_sheet(tmp_path / "s.xlsx", rows)
    folder = tmp_path / "shiqiao"
    code, _, err = run(*init_args(folder, "--from-xlsx", str(sheet)))
    assert code == 2
    assert "试算不平衡" in err and "相差 41,632.68" in err and "借方多" in err
    assert not folder.exists()


def test_a_subtotal_that_disagrees_with_its_details_is_refused(tmp_path: Path, township: Path):
    rows = [list(r) for r in SHEET]
    rows[1][2] = 398952.00  # 102 total off by 0.18 from 10201 + 10202
    sheet = write_sheet(tmp_path / "s.xlsx", rows)
    code, _, err = run(*init_args(tmp_path / "shiqiao", "--from-xlsx", str(sheet)))
    assert code == 2
    assert "第 4 行" in err and "102" in err and "相差 0.18" in err


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["10201", "农商行", 100, 100], "借方、贷方余额都有数"),
        (["101", "库存现金", "一百", None], "不是金额"),
        (["101", "库存现金", -5, None], "负数"),
        (["9", "不存在", 5, None], "不在乡镇科目表中"),
        (["1029901", "某账户", 5, None], "上级科目 10299"),
        (["101", "库存现金", 1.005, None], "两位小数"),
    ],
)
def test_a_bad_row_is_refused_with_its_row_number(
    tmp_path: Path, township: Path, row: list[object], message: str
):
    sheet = write_sheet(tmp_path / "s.xlsx", [row])
    code, _, err = run(*init_args(tmp_path / "shiqiao", "--from-xlsx", str(sheet)))
    assert code == 2
    assert "第 3 行" in err and message in err
    assert "Traceback" not in err


def test_init_never_overwrites(tmp_path: Path, township: Path):
    folder = tmp_path / "shiqiao"
    folder.mkdir()
    (folder / "main.beancount").write_text("; 已有的账\n", encoding="utf-8")
    code, _, err = run(*init_args(folder))
    assert code == 2 and "不会覆盖" in err
    assert (folder / "main.beancount").read_text(encoding="utf-8") == "; 已有的账\n"
    assert not (folder / "2026.beancount").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["init", "{tmp}/ShiQiao", "--title", TITLE, "--start", "2026-01-01"], "小写拼音"),
        (["init", "{tmp}/shiqiao", "--title", " ", "--start", "2026-01-01"], "--title"),
        (["init", "{tmp}/x/shiqiao", "--title", TITLE, "--start", "2026-01-01"], "chart.beancount"),
    ],
)
def test_bad_arguments_get_a_chinese_answer(
    tmp_path: Path, township: Path, args: list[str], message: str
):
    code, _, err = run(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert code == 2 and message in err


def test_dry_run_writes_nothing(tmp_path: Path, township: Path):
    folder = tmp_path / "shiqiao"
    code, out, _ = run(*init_args(folder, "--dry-run"))
    assert code == 0 and 'option "title"' in out
    assert not folder.exists()


def test_csv_sheet_reads_like_excel(tmp_path: Path, township: Path):
    sheet = tmp_path / "s.csv"
    lines = [",".join(HEADER)] + [
        ",".join("" if c is None else str(c) for c in row) for row in SHEET
    ]
    sheet.write_text("\n".join(lines), encoding="utf-8-sig")
    code, _, err = run(*init_args(tmp_path / "shiqiao", "--from-xlsx", str(sheet)))
    assert code == 0, err


LEAF_CODES = ["101", "10201", "1120101", "151", "152", "211", "241", "301", "311", "322"]
cents = st.integers(min_value=0, max_value=10**9)


@settings(max_examples=30)
@given(st.lists(st.tuples(st.sampled_from(LEAF_CODES), cents, st.booleans()), max_size=12))
def test_opening_is_refused_exactly_when_it_does_not_balance(rows_spec):
    """Whatever the sheet, the opening either balances to the cent or is refused with the gap."""
    chart = read_chart(TOWNSHIP / "chart.beancount")
    names = {"10201": "农商行", "1120101": "张三"}
    rows, seen = [], set()
    for number, (code, amount, debit) in enumerate(rows_spec, 3):
        if code in seen:
            continue
        seen.add(code)
        value = Decimal(amount) / 100
        rows.append(
            OpeningRow(number, code, names.get(code, ""), value if debit else Decimal(0),
                       Decimal(0) if debit else value)
        )  # fmt: skip
    # the intermediate 11201 is in the chart; 10201 extends 102 directly
    difference = sum((r.net for r in rows), Decimal(0))
    try:
        opening = resolve_opening(rows, chart, "表")
    except FoundingError as exc:
        assert difference != 0
        assert f"{abs(difference):,.2f}" in str(exc)
        return
    assert difference == 0
    assert opening.debit_total == opening.credit_total
    assert sum(n for _, n in opening.postings) == 0
