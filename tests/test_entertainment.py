"""VL4xx 招待费: each rule fires on a ledger built for it and stays silent on its near miss.

The township's policy: 招待费年度限额 3,000.00, 单次 800.00, 人均 100.00, 预警比例 0.8,
招待需公函 TRUE, 禁止招待项目 烟,酒,香烟,白酒,红酒,啤酒.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.support import check, line_of, make_village
from village_ledger.findings import Finding


def found(main: Path, code: str) -> list[Finding]:
    """The findings of one code, after making sure Beancount itself accepts the ledger."""
    findings = check(main, select=[code, "BEANCOUNT"])
    assert [f.message for f in findings if f.rule == "BEANCOUNT"] == []
    return [f for f in findings if f.rule == code]


def reception(
    day: str,
    amount: str,
    *,
    guests: str | None = "4",
    hosts: str | None = "2",
    org: str | None = "县农业农村局",
    letter: str | None = "县农函〔2024〕12号",
    payee: str = "农家饭庄",
    narration: str = "检查组工作餐",
) -> str:
    meta = [
        f"  guests: {guests}" if guests is not None else "",
        f"  hosts: {hosts}" if hosts is not None else "",
        f'  guest-org: "{org}"' if org is not None else "",
        f'  letter: "{letter}"' if letter is not None else "",
    ]
    lines = [f'{day} * "{payee}" "{narration}"', *[m for m in meta if m]]
    lines += [
        f"  Expenses:513-管理费用:51303-招待费  {amount} CNY",
        "  Assets:102-银行存款:10201-农商行",
    ]
    return "\n" + "\n".join(lines) + "\n"


def year_of(amounts: list[str], year: int = 2024) -> str:
    return "".join(
        reception(f"{year}-{i + 1:02d}-10", a, narration=f"工作餐{i + 1}号")
        for i, a in enumerate(amounts)
    )


# ---- VL401 招待费超年度限额 -----------------------------------------------------------------


@pytest.mark.fires("VL401")
def test_year_over_cap_fires_on_the_entry_that_crossed_it(tmp_path: Path) -> None:
    main = make_village(tmp_path, year_of(["600.00"] * 5 + ["150.00", "100.00"]))
    [hit] = found(main, "VL401")
    assert hit.line == line_of(main, "工作餐6号")
    assert "2024年招待费累计 3,150.00 元，超过年度限额 3,000.00 元" in hit.message
    assert "县农业农村局接待 150.00 元" in hit.message
    assert hit.amount == Decimal("3150.00")
    assert hit.policy == "招待费年度限额"


@pytest.mark.near_miss("VL401")
def test_year_exactly_at_cap_is_silent_and_a_new_year_starts_afresh(tmp_path: Path) -> None:
    body = year_of(["600.00"] * 5) + year_of(["600.00"] * 5, year=2025)
    assert found(make_village(tmp_path, body), "VL401") == []


def test_zero_cap_makes_every_reception_an_error(tmp_path: Path) -> None:
    body = '2024-01-01 custom "财务制度" "招待费年度限额" 0.00 CNY\n' + year_of(["50.00", "80.00"])
    main = make_village(tmp_path, body)
    hits = found(main, "VL401")
    assert [h.line for h in hits] == [line_of(main, "工作餐1号"), line_of(main, "工作餐2号")]
    assert "实行零招待（招待费年度限额 0.00 元）" in hits[1].message
    assert "列支招待费 80.00 元，2024年累计 130.00 元" in hits[1].message


def test_reversal_brings_the_year_back_under_the_cap(tmp_path: Path) -> None:
    body = year_of(["600.00"] * 5 + ["100.00", "-100.00"])  # 3,100 then back to 3,000
    body += reception("2024-08-10", "0.01", narration="再次超过")
    main = make_village(tmp_path, body)
    hits = found(main, "VL401")
    assert [h.line for h in hits] == [line_of(main, "工作餐6号"), line_of(main, "再次超过")]
    assert "累计 3,000.01 元" in hits[1].message


# a running total in cents against a cap of 300,000 cents
receptions_cents = st.lists(st.integers(1, 120_000), max_size=25)


@settings(max_examples=20)
@given(receptions_cents)
def test_cap_fires_exactly_when_the_running_total_first_exceeds_it(
    tmp_path_factory, amounts: list[int]
) -> None:
    start = date(2024, 1, 1)
    body = "".join(
        reception(
            str(start + timedelta(days=i)),
            f"{Decimal(cents) / 100:.2f}",
            narration=f"接待第{i}次",
            guests="40",
            hosts="10",
        )
        for i, cents in enumerate(amounts)
    )
    main = make_village(tmp_path_factory.mktemp("ent"), body)
    running, first = 0, None
    for i, cents in enumerate(amounts):
        running += cents
        if running > 300_000:
            first = i
            break
    expected = [] if first is None else [line_of(main, f"接待第{first}次")]
    assert [h.line for h in found(main, "VL401")] == expected


# ---- VL405 招待费接近年度限额 ---------------------------------------------------------------


@pytest.mark.fires("VL405")
def test_year_reaching_the_warning_mark_warns(tmp_path: Path) -> None:
    main = make_village(tmp_path, year_of(["600.00"] * 3 + ["600.00", "100.00"]))
    [hit] = found(main, "VL405")
    assert hit.line == line_of(main, "工作餐4号")
    assert hit.severity == "warning"
    assert "2024年招待费累计 2,400.00 元，已达年度限额 3,000.00 元的 80%" in hit.message
    assert hit.amount == Decimal("2400.00")


@pytest.mark.near_miss("VL405")
def test_year_one_cent_short_of_the_mark_is_silent(tmp_path: Path) -> None:
    main = make_village(tmp_path, year_of(["600.00"] * 3 + ["599.99"]))
    assert found(main, "VL405") == []


def test_going_straight_over_the_cap_is_an_error_not_a_warning(tmp_path: Path) -> None:
    # 2,100 (70%), then 2,800 (93%: warned), then 3,500 (over: VL401, no second warning)
    main = make_village(tmp_path / "steps", year_of(["700.00"] * 5))
    assert [h.line for h in found(main, "VL405")] == [line_of(main, "工作餐4号")]
    # 2,100 (70%), then 3,100 at once: the error says it all
    jump = make_village(tmp_path / "jump", year_of(["700.00"] * 3 + ["1000.00"]))
    assert found(jump, "VL405") == []
    assert [h.line for h in found(jump, "VL401")] == [line_of(jump, "工作餐4号")]


# ---- VL402 单次招待超标 ---------------------------------------------------------------------


@pytest.mark.fires("VL402")
def test_reception_over_single_cap_fires(tmp_path: Path) -> None:
    main = make_village(tmp_path, reception("2024-03-10", "800.01", guests="8", hosts="2"))
    [hit] = found(main, "VL402")
    assert hit.line == line_of(main, "检查组工作餐")
    assert "县农业农村局接待一次 800.01 元，超过单次限额 800.00 元" in hit.message
    assert hit.policy == "招待费单次限额"


def test_reception_over_per_head_cap_fires(tmp_path: Path) -> None:
    main = make_village(tmp_path, reception("2024-03-10", "700.01", guests="5", hosts="2"))
    [hit] = found(main, "VL402")
    assert "来客 5 人、陪同 2 人，人均 100.01 元，超过人均限额 100.00 元" in hit.message
    assert hit.policy == "招待费人均限额"


@pytest.mark.near_miss("VL402")
def test_reception_at_the_caps_is_silent(tmp_path: Path) -> None:
    body = reception("2024-03-10", "800.00", guests="6", hosts="2")  # 100.00 a head, 800 in all
    body += reception("2024-04-10", "700.00", guests="5", hosts="2")
    assert found(make_village(tmp_path, body), "VL402") == []


def test_reception_without_hosts_counts_guests_only(tmp_path: Path) -> None:
    main = make_village(tmp_path, reception("2024-03-10", "500.00", guests="4", hosts=None))
    [hit] = found(main, "VL402")
    assert "来客 4 人、陪同 0 人，人均 125.00 元" in hit.message


def test_too_many_hosts_fires(tmp_path: Path) -> None:
    body = reception("2024-03-10", "100.00", guests="10", hosts="4", narration="十客四陪")
    body += reception("2024-03-11", "100.00", guests="11", hosts="4", narration="十一客四陪")
    main = make_village(tmp_path, body)
    hits = found(main, "VL402")
    assert [h.line for h in hits] == [line_of(main, "十客四陪"), line_of(main, "十一客四陪")]
    assert "来客 10 人，陪同 4 人，超过规定的 3 人" in hits[0].message


def test_hosts_within_the_allowance_are_silent(tmp_path: Path) -> None:
    body = reception("2024-03-10", "100.00", guests="10", hosts="3")
    body += reception("2024-03-11", "100.00", guests="12", hosts="4")  # a third of 12
    body += reception("2024-03-12", "100.00", guests="1", hosts="3")
    assert found(make_village(tmp_path, body), "VL402") == []


# ---- VL403 招待缺少来客或公函 ---------------------------------------------------------------


@pytest.mark.fires("VL403")
def test_reception_without_letter_or_org_fires(tmp_path: Path) -> None:
    main = make_village(tmp_path, reception("2024-03-10", "300.00", org=None, letter=None))
    [hit] = found(main, "VL403")
    assert hit.line == line_of(main, "检查组工作餐")
    assert "来客单位（guest-org）" in hit.message
    assert "公函（letter）" in hit.message
    assert "来客人数" not in hit.message


def test_malformed_guest_count_is_a_finding_not_a_traceback(tmp_path: Path) -> None:
    body = reception("2024-03-10", "300.00", guests='"abc"', hosts='"两人"')
    body += reception("2024-03-11", "300.00", guests=None, narration="无人数")
    main = make_village(tmp_path, body)
    findings = check(main)
    assert [f for f in findings if f.rule in ("VL900", "BEANCOUNT")] == []
    first, second = found(main, "VL403")
    assert first.line == line_of(main, "检查组工作餐")
    assert "来客人数 guests: “abc” 应为正整数" in first.message
    assert "陪同人数 hosts: “两人” 应为整数" in first.message
    assert second.line == line_of(main, "无人数")
    assert "来客人数（guests）" in second.message


@pytest.mark.near_miss("VL403")
def test_complete_reception_is_silent_with_details_on_the_posting(tmp_path: Path) -> None:
    body = """
