"""The digest of a quarter: blind to layout, sensitive to every recorded fact.

Ledgers are written as text and read back through Beancount's loader, so what is tested is what
`seal` and `check` see.
"""

from __future__ import annotations

import dataclasses
import json
import random
import shutil
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import make_village
from village_ledger.canonical import (
    FORM,
    FORM_1,
    digest_of,
    number,
    record,
    record_form,
    transaction_form,
)
from village_ledger.loading import load_ledger
from village_ledger.model import Quarter, build_model
from village_ledger.sealing import (
    QuarterBooks,
    quarter_books,
    seal_books,
    seal_lines,
    today,
)

# the encoder the canonical form is defined by, built here rather than taken from the module
ORACLE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

Q1 = Quarter(2025, 1)
BANK = "Assets:102-银行存款:10201-农商行"
CASH = "Assets:101-库存现金"
ACCOUNTS = (
    "Expenses:513-管理费用:51302-办公费",
    "Expenses:513-管理费用:51305-水电费",
    "Expenses:514-公益支出:51403-环境卫生",
    "Assets:121-库存物资",
)
PEOPLE = ("王建国", "李红梅", "吴志强", "赵德明", "钱秀英")
WORDS = ("电费", "办公用品", "清运垃圾", "修水渠", "买化肥", 'Office "A"', "a;b")


@dataclass(frozen=True)
class Txn:
    """A voucher as the test writes it; `render` turns it into ledger text."""

    day: date
    flag: str
    payee: str | None
    narration: str
    tags: tuple[str, ...]
    links: tuple[str, ...]
    meta: tuple[tuple[str, str], ...]
    account: str
    amount: Decimal
    source: str = BANK  # the account the money comes from


@dataclass(frozen=True)
class Layout:
    """Everything about how the books are written that must not change the digest."""

    indent: str = "  "
    comments: bool = False
    blank_lines: int = 1
    explicit_bank: bool = False
    extra_zeros: int = 0
    seed: int = 0  # order of the entries in the text
    files: int = 1  # how many files the vouchers are spread over


def quarter_days(quarter: Quarter) -> st.SearchStrategy[date]:
    return st.dates(min_value=quarter.first_day, max_value=quarter.last_day)


def names(prefix: str) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from([f"{prefix}{i}" for i in range(4)]), unique=True).map(
        lambda xs: tuple(sorted(xs))
    )


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)

txns = st.builds(
    Txn,
    day=quarter_days(Q1),
    flag=st.sampled_from("*!"),
    payee=st.none() | st.sampled_from(PEOPLE),
    narration=st.sampled_from(WORDS),
    tags=names("tag"),
    links=names("link"),
    meta=st.tuples(st.sampled_from(PEOPLE), st.sampled_from(PEOPLE)).map(
        lambda hv: (("handler", hv[0]), ("reviewer", hv[1]))
    ),
    account=st.sampled_from(ACCOUNTS),
    amount=amounts,
)

books = st.lists(txns, min_size=1, max_size=8)

layouts = st.builds(
    Layout,
    indent=st.sampled_from(["  ", "    ", "\t", "   "]),
    comments=st.booleans(),
    blank_lines=st.integers(0, 3),
    explicit_bank=st.booleans(),
    extra_zeros=st.integers(0, 3),
    seed=st.integers(0, 2**16),
    files=st.integers(1, 3),
)


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def amount_text(value: Decimal, layout: Layout) -> str:
    return f"{value}{'0' * layout.extra_zeros if '.' in str(value) else ''}"


def render(txn: Txn, layout: Layout) -> str:
    pad = layout.indent
    head = [txn.day.isoformat(), txn.flag]
    if txn.payee is not None:
        head.append(quoted(txn.payee))
    head.append(quoted(txn.narration))
    head += [f"#{t}" for t in txn.tags] + [f"^{link}" for link in txn.links]
    lines = [" ".join(head) + ("  ; 凭证" if layout.comments else "")]
    lines += [f"{pad}{key}: {quoted(value)}" for key, value in txn.meta]
    if layout.comments:
        lines.append(f"{pad}; 经手人已签字")
    lines.append(f"{pad}{txn.account}  {amount_text(txn.amount, layout)} CNY")
    bank = f"{pad}{txn.source}"
    if layout.explicit_bank:
        bank += f"  {amount_text(-txn.amount, layout)} CNY"
    lines.append(bank)
    return "\n".join(lines) + "\n"


