"""A seal covers every file the village's books include (issue: the seal bypass from outside the
village folder); the township's own files; VL905; and the state of each quarter's seal."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import REPO, check, codes, line_of, make_village
from village_ledger.loading import load_ledger
from village_ledger.model import LedgerModel, Quarter, build_model
from village_ledger.registry import get_rule
from village_ledger.sealing import checked_seals, seal_books, seal_lines, seal_state, seal_states

Q1 = Quarter(2025, 1)
BANK = "Assets:102-银行存款:10201-农商行"
OFFICE = "Expenses:513-管理费用:51302-办公费"


def voucher(day: str, number: str, amount: str) -> str:
    return f"""
{day} * "城关文具店" "办公用品"
  voucher: "{number}"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  receipt: "收款收据"
  {OFFICE}  {amount} CNY
  {BANK}
"""


BOOKS = (
    voucher("2025-01-08", "2025-01-001", "120.00")
    + voucher("2025-02-11", "2025-02-001", "86.50")
    + voucher("2025-03-05", "2025-03-001", "300.00")
)


def model_of(main: Path) -> LedgerModel:
    loaded = load_ledger(main)
    assert loaded.errors == [], loaded.errors
    return build_model(loaded.entries, loaded.options)


def seal(main: Path, quarter: Quarter = Q1, day: date = date(2025, 4, 10)) -> None:
    books = seal_books(model_of(main), [quarter])[quarter]
    with main.open("a", encoding="utf-8") as handle:
        handle.write("\n" + "\n".join(seal_lines(books, day)) + "\n")


def add(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)


@pytest.fixture
def sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A village of a township whose 2025Q1 was sealed on 2025-04-10, seen on 2025-05-20."""
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-05-20")
    main = make_village(tmp_path, BOOKS)
    seal(main)
    return main


def vl(main: Path) -> list[str]:
    return codes(check(main, select=["VL6", "VL9", "BEANCOUNT"]))


