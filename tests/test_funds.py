"""VL5xx 资金与资产: each rule fires on a ledger built for it and stays silent on its near miss."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.support import check, line_of, make_village
from village_ledger.catalogue import lookup
from village_ledger.findings import Finding


def found(main: Path, code: str) -> list[Finding]:
    """The findings of one code, after making sure Beancount itself accepts the ledger."""
    findings = check(main, select=[code, "BEANCOUNT"])
    assert [f.message for f in findings if f.rule == "BEANCOUNT"] == []
    return [f for f in findings if f.rule == code]


# Two projects: 村道硬化 receives 100,000.00, 水渠修缮 20,000.00 (in two grants).
FUNDS = """
2024-01-01 open Liabilities:241-专项应付款:24101-村道硬化 CNY
  project: "村道硬化"
2024-01-01 open Liabilities:231-一事一议资金:23101-水渠修缮 CNY
  project: "水渠修缮"
2024-01-01 open Assets:153-在建工程:15301-村道硬化 CNY
  project: "村道硬化"

2024-02-01 * "县财政局" "拨入村道硬化专项资金"
  Assets:102-银行存款:10201-农商行  100000.00 CNY
  Liabilities:241-专项应付款:24101-村道硬化

2024-02-02 * "镇政府" "一事一议奖补资金（第一批）"
  Assets:102-银行存款:10201-农商行  15000.00 CNY
  Liabilities:231-一事一议资金:23101-水渠修缮

2024-05-02 * "镇政府" "一事一议奖补资金（第二批）"
  Assets:102-银行存款:10201-农商行  5000.00 CNY
  Liabilities:231-一事一议资金:23101-水渠修缮
"""


def spend(
    day: str,
    account: str,
    amount: str,
    *,
    project: str = "村道硬化",
    payee: str = "宏达建筑公司",
    narration: str = "工程款",
) -> str:
    return f"""
{day} * "{payee}" "{narration}"
  project: "{project}"
  {account}  {amount} CNY
  Assets:102-银行存款:10201-农商行
"""


ROAD = "Assets:153-在建工程:15301-村道硬化"


# ---- VL501 专项资金挪用 ---------------------------------------------------------------------


@pytest.mark.near_miss("VL501")
def test_project_spending_exactly_what_it_received_is_silent(tmp_path: Path) -> None:
    body = FUNDS + spend("2024-03-01", ROAD, "60000.00") + spend("2024-04-01", ROAD, "40000.00")
    body += spend(
        "2024-04-02", "Expenses:514-公益支出:51402-公共设施维护", "12000.00", project="水渠修缮"
    )
    body += spend("2024-04-03", "Assets:121-库存物资", "8000.00", project="水渠修缮")
    assert found(make_village(tmp_path, body), "VL501") == []


@pytest.mark.fires("VL501")
def test_project_overspending_fires_on_the_payment_that_overspent(tmp_path: Path) -> None:
    body = FUNDS + spend("2024-03-01", ROAD, "60000.00")
    body += spend("2024-04-01", ROAD, "40000.01", narration="第二期工程款")
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL501")
    assert hit.line == line_of(main, "第二期工程款")
    assert "专项资金“村道硬化”累计支出 100,000.01 元" in hit.message
    assert "收到的 100,000.00 元" in hit.message
    assert hit.amount == Decimal("100000.01")


def test_money_received_later_in_the_books_counts(tmp_path: Path) -> None:
    # 以奖代补: the second grant arrives after the work was paid; the project is not overspent
    body = FUNDS + spend(
        "2024-03-01", "Assets:151-固定资产:15104-农业基础设施", "20000.00", project="水渠修缮"
    )
    assert found(make_village(tmp_path, body), "VL501") == []


def test_special_funds_in_administration_fire(tmp_path: Path) -> None:
    body = FUNDS + spend(
        "2024-03-01", "Expenses:513-管理费用:51302-办公费", "500.00", payee="文具店"
    )
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL501")
    assert hit.line == line_of(main, '"文具店"')
    assert "专项资金“村道硬化”向文具店支付 500.00 元" in hit.message
    assert (
        "记入管理费用 Expenses:513-管理费用:51302-办公费，专项资金不得用于管理费用" in hit.message
    )


def test_special_funds_outside_their_purposes_fire(tmp_path: Path) -> None:
    main = make_village(tmp_path, FUNDS + spend("2024-03-01", "Expenses:515-其他支出", "300.00"))
    [hit] = found(main, "VL501")
    assert "专项资金只能用于在建工程、固定资产、库存物资、经营支出、公益支出" in hit.message


def test_special_funds_on_another_projects_account_fire(tmp_path: Path) -> None:
    main = make_village(tmp_path, FUNDS + spend("2024-03-01", ROAD, "3000.00", project="水渠修缮"))
    [hit] = found(main, "VL501")
    assert "专项资金“水渠修缮”" in hit.message
    assert "记入另一项目“村道硬化”的科目" in hit.message


def test_posting_project_wins_over_the_transactions(tmp_path: Path) -> None:
    body = (
        FUNDS
        + """
