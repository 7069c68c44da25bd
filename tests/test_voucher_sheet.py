"""The 记账凭证录入 workbook: template, reading it back, numbering, the rule check before
writing, nothing written on a bad row, re-import adding nothing twice, and the round trip."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from beancount.parser import parser
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import make_village
from village_ledger.audit import audit
from village_ledger.cli.main import main
from village_ledger.loading import load_ledger
from village_ledger.model import LedgerModel
from village_ledger.voucher_sheet import (
    COLUMNS,
    SHEET,
    Line,
    Voucher,
    entries,
    read_form,
    read_rows,
    read_sheet,
)
from village_ledger.voucher_template import write_template

TODAY = "2026-10-31"
BANK = "Assets:102-银行存款:10201-农商行"
CASH = "Assets:101-库存现金"
WATER = "Expenses:513-管理费用:51305-水电费"
RENT = "Income:501-经营收入:50102-租赁收入"
HEADERS = [c.header for c in COLUMNS]

# two vouchers of October as an accountant writes them by hand, in the project's format
HAND_WRITTEN = """
2026-10-08 * "国网梅川县供电公司" "缴纳10月份村部电费"
  voucher: "2026-10-001"
  attachments: 2
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "王建国"
  invoice: "26320000000012345678"
  invoice-date: "2026-10-06"
  Expenses:513-管理费用:51305-水电费   702.15 CNY
  Assets:102-银行存款:10201-农商行

2026-10-09 * "个体户程永福" "收到10月份门面租金"
  voucher: "2026-10-002"
  handler: "周小燕"
  receipt: "收款收据"
  receipt-no: "0000001"
  Assets:102-银行存款:10201-农商行      800.00 CNY
  Income:501-经营收入:50102-租赁收入   -800.00 CNY
