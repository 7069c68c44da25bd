"""The quarterly 财务公开 model: its figures against beanquery's, and every table against its totals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from beanquery.query import run_query
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reporting import bq_sum
from tests.support import make_village
from village_ledger.audit import audit
from village_ledger.loading import load_ledger
from village_ledger.model import Quarter, build_model
from village_ledger.reports.chinese_amount import capital_amount, capital_cents
from village_ledger.reports.disclosure import Disclosure, build_disclosure

Q2 = Quarter(2025, 2)

# A village's second quarter of 2025, with a year-earlier quarter to compare and one of
# everything the report shows: receptions, cadre pay, travel, a resolution, a special fund,
# advances, a payable, relief, depreciation and a cash deposit.
SAMPLE = """
2024-01-01 open Assets:112-应收款:11201-个人借支:1120101-张三 CNY
2024-01-01 open Assets:113-内部往来:11301-一组 CNY
2024-01-01 open Assets:113-内部往来:11302-二组 CNY
2024-01-01 open Liabilities:211-应付款:21101-宏达建筑公司 CNY
2024-01-01 open Liabilities:241-专项应付款:24101-村道硬化 CNY
  project: "村道硬化"
2024-01-01 open Assets:153-在建工程:15301-村道硬化 CNY
2024-01-01 event "监督电话" "0571-88886666"

2024-05-08 * "宏达农机合作社" "机耕路发包收入"
  voucher: "2024-05-001"
  handler: "吴志强"
  receipt-no: "0000101"
  Assets:102-银行存款:10201-农商行  8000.00 CNY
  Income:501-经营收入:50101-发包收入  -8000.00 CNY

2024-06-12 * "镇农经站" "2024年二季度办公用品"
  voucher: "2024-06-001"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "李红梅"
  invoice: "24332000000011110001"
  Assets:102-银行存款:10201-农商行  -600.00 CNY
  Expenses:513-管理费用:51302-办公费  600.00 CNY

2025-01-15 * "县农业农村局" "村道硬化专项资金拨入"
  voucher: "2025-01-001"
  handler: "吴志强"
  receipt: "银行回单"
  Assets:102-银行存款:10201-农商行  150000.00 CNY
  Liabilities:241-专项应付款:24101-村道硬化  -150000.00 CNY

2025-02-20 * "县纪委" "接待县纪委检查组工作餐"
  voucher: "2025-02-001"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "李红梅"
  guests: 4
  hosts: 2
  guest-org: "县纪委"
  letter: "县纪函〔2025〕3号"
  invoice: "25332000000011110002"
  Assets:102-银行存款:10201-农商行  -480.00 CNY
  Expenses:513-管理费用:51303-招待费  480.00 CNY

2025-03-20 custom "会议决议" "2025-03-村代会-1" "村民代表会议" "村道硬化工程" 150000.00 CNY

2025-04-02 * "宏达建筑公司" "村道硬化工程进度款"
  voucher: "2025-04-001"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "李红梅"
  meeting: "2025-03-村代会-1"
  project: "村道硬化"
  invoice: "25332000000011110003"
  Assets:102-银行存款:10201-农商行  -60000.00 CNY
  Assets:153-在建工程:15301-村道硬化  60000.00 CNY

2025-04-03 * "本村" "提取备用金"
  voucher: "2025-04-002"
  handler: "周小燕"
  receipt: "内部凭证"
  Assets:102-银行存款:10201-农商行  -1500.00 CNY
  Assets:101-库存现金  1500.00 CNY

2025-04-10 * "县农业农村局" "接待县农业农村局调研"
  voucher: "2025-04-003"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "李红梅"
  guests: 5
  hosts: 2
  guest-org: "县农业农村局"
  letter: "县农函〔2025〕12号"
  invoice: "25332000000011110004"
  Assets:101-库存现金  -560.00 CNY
  Expenses:513-管理费用:51303-招待费  560.00 CNY