2024-03-01 * "宏达建筑公司" "工程款及办公用品"
  project: "水渠修缮"
  Expenses:514-公益支出:51402-公共设施维护  1000.00 CNY
  Expenses:513-管理费用:51302-办公费  200.00 CNY
    project: "村道硬化"
  Assets:102-银行存款:10201-农商行
"""
    )
    [hit] = found(make_village(tmp_path, body), "VL501")
    assert "专项资金“村道硬化”向宏达建筑公司支付 200.00 元" in hit.message


def test_project_on_the_bank_posting_tags_the_payment(tmp_path: Path) -> None:
    body = (
        FUNDS
        + """
2024-03-01 * "宏达建筑公司" "招待"
  Expenses:513-管理费用:51303-招待费  200.00 CNY
  Assets:102-银行存款:10201-农商行  -200.00 CNY
    project: "村道硬化"
"""
    )
    [hit] = found(make_village(tmp_path, body), "VL501")
    assert "专项资金“村道硬化”向宏达建筑公司支付 200.00 元，记入管理费用" in hit.message


def test_unspent_funds_handed_back_are_no_misuse(tmp_path: Path) -> None:
    body = FUNDS + spend("2024-03-01", ROAD, "95000.00")
    body += spend(
        "2024-06-01", "Liabilities:241-专项应付款:24101-村道硬化", "5000.00", payee="县财政局"
    )
    assert found(make_village(tmp_path, body), "VL501") == []


def test_undeclared_project_fires_where_it_is_written(tmp_path: Path) -> None:
    body = FUNDS + spend("2024-03-01", ROAD, "100.00", project="路灯安装", narration="路灯")
    body += """
2024-03-02 * "县财政局" "拨款"
  Assets:102-银行存款:10201-农商行  100.00 CNY
  Income:503-补助收入:50301-转移支付  -100.00 CNY
    project: "亮化工程"
"""
    main = make_village(tmp_path, body)
    first, second = found(main, "VL501")
    assert first.line == line_of(main, '"路灯"')
    assert "专项项目“路灯安装”没有对应的专项资金科目" in first.message
    assert second.line == line_of(main, '"拨款"')
    assert "“亮化工程”" in second.message


def test_untagged_spending_is_not_the_projects(tmp_path: Path) -> None:
    body = (
        FUNDS
        + """
2024-03-01 * "文具店" "办公用品"
  Expenses:513-管理费用:51302-办公费  150000.00 CNY
  Assets:102-银行存款:10201-农商行
"""
    )
    assert found(make_village(tmp_path, body), "VL501") == []


# ---- VL502 集体资金购置车辆 -----------------------------------------------------------------


@pytest.mark.fires("VL502")
def test_buying_a_vehicle_fires(tmp_path: Path) -> None:
    body = """
2024-03-01 * "县汽车销售公司" "购五菱面包车一辆"
  Assets:151-固定资产:15103-车辆  56000.00 CNY
  Assets:102-银行存款:10201-农商行
"""
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL502")
    assert hit.line == line_of(main, "面包车")
    assert "向县汽车销售公司购置车辆 56,000.00 元" in hit.message
    assert hit.amount == Decimal("56000.00")


@pytest.mark.near_miss("VL502")
def test_buying_machinery_is_no_vehicle(tmp_path: Path) -> None:
    body = """
2024-03-01 * "农机站" "购抽水机"
  Assets:151-固定资产:15102-机器设备  5600.00 CNY
  Assets:102-银行存款:10201-农商行
"""
    assert found(make_village(tmp_path, body), "VL502") == []


# ---- VL503 对外担保 -------------------------------------------------------------------------

GUARANTEE = """
2024-01-01 open Liabilities:211-应付款:21101-担保责任 CNY
  category: "对外担保"
2024-01-01 open Liabilities:211-应付款:21102-工程款 CNY
"""


@pytest.mark.fires("VL503")
def test_entry_on_a_guarantee_account_fires(tmp_path: Path) -> None:
    body = (
        GUARANTEE
        + """
