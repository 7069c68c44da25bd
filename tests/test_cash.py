"""VL2xx 现金: each rule fires on a ledger built for it and stays silent on its near miss.

The preamble of `make_village` leaves 2,000.00 of cash on hand on 2024-01-01 (a `pad`) and the
township's limits: 现金支付限额 1,000.00, 库存现金限额 5,000.00, 现金存行天数 3, 借支期限天数 30.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import realization
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import check, line_of, make_village
from village_ledger.beancount_plugin import is_padding, with_padding
from village_ledger.findings import Finding
from village_ledger.loading import load_ledger
from village_ledger.model import build_model
from village_ledger.model.cashbook import cash_book

BEAN_CHECK = Path(sys.executable).with_name("bean-check")


def found(main: Path, code: str) -> list[Finding]:
    """The findings of one code, after making sure Beancount itself accepts the ledger."""
    findings = check(main, select=[code, "BEANCOUNT"])
    assert [f.message for f in findings if f.rule == "BEANCOUNT"] == []
    return [f for f in findings if f.rule == code]


def receive(day: str, amount: str, payee: str = "租户") -> str:
    return f"""
{day} * "{payee}" "收租金 {amount}"
  Income:501-经营收入:50102-租赁收入  -{amount} CNY
  Assets:101-库存现金
"""


def pay(day: str, amount: str, payee: str = "文具店") -> str:
    return f"""
{day} * "{payee}" "办公用品 {amount}"
  Expenses:513-管理费用:51302-办公费  {amount} CNY
  Assets:101-库存现金
"""


def deposit(day: str, amount: str) -> str:
    return f"""
{day} * "存现 {amount}"
  Assets:102-银行存款:10201-农商行  {amount} CNY
  Assets:101-库存现金
"""


# ---- VL201 大额现金支付 -------------------------------------------------------------------


@pytest.mark.fires("VL201")
def test_cash_payment_over_limit_fires(tmp_path: Path) -> None:
    main = make_village(tmp_path, pay("2024-02-01", "1000.01", "李木匠"))
    [hit] = found(main, "VL201")
    assert hit.line == line_of(main, "李木匠")
    assert "向李木匠现金支付 1,000.01 元" in hit.message
    assert "现金支付限额 1,000.00 元" in hit.message
    assert hit.amount == Decimal("1000.01")
    assert hit.policy == "现金支付限额"


@pytest.mark.near_miss("VL201")
def test_cash_payment_at_limit_or_by_bank_is_silent(tmp_path: Path) -> None:
    body = pay("2024-02-01", "1000.00") + (
        """
2024-02-02 * "建材公司" "水泥"
  Expenses:514-公益支出:51402-公共设施维护  8000.00 CNY
  Assets:102-银行存款:10201-农商行
"""
    )
    assert found(make_village(tmp_path, body), "VL201") == []


def test_cash_limit_follows_village_policy(tmp_path: Path) -> None:
    body = '2024-01-15 custom "财务制度" "现金支付限额" 500.00 CNY\n' + pay("2024-02-01", "600.00")
    [hit] = found(make_village(tmp_path, body), "VL201")
    assert "现金支付限额 500.00 元" in hit.message


# ---- VL202 库存现金超限 -------------------------------------------------------------------


@pytest.mark.fires("VL202")
def test_cash_on_hand_over_limit_fires_on_the_entry_that_pushed_it(tmp_path: Path) -> None:
    body = (
        receive("2024-02-01", "3500.00", "甲")  # 5,500: over, but not for the night
        + pay("2024-02-01", "1000.00")  # 4,500
        + receive("2024-02-01", "600.00", "乙")  # 5,100 at the day's end
    )
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL202")
    assert hit.line == line_of(main, '"乙"')
    assert "收乙现金 600.00 元后" in hit.message
    assert "2024-02-01 日终库存现金 5,100.00 元，超过库存现金限额 5,000.00 元" in hit.message
    assert hit.amount == Decimal("5100.00")
    assert hit.policy == "库存现金限额"


def test_cash_on_hand_over_limit_is_judged_at_day_end(tmp_path: Path) -> None:
    over_at_end = receive("2024-02-01", "3000.01", "甲")
    main = make_village(tmp_path, over_at_end)
    [hit] = found(main, "VL202")
    assert "2024-02-01 日终库存现金 5,000.01 元，超过库存现金限额 5,000.00 元" in hit.message
    assert hit.amount == Decimal("5000.01")


def test_cash_over_limit_from_an_opening_balance_sits_on_the_pad(tmp_path: Path) -> None:
    body = """
