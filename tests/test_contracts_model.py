"""The contract and asset registers (合同, 合同变更, 资产, 资产处置) and each contract's schedule."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import check, make_village
from village_ledger.loading import load_ledger
from village_ledger.model import LedgerModel, build_model, vocab
from village_ledger.model.contracts import Contract, longer_than
from village_ledger.model.schedule import ContractMoney, build_schedule, instalments
from village_ledger.model.seals import Quarter

D = Decimal

SHOP = """\
2024-01-01 open Liabilities:211-应付款:21101-押金 CNY
  code: "21101"
2024-01-01 custom "资产" "ZC-012" "村部临街店面" "房屋" 0.00 CNY
  location: "村部东侧"
2024-02-20 custom "会议决议" "2024-02-村代会-2" "村民代表会议" "村部店面出租" 108000.00 CNY
2024-03-01 custom "合同" "HT-2024-003" "租赁" "梅川县好运超市" "村部临街店面 120 平方米" 2024-03-01 2027-02-28 36000.00 CNY "年"
  meeting: "2024-02-村代会-2"
  award: "公开竞价"
  due-day: "03-01"
  asset: "ZC-012"
  deposit: 5000.00 CNY
"""


def receipt(day: str, number: str, amount: str, extra: str = "") -> str:
    return f"""
{day} * "梅川县好运超市" "收到村部店面租金"
  voucher: "{day[:7]}-{number}"
  receipt: "银行回单"
  contract: "HT-2024-003"
{extra}  Assets:102-银行存款:10201-农商行  {amount} CNY
  Income:501-经营收入:50102-租赁收入