2025-04-15 * "张三" "张三借支购买种子"
  voucher: "2025-04-004"
  handler: "张三"
  reviewer: "钱秀英"
  approver: "李红梅"
  receipt: "内部凭证"
  Assets:101-库存现金  -800.00 CNY
  Assets:112-应收款:11201-个人借支:1120101-张三  800.00 CNY

2025-04-30 * "村两委" "计提4月干部报酬"
  voucher: "2025-04-005"
  receipt: "工资表"
  Expenses:513-管理费用:51301-干部报酬  9000.00 CNY
  Liabilities:212-应付工资:21201-干部报酬  -9000.00 CNY

2025-05-06 * "村两委" "发放4月干部报酬"
  voucher: "2025-05-001"
  handler: "孙立新"
  reviewer: "钱秀英"
  approver: "王建国"
  meeting: "2025-03-村代会-1"
  receipt: "工资表"
  Assets:102-银行存款:10201-农商行  -9000.00 CNY
  Liabilities:212-应付工资:21201-干部报酬  9000.00 CNY

2025-05-08 * "宏达农机合作社" "机耕路发包收入"
  voucher: "2025-05-002"
  handler: "吴志强"
  receipt-no: "0000102"
  Assets:102-银行存款:10201-农商行  12000.00 CNY
  Income:501-经营收入:50101-发包收入  -12000.00 CNY

2025-05-12 * "李红梅" "赴县参加农经培训差旅费"
  voucher: "2025-05-003"
  handler: "李红梅"
  reviewer: "钱秀英"
  approver: "王建国"
  invoice: "25332000000011110005"
  Assets:101-库存现金  -320.00 CNY
  Expenses:513-管理费用:51304-差旅费  320.00 CNY

2025-05-20 * "县农机公司" "购置村务用电动三轮车"
  voucher: "2025-05-004"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "李红梅"
  invoice: "25332000000011110006"
  Assets:101-库存现金  -300.00 CNY
  Assets:151-固定资产:15103-车辆  300.00 CNY

2025-06-05 * "王秀兰" "王秀兰大病临时救助"
  voucher: "2025-06-001"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "李红梅"
  receipt: "收款收据"
  Assets:102-银行存款:10201-农商行  -2000.00 CNY
  Expenses:514-公益支出:51401-救助  2000.00 CNY

2025-06-10 * "宏达建筑公司" "村道硬化工程材料款（挂账）"
  voucher: "2025-06-002"
  project: "村道硬化"
  invoice: "25332000000011110007"
  Assets:153-在建工程:15301-村道硬化  25000.00 CNY
  Liabilities:211-应付款:21101-宏达建筑公司  -25000.00 CNY

2025-06-18 * "一组" "一组代收水费"
  voucher: "2025-06-003"
  receipt: "内部凭证"
  Assets:113-内部往来:11301-一组  1200.00 CNY
  Income:504-其他收入:50402-其他  -1200.00 CNY

2025-06-19 * "二组" "二组暂存款"
  voucher: "2025-06-004"
  receipt: "内部凭证"
  Assets:102-银行存款:10201-农商行  700.00 CNY
  Assets:113-内部往来:11302-二组  -700.00 CNY

2025-06-30 * "本村" "计提固定资产折旧"
  voucher: "2025-06-005"
  receipt: "内部凭证"
  Expenses:513-管理费用:51308-其他管理费用  400.00 CNY
  Assets:152-累计折旧  -400.00 CNY

2025-07-03 * "宏达农机合作社" "三季度发包收入"
  voucher: "2025-07-001"
  handler: "吴志强"
  receipt-no: "0000103"
  Assets:102-银行存款:10201-农商行  5000.00 CNY
  Income:501-经营收入:50101-发包收入  -5000.00 CNY