def write_books(root: Path, txns: list[Txn], layout: Layout, extra: str = "") -> Path:
    """The vouchers in a shuffled order, spread over `layout.files` included files."""
    shutil.rmtree(root / "testcun", ignore_errors=True)
    order = list(range(len(txns)))
    random.Random(layout.seed).shuffle(order)
    parts: list[list[str]] = [[] for _ in range(layout.files)]
    for position, index in enumerate(order):
        text = render(txns[index], layout)
        if layout.comments:
            text = f"; 第 {position} 笔\n" + text
        parts[position % layout.files].append(text)
    gap = "\n" * (layout.blank_lines + 1)
    includes = "".join(f'include "books/part{i}.beancount"\n' for i in range(1, layout.files))
    main = make_village(root, includes + extra + "\n" + gap.join(parts[0]))
    for i in range(1, layout.files):
        part = main.parent / "books" / f"part{i}.beancount"
        part.parent.mkdir(exist_ok=True)
        part.write_text(gap.join(parts[i]), encoding="utf-8")
    return main


def quarter_digest(main: Path, quarter: Quarter = Q1) -> str:
    loaded = load_ledger(main)
    assert loaded.errors == [], loaded.errors
    assert_fast_records_match_their_definition(loaded.entries)
    model = build_model(loaded.entries, loaded.options)
    return quarter_books(model.entries, [quarter], model.is_township_file)[quarter].digest


def assert_fast_records_match_their_definition(entries: list[data.Directive]) -> None:
    for entry in entries:
        form = record_form(entry)
        assert record(entry) == (None if form is None else ORACLE(form))
        if isinstance(entry, data.Transaction) and entry.flag != "P":
            assert record(entry) == ORACLE(transaction_form(entry))


@settings(max_examples=60)
@given(txns=books, layout=layouts)
def test_layout_does_not_change_the_digest(tmp_path: Path, txns: list[Txn], layout: Layout):
    plain = quarter_digest(write_books(tmp_path, txns, Layout()))
    assert quarter_digest(write_books(tmp_path, txns, layout)) == plain


def other_day(day: date, quarter: Quarter, shift: int) -> date:
    span = (quarter.last_day - quarter.first_day).days + 1
    return quarter.first_day + timedelta(days=((day - quarter.first_day).days + shift) % span)


def other(choices: tuple[str, ...], current: str | None) -> str:
    return next(c for c in choices if c != current)


# each way one fact of one voucher can change, all of them staying inside the quarter
CHANGES = {
    "date": lambda t, n: replace(t, day=other_day(t.day, Q1, 1 + n % 80)),
    "amount": lambda t, n: replace(t, amount=t.amount + Decimal("0.01") * (1 + n % 50)),
    "account": lambda t, n: replace(t, account=other(ACCOUNTS, t.account)),
    "source account": lambda t, n: replace(t, source=other((BANK, CASH), t.source)),
    "payee": lambda t, n: replace(t, payee=other(PEOPLE, t.payee)),
    "no payee": lambda t, n: replace(t, payee=None if t.payee else "王建国"),
    "narration": lambda t, n: replace(t, narration=other(WORDS, t.narration)),
    "flag": lambda t, n: replace(t, flag="!" if t.flag == "*" else "*"),
    "tag": lambda t, n: replace(t, tags=(*t.tags, "changed")),
    "link": lambda t, n: replace(t, links=(*t.links, "changed")),
    "metadata value": lambda t, n: replace(
        t, meta=(("handler", other(PEOPLE, t.meta[0][1])), *t.meta[1:])
    ),
    "metadata key": lambda t, n: replace(t, meta=(*t.meta, ("witness", "郑国庆"))),
}


@settings(max_examples=80)
@given(
    txns=books,
    layout=layouts,
    which=st.integers(0, 7),
    change=st.sampled_from(sorted(CHANGES)),
    n=st.integers(0, 1000),
)
def test_any_changed_fact_changes_the_digest(
    tmp_path: Path, txns: list[Txn], layout: Layout, which: int, change: str, n: int
):
    index = which % len(txns)
    changed = [*txns]
    changed[index] = CHANGES[change](txns[index], n)
    sealed = quarter_digest(write_books(tmp_path, txns, Layout()))
    assert quarter_digest(write_books(tmp_path, changed, layout)) != sealed


