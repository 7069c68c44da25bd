"""VL7xx 合同与资源: each rule fires, and stays quiet just short of its threshold."""

from __future__ import annotations

from pathlib import Path

import pytest
from village_ledger.plugins.contracts import (
    EXAMPLE_POND,
    EXAMPLE_POND_RESOLUTION,
    example_pond_contract,
    example_rent,
    example_voucher,
)

from tests.support import check, make_village

POND = EXAMPLE_POND + EXAMPLE_POND_RESOLUTION


def run(tmp_path: Path, body: str, code: str, name: str = "testcun") -> list[tuple[str, str]]:
    findings = check(make_village(tmp_path, body, name=name), select=[code])
    return [(f.rule, f.message) for f in findings]


# --- VL701: money not received within the grace days -------------------------------------


def rent_paid_on(day: str) -> str:
    return (
        POND
        + example_pond_contract()
        + example_rent(day, f"{day[:7]}-001")
        + example_voucher("2025-06-30", "2025-06-009", "25320000000012345699")
    )


@pytest.mark.fires("VL701")
def test_rent_received_31_days_after_its_due_day_is_late(tmp_path: Path) -> None:
    found = run(tmp_path, rent_paid_on("2025-04-01"), "VL701")  # due 03-01, +31 days
    assert [code for code, _ in found] == ["VL701"]
    assert (
        "第 2025 期应收 8,000.00 元" in found[0][1]
        and "至 2025-03-31 只收到 0.00 元" in found[0][1]
    )


@pytest.mark.near_miss("VL701")
def test_rent_received_30_days_after_its_due_day_is_on_time(tmp_path: Path) -> None:
    assert run(tmp_path, rent_paid_on("2025-03-31"), "VL701") == []


@pytest.mark.fires("VL701")
def test_rent_never_received_is_late_once_the_books_pass_the_grace_days(tmp_path: Path) -> None:
    body = POND + example_pond_contract() + example_voucher("2025-04-01", "2025-04-001")
    found = run(tmp_path, body, "VL701")
    assert (
        len(found) == 1
        and "只收到 0.00 元" in found[0][1]
        and "逾期欠收 8,000.00 元" in found[0][1]
    )


@pytest.mark.near_miss("VL701")
def test_rent_not_yet_received_within_the_grace_days_is_no_finding(tmp_path: Path) -> None:
    body = POND + example_pond_contract() + example_voucher("2025-03-31", "2025-03-001")
    assert run(tmp_path, body, "VL701") == []


@pytest.mark.fires("VL701")
def test_a_tighter_village_grace_and_a_partial_payment(tmp_path: Path) -> None:
    body = (
        '2025-01-01 custom "财务制度" "合同欠收宽限天数" 10\n'
        + POND
        + example_pond_contract()
        + example_rent("2025-03-05", "2025-03-001", "5000.00")
        + example_voucher("2025-03-20", "2025-03-002")
    )
    found = run(tmp_path, body, "VL701")
    assert len(found) == 1 and "只收到 5,000.00 元" in found[0][1]
    assert "逾期欠收 3,000.00 元" in found[0][1]


# --- VL702: resolutions by value ---------------------------------------------------------


def pond_of(amount: str, end: str, meeting: str | None, award: str = "公开竞价") -> str:
    return EXAMPLE_POND + example_pond_contract(
        end=end, amount=amount, meeting=meeting, award=award
    )


@pytest.mark.fires("VL702")
def test_a_contract_worth_the_two_committee_tier_without_a_resolution(tmp_path: Path) -> None:
    found = run(tmp_path, pond_of("2000.00", "2026-02-28", None), "VL702")
    assert len(found) == 1 and "合同总值 2,000.00 元，达到两委联席会议限额" in found[0][1]


@pytest.mark.near_miss("VL702")
def test_a_contract_just_under_the_first_tier_needs_no_resolution(tmp_path: Path) -> None:
    assert run(tmp_path, pond_of("1999.99", "2026-02-28", None), "VL702") == []


@pytest.mark.fires("VL702")
def test_a_contract_over_the_representatives_tier_with_a_committee_resolution(
    tmp_path: Path,
) -> None:
    resolution = (
        '2025-02-20 custom "会议决议" "2025-02-两委-1" "两委联席会议" "鱼塘发包" 5000.00 CNY\n'
    )
    body = resolution + pond_of("5000.00", "2027-02-28", "2025-02-两委-1")  # 2 years: 10,000
    found = run(tmp_path, body, "VL702")
    assert len(found) == 1 and "达到村民代表会议限额" in found[0][1] and "层级不够" in found[0][1]
    near = resolution + pond_of("4999.99", "2027-02-28", "2025-02-两委-1")
    assert run(tmp_path, near, "VL702", name="near") == []


@pytest.mark.fires("VL702")
def test_a_negotiated_letting_needs_a_resolution_whatever_its_value(tmp_path: Path) -> None:
    found = run(tmp_path, pond_of("500.00", "2026-02-28", None, award="协商"), "VL702")
    assert len(found) == 1 and "协商" in found[0][1]