"""


def model_of(main: Path) -> LedgerModel:
    ledger = load_ledger(main)
    return build_model(ledger.entries, ledger.options)


def test_a_contract_and_an_asset_are_read(tmp_path: Path) -> None:
    main = make_village(tmp_path, SHOP + receipt("2024-03-05", "001", "36000.00"))
    model = model_of(main)
    assert not model.config_hits
    contract = model.contracts.get("HT-2024-003")
    assert contract is not None
    assert (contract.kind, contract.counterparty, contract.amount) == (
        "租赁",
        "梅川县好运超市",
        D(36000),
    )
    assert (contract.start, contract.end, contract.due_day) == (
        date(2024, 3, 1),
        date(2027, 2, 28),
        "03-01",
    )
    assert (contract.meeting, contract.award, contract.asset, contract.deposit) == (
        "2024-02-村代会-2", "公开竞价", "ZC-012", D(5000)
    )  # fmt: skip
    asset = model.assets.get("ZC-012")
    assert asset is not None and asset.is_resource and asset.location == "村部东侧"
    schedule = model.figures.contracts.schedule(contract)
    assert [line.label for line in schedule.lines] == ["2024", "2025", "2026"]
    assert [line.due for line in schedule.lines] == [
        date(2024, 3, 1),
        date(2025, 3, 1),
        date(2026, 3, 1),
    ]
    assert schedule.received == D(36000)


def test_a_deposit_received_with_the_rent_is_not_rent(tmp_path: Path) -> None:
    body = SHOP + receipt("2024-03-05", "001", "41000.00", "").replace(
        "  Income:501-经营收入:50102-租赁收入\n",
        "  Income:501-经营收入:50102-租赁收入  -36000.00 CNY\n"
        "  Liabilities:211-应付款:21101-押金  -5000.00 CNY\n",
    )
    model = model_of(make_village(tmp_path, body))
    schedule = model.figures.contracts.schedule(model.contracts.by_id["HT-2024-003"])
    assert schedule.received == D(36000) and schedule.surplus_amount == 0


# the shop's lease cut in 2025, renewed to 2030 in 2027 and ended in 2028
CHANGED_THREE_TIMES = (
    '2025-06-01 custom "合同变更" "HT-2024-003" "变更" 30000.00 CNY "店面部分收回"\n'
    '2027-02-20 custom "合同变更" "HT-2024-003" "续签" 2030-02-28 38000.00 CNY "续租三年"\n'
    '  meeting: "2024-02-村代会-2"\n'
    '2028-02-01 custom "合同变更" "HT-2024-003" "终止" "承租人退租，押金已退"\n'
)


def test_renewal_amendment_and_termination(tmp_path: Path) -> None:
    body = SHOP + CHANGED_THREE_TIMES
    model = model_of(make_village(tmp_path, body))
    assert not model.config_hits
    contract = model.contracts.by_id["HT-2024-003"]
    assert contract.ends() == date(2028, 1, 31)
    assert contract.ends(date(2027, 12, 31)) == date(2030, 2, 28)
    assert contract.ends(date(2026, 12, 31)) == date(2027, 2, 28)
    amounts = [(i.label, i.amount) for i in instalments(contract)]
    assert amounts == [
        ("2024", D(36000)), ("2025", D(36000)), ("2026", D(30000)), ("2027", D(38000)),
    ]  # fmt: skip
    # a period falling due after the 终止 is not due; before the 终止 was written, the renewed
    # term's periods to 2030 were
    assert [i.label for i in instalments(contract, date(2028, 1, 15))][-2:] == ["2028", "2029"]


def test_the_figures_share_each_contracts_periods_between_its_changes(tmp_path: Path) -> None:
    """The figures compute a contract's periods once for each number of changes in force and
    share them between its value and its schedules: on every day they are the periods computed
    afresh, and the value is the periods as signed, whatever changed since."""
    body = SHOP + CHANGED_THREE_TIMES
    model = model_of(make_village(tmp_path, body))
    contract = model.contracts.by_id["HT-2024-003"]
    figures = model.figures.contracts
    assert figures.value(contract) == 3 * D(36000)  # as signed, before any change
    day = date(2024, 2, 1)
    while day < date(2031, 1, 1):
        assert list(figures.instalments(contract, day)) == instalments(contract, day), day
        shown = figures.schedule(contract, day)
        assert [line.instalment for line in shown.lines] == instalments(contract, day), day
        day += timedelta(days=45)
    assert list(figures.instalments(contract)) == instalments(contract)
    assert figures.value(contract) == 3 * D(36000)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (
            '2024-03-01 custom "合同" "HT-1" "出借" "张三" "鱼塘" 2024-03-01 2025-02-28 100.00 CNY "年"\n',
            "合同类型",
        ),
        (
            '2024-03-01 custom "合同" "HT-1" "发包" "张三" "鱼塘" "2024-03-01" 2025-02-28 100.00 CNY "年"\n',
            "起始日期",
        ),
        (
            '2024-03-01 custom "合同" "HT-1" "发包" "张三" "鱼塘" 2024-03-01 2023-02-28 100.00 CNY "年"\n',
            "早于",
        ),
        (
            '2024-03-01 custom "合同" "HT-1" "发包" "张三" "鱼塘" 2024-03-01 2025-02-28 100.00 CNY "周"\n',
            "收付周期",
        ),
        (
            '2024-03-01 custom "合同" "HT-1" "发包" "张三" "鱼塘" 2024-03-01 2025-02-28 100 "年"\n',
            "每期金额",
        ),
        (
            '2024-03-01 custom "合同" "HT-1" "发包" "张三" "鱼塘" 2024-03-01 2025-02-28 100.00 CNY "年"\n  due-day: "13-01"\n',
            "due-day",
        ),
        (
            '2024-03-01 custom "合同" "HT-1" "发包" "张三" "鱼塘" 2024-03-01 2025-02-28 100.00 CNY "年"\n  award: "抓阄"\n',
            "award",
        ),
        ('2024-03-01 custom "合同变更" "HT-9" "终止" "退租"\n', "没有用“合同”指令声明"),
        ('2024-03-01 custom "资产" "ZC-1" "店面" "商铺" 0.00 CNY\n', "类别"),
        ('2024-03-01 custom "资产" "ZC-1" "店面" "房屋" 1000.00 CNY\n', "account"),
        ('2024-03-01 custom "资产处置" "ZC-9" "出售" 100.00 CNY\n', "没有用“资产”指令登记"),
    ],
)
@pytest.mark.fires("VL901")
def test_a_malformed_contract_or_asset_is_vl901(tmp_path: Path, text: str, complaint: str) -> None:
    findings = check(make_village(tmp_path, text), select=["VL901"])
    assert [f.rule for f in findings] == ["VL901"], findings
    assert complaint in findings[0].message


@pytest.mark.near_miss("VL901")
def test_a_renewal_shorter_than_the_term_is_vl901_a_longer_one_is_not(tmp_path: Path) -> None:
    shorter = (
        SHOP + '2026-02-20 custom "合同变更" "HT-2024-003" "续签" 2027-02-28 38000.00 CNY "续租"\n'
    )
    findings = check(make_village(tmp_path, shorter, name="a"), select=["VL901"])
    assert [f.rule for f in findings] == ["VL901"] and "不晚于" in findings[0].message
    longer = shorter.replace("2027-02-28 38000", "2027-03-01 38000")
    assert check(make_village(tmp_path, longer, name="b"), select=["VL901"]) == []


def test_a_term_of_exactly_thirty_years_is_not_longer() -> None:
    assert not longer_than(date(2025, 1, 1), date(2054, 12, 31), 30)
    assert longer_than(date(2025, 1, 1), date(2055, 1, 1), 30)


# --- the schedule's invariant ------------------------------------------------------------

CONTRACT_ENTRY = data.Custom({"filename": "<t>", "lineno": 1}, date(2024, 1, 1), "合同", [])


def contract(period: str, start: date, days: int, amount: Decimal, due_day: str) -> Contract:
    return Contract(
        id="HT-1", kind="租赁", counterparty="张三", subject="店面", start=start,
        end=start + timedelta(days=days), amount=amount, period=period, day=start,
        meeting=None, award=None, due_day=due_day, asset=None, deposit=None,
        entry=CONTRACT_ENTRY,
    )  # fmt: skip


def money(day: date, amount: Decimal, period: str | None) -> ContractMoney:
    entry = data.Transaction(
        {"filename": "<t>", "lineno": 2}, day, "*", None, "", frozenset(), frozenset(), []
    )
    return ContractMoney(entry, "HT-1", amount, period)


PERIODS = {vocab.YEARLY: "03-01", vocab.QUARTERLY: "", vocab.MONTHLY: "15", vocab.ONCE: ""}
amounts = st.decimals(min_value=D("-500"), max_value=D("5000"), places=2)


@settings(max_examples=60, deadline=None)
@given(
    period=st.sampled_from(list(PERIODS)),
    start=st.dates(date(2023, 1, 1), date(2025, 12, 31)),
    days=st.integers(0, 1500),
    amount=st.decimals(min_value=D("0"), max_value=D("3000"), places=2),
    stream=st.lists(
        st.tuples(
            st.integers(0, 1800),
            amounts,
            st.sampled_from([None, "2024", "2025Q2", "2025-07", "1999"]),
        ),
        max_size=12,
    ),
    as_of=st.integers(-30, 1900),
)
def test_received_arrears_and_not_yet_due_add_up_to_the_total(
    period: str,
    start: date,
    days: int,
    amount: Decimal,
    stream: list[tuple[int, Decimal, str | None]],
    as_of: int,
) -> None:
    c = contract(period, start, days, amount, PERIODS[period])
    moves = sorted(
        (money(start + timedelta(days=d), a, p) for d, a, p in stream), key=lambda m: m.day
    )
    day = start + timedelta(days=as_of)
    schedule = build_schedule(c, moves, day, lambda due: 30)
    assert schedule.received + schedule.arrears + schedule.not_yet_due == schedule.total
    assert schedule.late_lines == [line for line in schedule.lines if line.late > 0]
    for line in schedule.lines:
        assert 0 <= line.received <= line.amount
        assert 0 <= line.late <= line.amount
    # every yuan that came in (to the day) settled a period or is left over
    came_in = sum((m.amount for m in moves if m.day <= day), D(0))
    assert schedule.received + schedule.surplus_amount == came_in


@settings(max_examples=40, deadline=None)
@given(
    start=st.dates(date(2023, 1, 1), date(2026, 12, 31)),
    days=st.integers(0, 800),
    due_day=st.integers(1, 31),
)
def test_a_monthly_contracts_periods_are_its_calendar_months(
    start: date, days: int, due_day: int
) -> None:
    """Each month of the term, from the calendar: due on `due-day` (the month's last day when
    shorter, the start when later), the first month from the start, the last to the end."""
    c = contract(vocab.MONTHLY, start, days, D(100), f"{due_day:02d}")
    expected = []
    year, month = start.year, start.month
    while date(year, month, 1) <= c.end:
        length = calendar.monthrange(year, month)[1]
        due = max(date(year, month, min(due_day, length)), start)
        if due <= c.end:
            first = max(date(year, month, 1), start)
            last = min(date(year, month, length), c.end)
            expected.append((f"{year}-{month:02d}", first, last, due))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    found = [(i.label, i.first, i.last, i.due) for i in instalments(c)]
    assert found == expected


@settings(max_examples=40, deadline=None)
@given(start=st.dates(date(2023, 1, 1), date(2026, 12, 31)), days=st.integers(0, 800))
def test_a_quarterly_contracts_periods_are_its_calendar_quarters(start: date, days: int) -> None:
    """Each calendar quarter of the term (`Quarter`, as the seals count them), due on its
    first day in force: the start for the first quarter."""
    c = contract(vocab.QUARTERLY, start, days, D(100), "")
    expected = []
    quarter = Quarter.of(start)
    while quarter.first_day <= c.end:
        first = max(quarter.first_day, start)
        expected.append((str(quarter), first, min(quarter.last_day, c.end), first))
        quarter = quarter.next()
    found = [(i.label, i.first, i.last, i.due) for i in instalments(c)]
    assert found == expected
