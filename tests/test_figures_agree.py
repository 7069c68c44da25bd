"""Rules and reports read the same figures: ledgers on which they used to disagree, and
generated ledgers on which a rule fires exactly when the report shows the breach."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import check, make_village
from village_ledger.findings import Finding
from village_ledger.loading import load_ledger
from village_ledger.model import LedgerModel, Period, Quarter, build_model
from village_ledger.reports.disclosure import build_disclosure
from village_ledger.reports.handover import build_handover, resolve_parties
from village_ledger.reports.statements import cents


def model_of(main: Path) -> LedgerModel:
    loaded = load_ledger(main)
    assert not loaded.errors, loaded.errors
    return build_model(loaded.entries, loaded.options)


def found(main: Path, code: str) -> list[Finding]:
    return [f for f in check(main, select=[code]) if f.rule == code]


def row_of(table, key: str, value: str) -> dict:
    rows = [r for r in table.records() if r[key] == value]
    assert len(rows) == 1, rows
    return rows[0]


FUND = """
2024-01-01 open Liabilities:241-专项应付款:24101-村道硬化 CNY
  project: "村道硬化"
2024-01-01 open Assets:153-在建工程:15301-村道硬化 CNY
2024-01-01 open Liabilities:211-应付款:21101-宏达建筑公司 CNY

2025-01-10 * "县财政局" "拨入村道硬化专项资金"
  Assets:102-银行存款:10201-农商行  10000.00 CNY
  Liabilities:241-专项应付款:24101-村道硬化  -10000.00 CNY
"""

# the project on the bank posting speaks for the whole payment; on the transaction likewise
FUND_BOTH_WAYS = """
2025-02-10 * "宏达建筑公司" "村道硬化工程款（一）"
  Assets:102-银行存款:10201-农商行  -8000.00 CNY
    project: "村道硬化"
  Assets:153-在建工程:15301-村道硬化  8000.00 CNY

2025-02-20 * "宏达建筑公司" "村道硬化工程款（二）"
  project: "村道硬化"
  Assets:102-银行存款:10201-农商行  -4000.00 CNY
  Assets:153-在建工程:15301-村道硬化  4000.00 CNY
"""


def test_the_fund_table_counts_what_vl501_counts(tmp_path: Path) -> None:
    main = make_village(tmp_path, FUND + FUND_BOTH_WAYS)
    [over] = [f for f in found(main, "VL501") if "超过" in f.message]
    assert "累计支出 12,000.00 元" in over.message and "10,000.00 元" in over.message
    report = build_disclosure(model_of(main), Quarter(2025, 1), findings=[])
    road = row_of(report.tables["funds"], "project", "村道硬化")
    assert (road["received"], road["spent"], road["left"]) == (1_000_000, 1_200_000, -200_000)
    assert road["spent"] == cents(over.amount)


ACCRUED = """
2025-03-01 * "宏达建筑公司" "村道硬化材料款（挂账）"
  project: "村道硬化"
  Assets:153-在建工程:15301-村道硬化  6000.00 CNY
  Liabilities:211-应付款:21101-宏达建筑公司  -6000.00 CNY

2025-04-15 * "宏达建筑公司" "支付村道硬化材料款"
  project: "村道硬化"
  Liabilities:211-应付款:21101-宏达建筑公司  6000.00 CNY
  Assets:102-银行存款:10201-农商行  -6000.00 CNY
