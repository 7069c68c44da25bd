"""VL3xx 票据: each rule fires on a ledger that breaks it and stays silent on its near miss."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support import check, codes, line_of, make_village
from tests.test_approval import BANK, CASH, OFFICE, Book, Raw, bean_check
from village_ledger.findings import Finding

MACHINE = "Assets:151-固定资产:15102-机器设备"
PAYABLE = "Liabilities:211-应付款"


def receipts(tmp_path: Path, book: Book) -> tuple[Path, list[Finding]]:
    main = make_village(tmp_path, book.text())
    return main, check(main, select=["VL3"])


def only(findings: list[Finding], code: str) -> Finding:
    assert codes(findings) == [code], [(f.rule, f.message) for f in findings]
    return findings[0]


# ---- VL301 凭据 ----


@pytest.mark.fires("VL301")
def test_expense_without_invoice_or_receipt_is_vl301(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "350.00", narration="购买办公用品", invoice=None)
    main, findings = receipts(tmp_path, book)
    finding = only(findings, "VL301")
    assert finding.line == line_of(main, header)
    assert finding.message.startswith(
        "记入 51302-办公费 的 350.00 元（城关文具店：购买办公用品）没有发票（invoice），"
        "也没有其他凭据（receipt）；应取得发票，或注明收款收据、工资表、银行回单、内部凭证之一"
    )
    assert finding.amount == Decimal("350.00")


def test_unknown_receipt_type_is_vl301(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", invoice=None, receipt="发票复印件")
    _, findings = receipts(tmp_path, book)
    assert "所附凭据“发票复印件”不是认可的凭据类型" in only(findings, "VL301").message


def test_asset_purchase_without_invoice_is_vl301(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "4800.00", "农机站", account=MACHINE, invoice=None)
    main, findings = receipts(tmp_path, book)
    finding = only(findings, "VL301")
    assert finding.line == line_of(main, header)
    assert "记入 15102-机器设备 的 4,800.00 元" in finding.message


def test_accrued_expense_without_invoice_is_vl301(tmp_path: Path) -> None:
    book = Book()
    book.entry(
        "2025-03-05",
        "电力公司",
        "计提三月电费",
        {},
        ["Expenses:513-管理费用:51305-水电费  420.00 CNY", f"{PAYABLE}  -420.00 CNY"],
    )
    _, findings = receipts(tmp_path, book)
    assert "记入 51305-水电费 的 420.00 元" in only(findings, "VL301").message


@pytest.mark.near_miss("VL301")
@pytest.mark.near_miss("VL302")
@pytest.mark.parametrize("kind", ["收款收据", "工资表", "银行回单", "内部凭证"])
def test_accepted_receipt_types_need_no_invoice(tmp_path: Path, kind: str) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", invoice=None, receipt=kind)
    _, findings = receipts(tmp_path, book)
    assert findings == []


def test_entries_that_debit_no_expense_or_asset_need_no_receipt(tmp_path: Path) -> None:
    book = Book()
    book.entry(
        "2025-03-05",
        "电力公司",
        "支付应付电费",
        {},
        [f"{PAYABLE}  420.00 CNY", f"{BANK}  -420.00 CNY"],
    )
    book.entry(
        "2025-03-06", "农商行", "提取备用金", {}, [f"{CASH}  500.00 CNY", f"{BANK}  -500.00 CNY"]
    )
    book.entry(
        "2025-03-07",
        "城关文具店",
        "红字冲销多记的办公费",
        {},
        [f"{OFFICE}  -50.00 CNY", f"{BANK}  50.00 CNY"],
    )
    _, findings = receipts(tmp_path, book)
    assert findings == []


# ---- VL302 白条 ----


@pytest.mark.fires("VL302")
def test_iou_is_vl302_not_vl301(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "600.00", "张大山", "修水管", invoice=None, receipt="白条")
    main, findings = receipts(tmp_path, book)
    finding = only(findings, "VL302")
    assert finding.line == line_of(main, header)
    assert finding.message.startswith("白条入账：凭证 2025-03-001（张大山：修水管）以白条作为凭据")
    assert finding.amount == Decimal("600.00")


def test_iou_on_income_is_vl302(tmp_path: Path) -> None:
    book = Book()
    book.receive("2025-03-05", "1200.00", receipt="白条")
    _, findings = receipts(tmp_path, book)
    finding = only(findings, "VL302")
    assert finding.amount is None


# ---- VL303 重复发票 ----

INVOICE = "25320000000012345678"


@pytest.mark.fires("VL303")
def test_invoice_used_twice_in_a_village_is_vl303_on_the_later(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", narration="购买办公用品", invoice=INVOICE)
    later = book.pay("2025-04-02", "350.00", invoice=INVOICE)
    book.pay("2025-04-03", "350.00", invoice="25320000000012345679")
    main, findings = receipts(tmp_path, book)
    finding = only(findings, "VL303")
    assert finding.line == line_of(main, later)
    assert (
        f"发票 {INVOICE} 重复入账，已用于 2025-03-05 凭证 2025-03-001（城关文具店：购买办公用品）"
        in finding.message
    )


def village_paying(tmp_path: Path, name: str, *payments: tuple[str, str]) -> tuple[Path, list]:
    book = Book()
    headers = [book.pay(day, "350.00", invoice=invoice) for day, invoice in payments]
    return make_village(tmp_path, book.text(), name=name), headers


def test_invoice_used_in_two_villages_is_vl303_on_the_later(tmp_path: Path) -> None:
    first, _ = village_paying(tmp_path, "huangmei", ("2025-03-05", INVOICE))
    second, (header,) = village_paying(tmp_path, "dongshan", ("2025-03-09", INVOICE))
    findings = check(first, second, select=["VL3"])
    finding = only(findings, "VL303")
    assert (finding.village, finding.line) == ("dongshan", line_of(second, header))
    assert finding.file == str(second.resolve())
    assert (
        f"发票 {INVOICE} 已于 2025-03-05 在测试乡测试村股份经济合作社（huangmei）入账"
        "（凭证 2025-03-001），本村再次入账" in finding.message
    )


def test_same_day_reuse_across_villages_sits_on_the_later_village_name(tmp_path: Path) -> None:
    first, _ = village_paying(tmp_path, "aaa", ("2025-03-05", INVOICE))
    second, _ = village_paying(tmp_path, "bbb", ("2025-03-05", INVOICE))
    findings = check(second, first, select=["VL3"])
    assert only(findings, "VL303").village == "bbb"


def test_reuse_within_a_village_is_not_reported_again_across(tmp_path: Path) -> None:
    first, headers = village_paying(
        tmp_path, "huangmei", ("2025-03-05", INVOICE), ("2025-05-05", INVOICE)
    )
    second, (header,) = village_paying(tmp_path, "dongshan", ("2025-04-05", INVOICE))
    findings = check(first, second, select=["VL3"])
    assert codes(findings) == ["VL303", "VL303"]
    assert {(f.village, f.line) for f in findings} == {
        ("huangmei", line_of(first, headers[1])),
        ("dongshan", line_of(second, header)),
    }
    assert all("2025-03-05" in f.message for f in findings)


# a voucher resting on several invoices lists them in one `invoice`
SECOND, THIRD = "25320000000012345679", "1440325091-01234567"


@pytest.mark.fires("VL303")
def test_an_invoice_listed_among_several_is_used_once(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", narration="购买办公用品", invoice=f"{INVOICE},{SECOND}")
    later = book.pay("2025-04-02", "120.00", invoice=f"{THIRD}、{SECOND}")
    main, findings = receipts(tmp_path, book)
    finding = only(findings, "VL303")
    assert finding.line == line_of(main, later)
    assert f"发票 {SECOND} 重复入账，已用于 2025-03-05 凭证 2025-03-001" in finding.message


@pytest.mark.fires("VL303")
def test_an_invoice_listed_in_one_village_and_booked_in_another(tmp_path: Path) -> None:
    first, _ = village_paying(tmp_path, "huangmei", ("2025-03-05", f"{SECOND}；{INVOICE}"))
    second, (header,) = village_paying(tmp_path, "dongshan", ("2025-03-09", INVOICE))
    finding = only(check(first, second, select=["VL3"]), "VL303")
    assert (finding.village, finding.line) == ("dongshan", line_of(second, header))
    assert f"发票 {INVOICE} 已于 2025-03-05 在" in finding.message


@pytest.mark.near_miss("VL303")
@pytest.mark.near_miss("VL305")
@pytest.mark.parametrize("sep", [",", "，", "、", ";", " ", ", "])
def test_several_different_invoices_on_one_voucher_are_fine(tmp_path: Path, sep: str) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", invoice=sep.join((INVOICE, SECOND, THIRD)))
    book.pay("2025-03-06", "350.00", invoice="25320000000012345670")
    assert receipts(tmp_path, book)[1] == []


@pytest.mark.fires("VL305")
def test_a_malformed_number_among_several_is_named(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "350.00", invoice=f"{INVOICE},2532000000001234567")
    main, findings = receipts(tmp_path, book)
    finding = only(findings, "VL305")
    assert finding.line == line_of(main, header)
    assert "发票号码“2532000000001234567”格式不对（共写了 2 个号码）" in finding.message


@pytest.mark.near_miss("VL303")
def test_different_invoices_in_two_villages_are_fine(tmp_path: Path) -> None:
    first, _ = village_paying(tmp_path, "huangmei", ("2025-03-05", INVOICE))
    second, _ = village_paying(tmp_path, "dongshan", ("2025-03-09", "25320000000012345679"))
    assert check(first, second, select=["VL3"]) == []


# ---- VL304 开票日期 ----


@pytest.mark.fires("VL304")
@pytest.mark.near_miss("VL304")
@pytest.mark.parametrize("written", [str, Raw], ids=["quoted", "unquoted"])
@pytest.mark.parametrize(
    ("issued", "fires", "words"),
    [
        ("2025-03-06", True, "开票日期 2025-03-06 晚于记账日期 2025-03-05"),
        ("2025-03-05", False, ""),
        ("2024-09-05", True, "早于记账日期 181 天，超过票据最长间隔天数 180 天"),
        ("2024-09-06", False, ""),
    ],
)
def test_invoice_date_window(
    tmp_path: Path, issued: str, fires: bool, words: str, written: type
) -> None:
    book = Book()
    book.pay("2025-03-04", "350.00", invoice_date=written("2025-03-01"))
    header = book.pay("2025-03-05", "350.00", invoice_date=written(issued))
    main, findings = receipts(tmp_path, book)
    if not fires:
        assert findings == []
        return
    finding = only(findings, "VL304")
    assert finding.severity == "warning"
    assert finding.line == line_of(main, header)
    assert words in finding.message


def test_invoice_date_limit_follows_village_policy(tmp_path: Path) -> None:
    book = Book()
    book.add('2025-01-01 custom "财务制度" "票据最长间隔天数" 30')
    book.pay("2025-03-05", "350.00", invoice_date="2025-02-03")
    book.pay("2025-03-05", "350.00", invoice_date="2025-02-02")
    _, findings = receipts(tmp_path, book)
    assert "超过票据最长间隔天数 30 天" in only(findings, "VL304").message


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2025-13-01", "开票日期（invoice-date）“2025-13-01”不是有效日期"),
        ("03/01/2025", "“03/01/2025”不是有效日期，应写作 YYYY-MM-DD"),
        ("2025年2月30日", "“2025年2月30日”不是有效日期"),
        (Raw("20250301"), "开票日期（invoice-date）被读作数字 20250301不是有效日期"),
    ],
)
def test_malformed_invoice_date_is_a_vl304_finding(tmp_path: Path, value: str, words: str) -> None:
    book = Book()
    header = book.pay("2025-03-05", "350.00", invoice_date=value)
    main, findings = receipts(tmp_path, book)
    finding = only(findings, "VL304")
    assert finding.line == line_of(main, header)
    assert words in finding.message


@pytest.mark.near_miss("VL304")
@pytest.mark.parametrize("value", ["2025/03/05", "2025.3.5", "2025-3-5", "2025年3月5日"])
def test_an_invoice_date_as_copied_off_the_invoice_is_read(tmp_path: Path, value: str) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", invoice_date=value)
    assert receipts(tmp_path, book)[1] == []


@pytest.mark.fires("VL304")
def test_an_invoice_date_written_with_slashes_is_still_judged(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", invoice_date="2025/03/06")
    _, findings = receipts(tmp_path, book)
    assert "开票日期 2025-03-06 晚于记账日期 2025-03-05" in only(findings, "VL304").message


def test_unquoted_invoice_date_is_read_as_a_date(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", invoice_date=Raw("2025-03-01"))
    _, findings = receipts(tmp_path, book)
    assert findings == []


# ---- VL305 发票号码格式 ----


@pytest.mark.fires("VL305")
@pytest.mark.parametrize(
    "invoice",
    [
        "12345",
        "2532000000001234567X",
        "253200000000123456789",
        "2532000000001234567",
        "12345678901-12345678",
        "1234567890-1234567",
        "１２３４５６７８９０１２３４５６７８９０",
        "1234567890 12345678",
    ],
)
def test_malformed_invoice_is_vl305_not_vl301(tmp_path: Path, invoice: str) -> None:
    book = Book()
    header = book.pay("2025-03-05", "350.00", invoice=invoice)
    main, findings = receipts(tmp_path, book)
    finding = only(findings, "VL305")
    assert finding.line == line_of(main, header)
    assert f"发票号码“{invoice}”格式不对，应为 20 位数字的全电发票号码" in finding.message


@pytest.mark.near_miss("VL305")
@pytest.mark.parametrize(
    "invoice", ["25320000000012345678", "1440325091-01234567", "144032509110-01234567"]
)
def test_well_formed_invoices_pass(tmp_path: Path, invoice: str) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", invoice=f" {invoice} ")
    _, findings = receipts(tmp_path, book)
    assert findings == []


def test_unquoted_invoice_is_vl305(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", invoice=Raw("1440325091-01234567"))
    _, findings = receipts(tmp_path, book)
    message = only(findings, "VL305").message
    assert "invoice 未加引号，被读作数字" in message
    assert 'invoice: "144032509110-01234567"' in message


# ---- VL306 收款收据 ----


def receipts_used(tmp_path: Path, numbers: list[tuple[str, object]]) -> tuple[Path, list, list]:
    book = Book()
    headers = [book.receive(day, "100.00", receipt_no=number) for day, number in numbers]
    main, findings = receipts(tmp_path, book)
    return main, headers, findings


@pytest.mark.fires("VL306")
def test_gap_in_receipt_book_is_vl306(tmp_path: Path) -> None:
    main, headers, findings = receipts_used(
        tmp_path, [("2025-03-01", "0011"), ("2025-03-02", "0012"), ("2025-03-09", "0016")]
    )
    finding = only(findings, "VL306")
    assert finding.severity == "warning"
    assert finding.line == line_of(main, headers[2])
    assert (
        "收款收据 0016 之前缺少 0013 至 0015（共 3 个）（上一张为 0012，2025-03-02）"
        in finding.message
    )


def test_repeated_receipt_is_vl306(tmp_path: Path) -> None:
    main, headers, findings = receipts_used(
        tmp_path, [("2025-03-01", "0011"), ("2025-03-02", "0012"), ("2025-03-03", "0012")]
    )
    finding = only(findings, "VL306")
    assert finding.line == line_of(main, headers[2])
    assert "收款收据 0012 重复使用，已用于 2025-03-02 凭证 2025-03-002" in finding.message


def test_receipt_used_after_a_higher_number_is_vl306(tmp_path: Path) -> None:
    main, headers, findings = receipts_used(
        tmp_path, [("2025-03-01", "0011"), ("2025-03-02", "0013"), ("2025-03-03", "0012")]
    )
    assert codes(findings) == ["VL306", "VL306"]
    by_line = {f.line: f.message for f in findings}
    assert "收款收据 0013 之前缺少 0012" in by_line[line_of(main, headers[1])]
    assert "晚于编号更大的 0013（2025-03-02）" in by_line[line_of(main, headers[2])]


@pytest.mark.near_miss("VL306")
def test_receipts_of_one_day_booked_in_any_order_are_fine(tmp_path: Path) -> None:
    _, _, findings = receipts_used(
        tmp_path,
        [("2025-03-01", "0012"), ("2025-03-01", "0011"), ("2025-04-01", Raw("13"))],
    )
    assert findings == []


def test_each_receipt_book_is_numbered_on_its_own(tmp_path: Path) -> None:
    _, _, findings = receipts_used(
        tmp_path, [("2025-03-01", "A-0001"), ("2025-03-02", "B-0001"), ("2025-03-03", "A-0002")]
    )
    assert findings == []


def test_unreadable_receipt_number_is_vl306(tmp_path: Path) -> None:
    main, headers, findings = receipts_used(tmp_path, [("2025-03-01", "无")])
    finding = only(findings, "VL306")
    assert finding.line == line_of(main, headers[0])
    assert "收款收据号（receipt-no）“无”无法识别" in finding.message


# ---- VL307 凭证号 ----


def test_missing_voucher_number_is_vl307(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "350.00", narration="购买办公用品", voucher=None)
    main, findings = receipts(tmp_path, book)
    finding = only(findings, "VL307")
    assert finding.line == line_of(main, header)
    assert finding.message == (
        '没有凭证号（voucher）；应按月从 001 起连续编号，如 voucher: "2025-03-001"'
        "（城关文具店：购买办公用品）"
    )


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2025-3-1", "凭证号“2025-3-1”格式不对"),
        ("2025-03-000", "凭证号“2025-03-000”格式不对"),
        ("记-001", "凭证号“记-001”格式不对"),
        (Raw("2025-03-001"), "voucher 未加引号，被读作日期 2025-03-01"),
        ("2025-03-001\n2025-03-002", "格式不对"),  # two numbers on one voucher
    ],
)
def test_malformed_voucher_number_is_vl307(tmp_path: Path, value: str, words: str) -> None:
    book = Book()
    header = book.pay("2025-03-05", "350.00", voucher=value)
    main, findings = receipts(tmp_path, book)
    finding = only(findings, "VL307")
    assert finding.line == line_of(main, header)
    assert words in finding.message


def test_voucher_number_of_another_month_is_vl307(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "350.00", voucher="2025-02-001")
    book.pay("2025-03-06", "350.00", voucher="2025-03-001")
    main, findings = receipts(tmp_path, book)
    finding = only(findings, "VL307")
    assert finding.line == line_of(main, header)
    assert "凭证号 2025-02-001 的年月与记账日期 2025-03-05 不符，应为 2025-03-NNN" in (
        finding.message
    )


def test_repeated_voucher_number_is_vl307_on_the_later(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", narration="购买办公用品")
    later = book.pay("2025-03-09", "350.00", voucher="2025-03-001")
    main, findings = receipts(tmp_path, book)
    finding = only(findings, "VL307")
    assert finding.line == line_of(main, later)
    assert "凭证号 2025-03-001 重复，已用于 2025-03-05 的凭证（城关文具店：购买办公用品）" in (
        finding.message
    )


@pytest.mark.fires("VL307")
@pytest.mark.parametrize(
    ("numbers", "after", "missing"),
    [
        (["001", "002", "004"], "004", "2025-03-003"),
        (["002", "003"], "002", "2025-03-001"),
        (["001", "005"], "005", "2025-03-002 至 2025-03-004（共 3 个）"),
    ],
)
def test_gap_in_voucher_numbers_is_vl307(
    tmp_path: Path, numbers: list[str], after: str, missing: str
) -> None:
    book = Book()
    headers = {n: book.pay("2025-03-05", "350.00", voucher=f"2025-03-{n}") for n in numbers}
    main, findings = receipts(tmp_path, book)
    finding = only(findings, "VL307")
    assert finding.line == line_of(main, headers[after])
    assert f"凭证号 2025-03-{after} 之前缺少 {missing}；每月凭证应从 001 起连续编号" in (
        finding.message
    )


@pytest.mark.near_miss("VL307")
def test_numbering_restarts_each_month(tmp_path: Path) -> None:
    book = Book()
    for day in ("2025-03-05", "2025-03-31", "2025-04-01", "2025-12-31", "2026-01-01"):
        book.pay(day, "350.00")
    _, findings = receipts(tmp_path, book)
    assert findings == []


# ---- in bean-check ----


def test_receipts_plugin_alone_reports_in_bean_check(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "600.00", "张大山", invoice=None, receipt="白条")
    main = make_village(tmp_path, book.text(), plugin="village_ledger.plugins.receipts")
    result = bean_check(main)
    assert result.returncode == 1
    assert f"{main}:{line_of(main, header)}:" in result.stderr + result.stdout
    assert "VL302 白条入账" in result.stderr + result.stdout


# ---- invariants ----


@st.composite
def numbered_months(draw: st.DrawFn) -> list[tuple[str, int]]:
    """(day, number) of vouchers numbered 1..n in each of a few months, in shuffled order."""
    vouchers = []
    for month in draw(st.sets(st.integers(1, 12), min_size=1, max_size=3)):
        count = draw(st.integers(1, 12))
        for number in range(1, count + 1):
            vouchers.append((f"2025-{month:02d}-{draw(st.integers(1, 28)):02d}", number))
    return draw(st.permutations(vouchers))


def book_of(vouchers: list[tuple[str, int]]) -> Book:
    """Each voucher's narration is its number, so a test can find its line."""
    book = Book()
    for day, number in vouchers:
        book.pay(
            day,
            "350.00",
            narration=f"凭证{day[:7]}-{number:03d}",
            voucher=f"{day[:7]}-{number:03d}",
        )
    return book