"""

ELECTRICITY = Voucher(
    date(2026, 10, 8),
    "缴纳10月份村部电费",
    "国网梅川县供电公司",
    (Line(WATER, Decimal("702.15")), Line(BANK, Decimal("-702.15"))),
    (
        ("attachments", 2),
        ("handler", "吴志强"),
        ("reviewer", "赵德明"),
        ("approver", "王建国"),
        ("invoice", "26320000000012345678"),
        ("invoice-date", "2026-10-06"),
    ),
)
RENT_IN = Voucher(
    date(2026, 10, 9),
    "收到10月份门面租金",
    "个体户程永福",
    (Line(BANK, Decimal("800.00")), Line(RENT, Decimal("-800.00"))),
    (("handler", "周小燕"), ("receipt", "收款收据"), ("receipt-no", "0000001")),
)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", TODAY)


@pytest.fixture
def village(tmp_path: Path) -> Path:
    main_file = make_village(tmp_path / "books", "")
    (main_file.parent / "2026.beancount").write_text("", encoding="utf-8")
    with main_file.open("a", encoding="utf-8") as handle:
        handle.write('include "2026.beancount"\n')
    return main_file


def model_of(main_file: Path) -> LedgerModel:
    model = audit([main_file]).villages[0].model
    assert model is not None
    return model


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def sheet(main_file: Path, path: Path, vouchers: Sequence[Voucher] = ()) -> Path:
    write_template(model_of(main_file), path, date(2026, 10, 31), vouchers)
    return path


def raw_sheet(main_file: Path, path: Path, rows: list[dict[str, Any]]) -> Path:
    """The template with `rows` (header -> value) typed into 凭证 from row 2."""
    sheet(main_file, path)
    book = openpyxl.load_workbook(path)
    cells = book[SHEET]
    for number, values in enumerate(rows, 2):
        for header, value in values.items():
            cells.cell(row=number, column=HEADERS.index(header) + 1, value=value)
    book.save(path)
    return path


def payment(**changes: Any) -> list[dict[str, Any]]:
    """A compliant payment as two rows; `changes` replace cells of its first row."""
    first = {
        "日期": date(2026, 10, 8),
        "摘要": "缴纳10月份村部电费",
        "对方单位": "国网梅川县供电公司",
        "科目编码": "51305 管理费用—水电费",
        "借方金额": 702.15,
        "经手人": "吴志强",
        "审核人": "赵德明",
        "审批人": "王建国",
        "发票号码/凭据类型": "26320000000012345678",
    }
    first.update(changes)
    return [first, {"科目编码": "10201", "贷方金额": 702.15}]


def ledger_bytes(main_file: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in main_file.parent.glob("*.beancount")}


# ---- the template ----


def test_template_offers_the_villages_accounts_people_and_resolutions(
    village: Path, tmp_path: Path
) -> None:
    with village.open("a", encoding="utf-8") as handle:
        handle.write(
            '2026-09-01 custom "会议决议" "2026-09-两委-1" "两委联席会议" "修缮" 5000.00 CNY\n'
        )
        handle.write('2026-06-30 custom "离任" "李红梅" "主任"\n')
    out = tmp_path / "凭证.xlsx"
    result = run("template", "vouchers", village, "-o", out, "--date", "2026-10-31")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["凭证", "科目", "人员", "决议", "说明"]
    assert [c.value for c in book["凭证"][1]] == HEADERS
    accounts = [r[0] for r in book["科目"].iter_rows(min_row=2, values_only=True)]
    assert "10201 银行存款—农商行" in accounts and "51305 管理费用—水电费" in accounts
    people = list(book["人员"].iter_rows(min_row=2, values_only=True))
    approvers = [r[0] for r in people if r[0]]
    assert approvers == ["王建国"]  # 李红梅 left the post before the list's day
    assert [r[0] for r in people if r[1]] and "赵德明" in [r[1] for r in people]
    meetings = [r[0] for r in book["决议"].iter_rows(min_row=2, values_only=True)]
    assert meetings == ["2026-09-两委-1"]
    validated = {
        HEADERS[openpyxl.utils.column_index_from_string(str(v.sqref).split(":")[0][0]) - 1]
        for v in book["凭证"].data_validations.dataValidation
    }
    assert {"科目编码", "经手人", "审核人", "审批人", "决议编号", "发票号码/凭据类型"} <= validated
    assert book["说明"]["B1"].value == "测试乡测试村股份经济合作社"


def test_template_does_not_overwrite_a_sheet(village: Path, tmp_path: Path) -> None:
    out = tmp_path / "凭证.xlsx"
    out.write_bytes(b"filled in")
    result = run("template", "vouchers", village, "-o", out)
    assert result.exit_code == 2 and "未覆盖" in result.output
    assert out.read_bytes() == b"filled in"


# ---- reading, numbering, writing ----


def test_import_prints_numbered_entries_and_writes_only_with_write(
    village: Path, tmp_path: Path
) -> None:
    path = sheet(village, tmp_path / "凭证.xlsx", [RENT_IN, ELECTRICITY])
    before = ledger_bytes(village)
    shown = run("import-vouchers", village, path)
    assert shown.exit_code == 0, shown.output
    assert ledger_bytes(village) == before
    # numbered in date order whatever the order of the rows
    assert shown.output.index('"2026-10-001"') < shown.output.index('"2026-10-002"')
    assert shown.output.index("缴纳10月份村部电费") < shown.output.index("收到10月份门面租金")
    written = run("import-vouchers", village, path, "--write")
    assert written.exit_code == 0, written.output
    year = (village.parent / "2026.beancount").read_text(encoding="utf-8")
    assert 'voucher: "2026-10-001"' in year and 'voucher: "2026-10-002"' in year


def test_numbers_continue_the_books_and_skip_numbers_typed_in(village: Path) -> None:
    (village.parent / "2026.beancount").write_text(HAND_WRITTEN, encoding="utf-8")
    model = model_of(village)
    typed = Voucher(RENT_IN.day, "另一笔租金", "甲", RENT_IN.lines, RENT_IN.meta, "2026-10-003")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "凭证.xlsx"
        write_template(model, path, date(2026, 10, 31), [ELECTRICITY, typed, RENT_IN])
        read = read_sheet(path, model)
    assert read.errors == []
    numbers = [dict(e.meta)["voucher"] for e in entries(model, read.vouchers)]
    assert numbers == ['"2026-10-004"', '"2026-10-003"', '"2026-10-005"']


def comparable(entry: Any) -> tuple[Any, ...]:
    meta = {k: v for k, v in entry.meta.items() if k not in ("filename", "lineno", "entry-digest")}
    postings = [(p.account, p.units) for p in entry.postings]
    return (entry.date, entry.flag, entry.payee or None, entry.narration, meta, postings)


def test_imported_entries_equal_hand_written_ones(tmp_path: Path) -> None:
    by_hand = make_village(tmp_path / "a", HAND_WRITTEN)
    imported = make_village(tmp_path / "b", "")
    path = sheet(imported, tmp_path / "凭证.xlsx", [ELECTRICITY, RENT_IN])
    result = run("import-vouchers", imported, path, "--write")
    assert result.exit_code == 0, result.output
    assert result.output.count("entry-digest") == 2

    def vouchers(main_file: Path) -> list[tuple[Any, ...]]:
        loaded = load_ledger(main_file)
        assert loaded.errors == []
        return [comparable(e) for e in loaded.entries if "voucher" in getattr(e, "meta", {})]

    assert vouchers(imported) == vouchers(by_hand)
    assert len(vouchers(imported)) == 2


def test_importing_twice_adds_nothing_and_an_extended_sheet_adds_only_the_new(
    village: Path, tmp_path: Path
) -> None:
    path = sheet(village, tmp_path / "凭证.xlsx", [ELECTRICITY])
    assert run("import-vouchers", village, path, "--write").exit_code == 0
    after_first = ledger_bytes(village)
    again = run("import-vouchers", village, path, "--write")
    assert again.exit_code == 0, again.output
    assert "第 2–3 行：已导入（凭证号 2026-10-001），跳过" in again.output
    assert "没有需要导入的新凭证" in again.output
    assert ledger_bytes(village) == after_first
    extended = sheet(village, tmp_path / "凭证2.xlsx", [ELECTRICITY, RENT_IN])
    result = run("import-vouchers", village, extended, "--write")
    assert result.exit_code == 0, result.output
    year = (village.parent / "2026.beancount").read_text(encoding="utf-8")
    assert year.count("缴纳10月份村部电费") == 1 and year.count("收到10月份门面租金") == 1
    assert 'voucher: "2026-10-002"' in year


def test_two_identical_vouchers_of_one_sheet_are_both_imported_once(
    village: Path, tmp_path: Path
) -> None:
    twice = Voucher(
        RENT_IN.day, RENT_IN.narration, RENT_IN.payee, RENT_IN.lines, (("receipt", "银行回单"),)
    )
    path = sheet(village, tmp_path / "凭证.xlsx", [twice, twice])
    assert run("import-vouchers", village, path, "--write").exit_code == 0
    assert run("import-vouchers", village, path, "--write").exit_code == 0
    year = (village.parent / "2026.beancount").read_text(encoding="utf-8")
    assert year.count("收到10月份门面租金") == 2


def test_a_rule_error_of_a_voucher_writes_nothing_and_names_its_rows(
    village: Path, tmp_path: Path
) -> None:
    rows = [*payment(), *payment(审批人=None, 日期=date(2026, 10, 9))]
    path = raw_sheet(village, tmp_path / "凭证.xlsx", rows)
    before = ledger_bytes(village)
    result = run("import-vouchers", village, path, "--write")
    assert result.exit_code == 1, result.output
    assert "第 4–5 行（凭证 2026-10-002）：VL101 错误" in result.output
    assert "未写入" in result.output
    assert ledger_bytes(village) == before


def test_a_voucher_that_breaks_a_later_balance_assertion_is_refused(
    village: Path, tmp_path: Path
) -> None:
    with village.open("a", encoding="utf-8") as handle:
        handle.write(f"2026-10-20 balance {BANK} 500000.00 CNY\n")
    path = raw_sheet(village, tmp_path / "凭证.xlsx", payment())
    result = run("import-vouchers", village, path, "--write")
    assert result.exit_code == 1, result.output
    assert "加入这些凭证后" in result.output and "BEANCOUNT" in result.output


def test_warnings_are_shown_and_do_not_stop_the_write(village: Path, tmp_path: Path) -> None:
    # a second receipt number with a gap: VL306 is a warning
    rows = [
        {
            "日期": date(2026, 10, 9),
            "摘要": "收到租金",
            "科目编码": "10201",
            "借方金额": 800,
            "经手人": "周小燕",
            "发票号码/凭据类型": "收款收据",
            "收款收据号": "0000001",
        },
        {"科目编码": "50102", "贷方金额": 800},
        {
            "日期": date(2026, 10, 10),
            "摘要": "收到租金",
            "科目编码": "10201",
            "借方金额": 800,
            "经手人": "周小燕",
            "发票号码/凭据类型": "收款收据",
            "收款收据号": "0000005",
        },
        {"科目编码": "50102", "贷方金额": 800},
    ]
    path = raw_sheet(village, tmp_path / "凭证.xlsx", rows)
    result = run("import-vouchers", village, path, "--write")
    assert result.exit_code == 0, result.output
    assert "VL306 预警" in result.output and "已追加 2 张凭证" in result.output


# ---- every row the sheet cannot read ----

ROW_ERRORS: list[tuple[str, Callable[[], list[dict[str, Any]]], str]] = [
    ("bad date", lambda: payment(日期="十月八日"), "第 2 行：日期“十月八日”不是日期"),
    ("impossible date", lambda: payment(日期="2026-02-30"), "第 2 行：日期“2026-02-30”不是日期"),
    (
        "no date on the first row",
        lambda: [{"科目编码": "10201", "借方金额": 1}, *payment()],
        "第 2 行：没有日期",
    ),
    ("no account", lambda: payment(科目编码=None), "第 2 行：缺少科目编码"),
    (
        "unknown account",
        lambda: payment(科目编码="99999"),
        "第 2 行：科目“99999”不在本村的科目表中",
    ),
    (
        "both sides",
        lambda: payment(贷方金额=702.15),
        "第 2 行：借方金额和贷方金额只能填一个",
    ),
    ("neither side", lambda: payment(借方金额=None), "第 2 行：借方金额和贷方金额都没有填"),
    ("not an amount", lambda: payment(借方金额="七百"), "第 2 行：借方金额“七百”不是金额"),
    (
        "three decimals",
        lambda: payment(借方金额="702.155"),
        "第 2 行：借方金额 702.155 超过两位小数",
    ),
    ("zero", lambda: payment(借方金额=0), "第 2 行：金额为零"),
    (
        "unbalanced",
        lambda: payment(借方金额=700),
        "第 2 行：第 2–3 行的凭证借方合计 700.00 元，贷方合计 702.15 元，借贷不平（相差 2.15 元）",
    ),
    (
        "one line",
        lambda: (
            [
                *payment()[:1],
                {"日期": date(2026, 10, 9), "摘要": "x", "科目编码": "10201", "借方金额": 1},
            ]
        ),
        "第 2 行：一张凭证至少要有两行分录",
    ),
    (
        "a further row contradicts the first",
        lambda: [payment()[0], {**payment()[1], "经手人": "周小燕"}],
        "第 3 行：经手人“周小燕”与本凭证第一行（第 2 行）不同",
    ),
    (
        "bad voucher number",
        lambda: payment(凭证号="10-1"),
        "第 2 行：凭证号“10-1”应写作 YYYY-MM-NNN",
    ),
    (
        "voucher number of another month",
        lambda: payment(凭证号="2026-09-001"),
        "第 2 行：凭证号 2026-09-001 的年月与日期 2026-10-08 不一致",
    ),
    (
        "voucher number used twice",
        lambda: [*payment(凭证号="2026-10-001"), *payment(凭证号="2026-10-001")],
        "第 4 行：凭证号 2026-10-001 在本表第 2 行已用过",
    ),
    (
        "attachments not a count",
        lambda: payment(附件张数="两张"),
        "第 2 行：附件张数“两张”应为不小于零的整数",
    ),
    ("guests negative", lambda: payment(来客人数=-1), "第 2 行：来客人数“-1”应为不小于零的整数"),
    (
        "invoice stored as a number",
        lambda: payment(**{"发票号码/凭据类型": 2.6320000000012345e19}),
        "第 2 行：发票号码被存成了数字（2.632e+19）",
    ),
    ("bad invoice date", lambda: payment(开票日期="昨天"), "第 2 行：开票日期“昨天”不是日期"),
    ("no narration", lambda: payment(摘要=None), "第 2 行：缺少摘要"),
]


@pytest.fixture(scope="module")
def sheet_model(tmp_path_factory: pytest.TempPathFactory) -> LedgerModel:
    return model_of(make_village(tmp_path_factory.mktemp("rows"), ""))


def as_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [HEADERS, *([row.get(h) for h in HEADERS] for row in rows)]


@pytest.mark.parametrize(
    ("rows", "message"), [(r, m) for _, r, m in ROW_ERRORS], ids=[i for i, _, _ in ROW_ERRORS]
)
def test_each_row_error_names_the_row_and_reads_no_voucher(
    sheet_model: LedgerModel, rows: Callable[[], list[dict[str, Any]]], message: str
) -> None:
    # a good voucher after the bad rows: one bad row and no voucher is read
    good = [{**payment()[0], "日期": date(2026, 10, 1)}, payment()[1]]
    read = read_rows(as_rows(rows() + good), sheet_model)
    assert any(message in str(e) for e in read.errors), read.errors
    assert read.vouchers == []
    assert read_rows(as_rows(good), sheet_model).errors == []


def test_a_sheet_with_one_bad_row_writes_nothing(village: Path, tmp_path: Path) -> None:
    rows = [*payment(), *payment(日期=date(2026, 10, 9), 借方金额="七百")]
    path = raw_sheet(village, tmp_path / "凭证.xlsx", rows)
    before = ledger_bytes(village)
    result = run("import-vouchers", village, path, "--write")
    assert result.exit_code == 2, result.output
    assert f"{path} 第 4 行：借方金额“七百”不是金额" in result.output
    assert "凭证一张也未写入" in result.output and "Traceback" not in result.output
    assert ledger_bytes(village) == before


def test_a_sheet_of_another_village_is_refused(tmp_path: Path) -> None:
    other = make_village(tmp_path / "other", "", name="other")
    text = other.read_text(encoding="utf-8").replace("测试乡测试村", "测试乡别的村")
    other.write_text(text, encoding="utf-8")
    mine = make_village(tmp_path / "mine", "")
    path = sheet(other, tmp_path / "凭证.xlsx", [RENT_IN])
    result = run("import-vouchers", mine, path)
    assert result.exit_code == 2 and "是为“测试乡别的村股份经济合作社”生成的" in result.output


def test_a_workbook_without_the_headers_or_not_a_workbook_is_refused(
    village: Path, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    book.active.append(["随便", "什么"])
    book.save(tmp_path / "x.xlsx")
    result = run("import-vouchers", village, tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "找不到表头" in result.output
    (tmp_path / "y.xlsx").write_bytes(b"not a zip")
    result = run("import-vouchers", village, tmp_path / "y.xlsx")
    assert result.exit_code == 2 and "不是可读取的 Excel 文件" in result.output
    (tmp_path / "z.csv").write_text("日期\n", encoding="utf-8")
    result = run("import-vouchers", village, tmp_path / "z.csv")
    assert result.exit_code == 2 and "只能导入 .xlsx" in result.output


# ---- the round trip, for any valid vouchers ----

ACCOUNTS = [BANK, CASH, WATER, RENT, "Expenses:513-管理费用:51304-差旅费"]
names = st.text(
    st.characters(codec="utf-8", categories=("Lo", "Nd", "Lu", "Po", "Pd")), min_size=1, max_size=12
)
amounts = st.integers(min_value=1, max_value=10**9).map(lambda c: Decimal(c) / 100)


@st.composite
def vouchers(draw: st.DrawFn) -> Voucher:
    count = draw(st.integers(2, 4))
    picked = draw(st.lists(st.sampled_from(ACCOUNTS), min_size=count, max_size=count))
    sums = draw(st.lists(amounts, min_size=count - 1, max_size=count - 1))
    lines = [Line(a, s) for a, s in zip(picked, sums, strict=False)]
    lines.append(Line(picked[-1], -sum(sums, Decimal(0))))
    meta: list[tuple[str, str | int]] = []
    if draw(st.booleans()):
        meta.append(("attachments", draw(st.integers(0, 30))))
    for key in ("handler", "reviewer", "approver"):
        if draw(st.booleans()):
            meta.append((key, draw(names)))
    document = draw(st.sampled_from(["invoice", "receipt", None]))
    if document == "invoice":
        meta.append(("invoice", draw(st.from_regex(r"\A\d{20}\Z"))))
    elif document == "receipt":
        meta.append(("receipt", draw(st.sampled_from(["收款收据", "工资表", "银行回单"]))))
    if draw(st.booleans()):
        meta.append(("guests", draw(st.integers(0, 40))))
    return Voucher(
        day=draw(st.dates(date(2026, 10, 1), date(2026, 12, 31))),
        narration=draw(names),
        payee=draw(st.one_of(st.just(""), names)),
        lines=tuple(lines),
        meta=tuple(meta),
    )


@pytest.fixture(scope="module")
def round_trip_model(tmp_path_factory: pytest.TempPathFactory) -> LedgerModel:
    main_file = make_village(tmp_path_factory.mktemp("round"), "")
    return model_of(main_file)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(vouchers(), min_size=1, max_size=4))
def test_valid_vouchers_survive_the_sheet_round_trip(
    round_trip_model: LedgerModel, generated: list[Voucher]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "凭证.xlsx"
        write_template(round_trip_model, path, date(2026, 10, 31), generated)
        read = read_sheet(path, round_trip_model)
    assert read.errors == []
    assert [v.voucher for v in read.vouchers] == generated
    # and as Beancount reads the entries made of them
    made = entries(round_trip_model, read.vouchers)
    parsed, errors, _ = parser.parse_string("\n".join(e.text() for e in made))
    assert errors == []
    by_digest = {v.digest: v.voucher for v in made.values()}
    for entry in parsed:
        voucher = by_digest[entry.meta["entry-digest"]]
        meta = {k: v for k, v in entry.meta.items() if k not in ("filename", "lineno")}
        assert (entry.date, entry.payee or "", entry.narration) == (
            voucher.day,
            voucher.payee,
            voucher.narration,
        )
        assert [(p.account, p.units.number) for p in entry.postings] == [
            (line.account, line.amount) for line in voucher.lines
        ]
        assert {k: v for k, v in meta.items() if k not in ("voucher", "entry-digest")} == dict(
            voucher.meta
        )


def test_the_dashboard_form_reads_one_voucher_and_names_its_lines(sheet_model: LedgerModel) -> None:
    fields = {"day": "2026-10-08", "narration": "缴纳电费", "handler": "吴志强"}
    lines = [
        {"account": "51305 管理费用—水电费", "debit": "702.15"},
        {"account": "99999", "credit": "702.15"},
        {"account": "", "debit": "", "credit": ""},  # an empty line is left out
    ]
    read = read_form(fields, lines, sheet_model, "nonce-1")
    assert [str(e) for e in read.errors] == [
        "第 2 行：科目“99999”不在本村的科目表中（见“科目”工作表）"
    ]
    lines[1]["account"] = "10201"
    first = read_form(fields, lines, sheet_model, "nonce-1").vouchers
    again = read_form(fields, lines, sheet_model, "nonce-1").vouchers
    other = read_form(fields, lines, sheet_model, "nonce-2").vouchers
    assert [v.voucher for v in first] == [
        Voucher(date(2026, 10, 8), "缴纳电费", "", (Line(WATER, Decimal("702.15")),
                Line(BANK, Decimal("-702.15"))), (("handler", "吴志强"),))
    ]  # fmt: skip
    # the same form saved twice is one voucher; a new form of the same voucher is another
    assert first[0].digest == again[0].digest != other[0].digest
    assert read_form({"narration": "x"}, lines, sheet_model, "n").errors[0].message == "请填写日期"


def test_a_sheet_across_two_years_goes_to_each_years_file(tmp_path: Path) -> None:
    main_file = make_village(tmp_path / "books", "")
    for year in (2026, 2027):
        (main_file.parent / f"{year}.beancount").write_text("", encoding="utf-8")
        with main_file.open("a", encoding="utf-8") as handle:
            handle.write(f'include "{year}.beancount"\n')
    (main_file.parent / "2028.beancount").write_text("", encoding="utf-8")  # not included
    late = Voucher(date(2027, 1, 5), "一月租金", "甲", RENT_IN.lines, (("receipt", "银行回单"),))
    later = Voucher(date(2028, 1, 5), "次年租金", "甲", RENT_IN.lines, (("receipt", "银行回单"),))
    path = sheet(main_file, tmp_path / "凭证.xlsx", [RENT_IN, late, later])
    result = run("import-vouchers", main_file, path, "--write")
    assert result.exit_code == 0, result.output
    files = {p.name: p.read_text(encoding="utf-8") for p in main_file.parent.glob("*.beancount")}
    assert 'voucher: "2026-10-001"' in files["2026.beancount"]
    assert 'voucher: "2027-01-001"' in files["2027.beancount"]
    # a year file the books do not include would hide the voucher: main.beancount takes it
    assert files["2028.beancount"] == "" and 'voucher: "2028-01-001"' in files["main.beancount"]


def test_a_rent_falling_overdue_as_the_books_reach_later_days_does_not_stop_the_write(
    tmp_path: Path,
) -> None:
    """The voucher takes the books past a rent's grace days: VL701 appears on the contract, not
    on the voucher, and no voucher of the accountant's could put it right, so it is shown and
    the voucher written; an error on the voucher itself still refuses (the tests above)."""
    main_file = make_village(
        tmp_path / "books",
        '2026-01-01 custom "合同" "HT-2026-001" "租赁" "梅川县好运超市" "村部临街店面" '
        '2026-01-01 2026-12-31 1200.00 CNY "月"\n  due-day: "01"\n',
    )
    (main_file.parent / "2026.beancount").write_text("", encoding="utf-8")
    with main_file.open("a", encoding="utf-8") as handle:
        handle.write('include "2026.beancount"\n')
    before = ledger_bytes(main_file)
    result = run(
        "import-vouchers",
        main_file,
        raw_sheet(main_file, tmp_path / "凭证.xlsx", payment()),
        "--write",
    )
    assert "加入这些凭证后" in result.output and "HT-2026-001" in result.output, result.output
    assert result.exit_code == 0, result.output
    assert ledger_bytes(main_file) != before