2024-02-01 pad Assets:101-库存现金 Equity:301-资本
2024-02-02 balance Assets:101-库存现金 8000.00 CNY
"""
    main = make_village(tmp_path, body, plugin="village_ledger.plugins.cash")
    [hit] = found(main, "VL202")
    assert hit.line == line_of(main, "2024-02-01 pad")
    assert "期初余额补记现金 6,000.00 元后，2024-02-01 日终库存现金 8,000.00 元" in hit.message
    # bean-check runs the plugin before Beancount pads: the rules must see the same books
    result = bean_check(main)
    assert f"{main}:{hit.line}: VL202" in result.stdout + result.stderr


@pytest.mark.near_miss("VL202")
def test_cash_on_hand_exactly_at_limit_is_silent(tmp_path: Path) -> None:
    # 2,000 + 6,000 - 3,000 = 5,000.00 at the day's end, over only in the middle of the day
    body = receive("2024-02-01", "6000.00") + deposit("2024-02-01", "3000.00")
    assert found(make_village(tmp_path, body), "VL202") == []


def test_cash_over_limit_is_reported_once_per_spell(tmp_path: Path) -> None:
    body = (
        receive("2024-02-01", "4000.00", "甲")  # 6,000: a spell begins
        + receive("2024-02-02", "500.00", "乙")  # still over: the same spell
        + deposit("2024-02-03", "3000.00")  # 3,500: back within
        + receive("2024-02-04", "2000.00", "丙")  # 5,500: a new spell
    )
    main = make_village(tmp_path, body)
    hits = found(main, "VL202")
    assert [h.line for h in hits] == [line_of(main, '"甲"'), line_of(main, '"丙"')]


# ---- VL203 库存现金为负 -------------------------------------------------------------------


@pytest.mark.fires("VL203")
def test_cash_below_zero_fires(tmp_path: Path) -> None:
    body = (
        pay("2024-02-01", "900.00")
        + pay("2024-02-02", "900.00")
        + pay("2024-02-03", "200.01", "白条")
    )
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL203")
    assert hit.line == line_of(main, '"白条"')
    assert "付白条现金 200.01 元后" in hit.message
    assert "2024-02-03 日终库存现金为 -0.01 元" in hit.message
    assert hit.amount == Decimal("-0.01")


@pytest.mark.near_miss("VL203")
def test_cash_down_to_zero_or_negative_only_within_a_day_is_silent(tmp_path: Path) -> None:
    body = (
        pay("2024-02-01", "1000.00")
        + pay("2024-02-01", "1000.00")  # exactly zero
        + pay("2024-02-02", "800.00")  # -800 in the middle of the day ...
        + receive("2024-02-02", "900.00")  # ... 100 at its end
    )
    assert found(make_village(tmp_path, body), "VL203") == []


# ---- VL204 现金收入未及时存行 ---------------------------------------------------------------


@pytest.mark.fires("VL204")
def test_cash_not_banked_within_days_warns(tmp_path: Path) -> None:
    body = receive("2024-02-01", "4000.00", "承包户") + deposit("2024-02-05", "3000.00")
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL204")
    assert hit.line == line_of(main, '"承包户"')
    assert hit.severity == "warning"
    assert "收承包户现金 4,000.00 元，3 天内未存入银行" in hit.message
    assert "2024-02-04 日终库存现金仍为 6,000.00 元" in hit.message


def test_late_receipts_of_one_spell_make_one_warning(tmp_path: Path) -> None:
    body = (
        receive("2024-02-01", "4000.00", "承包户")
        + receive("2024-02-02", "300.00", "租户")
        + receive("2024-02-03", "200.00", "商户")
        + deposit("2024-02-10", "4000.00")  # 2,500: the spell ends
        + receive("2024-02-11", "3000.00", "新承包户")  # 5,500: a new spell, banked in time
        + deposit("2024-02-13", "1000.00")
    )
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL204")
    assert hit.line == line_of(main, '"承包户"')
    assert "至 2024-02-03 另有 2 笔现金收入共 500.00 元未及时存行" in hit.message
    assert hit.amount == Decimal("4500.00")


@pytest.mark.near_miss("VL204")
def test_cash_banked_on_the_last_allowed_day_is_silent(tmp_path: Path) -> None:
    body = receive("2024-02-01", "4000.00") + deposit("2024-02-04", "3000.00")
    assert found(make_village(tmp_path, body), "VL204") == []


def test_cash_kept_within_limit_need_not_be_banked(tmp_path: Path) -> None:
    body = receive("2024-02-01", "3000.00") + pay("2024-03-01", "10.00")
    assert found(make_village(tmp_path, body), "VL204") == []


def test_cash_not_banked_is_judged_as_of_the_last_entry(tmp_path: Path) -> None:
    # the books end on the deadline day with cash still over: the receipt is late
    late = receive("2024-02-01", "4000.00", "承包户") + pay("2024-02-04", "10.00")
    assert len(found(make_village(tmp_path / "late", late), "VL204")) == 1
    # the books end the day before the deadline: nothing is late yet
    early = receive("2024-02-01", "4000.00", "承包户") + pay("2024-02-03", "10.00")
    assert found(make_village(tmp_path / "early", early), "VL204") == []


# ---- VL205 会计出纳一人兼任 ---------------------------------------------------------------


@pytest.mark.fires("VL205")
def test_accountant_appointed_cashier_fires_on_that_appointment(tmp_path: Path) -> None:
    body = """