def test_digest_has_the_printed_form(tmp_path: Path):
    main = write_books(tmp_path, [example()], Layout())
    assert quarter_digest(main).startswith("sha256:")
    assert len(quarter_digest(main)) == len("sha256:") + 64


def example(**changes: object) -> Txn:
    txn = Txn(
        date(2025, 2, 3), "*", "供电所", "电费", (), (), (("handler", "吴志强"),), ACCOUNTS[1],
        Decimal("120.00"),
    )  # fmt: skip
    return dataclasses.replace(txn, **changes)  # type: ignore[arg-type]


def test_other_quarters_do_not_change_the_digest(tmp_path: Path):
    inside = [example()]
    before = quarter_digest(write_books(tmp_path, inside, Layout()))
    outside = [example(day=date(2024, 12, 31)), example(day=date(2025, 4, 1))]
    assert quarter_digest(write_books(tmp_path, inside + outside, Layout())) == before


def test_an_entry_moved_out_of_the_quarter_changes_the_digest(tmp_path: Path):
    txns = [example(), example(day=date(2025, 3, 31), narration="水费")]
    before = quarter_digest(write_books(tmp_path, txns, Layout()))
    moved = [txns[0], replace(txns[1], day=date(2025, 4, 1))]
    assert quarter_digest(write_books(tmp_path, moved, Layout())) != before


SEAL_Q4 = '2025-01-10 custom "公开封存" "2024Q4" "sha256:' + "0" * 64 + '"\n'
NOTE = f'2025-02-10 note {BANK} "对账单已取回"\n'
OPEN = "2025-02-01 open Expenses:513-管理费用:51302-办公费:5130201-纸张 CNY\n"
FAVA = '2025-02-01 custom "fava-option" "language" "zh"\n'


@pytest.mark.parametrize("extra", [SEAL_Q4, NOTE, OPEN, FAVA], ids=["seal", "note", "open", "fava"])
def test_what_the_digest_does_not_cover(tmp_path: Path, extra: str):
    plain = quarter_digest(write_books(tmp_path, [example()], Layout()))
    assert quarter_digest(write_books(tmp_path, [example()], Layout(), extra)) == plain


BALANCE = f"2025-03-01 balance {BANK} 499880.00 CNY\n"
RESOLUTION = '2025-02-01 custom "会议决议" "2025-02-两委-1" "两委联席会议" "修水渠" 3000.00 CNY\n'
APPOINTMENT = '2025-02-01 custom "任职" "郑国庆" "副主任"\n'
POLICY = '2025-02-01 custom "财务制度" "现金支付限额" 800.00 CNY\n'


@pytest.mark.parametrize(
    "extra",
    [BALANCE, RESOLUTION, APPOINTMENT, POLICY],
    ids=["balance", "resolution", "appointment", "policy"],
)
def test_what_the_digest_covers_besides_vouchers(tmp_path: Path, extra: str):
    plain = quarter_digest(write_books(tmp_path, [example()], Layout()))
    assert quarter_digest(write_books(tmp_path, [example()], Layout(), extra)) != plain


def books_of(main: Path, quarter: Quarter = Q1) -> QuarterBooks:
    loaded = load_ledger(main)
    assert loaded.errors == [], loaded.errors
    return seal_books(build_model(loaded.entries, loaded.options), [quarter])[quarter]


def test_township_files_are_hashed_apart_and_still_covered(tmp_path: Path):
    plain = books_of(write_books(tmp_path, [example()], Layout()))
    policy = tmp_path / "township" / "policy.beancount"
    policy.write_text(policy.read_text(encoding="utf-8") + POLICY, encoding="utf-8")
    changed = books_of(write_books(tmp_path, [example()], Layout()))
    assert changed.records == plain.records and changed.standing == plain.standing
    assert changed.township_digest != plain.township_digest
    assert changed.digest != plain.digest
    # what the seal records lets the check tell the township's change from the village's
    assert changed.digest_with(plain.township_digest) == plain.digest


def test_a_township_item_dated_after_the_quarter_leaves_it_alone(tmp_path: Path):
    plain = books_of(write_books(tmp_path, [example()], Layout()))
    policy = tmp_path / "township" / "policy.beancount"
    later = POLICY.replace("2025-02-01", "2025-04-01")
    policy.write_text(policy.read_text(encoding="utf-8") + later, encoding="utf-8")
    assert books_of(write_books(tmp_path, [example()], Layout())).digest == plain.digest