"""


def sample_village(root: Path, name: str = "testcun", extra: str = "") -> Path:
    return make_village(root, SAMPLE + extra, name=name)


def disclose(main: Path, quarter: Quarter = Q2) -> tuple[Disclosure, object]:
    village = audit([main]).villages[0]
    loaded, model = village.ledger, village.model
    assert loaded is not None and model is not None
    assert not loaded.errors, loaded.errors
    report = build_disclosure(
        model, quarter, published=date(2025, 7, 10), findings=village.findings
    )
    return report, loaded


def between(quarter: Quarter) -> str:
    return f"date >= {quarter.first_day} AND date <= {quarter.last_day}"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Disclosure, object]:
    return disclose(sample_village(tmp_path_factory.mktemp("d")))


def totals(table, key: str) -> dict:
    return {t[key]: t for t in table.totals}


# --- figures against beanquery ----------------------------------------------------------


def test_income_statement_matches_beanquery(sample) -> None:
    report, loaded = sample
    income = totals(report.tables["income"], "kind")
    year = f"date >= 2025-01-01 AND date <= {Q2.last_day}"
    last_year = between(Quarter(2024, 2))
    assert income["收入合计"]["quarter"] == -bq_sum(
        loaded, f"account ~ '^Income:' AND {between(Q2)}"
    )
    assert income["支出合计"]["quarter"] == bq_sum(
        loaded, f"account ~ '^Expenses:' AND {between(Q2)}"
    )
    assert income["支出合计"]["ytd"] == bq_sum(loaded, f"account ~ '^Expenses:' AND {year}")
    assert income["收入合计"]["last_year"] == -bq_sum(
        loaded, f"account ~ '^Income:' AND {last_year}"
    )
    assert (
        income["收益"]["quarter"] == income["收入合计"]["quarter"] - income["支出合计"]["quarter"]
    )
    rows = report.tables["income"].rows.set_index("name")
    assert rows.loc["管理费用—招待费", "quarter"] == 56000
    assert rows.loc["管理费用—招待费", "ytd"] == 104000
    assert rows.loc["经营收入—发包收入", "last_year"] == 800000


def test_money_summary_matches_beanquery_and_reconciles(sample) -> None:
    report, loaded = sample
    money = report.money
    before = f"date < {Q2.first_day}"
    upto = f"date <= {Q2.last_day}"
    assert money.cash_start == bq_sum(loaded, f"account ~ '^Assets:101' AND {before}")
    assert money.bank_start == bq_sum(loaded, f"account ~ '^Assets:102' AND {before}")
    assert money.cash_end == bq_sum(loaded, f"account ~ '^Assets:101' AND {upto}")
    assert money.bank_end == bq_sum(loaded, f"account ~ '^Assets:102' AND {upto}")
    assert money.start + money.money_in - money.money_out == money.end
    detail = report.tables["detail"].totals[0]
    assert (detail["income"], detail["expense"]) == (money.money_in, money.money_out)


def test_balance_sheet_matches_beanquery_and_balances(sample) -> None:
    report, loaded = sample
    sheet = report.tables["balance"].rows.set_index("item")
    upto = f"date <= {Q2.last_day}"
    assert sheet.loc["货币资金", "closing"] == bq_sum(
        loaded, f"account ~ '^Assets:10[12]' AND {upto}"
    )
    assert sheet.loc["在建工程", "closing"] == bq_sum(loaded, f"account ~ '^Assets:153' AND {upto}")
    assert sheet.loc["减：累计折旧", "closing"] == -bq_sum(
        loaded, f"account ~ '^Assets:152' AND {upto}"
    )
    # 113 splits by sub-account: 一组 owes the village, the village holds 二组's money
    assert sheet.loc["应收款项", "closing"] == 80000 + 120000
    assert sheet.loc["应付款项", "closing"] == 2500000 + 70000
    opening = "date <= 2024-12-31"
    assert sheet.loc["货币资金", "opening"] == bq_sum(
        loaded, f"account ~ '^Assets:10[12]' AND {opening}"
    )
    for column in ("opening", "closing"):
        assert sheet.loc["资产总计", column] == sheet.loc["负债和所有者权益总计", column]
        for section, total in (
            ("资产", "资产总计"),
            ("负债", "负债合计"),
            ("所有者权益", "所有者权益合计"),
        ):
            lines = _section_lines(report.tables["balance"].rows, section, total)
            assert lines[column].sum() == sheet.loc[total, column], (section, column)


def _section_lines(rows, heading: str, total: str):
    labels = rows["item"].tolist()
    part = rows.iloc[labels.index(heading) + 1 : labels.index(total)]
    return part[part["role"] == "line"]


def test_unclosed_income_is_in_undistributed_result(sample) -> None:
    report, loaded = sample
    sheet = report.tables["balance"].rows.set_index("item")
    upto = f"date <= {Q2.last_day}"
    result = -bq_sum(loaded, f"account ~ '^(Income|Expenses|Equity:32)' AND {upto}")
    assert sheet.loc["未分配收益", "closing"] == result


# --- the other tables --------------------------------------------------------------------


def test_detail_lists_every_transaction_of_the_quarter_in_date_order(sample) -> None:
    report, loaded = sample
    rows = report.tables["detail"].rows
    _, expected = run_query(
        loaded.entries, loaded.options, f"SELECT DISTINCT id WHERE {between(Q2)}"
    )
    assert len(rows) == len(expected)
    assert list(rows["date"]) == sorted(rows["date"])
    deposit = rows[rows["voucher"] == "2025-04-002"].iloc[0]
    assert (deposit["income"], deposit["expense"], deposit["transfer"]) == (0, 0, 150000)
    relief = rows[rows["voucher"] == "2025-06-001"].iloc[0]
    assert (relief["expense"], relief["handler"], relief["approver"]) == (
        200000,
        "吴志强",
        "李红梅",
    )


def test_receptions_run_a_year_to_date_total_against_the_cap(sample) -> None:
    report, _ = sample
    table = report.tables["reception"]
    assert len(table.rows) == 1
    row = table.rows.iloc[0]
    assert (row["guest_org"], row["guests"], row["hosts"]) == ("县农业农村局", 5, 2)
    assert (row["amount"], row["ytd"], row["cap"]) == (56000, 104000, 300000)
    assert report.entertainment_ytd == 104000 and report.entertainment_cap == 300000


def test_cadre_travel_meetings_debts_and_funds(sample) -> None:
    report, _ = sample
    cadre = report.tables["cadre"].totals[0]
    assert (cadre["charged"], cadre["paid"]) == (900000, 900000)
    travel = report.tables["travel"].rows.set_index("voucher")
    assert travel.loc["2025-05-003", "kind"] == "差旅费"
    assert travel.loc["2025-05-004", "kind"] == "车辆"
    meeting = report.tables["meetings"].rows.iloc[0]
    assert meeting["quarter"] == 6000000 + 900000
    assert meeting["left"] == 15000000 - 6900000
    debts = report.tables["debts"].rows.set_index("party")
    assert debts.loc["张三", "kind"] == "应收"
    assert debts.loc["张三", "since"] == date(2025, 4, 15)
    assert debts.loc["张三", "age"] == (Q2.last_day - date(2025, 4, 15)).days
    assert debts.loc["宏达建筑公司", "amount"] == 2500000
    assert debts.loc["二组", "kind"] == "应付"
    fund = report.tables["funds"].rows.set_index("project").loc["村道硬化"]
    assert (fund["received_q"], fund["received"]) == (0, 15000000)
    # works bought on credit through 211 are spent when accrued (and not again when paid)
    assert fund["spent_q"] == 6000000 + 2500000
    assert fund["left"] == 15000000 - 8500000


def test_signature_block_and_capitals(sample) -> None:
    report, _ = sample
    assert report.signature.reviewers == ["赵德明"]
    assert report.signature.phone == "0571-88886666"
    assert report.signature.seal_digest is None
    income = totals(report.tables["income"], "kind")
    assert report.capitals["本季收益"] == capital_cents(income["收益"]["quarter"])
    assert report.relief_payees == frozenset({"王秀兰"})


@pytest.mark.parametrize(
    "key",
    ["income", "detail", "reception", "cadre", "travel", "meetings", "debts", "funds", "families"],
)
def test_every_table_adds_up_to_its_totals(sample, key: str) -> None:
    report, _ = sample
    table = report.tables[key]
    amounts = [
        c.key
        for c in table.columns
        if c.is_number
        and c.key not in ("ytd", "cap", "guests", "hosts", "age", "approved", "spent", "left")
    ]
    if key == "income":
        for kind in ("收入", "支出"):
            part = table.rows[table.rows["kind"] == kind]
            for column in ("quarter", "ytd", "last_year"):
                assert part[column].sum() == totals(table, "kind")[f"{kind}合计"][column]
        return
    if key == "debts":
        for kind in ("应收", "应付"):
            part = table.rows[table.rows["kind"] == kind]
            assert part["amount"].sum() == totals(table, "kind")[f"{kind}合计"]["amount"]
        return
    for column in amounts:
        if any(column in t for t in table.totals):
            assert table.rows[column].sum() == table.totals[0][column], column


def test_findings_of_the_quarter_carry_their_voucher(tmp_path: Path) -> None:
    main = sample_village(
        tmp_path,
        extra="""