2024-06-01 custom "离任" "周小燕" "出纳"
2024-06-01 custom "任职" "孙立新" "出纳"
"""
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL205")
    assert hit.line == line_of(main, '"孙立新" "出纳"')
    assert "孙立新 自 2024-06-01 起同时担任会计和出纳" in hit.message


@pytest.mark.near_miss("VL205")
def test_accountant_who_left_before_becoming_cashier_is_silent(tmp_path: Path) -> None:
    body = """
2024-06-01 custom "离任" "孙立新" "会计"
2024-06-01 custom "任职" "吴志强" "会计"
2024-06-01 custom "离任" "周小燕" "出纳"
2024-06-01 custom "任职" "孙立新" "出纳"
"""
    assert found(make_village(tmp_path, body), "VL205") == []


# ---- VL206 个人借支逾期未结 ---------------------------------------------------------------

ADVANCES = """
2024-01-01 open Assets:112-应收款:11201-个人借支:1120101-张三 CNY
2024-01-01 open Assets:112-应收款:11201-个人借支:1120102-李四 CNY
"""


def advance(day: str, person: str, amount: str) -> str:
    return f"""
{day} * "{person}" "借支 {amount}"
  Assets:112-应收款:11201-个人借支:{"1120101" if person == "张三" else "1120102"}-{person}  {amount} CNY
  Assets:102-银行存款:10201-农商行
"""


def repay(day: str, person: str, amount: str) -> str:
    return f"""
{day} * "{person}" "还借支 {amount}"
  Assets:112-应收款:11201-个人借支:{"1120101" if person == "张三" else "1120102"}-{person}  -{amount} CNY
  Assets:102-银行存款:10201-农商行