"""


def test_works_accrued_through_211_and_paid_later_count_once(tmp_path: Path) -> None:
    main = make_village(tmp_path, FUND + ACCRUED)
    assert found(main, "VL501") == []
    model = model_of(main)
    funds = model.figures.funds
    assert funds.spent("村道硬化") == Decimal(6000)
    assert funds.spent("村道硬化", date(2025, 2, 28)) == 0
    q1 = build_disclosure(model, Quarter(2025, 1), findings=[])
    q2 = build_disclosure(model, Quarter(2025, 2), findings=[])
    assert row_of(q1.tables["funds"], "project", "村道硬化")["spent_q"] == 600_000
    assert row_of(q2.tables["funds"], "project", "村道硬化")["spent_q"] == 0
    assert row_of(q2.tables["funds"], "project", "村道硬化")["left"] == 400_000


def test_a_211_payment_settling_no_accrual_stays_a_misuse(tmp_path: Path) -> None:
    paid_twice = ACCRUED.replace("6000.00 CNY\n  Assets:102", "7500.00 CNY\n  Assets:102")
    paid_twice = paid_twice.replace('-6000.00 CNY\n"""', "")
    paid_twice = paid_twice.replace(
        "Assets:102-银行存款:10201-农商行  -6000.00 CNY",
        "Assets:102-银行存款:10201-农商行  -7500.00 CNY",
    )
    main = make_village(tmp_path, FUND + paid_twice)
    [misuse] = found(main, "VL501")
    assert "1,500.00 元" in misuse.message and "211" in misuse.message
    assert model_of(main).figures.funds.spent("村道硬化") == Decimal(7500)


ENTERTAINMENT = """
2025-01-01 custom "财务制度" "招待费年度限额" 1000.00 CNY
{receptions}
"""


def reception(day: str, amount: str, n: int, place: str = "posting") -> str:
    meta = '    guests: 4\n    hosts: 2\n    guest-org: "县农业农村局"\n    letter: "县农函〔2025〕1号"\n'
    head = "" if place == "posting" else meta.replace("    ", "  ")
    tail = meta if place == "posting" else ""
    return f"""
{day} * "县农业农村局" "接待调研{n}"
{head}  Assets:102-银行存款:10201-农商行  -{amount} CNY
  Expenses:513-管理费用:51303-招待费  {amount} CNY
{tail}"""


def test_the_reception_table_runs_the_year_as_vl401_and_vl405_do(tmp_path: Path) -> None:
    body = ENTERTAINMENT.format(
        receptions=reception("2025-02-01", "500.00", 1)
        + reception("2025-04-01", "320.00", 2, place="transaction")
        + reception("2025-05-01", "300.00", 3)
    )
    main = make_village(tmp_path, body)
    [warning] = found(main, "VL405")
    [over] = found(main, "VL401")
    assert "累计 820.00 元" in warning.message and "预警线 800.00 元" in warning.message
    assert "累计 1,120.00 元" in over.message
    report = build_disclosure(model_of(main), Quarter(2025, 2), findings=[])
    rows = list(report.tables["reception"].records())
    assert [(r["ytd"], r["cap"], r["over"]) for r in rows] == [
        (82_000, 100_000, ""),
        (112_000, 100_000, "是"),
    ]
    # guests and the unit written on the 招待费 posting are read as the rules read them
    assert rows[1]["guest_org"] == "县农业农村局" and rows[1]["guests"] == 4
    assert (report.entertainment_ytd, report.entertainment_cap) == (112_000, 100_000)
    assert cents(over.amount) == report.entertainment_ytd


def test_the_resolution_table_counts_what_vl105_counts(tmp_path: Path) -> None:
    body = """
2025-03-20 custom "会议决议" "2025-03-村代会-1" "村民代表会议" "村道硬化工程" 10000.00 CNY

2025-04-02 * "宏达建筑公司" "村道硬化工程款"
  meeting: " 2025-03-村代会-1 "
  Assets:102-银行存款:10201-农商行  -6000.00 CNY
  Assets:153-在建工程  6000.00 CNY

2025-05-02 * "宏达建筑公司" "村道硬化工程尾款"
  meeting: "2025-03-村代会-1"
  Assets:102-银行存款:10201-农商行  -4500.00 CNY
  Assets:153-在建工程  4500.00 CNY
"""
    main = make_village(tmp_path, body)
    [over] = found(main, "VL105")
    assert "累计 10,500.00 元" in over.message and "500.00 元" in over.message
    report = build_disclosure(model_of(main), Quarter(2025, 2), findings=[])
    row = row_of(report.tables["meetings"], "id", "2025-03-村代会-1")
    assert (row["spent"], row["left"], row["over"]) == (1_050_000, -50_000, "是")
    assert cents(over.amount) == -row["left"]