@pytest.mark.parametrize(
    "extra", [APPOINTMENT, RESOLUTION, POLICY], ids=["appointment", "resolution", "policy"]
)
def test_contract_directives_dated_before_the_quarter_are_covered(tmp_path: Path, extra: str):
    # who held office and what was resolved before the quarter is what its payments relied on
    plain = quarter_digest(write_books(tmp_path, [example()], Layout()))
    backdated = extra.replace("2025-02-01", "2024-11-20")
    assert quarter_digest(write_books(tmp_path, [example()], Layout(), backdated)) != plain


def test_a_balance_dated_before_the_quarter_is_the_earlier_quarters_alone(tmp_path: Path):
    plain = quarter_digest(write_books(tmp_path, [example()], Layout()))
    earlier = BALANCE.replace("2025-03-01", "2024-12-01").replace("499880.00", "500000.00")
    assert quarter_digest(write_books(tmp_path, [example()], Layout(), earlier)) == plain


def test_a_file_outside_the_village_folder_is_covered(tmp_path: Path):
    plain = quarter_digest(write_books(tmp_path, [example()], Layout()))
    (tmp_path / "extra.beancount").write_text(BALANCE, encoding="utf-8")
    main = write_books(tmp_path, [example()], Layout(), 'include "../extra.beancount"\n')
    books = books_of(main)
    assert books.digest != plain
    assert any('"balance"' in line for line in books.records)


def test_form_1_digest_is_what_earlier_seals_hold(tmp_path: Path):
    books = books_of(write_books(tmp_path, [example()], Layout()))
    assert books.form_1_digest == digest_of(books.records, FORM_1)
    assert books.form_1_digest != books.digest


def test_pad_generated_entries_are_not_vouchers(tmp_path: Path):
    main = write_books(tmp_path, [example()], Layout())
    loaded = load_ledger(main)
    padding = [e for e in loaded.entries if getattr(e, "flag", None) == "P"]
    assert padding and all(record(e) is None for e in padding)


@given(st.decimals(allow_nan=False, allow_infinity=False), st.integers(0, 5))
def test_numbers_are_compared_by_value(value: Decimal, zeros: int):
    padded = Decimal(f"{value:f}{'.' if '.' not in f'{value:f}' else ''}{'0' * zeros}")
    assert number(padded) == number(value)
    assert Decimal(number(value)) == value


def test_digest_is_bound_to_the_canonical_form():
    # a later form must not reproduce an earlier seal by accident
    assert FORM.startswith("village-ledger canonical form")
    assert digest_of([]) != digest_of([""])
    assert digest_of(["a", "b"]) == digest_of(["b", "a"])
    assert digest_of(["a"], FORM_1) != digest_of(["a"], FORM)


def test_seal_lines_carry_what_the_seal_saw(tmp_path: Path):
    txns = [
        example(meta=(("voucher", "2025-02-001"),)),
        example(meta=(("voucher", "2025-02-002"),), amount=Decimal("30.5")),
        example(meta=(("voucher", "2025-03-001"),), day=date(2025, 3, 2)),
        example(meta=(("voucher", "2025-06-001"),), day=date(2025, 6, 2)),
    ]
    main = write_books(tmp_path, txns, Layout())
    loaded = load_ledger(main)
    model = build_model(loaded.entries, loaded.options)
    books_q1 = quarter_books(model.entries, [Q1], model.is_township_file)[Q1]
    lines = seal_lines(books_q1, date(2025, 4, 10))
    assert lines == [
        f'2025-04-10 custom "公开封存" "2025Q1" "{books_q1.digest}"',
        "  vouchers: 3",
        "  total: 270.50",
        '  last-vouchers: "2025-02-002,2025-03-001"',
        f'  township: "{books_q1.township_digest}"',
    ]


def test_today_can_be_set_for_tests_and_auditors(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-04-16")
    assert today() == date(2025, 4, 16)
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "16/04/2025")
    with pytest.raises(ValueError, match="VILLAGE_LEDGER_TODAY"):
        today()


# Metadata of every type Beancount reads, on vouchers and on postings, and postings at a cost or
# a price: the record written as text must be the record its definition gives.
meta_values = st.one_of(
    st.sampled_from(WORDS + PEOPLE).map(quoted),
    amounts.map(str),
    st.sampled_from(["TRUE", "FALSE"]),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)).map(str),
    amounts.map(lambda a: f"{a} CNY"),
)
meta_lines = st.dictionaries(
    st.sampled_from(["voucher", "guests", "note", "invoice-date", "paid", "deposit"]),
    meta_values,
    max_size=4,
)
FERTILISER = "Assets:121-库存物资:12101-化肥"