2025-05-25 * "某饭店" "招待白条"
  voucher: "2025-05-005"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "李红梅"
  receipt: "白条"
  Assets:101-库存现金  -50.00 CNY
  Expenses:513-管理费用:51308-其他管理费用  50.00 CNY
""",
    )
    loaded = load_ledger(main)
    model = build_model(loaded.entries, loaded.options)
    from village_ledger.findings import Finding, Severity

    finding = Finding(
        "testcun",
        loaded.main_file,
        _line(main, "2025-05-005") - 1,
        date(2025, 5, 25),
        "VL302",
        Severity.ERROR,
        "用白条报销 50.00 元",
    )
    early = Finding(
        "testcun", loaded.main_file, 1, date(2025, 3, 1), "VL201", Severity.ERROR, "一季度"
    )
    report = build_disclosure(model, Q2, findings=[finding, early])
    rows = report.tables["findings"].rows
    # the sheet is public: the rule in words (its registry title), not its code
    assert list(rows["rule"]) == ["白条入账"]  # VL302's title in the registry
    assert rows.iloc[0]["voucher"] == "2025-05-005"
    families = report.tables["families"]
    assert families.totals[0]["errors"] == 1


def _line(main: Path, needle: str) -> int:
    for number, line in enumerate(main.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_the_registered_rules_run_when_no_findings_are_given(sample) -> None:
    report, _ = sample
    # whatever families are registered, their findings are confined to the quarter
    for record in report.tables["findings"].records():
        assert Q2.contains(record["date"])


def test_a_sealed_quarter_prints_its_digest(tmp_path: Path) -> None:
    digest = "sha256:" + "ab" * 32
    main = sample_village(tmp_path, extra=f'\n2025-07-09 custom "公开封存" "2025Q2" "{digest}"\n')
    loaded = load_ledger(main)
    report = build_disclosure(build_model(loaded.entries, loaded.options), Q2, findings=[])
    assert report.signature.seal_digest == digest
    assert report.published == date(2025, 7, 9)


# --- reconciliation over generated books -----------------------------------------------

payments = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=180),
        st.sampled_from(["51302-办公费", "51305-水电费", "51401-救助", "income"]),
        st.integers(min_value=1, max_value=500_000),
        st.booleans(),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=15)
@given(payments)
def test_income_minus_spending_is_the_change_in_money(tmp_path_factory, items) -> None:
    """Where every income and expense goes through cash or bank, the quarter's 收益 is the
    change in money, and the net assets grow by it."""
    lines = []
    for n, (offset, account, amount, cash) in enumerate(items, 1):
        day = date(2025, 1, 1) + timedelta(days=offset)
        money = "Assets:101-库存现金" if cash else "Assets:102-银行存款:10201-农商行"
        value = Decimal(amount) / 100
        if account == "income":
            target = "Income:504-其他收入:50402-其他"
            value = -value
        else:
            target = (
                "Expenses:"
                + ("514-公益支出:" if account.startswith("514") else "513-管理费用:")
                + account
            )
        lines.append(
            f'{day} * "对方{n}" "业务{n}"\n  {money}  {-value} CNY\n  {target}  {value} CNY\n'
        )
    main = make_village(tmp_path_factory.mktemp("h"), "\n".join(lines))
    loaded = load_ledger(main)
    model = build_model(loaded.entries, loaded.options)
    for quarter in (Quarter(2025, 1), Quarter(2025, 2), Quarter(2025, 3)):
        report = build_disclosure(model, quarter, findings=[])
        result = totals(report.tables["income"], "kind")["收益"]["quarter"]
        assert report.money.end - report.money.start == result
        assert report.money.money_in - report.money.money_out == result
        sheet = report.tables["balance"].rows.set_index("item")
        assert sheet.loc["资产总计", "closing"] == sheet.loc["负债和所有者权益总计", "closing"]


# --- 大写 and FIFO -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("0.32", "叁角贰分"),
        ("1", "壹元整"),
        ("10", "壹拾元整"),
        ("16.00", "壹拾陆元整"),
        ("100.05", "壹佰元零伍分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("1005", "壹仟零伍元整"),
        ("1010.10", "壹仟零壹拾元零壹角整"),
        ("1409.50", "壹仟肆佰零玖元伍角整"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("10000", "壹万元整"),
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("100100", "壹拾万零壹佰元整"),
        ("107000.53", "壹拾万柒仟元零伍角叁分"),
        ("10010000", "壹仟零壹万元整"),
        ("100000000", "壹亿元整"),
        ("100010000", "壹亿零壹万元整"),
        ("100000001", "壹亿零壹元整"),
        ("-12345.67", "负壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("-0.01", "负壹分"),
        ("0.004", "零元整"),
        ("0.005", "壹分"),
    ],
)
def test_capital_amount(amount: str, text: str) -> None:
    assert capital_amount(Decimal(amount)) == text


DIGITS = "零壹贰叁肆伍陆柒捌玖"


def parse_capital(text: str) -> int:
    """An independent reader of 大写, back to 分 (for the round trip)."""
    sign = -1 if text.startswith("负") else 1
    text = text.removeprefix("负").removesuffix("整")
    yuan_part, _, fraction = text.partition("元") if "元" in text else ("", "", text)
    total = 0
    section = 0
    number = 0
    places = {"拾": 10, "佰": 100, "仟": 1000}
    for ch in yuan_part:
        if ch in DIGITS:
            number = DIGITS.index(ch)
        elif ch in places:
            section += number * places[ch]
            number = 0
        elif ch == "万":
            total += (section + number) * 10_000
            section = number = 0
        elif ch == "亿":
            total = (total + section + number) * 100_000_000
            section = number = 0
    total += section + number
    result = total * 100
    jiao = fraction.partition("角")[0][-1:] if "角" in fraction else ""
    fen = fraction.partition("分")[0][-1:] if "分" in fraction else ""
    result += (DIGITS.index(jiao) * 10 if jiao else 0) + (DIGITS.index(fen) if fen else 0)
    return sign * result


@given(st.integers(min_value=-(10**11), max_value=10**11))
def test_capital_round_trips_and_follows_the_zero_rules(value: int) -> None:
    text = capital_cents(value)
    assert parse_capital(text) == value
    assert "零零" not in text
    assert not text.startswith("零") or value == 0
    assert text.endswith(("整", "分"))
    assert text.endswith("分") == (value % 100 % 10 != 0)
    assert (("角零" not in text) and not text.endswith("零元整")) or value == 0


def test_capital_rejects_amounts_beyond_its_units() -> None:
    with pytest.raises(ValueError):
        capital_cents(10**18)