@pytest.mark.near_miss("VL702")
def test_a_negotiated_letting_with_a_resolution_passes(tmp_path: Path) -> None:
    resolution = (
        '2025-02-20 custom "会议决议" "2025-02-两委-1" "两委联席会议" "鱼塘发包" 500.00 CNY\n'
    )
    body = resolution + pond_of("500.00", "2026-02-28", "2025-02-两委-1", award="协商")
    assert run(tmp_path, body, "VL702") == []


# --- VL703: length and renewals ----------------------------------------------------------


@pytest.mark.fires("VL703")
def test_a_letting_one_day_over_thirty_years(tmp_path: Path) -> None:
    body = POND + example_pond_contract(start="2025-01-01", end="2055-01-01")
    found = run(tmp_path, body, "VL703")
    assert len(found) == 1 and "超过土地发包最长年限 30 年" in found[0][1]


@pytest.mark.near_miss("VL703")
def test_a_letting_of_exactly_thirty_years(tmp_path: Path) -> None:
    body = POND + example_pond_contract(start="2025-01-01", end="2054-12-31")
    assert run(tmp_path, body, "VL703") == []


@pytest.mark.fires("VL703")
def test_a_lease_over_ten_years_and_one_of_ten(tmp_path: Path) -> None:
    over = POND + example_pond_contract(start="2025-03-01", end="2035-03-01", kind="租赁")
    found = run(tmp_path, over, "VL703")
    assert len(found) == 1 and "资产租赁最长年限 10 年" in found[0][1]
    ten = POND + example_pond_contract(start="2025-03-01", end="2035-02-28", kind="租赁")
    assert run(tmp_path, ten, "VL703", name="ten") == []


@pytest.mark.fires("VL703")
def test_a_renewal_without_a_resolution(tmp_path: Path) -> None:
    renewal = (
        '2030-02-20 custom "合同变更" "HT-2025-001" "续签" 2035-02-28 9000.00 CNY "续包五年"\n'
    )
    found = run(tmp_path, POND + example_pond_contract() + renewal, "VL703")
    assert len(found) == 1 and "续签至 2035-02-28" in found[0][1]


@pytest.mark.near_miss("VL703")
def test_a_renewal_with_a_resolution(tmp_path: Path) -> None:
    renewal = (
        '2030-02-10 custom "会议决议" "2030-02-村代会-1" "村民代表会议" "鱼塘续包" 45000.00 CNY\n'
        '2030-02-20 custom "合同变更" "HT-2025-001" "续签" 2035-02-28 9000.00 CNY "续包五年"\n'
        '  meeting: "2030-02-村代会-1"\n'
    )
    assert run(tmp_path, POND + example_pond_contract() + renewal, "VL703") == []


# --- VL704: related parties --------------------------------------------------------------


@pytest.mark.fires("VL704")
def test_a_cadre_or_a_cadres_relative_as_counterparty(tmp_path: Path) -> None:
    cadre = POND + example_pond_contract(counterparty="郑国庆")
    found = run(tmp_path, cadre, "VL704")
    assert len(found) == 1 and "签订时任委员" in found[0][1]
    relative = (
        '2024-01-01 custom "亲属" "郑小海" "郑国庆" "父子"\n'
        + POND
        + example_pond_contract(counterparty="郑小海")
    )
    found = run(tmp_path, relative, "VL704", name="relative")
    assert len(found) == 1 and "委员郑国庆的近亲属（父子）" in found[0][1]
    titled = POND + example_pond_contract(counterparty="郑国庆（村委委员）")
    found = run(tmp_path, titled, "VL704", name="titled")
    assert len(found) == 1 and "对方郑国庆签订时任委员" in found[0][1]


@pytest.mark.near_miss("VL704")
def test_a_cadre_who_left_before_the_signing_day(tmp_path: Path) -> None:
    body = (
        '2025-02-26 custom "离任" "郑国庆" "委员"\n'
        + POND
        + example_pond_contract(counterparty="郑国庆")
    )
    assert run(tmp_path, body, "VL704") == []


# --- VL705: money outside a contract -----------------------------------------------------


@pytest.mark.fires("VL705")
def test_money_under_an_undeclared_contract_or_a_period_it_lacks(tmp_path: Path) -> None:
    books = POND + example_pond_contract()
    unknown = books + example_rent("2025-03-05", "2025-03-001").replace("HT-2025-001", "HT-X")
    found = run(tmp_path, unknown, "VL705")
    assert len(found) == 1 and "“HT-X”没有用“合同”指令声明" in found[0][1]
    period = books + example_rent("2025-03-05", "2025-03-001", extra='  period: "2025Q1"\n')
    found = run(tmp_path, period, "VL705", name="period")
    assert len(found) == 1 and "没有“2025Q1”这一期" in found[0][1]


@pytest.mark.fires("VL705")
def test_money_after_the_end_beyond_what_was_owed(tmp_path: Path) -> None:
    body = (
        POND
        + example_pond_contract(end="2026-02-28")
        + example_rent("2025-03-05", "2025-03-001")
        + example_rent("2026-03-05", "2026-03-001")
    )
    found = run(tmp_path, body, "VL705")
    assert len(found) == 1 and "已于 2026-02-28 终止" in found[0][1]