@settings(max_examples=40)
@given(
    txn_meta=meta_lines,
    posting_meta=meta_lines,
    posting_flag=st.sampled_from(["", "! ", "* "]),
    bags=st.integers(1, 50),
    price=amounts,
    at_cost=st.booleans(),
)
def test_records_of_unusual_vouchers_match_their_definition(
    tmp_path: Path,
    txn_meta: dict[str, str],
    posting_meta: dict[str, str],
    posting_flag: str,
    bags: int,
    price: Decimal,
    at_cost: bool,
):
    held = f"{{{price} CNY}}" if at_cost else f"@ {price} CNY"
    lines = [
        f"2024-01-01 open {FERTILISER}",
        '  code: "12101"',
        "",
        '2025-02-03 ! "农资站" "化肥" #chungeng ^caigou-2025-02',
        *(f"  {key}: {value}" for key, value in txn_meta.items()),
        f"  {posting_flag}{FERTILISER}  {bags} BAG {held}",
        *(f"    {key}: {value}" for key, value in posting_meta.items()),
        f"  {posting_flag}{BANK}",
        *(f"    {key}: {value}" for key, value in posting_meta.items()),
    ]
    body = "\n".join(lines) + "\n"
    shutil.rmtree(tmp_path / "testcun", ignore_errors=True)
    main = make_village(tmp_path, body)
    loaded = load_ledger(main)
    assert loaded.errors == [], loaded.errors
    assert_fast_records_match_their_definition(loaded.entries)


def test_a_voucher_record_spells_every_kind_of_metadata_value_as_its_definition() -> None:
    """The fast spelling of a record (`record`) against `transaction_form`, for each type a
    metadata value can have."""
    from datetime import datetime

    from beancount.core.amount import Amount as Amt
    from beancount.parser.grammar import ValueType

    values: list[object] = [
        '文本 "引号" \\ 与换行\n',
        date(2025, 3, 7),
        datetime(2025, 3, 7, 8, 30),
        Decimal("1200.500"),
        Decimal("-0.00"),
        Decimal("1E+3"),
        True,
        False,
        7,
        Amt(Decimal("12.30"), "CNY"),
        None,
    ]
    for value in values:
        meta = {"filename": "x.beancount", "lineno": 3, "voucher": "2025-03-001", "k": value}
        posting = data.Posting(
            "Assets:101-库存现金", Amt(Decimal("-5.0"), "CNY"), None, None, None, {"k": value}
        )
        other = data.Posting(
            "Expenses:513-管理费用", Amt(Decimal("5"), "CNY"), None, None, None, {}
        )
        entry = data.Transaction(
            meta, date(2025, 3, 8), "*", None, "买", frozenset(), frozenset(), [posting, other]
        )
        assert record(entry) == ORACLE(transaction_form(entry)), value
        custom = data.Custom(meta, date(2025, 3, 8), "合同", [ValueType(value, type(value))] * 2)
        assert record(custom) == ORACLE(record_form(custom)), value