2024-03-10 * "农家饭庄" "检查组工作餐"
  Expenses:513-管理费用:51303-招待费  300.00 CNY
    guests: 4
    hosts: 1
    guest-org: "县农业农村局"
    letter: "县农函〔2024〕12号"
  Assets:102-银行存款:10201-农商行
"""
    body += reception("2024-03-11", "300.00", guests='"3"')
    assert found(make_village(tmp_path, body), "VL403") == []


# ---- VL404 招待列支禁止项目 -----------------------------------------------------------------


@pytest.mark.fires("VL404")
def test_banned_item_in_narration_fires(tmp_path: Path) -> None:
    body = reception("2024-03-10", "300.00", narration="工作餐及白酒两瓶")
    body += reception("2024-03-11", "100.00", payee="老王烟酒店", narration="香烟一条")
    main = make_village(tmp_path, body)
    first, second = found(main, "VL404")
    assert first.line == line_of(main, "白酒两瓶")
    assert "含禁止招待项目：白酒" in first.message
    assert "300.00 元" in first.message
    assert second.line == line_of(main, "香烟一条")
    assert "含禁止招待项目：酒、香烟" in second.message


@pytest.mark.near_miss("VL404")
def test_a_hotel_name_is_not_a_banned_item(tmp_path: Path) -> None:
    body = reception("2024-03-10", "300.00", payee="县城大酒店", narration="工作餐")
    body += reception("2024-03-11", "300.00", payee="红星酒楼", narration="工作餐")
    assert found(make_village(tmp_path, body), "VL404") == []


@pytest.mark.near_miss("VL404")
def test_an_office_crop_or_works_named_after_tobacco_or_liquor_is_not_a_banned_item(
    tmp_path: Path,
) -> None:
    body = reception("2024-03-10", "210.00", org="县烟草专卖局", narration="接待县烟草专卖局检查组")
    body += reception("2024-03-11", "200.00", narration="烟叶收购质量检查组工作餐")
    body += reception("2024-03-12", "200.00", org="县酒厂", narration="接待县酒厂扶贫工作队")
    assert found(make_village(tmp_path, body), "VL404") == []


@pytest.mark.fires("VL404")
def test_cigarettes_bought_for_the_tobacco_office_still_fire(tmp_path: Path) -> None:
    narration = "接待县烟草专卖局检查组工作餐及香烟两包"
    body = reception("2024-03-10", "260.00", org="县烟草专卖局", narration=narration)
    main = make_village(tmp_path, body)
    [hit] = found(main, "VL404")
    assert hit.line == line_of(main, narration)
    assert "含禁止招待项目：香烟" in hit.message


def test_banned_item_outside_entertainment_is_not_this_rule(tmp_path: Path) -> None:
    body = """