@pytest.mark.near_miss("VL705")
def test_arrears_collected_after_the_end_are_no_finding(tmp_path: Path) -> None:
    body = (
        POND
        + example_pond_contract(end="2026-02-28")
        + example_rent("2026-03-05", "2026-03-001", extra='  period: "2025"\n')
    )
    assert run(tmp_path, body, "VL705") == []


# --- VL706: guarantees -------------------------------------------------------------------

GUARANTEE = (
    EXAMPLE_POND_RESOLUTION
    + '2025-02-26 custom "合同" "HT-2025-002" "担保" "陈大海" "鱼塘养殖贷款" '
    '2025-03-01 2025-08-31 30000.00 CNY "一次"\n'
    '  meeting: "2025-02-村代会-1"\n'
)


@pytest.mark.fires("VL706")
def test_a_guarantee_past_its_end(tmp_path: Path) -> None:
    found = run(tmp_path, GUARANTEE + example_voucher("2025-09-01", "2025-09-001"), "VL706")
    assert len(found) == 1 and "已于 2025-08-31 到期" in found[0][1]


@pytest.mark.near_miss("VL706")
def test_a_guarantee_on_its_last_day_or_ended(tmp_path: Path) -> None:
    assert run(tmp_path, GUARANTEE + example_voucher("2025-08-31", "2025-08-001"), "VL706") == []
    ended = GUARANTEE + '2025-08-20 custom "合同变更" "HT-2025-002" "终止" "贷款已还清"\n'
    body = ended + example_voucher("2025-12-01", "2025-12-001")
    assert run(tmp_path, body, "VL706", name="ended") == []


# --- VL707: the register against the books -----------------------------------------------

HARVESTER_BOUGHT = """\
2025-03-01 custom "会议决议" "2025-03-村代会-1" "村民代表会议" "购置农用设备" 90000.00 CNY
2025-03-10 * "梅川县农机销售有限公司" "购置村集体联合收割机"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  meeting: "2025-03-村代会-1"
  invoice: "25332000000041230002"
  Assets:151-固定资产:15102-机器设备  85000.00 CNY
  Assets:102-银行存款:10201-农商行
"""


def harvester(cost: str) -> str:
    return (
        f'2025-03-10 custom "资产" "ZC-021" "联合收割机" "机器设备" {cost} CNY\n'
        '  account: "Assets:151-固定资产:15102-机器设备"\n'
    )


@pytest.mark.fires("VL707")
def test_a_balance_with_no_asset_and_an_asset_with_no_balance(tmp_path: Path) -> None:
    later = example_voucher("2025-04-02", "2025-04-001")
    found = run(tmp_path, HARVESTER_BOUGHT + later, "VL707")
    assert len(found) == 1 and "账上多 85,000.00 元没有登记为资产" in found[0][1]
    found = run(tmp_path, harvester("85000.00") + later, "VL707", name="unbooked")
    assert len(found) == 1 and "登记的资产有 85,000.00 元账上没有" in found[0][1]


@pytest.mark.fires("VL707")
def test_one_cent_apart_is_reported(tmp_path: Path) -> None:
    body = HARVESTER_BOUGHT + harvester("84999.99") + example_voucher("2025-04-02", "2025-04-001")
    assert len(run(tmp_path, body, "VL707")) == 1


@pytest.mark.fires("VL707")
def test_each_account_is_compared_on_its_own_postings_opened_or_not(tmp_path: Path) -> None:
    # the parent account's own 500.00 (not its sub-account's 85,000.00) and an account
    # Beancount reports as never opened are compared like any other
    others = """\
2025-03-12 * "梅川县农机销售有限公司" "购置农机配件"
  voucher: "2025-03-002"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25332000000041230003"
  Assets:151-固定资产  500.00 CNY
  Assets:151-固定资产:15109-其他  300.00 CNY
  Assets:102-银行存款:10201-农商行
"""
    body = HARVESTER_BOUGHT + harvester("85000.00") + others
    found = run(tmp_path, body + example_voucher("2025-04-02", "2025-04-001"), "VL707")
    assert sorted(message.split(" 余额 ")[0] for _, message in found) == [
        "2025-03-31 Assets:151-固定资产",
        "2025-03-31 Assets:151-固定资产:15109-其他",
    ]
    assert "余额 500.00 元" in " ".join(message for _, message in found)


@pytest.mark.near_miss("VL707")
def test_register_and_books_agree_and_a_quarter_not_ended_is_not_compared(tmp_path: Path) -> None:
    body = HARVESTER_BOUGHT + harvester("85000.00") + example_voucher("2025-04-02", "2025-04-001")
    assert run(tmp_path, body, "VL707") == []
    # the books stop before the quarter ends: nothing compared yet
    assert run(tmp_path, HARVESTER_BOUGHT, "VL707", name="early") == []