"""


@pytest.mark.fires("VL206")
def test_advance_settled_late_warns_on_the_advance(tmp_path: Path) -> None:
    body = (
        ADVANCES + advance("2024-03-01", "张三", "2000.00") + repay("2024-04-01", "张三", "2000.00")
    )
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL206")
    assert hit.line == line_of(main, "借支 2000.00")
    assert hit.severity == "warning"
    assert "张三 2024-03-01 借支 2,000.00 元，至 2024-04-01 才结清，已 31 天" in hit.message
    assert "超过借支期限 30 天" in hit.message


@pytest.mark.near_miss("VL206")
def test_advance_settled_on_the_30th_day_is_silent(tmp_path: Path) -> None:
    body = (
        ADVANCES + advance("2024-03-01", "张三", "2000.00") + repay("2024-03-31", "张三", "2000.00")
    )
    body += pay("2024-12-31", "10.00")
    assert found(make_village(tmp_path, body), "VL206") == []


def test_advances_are_settled_first_in_first_out(tmp_path: Path) -> None:
    body = (
        ADVANCES
        + advance("2024-03-01", "张三", "1000.00")
        + advance("2024-03-20", "张三", "500.00")
        + repay("2024-03-25", "张三", "1200.00")  # settles the first, 200 of the second
        + repay("2024-04-25", "张三", "300.00")  # the rest of the second, 36 days on
        + advance("2024-03-01", "李四", "100.00")  # someone else's account: its own queue
        + repay("2024-03-05", "李四", "100.00")
    )
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL206")
    assert hit.line == line_of(main, "借支 500.00")
    assert "至 2024-04-25 才结清，已 36 天" in hit.message


def test_advance_still_open_at_the_last_entry_warns(tmp_path: Path) -> None:
    body = (
        ADVANCES + advance("2024-03-01", "张三", "2000.00") + repay("2024-03-10", "张三", "500.00")
    )
    body += pay("2024-04-01", "10.00")  # the books run to 2024-04-01: 31 days after the advance
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL206")
    assert hit.line == line_of(main, "借支 2000.00")
    assert "截至 2024-04-01（账簿最后记账日）仍有 1,500.00 元未结清，已 31 天" in hit.message
    assert hit.amount == Decimal("1500.00")


def test_advance_open_for_30_days_at_the_last_entry_is_silent(tmp_path: Path) -> None:
    body = ADVANCES + advance("2024-03-01", "张三", "2000.00") + pay("2024-03-31", "10.00")
    assert found(make_village(tmp_path, body), "VL206") == []


# ---- the family as a Beancount plugin ------------------------------------------------------


def bean_check(main: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BEAN_CHECK), "-C", str(main)], capture_output=True, text=True, check=False
    )


def test_cash_plugin_alone_reports_errors_in_bean_check(tmp_path: Path) -> None:
    main = make_village(
        tmp_path, pay("2024-02-01", "1500.00"), plugin="village_ledger.plugins.cash"
    )
    result = bean_check(main)
    assert result.returncode != 0
    assert "VL201" in result.stdout + result.stderr
    assert "1,500.00" in result.stdout + result.stderr


def test_warning_only_ledger_passes_bean_check(tmp_path: Path) -> None:
    body = ADVANCES + advance("2024-03-01", "张三", "2000.00") + pay("2024-06-01", "10.00")
    main = make_village(tmp_path, body, plugin="village_ledger.plugins.cash")
    found = [f.rule for f in check(main, select=["VL2", "BEANCOUNT"])]
    assert found == ["VL206", "VL209"]  # warnings: an advance, and months without a cash count
    result = bean_check(main)
    assert result.returncode == 0, result.stdout + result.stderr


# ---- the cash book agrees with Beancount ---------------------------------------------------

KINDS = {
    "receive": ("Income:504-其他收入:50402-其他", "Assets:101-库存现金"),
    "pay": ("Assets:101-库存现金", "Expenses:513-管理费用:51302-办公费"),
    "deposit": ("Assets:101-库存现金", "Assets:102-银行存款:10201-农商行"),
    "withdraw": ("Assets:102-银行存款:10201-农商行", "Assets:101-库存现金"),
    "to_float": ("Assets:101-库存现金", "Assets:101-库存现金:10101-备用金"),
    "float_pay": ("Assets:101-库存现金:10101-备用金", "Expenses:513-管理费用:51302-办公费"),
}
START = date(2024, 1, 1)

cash_entries = st.lists(
    st.tuples(st.integers(0, 30), st.sampled_from(sorted(KINDS)), st.integers(1, 800_000)),
    max_size=20,
)


def ledger_of(entries: list[tuple[int, str, int]]) -> str:
    lines = ["2024-01-01 open Assets:101-库存现金:10101-备用金 CNY"]
    for offset, kind, cents in entries:
        source, target = KINDS[kind]
        amount = Decimal(cents) / 100
        lines += [
            f'{START + timedelta(days=offset)} * "{kind}"',
            f"  {target}  {amount:.2f} CNY",
            f"  {source}  -{amount:.2f} CNY",
        ]
    return "\n".join(lines) + "\n"


def beancount_cash(entries: list, day: date) -> Decimal:
    """Beancount's own balance of the cash accounts at the end of `day`."""
    root = realization.realize([e for e in entries if e.date <= day])
    node = realization.get(root, "Assets:101-库存现金")
    if node is None:
        return Decimal(0)
    return realization.compute_balance(node).get_currency_units("CNY").number


@settings(max_examples=25)
@given(cash_entries)
def test_cash_book_day_end_balances_equal_beancount(
    tmp_path_factory, entries: list[tuple[int, str, int]]
) -> None:
    main = make_village(tmp_path_factory.mktemp("cash"), ledger_of(entries))
    loaded = load_ledger(main)
    assert loaded.errors == []
    book = cash_book(build_model(loaded.entries, loaded.options))
    for offset in range(-2, 32):
        day = START + timedelta(days=offset)
        assert book.closing_on(day) == beancount_cash(loaded.entries, day), day
    moved = {START + timedelta(days=o) for o, kind, _ in entries if kind not in ("to_float",)}
    assert {d.day for d in book} == moved | {date(2023, 12, 31)}


# ---- inside bean-check the rules see the opening balances Beancount pads in later -----------

pad_points = st.lists(
    st.tuples(
        st.integers(0, 30),
        st.sampled_from(["Assets:101-库存现金", "Assets:101-库存现金:10101-备用金"]),
        st.integers(0, 900_000),
    ),
    max_size=4,
)


@settings(max_examples=25)
@given(cash_entries, pad_points)
def test_plugin_padding_equals_beancounts(
    tmp_path_factory, entries: list[tuple[int, str, int]], pads: list[tuple[int, str, int]]
) -> None:
    body = ledger_of(entries)
    for offset, account, cents in pads:
        day = START + timedelta(days=offset)
        body += f"{day} pad {account} Equity:301-资本\n"
        body += f"{day + timedelta(days=1)} balance {account} {Decimal(cents) / 100:.2f} CNY\n"
    loaded = load_ledger(make_village(tmp_path_factory.mktemp("pad"), body))
    unpadded = [e for e in loaded.entries if not is_padding(e)]

    def padding(entries: list) -> list:
        return [
            (e.date, [(p.account, p.units) for p in e.postings]) for e in entries if is_padding(e)
        ]

    assert padding(with_padding(unpadded, loaded.options)) == padding(loaded.entries)