# Books with every kind of entry and value the canonical form spells, written awkwardly: the
# digests below were computed when the form was defined and must never change (every sealed
# quarter in users' ledgers depends on the exact bytes), whatever makes the records faster.
AWKWARD_TOWNSHIP = """\
2024-01-01 custom "财务制度" "现金支付限额" 1000.00 CNY
2025-02-01 custom "任职" "郑国庆" "副主任"
  note: "乡镇\\\\备案"
2025-08-01 custom "财务制度" "公开期限天数" 10
2024-01-01 custom "公开网址" "https://example.org/"
"""
AWKWARD_VILLAGE = """\
option "operating_currency" "CNY"
include "township.beancount"
2024-01-01 open Assets:Bank CNY
2024-01-01 open Assets:Cash
2024-01-01 open Assets:Stock
2024-01-01 open Expenses:513-办公费
2024-01-01 open Income:Other
2024-01-01 open Equity:Opening
2024-12-20 custom "会议决议" "2024-12-村代会-1" "村民代表会议" "修路 \\"一号\\"" 117500.00 CNY
  decided: 2024-12-20
2024-12-21 custom "合同" "HT-1" "租赁" "某某公司" 2025-01-01 2027-12-31 15000.00 CNY "季" TRUE 12
  award: "公开竞价"
  amount: 3.50 CNY
2024-12-31 * "Opening"
  Assets:Bank  100000.00 CNY
  Equity:Opening
2025-01-05 ! "城关\\"文具\\"店" "打印纸 \\\\ 反斜杠" #tag-b #tag-a ^link-2 ^link-1
  voucher: "2025-01-001"
  handler: "吴志强"
  multi: "两行
文字"
  count: 3
  huge: (7 * 1000000000000000000000000000000)
  big: 123456789012345678.123456789000
  neg: -0.00
  flagged: TRUE
  off: FALSE
  day: 2025-01-04
  money: -12.30 CNY
  acct: Assets:Bank
  cur: CNY
  tagv: #tagv
  empty:
  Expenses:513-办公费  300.10 CNY
    line-note: "分录 \\"注\\""
  ! Assets:Bank  -300.10 CNY
2025-01-06 * "买股"
  Assets:Stock  10 STK {10.5 CNY, 2025-01-02, "lot-1"}
  Assets:Bank
2025-01-07 * "卖股"
  Assets:Stock  -2 STK {10.5 CNY} @ 12 CNY
  Assets:Bank   24 CNY
  Income:Other
2025-01-08 * "价格"
  Assets:Cash  10 USD @@ 71.234 CNY
  Assets:Bank
2025-01-09 * "除法"
  Expenses:513-办公费  (10/3) CNY
  Assets:Bank
2025-01-10 * "零"
  Expenses:513-办公费  -0.00 CNY
  Assets:Bank  0 CNY
2025-01-11 txn "无标记"
  Expenses:513-办公费  (1000 * 1000000000000000000000000000) CNY
  Assets:Bank
2025-02-01 balance Assets:Bank  98742.44 ~ 0.01 CNY
  checked: "出纳"
2025-02-02 pad Assets:Cash Equity:Opening
2025-03-01 balance Assets:Cash  5.00 CNY
2025-03-02 custom "离任" "王建国" 2025-03-02
2025-03-03 custom "budget" "ascii" 1
2025-03-04 custom "公开封存" "2024Q4" "sha256:0000000000000000000000000000000000000000000000000000000000000000"
2025-03-05 note Assets:Bank "note"
2025-03-06 event "location" "here"
2025-03-07 price USD 7.1 CNY
2025-04-01 * "下季度"
  Expenses:513-办公费  1.00 CNY
  Assets:Bank
2025-04-02 custom "亲属" "甲" "乙" "配偶"
"""
AWKWARD_DIGESTS = {  # quarter: (digest, township digest, form 1 digest)
    Quarter(2025, 1): (
        "sha256:56a9b0db446520754231e0f15d981bf095e9e8270de9ce1f1339b54d576d2580",
        "sha256:3044b3cd39f31c5ecead9d3c666505ac27367133ad23ea1b177705200474e979",
        "sha256:58de430b81d2ce9a95eb2471b37686086eef353bda509350d56f37d8c5ac710a",
    ),
    Quarter(2025, 2): (
        "sha256:dae3c640130c7aeb6f47e7dc2a46af94dd00b78571c1a9d61a07d93d84bb2e9d",
        "sha256:3044b3cd39f31c5ecead9d3c666505ac27367133ad23ea1b177705200474e979",
        "sha256:489057e9b906841f9ff2c3fe04d4266993e90bb19a6bedc60246576cf4efb03b",
    ),
}


def test_the_digests_of_awkward_books_never_change(tmp_path: Path) -> None:
    from beancount import loader

    (tmp_path / "township.beancount").write_text(AWKWARD_TOWNSHIP, encoding="utf-8")
    (tmp_path / "main.beancount").write_text(AWKWARD_VILLAGE, encoding="utf-8")
    entries, _errors, _options = loader.load_file(str(tmp_path / "main.beancount"))
    assert_fast_records_match_their_definition(entries)
    books = quarter_books(
        entries, AWKWARD_DIGESTS, lambda name: name.endswith("township.beancount")
    )
    for quarter, (digest, township, form_1) in AWKWARD_DIGESTS.items():
        assert (books[quarter].digest, books[quarter].township_digest) == (digest, township)
        assert books[quarter].form_1_digest == form_1
