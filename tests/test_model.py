"""The model's queries against simple reference implementations, over generated ledgers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType
from hypothesis import given
from hypothesis import strategies as st

from village_ledger.model import build_model
from village_ledger.model.policy import ITEMS

MAIN = "/books/village/main.beancount"
TOWNSHIP_FILE = "/books/township/policy.beancount"
VILLAGE_FILE = "/books/village/2025.beancount"
START = date(2024, 1, 1)

days = st.integers(min_value=0, max_value=400).map(lambda n: START + timedelta(days=n))


def custom(
    day: date, kind: str, *values: object, filename: str = VILLAGE_FILE, line: int = 1
) -> data.Custom:
    typed = [ValueType(v, type(v)) for v in values]
    return data.Custom(data.new_metadata(filename, line), day, kind, typed)


# the township's chart: its folder is what makes TOWNSHIP_FILE the township's
CHART = data.Open(
    data.new_metadata("/books/township/chart.beancount", 1),
    date(2000, 1, 1),
    "Assets:101-库存现金",
    ["CNY"],
    None,
)


def model_of(entries: list[data.Directive]):  # type: ignore[no-untyped-def]
    return build_model(sorted([CHART, *entries], key=data.entry_sortkey), {"filename": MAIN})


# --- roster ---------------------------------------------------------------------------

PEOPLE = ("张三", "李四", "王五")
ROLES = ("主任", "书记", "会计")
events = st.lists(
    st.tuples(
        days, st.sampled_from(("任职", "离任")), st.sampled_from(PEOPLE), st.sampled_from(ROLES)
    ),
    max_size=12,
)


def reference_holds(
    evs: list[tuple[date, str, str, str]], person: str, role: str, day: date
) -> bool:
    """Replay the valid events in date order up to `day`."""
    holding = False
    for when, kind, who, what in sorted(evs, key=lambda e: e[0]):
        if when > day or (who, what) != (person, role):
            continue
        if kind == "任职" and not holding:
            holding = True
        elif kind == "离任" and holding:
            holding = False
    return holding


@given(events, st.sampled_from(PEOPLE), st.sampled_from(ROLES), days)
def test_roles_on_a_date_follow_appointments_and_departures(evs, person, role, day) -> None:
    # one event per (person, role, day): two on the same day have no defined order
    seen: set[tuple[date, str, str]] = set()
    evs = [e for e in evs if (e[0], e[2], e[3]) not in seen and not seen.add((e[0], e[2], e[3]))]
    model = model_of([custom(d, kind, p, r) for d, kind, p, r in evs])
    expected = reference_holds(evs, person, role, day)
    assert model.roster.holds(person, role, day) == expected
    assert (person in model.roster.holders(role, day)) == expected
    assert (role in model.roster.roles_of(person, day)) == expected


def test_departure_date_is_the_first_day_out_of_office() -> None:
    model = model_of(
        [
            custom(date(2021, 3, 1), "任职", "张三", "主任"),
            custom(date(2026, 3, 20), "离任", "张三", "主任"),
        ]
    )
    assert model.roster.holds("张三", "主任", date(2026, 3, 19))
    assert not model.roster.holds("张三", "主任", date(2026, 3, 20))
    assert not model.roster.holds("张三", "主任", date(2021, 2, 28))


@given(st.lists(st.tuples(st.sampled_from(PEOPLE), st.sampled_from(PEOPLE)), max_size=5))
def test_relatives_are_symmetric(pairs) -> None:
    entries = [custom(START, "亲属", a, b, "兄弟") for a, b in pairs if a != b]
    model = model_of(entries)
    for a in PEOPLE:
        for b in PEOPLE:
            expected = a != b and ((a, b) in pairs or (b, a) in pairs)
            assert model.roster.are_relatives(a, b) == expected


# --- policy -----------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=3000).map(lambda n: Decimal(n))
settings_of = st.lists(st.tuples(days, amounts), max_size=4, unique_by=lambda s: s[0])
KEY = "现金支付限额"


def latest(settings: list[tuple[date, Decimal]], day: date) -> Decimal | None:
    valid = [v for d, v in sorted(settings) if d <= day]
    return valid[-1] if valid else None


@given(settings_of, settings_of, days)
def test_policy_value_is_the_village_item_capped_by_the_township(township, village, day) -> None:
    entries = [
        custom(d, "财务制度", KEY, Amount(v, "CNY"), filename=TOWNSHIP_FILE) for d, v in township
    ]
    entries += [custom(d, "财务制度", KEY, Amount(v, "CNY")) for d, v in village]
    model = model_of(entries)
    ceiling = latest(township, day)
    ceiling = ITEMS[KEY].default if ceiling is None else ceiling
    own = latest(village, day)
    expected = ceiling if own is None else min(own, ceiling)
    assert model.policy.value(KEY, day) == expected


@given(settings_of, settings_of)
def test_looser_village_items_are_reported_once_each(township, village) -> None:
    entries = [
        custom(d, "财务制度", KEY, Amount(v, "CNY"), filename=TOWNSHIP_FILE) for d, v in township
    ]
    entries += [
        custom(d, "财务制度", KEY, Amount(v, "CNY"), line=i + 1) for i, (d, v) in enumerate(village)
    ]
    model = model_of(entries)
    ordered = sorted(village)
    expected_lines = set()
    for i, (start, value) in enumerate(ordered):
        end = ordered[i + 1][0] if i + 1 < len(ordered) else date.max
        checkpoints = [start] + [d for d, _ in township if start < d < end]
        for point in checkpoints:
            ceiling = latest(township, point)
            ceiling = ITEMS[KEY].default if ceiling is None else ceiling
            if value > ceiling:
                expected_lines.add(village.index((start, value)) + 1)
    assert {hit.meta["lineno"] for hit in model.policy.looser} == expected_lines


def test_township_values_are_not_capped() -> None:
    model = model_of(
        [custom(START, "财务制度", KEY, Amount(Decimal(2000), "CNY"), filename=TOWNSHIP_FILE)]
    )
    assert model.policy.value(KEY, START) == Decimal(2000)
    assert model.policy.looser == []


def test_stricter_direction_per_item() -> None:
    township = [
        custom(START, "财务制度", "拆分支付窗口天数", Decimal(7), filename=TOWNSHIP_FILE),
        custom(START, "财务制度", "招待需公函", True, filename=TOWNSHIP_FILE),
        custom(START, "财务制度", "禁止招待项目", "烟,酒", filename=TOWNSHIP_FILE),
    ]
    village = [
        custom(
            START, "财务制度", "拆分支付窗口天数", Decimal(5), line=1
        ),  # a shorter window is looser
        custom(START, "财务制度", "招待需公函", False, line=2),
        custom(START, "财务制度", "禁止招待项目", "烟,槟榔", line=3),  # dropped 酒
    ]
    model = model_of(township + village)
    assert sorted(hit.meta["lineno"] for hit in model.policy.looser) == [1, 2, 3]
    assert model.policy.value("拆分支付窗口天数", START) == 7
    assert model.policy.value("招待需公函", START) is True
    assert model.policy.value("禁止招待项目", START) == ("烟", "槟榔", "酒")


def test_before_any_item_the_default_applies() -> None:
    model = model_of([])
    for key, item in ITEMS.items():
        assert model.policy.value(key, START) == item.default


# --- accounts -----------------------------------------------------------------------------

CATEGORIES = (None, "招待费", "干部报酬", "差旅费")


@st.composite
def account_trees(draw):  # type: ignore[no-untyped-def]
    """A chain Expenses:513-管理费用:51303-x:5130301-y … with a category (or none) on each level."""
    depth = draw(st.integers(min_value=1, max_value=4))
    cats = [draw(st.sampled_from(CATEGORIES)) for _ in range(depth)]
    names, code = [], "513"
    for level in range(depth):
        names.append(f"{code}-科目{level}")
        code += "01"
    return names, cats


@given(account_trees())
def test_category_is_inherited_from_the_nearest_ancestor(tree) -> None:
    names, cats = tree
    entries = []
    for level in range(len(names)):
        account = "Expenses:" + ":".join(names[: level + 1])
        meta = data.new_metadata(VILLAGE_FILE, level + 1)
        if cats[level]:
            meta["category"] = cats[level]
        entries.append(data.Open(meta, START, account, ["CNY"], None))
    model = model_of(entries)
    for level in range(len(names)):
        account = "Expenses:" + ":".join(names[: level + 1])
        own = [c for c in cats[: level + 1] if c]
        assert model.account(account).category == (own[-1] if own else None)
        assert model.account(account).code == names[level].split("-")[0]
    # an account that was never opened borrows its parent's classification
    unopened = "Expenses:" + ":".join(names) + ":99-未开设"
    assert model.account(unopened).category == model.account("Expenses:" + ":".join(names)).category


def test_classification_from_codes() -> None:
    meta = data.new_metadata(VILLAGE_FILE, 1)
    entries = [
        data.Open(meta, START, "Assets:101-库存现金", ["CNY"], None),
        data.Open(meta, START, "Assets:102-银行存款:10201-农商行", ["CNY"], None),
        data.Open(meta, START, "Assets:153-在建工程", ["CNY"], None),
        data.Open(
            dict(meta, project="村道硬化"),
            START,
            "Liabilities:241-专项应付款:24101-村道",
            ["CNY"],
            None,
        ),
    ]
    model = model_of(entries)
    assert model.account("Assets:101-库存现金").is_cash
    bank = model.account("Assets:102-银行存款:10201-农商行")
    assert bank.is_bank and bank.is_money and not bank.is_cash
    assert model.account("Assets:153-在建工程").is_asset_purchase
    fund = model.account("Liabilities:241-专项应付款:24101-村道")
    assert fund.is_special_fund and fund.project == "村道硬化"