2024-03-10 * "供销社" "购啤酒转售"
  Expenses:511-经营支出  300.00 CNY
  Assets:102-银行存款:10201-农商行
"""
    assert found(make_village(tmp_path, body), "VL404") == []


# VL406 searches a payee and a narration each once, alone: the words found are the same as in
# the two written as one text, `payee　narration`, whatever the keywords (one that holds the
# full-width space joining them too)
_TEXT = st.text(alphabet="餐宴酒店礼品卡 　a", max_size=8)


@settings(max_examples=60)
@example(keywords=("店　餐",), pairs=[("酒店", "餐费")])
@given(
    keywords=st.lists(_TEXT.filter(bool), min_size=1, max_size=4).map(tuple),
    pairs=st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=4),
)
def test_keywords_found_as_in_payee_and_narration_written_together(
    keywords: tuple[str, ...], pairs: list[tuple[str, str]]
) -> None:
    import re

    from village_ledger.plugins.disguised import keyword_finder

    pattern = re.compile("|".join(map(re.escape, keywords)))
    finder = keyword_finder(keywords)
    for payee, narration in pairs + pairs:  # again: from what was remembered
        together = sorted(set(pattern.findall(f"{payee}　{narration}")))
        assert finder(payee, narration) == together


# ---- the payments VL406 looks at: those naming a keyword, found in one search ----

TEXTS = st.sampled_from(["", "村部", "用餐", "酒店住宿", "农家", "乐", "农家乐", "礼品卡", "办公"])


@given(
    rows=st.lists(st.tuples(st.none() | TEXTS, st.none() | TEXTS), max_size=8),
    keywords=st.lists(st.sampled_from(["餐", "酒店", "农家乐", "礼品"]), min_size=1, max_size=3),
)
def test_payments_naming_a_keyword_are_exactly_those_a_keyword_is_in(
    rows: list[tuple[str | None, str | None]], keywords: list[str]
) -> None:
    from types import SimpleNamespace

    from village_ledger.plugins.disguised import naming_keywords

    payments = [
        SimpleNamespace(entry=SimpleNamespace(date=date(2025, 1, 1), payee=p, narration=n))
        for p, n in rows
    ]
    found = naming_keywords(payments, lambda day: tuple(keywords))  # type: ignore[arg-type]
    expected = [
        p
        for p in payments
        if any(k in (p.entry.payee or "") or k in (p.entry.narration or "") for k in keywords)
    ]
    assert found == expected