2024-03-01 * "某某养殖场" "为养殖场贷款提供担保"
  Expenses:515-其他支出  30000.00 CNY
  Liabilities:211-应付款:21101-担保责任
"""
    )
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL503")
    assert hit.line == line_of(main, "提供担保")
    assert "村集体为某某养殖场对外担保" in hit.message
    assert "30,000.00 元" in hit.message


@pytest.mark.near_miss("VL503")
def test_guarantee_account_never_used_and_other_payables_are_silent(tmp_path: Path) -> None:
    body = (
        GUARANTEE
        + """
2024-03-01 * "宏达建筑公司" "应付工程款"
  Assets:153-在建工程  30000.00 CNY
  Liabilities:211-应付款:21102-工程款
"""
    )
    assert found(make_village(tmp_path, body), "VL503") == []


# ---- VL504 干部报酬未经村民(代表)会议决定 ---------------------------------------------------

RESOLUTIONS = """
2024-01-10 custom "会议决议" "2024-01-村代会-1" "村民代表会议" "2024年村干部报酬标准" 60000.00 CNY
2024-01-10 custom "会议决议" "2024-01-联席-1" "两委联席会议" "村干部误工补贴" 5000.00 CNY
"""


def pay_cadre(day: str, meeting: str | None, narration: str, account: str) -> str:
    cite = f'\n  meeting: "{meeting}"' if meeting else ""
    return f"""
{day} * "王建国" "{narration}"{cite}
  {account}  3000.00 CNY
  Assets:102-银行存款:10201-农商行
"""


PAY = "Expenses:513-管理费用:51301-干部报酬"
ALLOWANCE = "Expenses:513-管理费用:51307-误工补贴"


@pytest.mark.fires("VL504")
def test_cadre_pay_without_resolution_fires(tmp_path: Path) -> None:
    body = RESOLUTIONS + pay_cadre("2024-02-01", None, "一月报酬", PAY)
    body += pay_cadre("2024-02-02", "2024-01-联席-1", "一月误工补贴", ALLOWANCE)
    body += pay_cadre("2024-02-03", "2023-12-村代会-9", "年终奖金", PAY)
    main = make_village(tmp_path, body)
    none, lower, missing = found(main, "VL504")
    assert none.line == line_of(main, "一月报酬")
    assert "向王建国支付干部报酬 3,000.00 元，未引用" in none.message
    assert lower.line == line_of(main, "一月误工补贴")
    assert "是两委联席会议决议，干部报酬须由村民代表会议或村民会议决定" in lower.message
    assert missing.line == line_of(main, "年终奖金")
    assert "引用的决议“2023-12-村代会-9”不存在" in missing.message


@pytest.mark.near_miss("VL504")
def test_cadre_pay_under_a_representatives_resolution_is_silent(tmp_path: Path) -> None:
    body = RESOLUTIONS + pay_cadre("2024-02-01", "2024-01-村代会-1", "一月报酬", PAY)
    body += """
2024-02-28 * "计提二月干部报酬"
  Expenses:513-管理费用:51301-干部报酬  3000.00 CNY
  Liabilities:212-应付工资:21201-干部报酬
"""
    body += pay_cadre(
        "2024-03-05", "2024-01-村代会-1", "二月报酬", "Liabilities:212-应付工资:21201-干部报酬"
    )
    assert found(make_village(tmp_path, body), "VL504") == []


def test_paying_accrued_cadre_pay_without_resolution_fires(tmp_path: Path) -> None:
    body = (
        RESOLUTIONS
        + """
2024-02-28 * "计提二月干部报酬"
  Expenses:513-管理费用:51301-干部报酬  3000.00 CNY
  Liabilities:212-应付工资:21201-干部报酬
"""
    )
    body += pay_cadre("2024-03-05", None, "二月报酬", "Liabilities:212-应付工资:21201-干部报酬")
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL504")
    assert hit.line == line_of(main, "二月报酬")


# ---- the example of `village-ledger rule VL501` ----


def documented_ledger() -> str:
    entry = lookup("VL501")
    assert entry is not None and entry.explanation is not None
    return entry.explanation.compliant


@pytest.mark.fires("VL501")
def test_documented_fund_one_cent_over_is_misuse(tmp_path: Path) -> None:
    spent = "Assets:153-在建工程:15301-村道硬化  150000.00 CNY"
    ledger = documented_ledger()
    assert spent in ledger
    main = make_village(tmp_path, ledger.replace(spent, spent.replace("150000.00", "150000.01")))
    [hit] = found(main, "VL501")
    assert "专项资金“村道硬化”累计支出 150,000.01 元" in hit.message