# --- the reproductions of the issue -------------------------------------------------------


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample township, seen as of a day when 2025Q1–2026Q3 are sealed."""
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2026-10-31")
    shutil.copytree(REPO / "ledgers", tmp_path / "ledgers")
    return tmp_path / "ledgers"


def test_a_voucher_from_a_file_outside_the_village_folder_breaks_the_seal(sample: Path):
    main = sample / "huangmei" / "main.beancount"
    assert vl(main) == []
    add(main, 'include "../extra.beancount"\n')
    (sample / "extra.beancount").write_text(
        voucher("2025-02-14", "2025-02-005", "950.00"), encoding="utf-8"
    )
    # (Beancount's balance assertions fail too: the bank paid 950.00 more)
    findings = check(main, select=["VL6", "VL9"])
    assert codes(findings) == ["VL601", "VL905"]
    broken = next(f for f in findings if f.rule == "VL601")
    assert broken.line == line_of(main, '"公开封存" "2025Q1"')
    assert "借方合计 398,245.38 元，现有凭证 57 笔、借方合计 399,195.38 元" in broken.message
    outside = next(f for f in findings if f.rule == "VL905")
    assert outside.file == str(sample / "extra.beancount") and outside.line == 2
    assert "既不在本村文件夹内，也不在乡镇共用文件夹" in outside.message
    assert "extra" not in outside.message  # where is the finding's file and line, not its text


def test_a_backdated_appointment_in_a_township_file_breaks_every_later_seal(sample: Path):
    add(sample / "township" / "policy.beancount", '2025-02-01 custom "任职" "孙二" "主任"\n')
    for village in ("huangmei", "taibai"):
        findings = check(sample / village / "main.beancount", select=["VL601"])
        assert len(findings) == 7  # 2025Q1 to 2026Q3: the appointment stands in all of them
        assert all("乡镇共用文件中" in f.message for f in findings)
        assert all("本村账目未变" in f.message for f in findings)


def test_a_township_policy_item_for_a_later_quarter_breaks_nothing(sample: Path):
    add(sample / "township" / "policy.beancount", '2026-10-01 custom "财务制度" "现金支付限额" 800.00 CNY\n')  # fmt: skip
    assert vl(sample / "huangmei" / "main.beancount") == []


# --- what is covered, from where ----------------------------------------------------------


def test_an_appointment_backdated_to_before_the_sealed_quarter(sealed: Path):
    add(sealed, '2024-12-01 custom "任职" "孙二" "主任"\n')
    assert vl(sealed) == ["VL601"]


def test_a_later_appointment_leaves_the_sealed_quarter_alone(sealed: Path):
    add(sealed, '2025-04-20 custom "任职" "孙二" "主任"\n')
    assert vl(sealed) == []


def test_a_file_in_a_subfolder_of_the_village_is_the_villages(sealed: Path):
    books = sealed.parent / "books" / "2025.beancount"
    books.parent.mkdir()
    books.write_text(voucher("2025-04-08", "2025-04-001", "20.00"), encoding="utf-8")
    add(sealed, 'include "books/2025.beancount"\n')
    assert vl(sealed) == []


def test_a_seal_of_the_first_canonical_form_still_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-05-20")
    main = make_village(tmp_path, BOOKS)
    books = seal_books(model_of(main), [Q1])[Q1]
    add(main, f'2025-04-10 custom "公开封存" "2025Q1" "{books.form_1_digest}"\n')
    [state] = checked_seals(model_of(main))
    assert (state.form, state.status) == (1, "intact")
    assert vl(main) == []
    text = main.read_text(encoding="utf-8")
    main.write_text(text.replace("86.50 CNY", "68.50 CNY"), encoding="utf-8")
    assert vl(main) == ["VL601"]


# --- the township's own files ---------------------------------------------------------------


def test_the_township_folder_is_where_the_chart_comes_from(sealed: Path):
    model = model_of(sealed)
    township = sealed.parent.parent / "township"
    assert model.township_dir == str(township)
    assert model.is_township_file(str(township / "policy.beancount"))
    assert not model.is_township_file(str(sealed))
    assert model.is_foreign_file(str(sealed.parent.parent / "extra.beancount"))
    assert not model.is_foreign_file(str(sealed.parent / "2025.beancount"))


def test_a_chart_at_the_top_of_the_tree_owns_only_its_own_folder(tmp_path: Path):
    (tmp_path / "chart.beancount").write_text(
        (REPO / "ledgers" / "township" / "chart.beancount").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    main = make_village(tmp_path, BOOKS)
    text = main.read_text(encoding="utf-8").replace(
        'include "../township/chart.beancount"', 'include "../chart.beancount"'
    )
    main.write_text(text, encoding="utf-8")
    model = model_of(main)
    assert model.township_dir == str(tmp_path)
    assert model.is_township_file(str(tmp_path / "chart.beancount"))
    # another village's folder below the top is not the township's
    assert model.is_foreign_file(str(tmp_path / "other" / "2025.beancount"))
    assert model.is_foreign_file(str(tmp_path / "township" / "policy.beancount"))


@pytest.mark.near_miss("VL905")
def test_vl905_near_miss_the_township_files_and_the_villages_own(sealed: Path):
    assert "VL905" not in vl(sealed)


def test_vl905_examples_with_their_second_file(tmp_path: Path):
    explained = get_rule("VL905")
    assert explained is not None and explained.explanation is not None
    example = explained.explanation
    compliant = make_village(tmp_path / "a", example.compliant)
    (compliant.parent / "2025.beancount").write_text(BOOKS, encoding="utf-8")
    assert check(compliant, select=["VL9", "BEANCOUNT"]) == []
    offending = make_village(tmp_path / "b", example.offending)
    (offending.parent.parent / "extra.beancount").write_text(BOOKS, encoding="utf-8")
    assert codes(check(offending, select=["VL9", "BEANCOUNT"])) == ["VL905"]


@pytest.mark.fires("VL905")
def test_vl905_once_per_file_with_its_count(sealed: Path):
    extra = sealed.parent.parent / "extra.beancount"
    extra.write_text(
        voucher("2025-04-02", "2025-04-001", "10.00")
        + voucher("2025-04-03", "2025-04-002", "10.00"),
        encoding="utf-8",
    )
    add(sealed, 'include "../extra.beancount"\n')
    [finding] = check(sealed, select=["VL905"])
    assert finding.file == str(extra) and finding.line == 2
    assert finding.date == date(2025, 4, 2)
    assert "其中 2 条记录" in finding.message


def test_policy_in_a_foreign_file_is_the_villages_and_cannot_loosen(sealed: Path):
    extra = sealed.parent.parent / "extra.beancount"
    extra.write_text('2025-04-01 custom "财务制度" "现金支付限额" 5000.00 CNY\n', encoding="utf-8")
    add(sealed, 'include "../extra.beancount"\n')
    assert vl(sealed) == ["VL902", "VL905"]


# --- the state of a quarter's seal ----------------------------------------------------------


def test_seal_states_of_each_quarter(sealed: Path):
    add(sealed, voucher("2025-04-08", "2025-04-001", "20.00"))
    model = model_of(sealed)
    states = seal_states(model, date(2025, 7, 10))
    assert {str(q): s.status for q, s in states.items()} == {
        "2025Q1": "intact",
        "2025Q2": "unsealed",
    }
    assert states[Q1].sealed and states[Q1].intact and not states[Q1].late
    assert seal_states(model, date(2025, 7, 31))[Quarter(2025, 2)].status == "overdue"
    # a seal dated after the day asked about is not yet a seal that day
    assert seal_state(model, Q1, date(2025, 4, 9)).status == "unsealed"


def test_a_late_seal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-05-20")
    main = make_village(tmp_path, BOOKS)
    seal(main, day=date(2025, 4, 16))
    state = seal_state(model_of(main), Q1)
    assert state.deadline == date(2025, 4, 15)
    assert state.late and state.intact and state.status == "intact"


def test_a_broken_seal_is_broken_in_the_state_and_in_vl601(sealed: Path):
    text = sealed.read_text(encoding="utf-8")
    sealed.write_text(text.replace("86.50 CNY", "68.50 CNY"), encoding="utf-8")
    state = seal_state(model_of(sealed), Q1)
    assert state.broken and state.status == "broken" and state.village_changed
    assert state.township_changed is False
    assert vl(sealed) == ["VL601"]


# --- property: any entry added inside a sealed quarter, from any file, is caught ------------

ENTRIES = {
    "voucher": voucher("{day}", "2025-{month}-009", "{amount}"),
    "unnumbered voucher": f'{{day}} * "某某" "补记"\n  {OFFICE}  {{amount}} CNY\n  {BANK}\n',
    "balance": f"{{day}} balance {BANK} {{amount}} CNY\n",
    "appointment": '{day} custom "任职" "孙二" "副主任"\n',
    "leaving": '{day} custom "离任" "李红梅" "主任"\n',
    "relative": '{day} custom "亲属" "孙二" "李红梅" "表兄弟"\n',
    "resolution": '{day} custom "会议决议" "补-{month}" "两委联席会议" "修路" {amount} CNY\n',
    "policy": '{day} custom "财务制度" "现金支付限额" 500.00 CNY\n',
}
WHERE = ("main", "year file", "subfolder", "township policy", "township new file", "outside")


def target(main: Path, where: str) -> Path:
    """The file an entry goes in; included from the main file unless the books already do."""
    village, root = main.parent, main.parent.parent
    path = {
        "main": main,
        "year file": village / "2025.beancount",
        "subfolder": village / "books" / "extra.beancount",
        "township policy": root / "township" / "policy.beancount",
        "township new file": root / "township" / "roster.beancount",
        "outside": root / "extra.beancount",
    }[where]
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
        add(main, f'include "{os.path.relpath(path, village)}"\n')
    return path


@settings(max_examples=30)
@given(
    kind=st.sampled_from(sorted(ENTRIES)),
    where=st.sampled_from(WHERE),
    day=st.dates(date(2025, 1, 1), date(2025, 3, 31)),
    amount=st.decimals(1, 99999, places=2),
)
def test_any_entry_added_inside_a_sealed_quarter_is_caught(
    tmp_path_factory: pytest.TempPathFactory, kind: str, where: str, day: date, amount: object
):
    root = tmp_path_factory.mktemp("township")
    main = make_village(root, BOOKS)
    seal(main)
    entry = ENTRIES[kind].format(day=day, month=f"{day.month:02d}", amount=amount)
    add(target(main, where), entry)
    found = {f.rule for f in check(main, select=["VL601", "VL602"])}
    assert found & {"VL601", "VL602"}, (kind, where, entry)