ADVANCES = """
2024-01-01 open Assets:112-应收款:11201-个人借支:1120101-郑国庆 CNY
2024-01-01 open Assets:112-应收款:11201-个人借支:1120102-吴志强 CNY
2025-02-01 custom "财务制度" "借支期限天数" 20
2025-02-09 custom "离任" "李红梅" "主任"
2025-02-09 custom "任职" "陈新华" "主任"

2024-12-20 * "吴志强" "借支办公用品"
  Assets:112-应收款:11201-个人借支:1120102-吴志强  150.00 CNY
  Assets:101-库存现金  -150.00 CNY

2025-01-10 * "郑国庆" "借支差旅费"
  Assets:112-应收款:11201-个人借支:1120101-郑国庆  800.00 CNY
  Assets:101-库存现金  -800.00 CNY

2025-02-03 * "郑国庆" "借支购种子"
  Assets:112-应收款:11201-个人借支:1120101-郑国庆  200.00 CNY
  Assets:101-库存现金  -200.00 CNY

2025-02-05 * "郑国庆" "归还借支"
  Assets:112-应收款:11201-个人借支:1120101-郑国庆  -300.00 CNY
  Assets:101-库存现金  300.00 CNY

2025-02-08 * "本村" "收到租金"
  Assets:101-库存现金  100.00 CNY
  Income:501-经营收入:50101-发包收入  -100.00 CNY
"""


def test_the_handover_advance_list_is_vl206s(tmp_path: Path) -> None:
    """The policy shortens the limit from 30 to 20 days on 1 February. On 8 February (the
    books' last day and the handover's cutoff) the 10 January advance is 29 days old: within
    the 30 days of its day, so VL206 is silent, and so is the handover's list; the December
    one is 50 days old and overdue in both."""
    main = make_village(tmp_path, ADVANCES)
    [warned] = found(main, "VL206")
    assert "吴志强 2024-12-20 借支 150.00 元" in warned.message
    assert "已 50 天，超过借支期限 30 天" in warned.message
    model = model_of(main)
    parties = resolve_parties(model, date(2025, 2, 9), "李红梅", "陈新华", "马文涛")
    report = build_handover(model, parties, findings=[])
    rows = [
        (r["party"], r["amount"], r["since"], r["age"], r["limit"], r["overdue"])
        for r in report.tables["advances"].records()
    ]
    assert rows == [
        ("吴志强", 15_000, date(2024, 12, 20), 50, 30, "是"),
        ("郑国庆", 50_000, date(2025, 1, 10), 29, 30, ""),
        ("郑国庆", 20_000, date(2025, 2, 3), 5, 20, ""),
    ]
    assert cents(warned.amount) == rows[0][1]


# --- generated ledgers: a rule fires exactly when the report shows the breach ------------------

PROJECT_PLACES = ("transaction", "money", "target")
fund_payments = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=300),  # day of 2025
        st.integers(min_value=1, max_value=600_000),  # 分
        st.sampled_from(PROJECT_PLACES),
        st.booleans(),  # accrued through 211 first, paid a few days later
    ),
    max_size=6,
)
grants = st.lists(st.integers(min_value=1, max_value=1_000_000), min_size=1, max_size=3)
receptions = st.lists(
    st.tuples(st.integers(min_value=0, max_value=364), st.integers(min_value=1, max_value=80_000)),
    max_size=6,
)
cited = st.lists(
    st.tuples(
        st.integers(min_value=80, max_value=364), st.integers(min_value=1, max_value=900_000)
    ),
    max_size=5,
)