@given(vouchers=numbered_months())
def test_vouchers_numbered_without_gaps_pass(tmp_path: Path, vouchers: list) -> None:
    _, findings = receipts(tmp_path, book_of(vouchers))
    assert findings == []


@given(vouchers=numbered_months(), pick=st.integers(min_value=0))
def test_dropping_a_voucher_before_the_last_leaves_one_gap(
    tmp_path: Path, vouchers: list, pick: int
) -> None:
    last = {}
    for day, number in vouchers:
        last[day[:7]] = max(last.get(day[:7], 0), number)
    inner = [v for v in vouchers if v[1] < last[v[0][:7]]]
    if not inner:
        return
    day, number = inner[pick % len(inner)]
    kept = [v for v in vouchers if v != (day, number)]
    main, findings = receipts(tmp_path, book_of(kept))
    finding = only(findings, "VL307")
    assert f"之前缺少 {day[:7]}-{number:03d}；" in finding.message
    assert finding.line == line_of(main, f'"凭证{day[:7]}-{number + 1:03d}"')


@given(
    start=st.integers(1, 9000),
    count=st.integers(2, 15),
    drop=st.integers(min_value=0),
    width=st.integers(4, 7),
)
def test_receipt_book_sequence(
    tmp_path: Path, start: int, count: int, drop: int, width: int
) -> None:
    numbers = [f"{n:0{width}d}" for n in range(start, start + count)]
    days = [f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}" for i in range(count)]
    _, _, findings = receipts_used(tmp_path, list(zip(days, numbers, strict=True)))
    assert findings == []
    if count < 3:
        return  # no receipt between the first and the last to tear out
    gone = 1 + drop % (count - 2)
    kept = [(d, n) for i, (d, n) in enumerate(zip(days, numbers, strict=True)) if i != gone]
    _, _, findings = receipts_used(tmp_path / "gap", kept)
    assert (
        f"之前缺少 {numbers[gone]}（上一张为 {numbers[gone - 1]}" in only(findings, "VL306").message
    )


