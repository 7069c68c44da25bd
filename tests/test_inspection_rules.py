"""The rules the inspections still named: VL108 (payee a signer's relative), VL406 (disguised
entertainment), VL407 (trips), VL604 (a quarter sealed late)."""

from __future__ import annotations

from pathlib import Path

import pytest
from village_ledger.plugins.approval import (
    EXAMPLE_RELATIVE,
    EXAMPLE_RELATIVE_RESOLUTION,
    example_relative_paid,
)
from village_ledger.plugins.disguised import (
    EXAMPLE_TRIP_RESOLUTION,
    example_office_payment,
    example_trip,
)
from village_ledger.plugins.entertainment import example_reception
from village_ledger.plugins.periods import EXAMPLE_Q1_BOOKS, EXAMPLE_Q1_SEAL

from tests.support import check, make_village


def messages(tmp_path: Path, body: str, code: str, name: str = "testcun") -> list[str]:
    findings = check(make_village(tmp_path, body, name=name), select=[code])
    assert all(f.rule == code for f in findings)
    return [f.message for f in findings]


# --- VL108 --------------------------------------------------------------------------------


@pytest.mark.fires("VL108")
@pytest.mark.parametrize("signer", ["handler", "reviewer", "approver"])
def test_a_payee_related_to_any_signer(tmp_path: Path, signer: str) -> None:
    people = {"handler": "吴志强", "reviewer": "赵德明", "approver": "李红梅"}
    relative = EXAMPLE_RELATIVE.replace("吴志强", people[signer])
    found = messages(tmp_path, relative + example_relative_paid(False), "VL108")
    assert len(found) == 1 and f"{people[signer]}的近亲属（兄弟）" in found[0]


@pytest.mark.fires("VL108")
@pytest.mark.parametrize("payee", ["吴建华（村民）", "吴建华(临时工)"])
def test_a_related_payee_with_a_note_in_brackets(tmp_path: Path, payee: str) -> None:
    paid = example_relative_paid(False).replace('"吴建华"', f'"{payee}"')
    found = messages(tmp_path, EXAMPLE_RELATIVE + paid, "VL108")
    assert len(found) == 1 and f"付 {payee} 的支出" in found[0] and "吴志强的近亲属" in found[0]


@pytest.mark.near_miss("VL108")
def test_a_related_payee_under_a_resolution_or_an_unrelated_one(tmp_path: Path) -> None:
    decided = EXAMPLE_RELATIVE + EXAMPLE_RELATIVE_RESOLUTION + example_relative_paid(True)
    assert messages(tmp_path, decided, "VL108") == []
    unrelated = example_relative_paid(False)
    assert messages(tmp_path, unrelated, "VL108", name="unrelated") == []
    # a related name in brackets after another payee's is not the payee
    shop = EXAMPLE_RELATIVE + unrelated.replace('"吴建华"', '"城关建材店（吴建华）"')
    assert messages(tmp_path, shop, "VL108", name="shop") == []


# --- VL406 --------------------------------------------------------------------------------


@pytest.mark.fires("VL406")
@pytest.mark.parametrize(
    ("payee", "narration"),
    [
        ("九池乡老街农家乐", "村两委工作会议"),
        ("城关商场", "购买慰问购物卡"),
        ("梅川宾馆", "村干部培训宴请"),
    ],
)
def test_meals_or_gifts_booked_as_office_costs(tmp_path: Path, payee: str, narration: str) -> None:
    body = example_office_payment(payee, narration, "Expenses:513-管理费用:51302-办公费")
    found = messages(tmp_path, body, "VL406")
    assert len(found) == 1 and "51302-办公费" in found[0]


@pytest.mark.near_miss("VL406")
def test_a_meal_booked_as_entertainment_or_an_office_purchase(tmp_path: Path) -> None:
    assert messages(tmp_path, example_reception(), "VL406") == []
    office = example_office_payment(
        "城关文具店", "购买打印纸", "Expenses:513-管理费用:51302-办公费"
    )
    assert messages(tmp_path, office, "VL406", name="office") == []


@pytest.mark.fires("VL406")
def test_a_village_keyword_added_to_the_townships(tmp_path: Path) -> None:
    body = '2025-01-01 custom "财务制度" "招待关键词" "餐,宴,酒店,饭店,农家乐,礼品,购物卡,茶叶"\n'
    body += example_office_payment("城关茶庄", "购买茶叶", "Expenses:513-管理费用:51302-办公费")
    assert len(messages(tmp_path, body, "VL406")) == 1


# --- VL407 --------------------------------------------------------------------------------


@pytest.mark.fires("VL407")
def test_six_travellers_even_with_a_resolution(tmp_path: Path) -> None:
    found = messages(tmp_path, EXAMPLE_TRIP_RESOLUTION + example_trip(6), "VL407")
    assert len(found) == 1 and "外出 6 人，超过考察人数上限 5 人" in found[0]


@pytest.mark.near_miss("VL407")
def test_five_travellers_with_a_resolution(tmp_path: Path) -> None:
    assert messages(tmp_path, EXAMPLE_TRIP_RESOLUTION + example_trip(5), "VL407") == []


@pytest.mark.fires("VL407")
def test_a_trip_without_a_resolution_whatever_its_size(tmp_path: Path) -> None:
    found = messages(tmp_path, example_trip(2, meeting=False), "VL407")
    assert len(found) == 1 and "未注明会议决议" in found[0]


@pytest.mark.near_miss("VL407")
def test_a_bureau_named_for_tourism_is_no_trip(tmp_path: Path) -> None:
    reception = example_reception(narration="接待梅川县文化和旅游局检查组工作餐")
    assert messages(tmp_path, reception, "VL407") == []
    office = example_office_payment(
        "梅川县文化和旅游局", "缴纳文化和旅游局培训资料费", "Expenses:513-管理费用:51302-办公费"
    )
    assert messages(tmp_path, office, "VL407", name="office") == []


# --- VL604 --------------------------------------------------------------------------------


def sealed_on(day: str) -> str:
    # the digest does not cover the seal's own date: the same seal, moved
    return EXAMPLE_Q1_BOOKS + "\n" + EXAMPLE_Q1_SEAL.replace("2025-04-10", day)


@pytest.mark.fires("VL604")
def test_a_quarter_sealed_the_day_after_its_deadline(tmp_path: Path) -> None:
    found = messages(tmp_path, sealed_on("2025-04-16"), "VL604")
    assert len(found) == 1 and "最迟 2025-04-15" in found[0] and "晚了 1 天" in found[0]


@pytest.mark.near_miss("VL604")
def test_a_quarter_sealed_on_its_deadline(tmp_path: Path) -> None:
    assert messages(tmp_path, sealed_on("2025-04-15"), "VL604") == []