def fund_payment(n: int, day: date, amount: Decimal, place: str, accrued: bool) -> str:
    tag = '  project: "村道硬化"\n'
    txn = tag if place == "transaction" else ""
    on_money = "  " + tag if place == "money" else ""
    on_target = "  " + tag if place == "target" else ""
    target = "Assets:153-在建工程:15301-村道硬化"
    if not accrued:
        return (
            f'{day} * "宏达建筑公司" "工程款{n}"\n{txn}'
            f"  Assets:102-银行存款:10201-农商行  -{amount} CNY\n{on_money}"
            f"  {target}  {amount} CNY\n{on_target}"
        )
    payable = "Liabilities:211-应付款:21101-宏达建筑公司"
    paid = day + timedelta(days=20)
    return (
        f'{day} * "宏达建筑公司" "工程款{n}（挂账）"\n{txn}'
        f"  {payable}  -{amount} CNY\n{on_money}"
        f"  {target}  {amount} CNY\n{on_target}\n"
        f'{paid} * "宏达建筑公司" "支付工程款{n}"\n{txn}'
        f"  Assets:102-银行存款:10201-农商行  -{amount} CNY\n{on_money}"
        f"  {payable}  {amount} CNY\n{on_target}"
    )


def generated(grant_list, payments, visits, uses) -> str:
    start = date(2025, 1, 1)
    parts = [
        FUND.split("\n2025-01-10")[0],
        '2025-01-01 custom "财务制度" "招待费年度限额" 2000.00 CNY',
    ]
    for n, amount in enumerate(grant_list, 1):
        parts.append(
            f'{start + timedelta(days=n)} * "县财政局" "拨款{n}"\n'
            f"  Assets:102-银行存款:10201-农商行  {Decimal(amount) / 100} CNY\n"
            f"  Liabilities:241-专项应付款:24101-村道硬化  -{Decimal(amount) / 100} CNY\n"
        )
    for n, (offset, amount, place, accrued) in enumerate(payments, 1):
        parts.append(
            fund_payment(n, start + timedelta(days=offset), Decimal(amount) / 100, place, accrued)
        )
    for n, (offset, amount) in enumerate(visits, 1):
        parts.append(reception(str(start + timedelta(days=offset)), str(Decimal(amount) / 100), n))
    parts.append('2025-03-20 custom "会议决议" "R1" "村民代表会议" "村道硬化工程" 5000.00 CNY')
    for n, (offset, amount) in enumerate(uses, 1):
        parts.append(
            f'{start + timedelta(days=offset)} * "宏达建筑公司" "决议支出{n}"\n  meeting: "R1"\n'
            f"  Assets:102-银行存款:10201-农商行  -{Decimal(amount) / 100} CNY\n"
            f"  Assets:153-在建工程  {Decimal(amount) / 100} CNY\n"
        )
    return "\n".join(parts)


@settings(max_examples=10)
@given(grants, fund_payments, receptions, cited)
def test_rules_fire_exactly_when_the_disclosure_shows_a_breach(
    tmp_path_factory: pytest.TempPathFactory, grant_list, payments, visits, uses
) -> None:
    main = make_village(
        tmp_path_factory.mktemp("agree"), generated(grant_list, payments, visits, uses)
    )
    findings = check(main, select=["VL501", "VL401", "VL105"])
    assert not [f for f in findings if f.rule == "VL501" and "超过" not in f.message]
    model = model_of(main)
    q4 = build_disclosure(model, Quarter(2025, 4), findings=[])
    road = row_of(q4.tables["funds"], "project", "村道硬化")
    overspent = [f for f in findings if f.rule == "VL501"]
    # grants come first and every payment spends: the running total only grows
    assert bool(overspent) == (road["left"] < 0)
    if overspent:
        assert max(cents(f.amount) for f in overspent) == road["spent"]
    assert road["spent"] == cents(model.figures.funds.spent("村道硬化"))
    over_cap = [f for f in findings if f.rule == "VL401"]
    assert bool(over_cap) == (q4.entertainment_ytd > q4.entertainment_cap)
    meetings = q4.tables["meetings"].records()
    r1 = [r for r in meetings if r["id"] == "R1"]
    overspent_r1 = [f for f in findings if f.rule == "VL105" and "超出" in f.message]
    if r1:
        assert bool(overspent_r1) == (r1[0]["spent"] > r1[0]["approved"])
    year = Period.year(2025)
    assert cents(model.figures.resolutions.spent_in("R1", year)) == sum(a for _, a in uses)