# ---- VL307's usual case: a month numbered 001 to its count, checked at once ----

NUMBERS = st.sampled_from(
    [
        *("2025-03-001", "2025-03-002", "2025-03-003", "2025-03-0004", "2025-03-01"),
        *("2025-04-001", "2025-03-００2", " 2025-03-002", "2025-03-002\n2025-03-003"),
        *("2025-03-2025-03-001", ""),
    ]
)


@given(values=st.lists(NUMBERS, min_size=1, max_size=5))
def test_a_month_is_in_order_exactly_when_each_number_is_its_own_and_none_is_missing(
    values: list[str],
) -> None:
    import re

    from village_ledger.plugins.numbering import month_numbered_in_order

    expected = all(re.fullmatch(r"2025-03-[0-9]{3,}", value) for value in values) and sorted(
        int(value[8:]) for value in values
    ) == list(range(1, len(values) + 1))
    assert month_numbered_in_order("2025-03", values) == expected


# ---- one reading of a voucher's invoices: the rules' columns and the export agree ----

INVOICE_VALUES = st.sampled_from(
    [
        *(INVOICE, SECOND, THIRD, f" {INVOICE} ", f"{INVOICE}、{SECOND}", f"{THIRD}; {INVOICE}"),
        *(f"{INVOICE},2532000000001234567", "2532000000001234567", f"{INVOICE}\n{SECOND}"),
        *(Decimal(25320000000012345678), "", None),
    ]
)


@given(values=st.lists(INVOICE_VALUES, min_size=1, max_size=5))
def test_the_rules_columns_read_each_voucher_as_its_invoices_are_read_alone(
    values: list[object],
) -> None:
    from village_ledger.model.columns import invoices_of, present, read_invoices

    invoices = read_invoices(values)
    rows = present(invoices.numbers)
    read = {i: tuple(n for j, n in invoices.uses(rows) if j == i) for i in rows}
    alone = {i: found for i, value in enumerate(values) if (found := invoices_of(value))}
    assert read == alone
