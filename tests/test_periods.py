"""VL6xx: sealed quarters stay as published (VL601, VL602); quarters get sealed in time (VL603)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support import check, line_of, make_village
from village_ledger.audit import audit
from village_ledger.cli.main import main as cli
from village_ledger.engine import Selector
from village_ledger.findings import Finding
from village_ledger.loading import load_ledger
from village_ledger.model import Quarter, build_model
from village_ledger.sealing import quarter_books, seal_lines

Q1 = Quarter(2025, 1)
BANK = "Assets:102-银行存款:10201-农商行"
OFFICE = "Expenses:513-管理费用:51302-办公费"


def voucher(day: str, number: str, amount: str, narration: str = "办公用品") -> str:
    return f"""
{day} * "城关文具店" "{narration}"
  voucher: "{number}"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  receipt: "收款收据"
  {OFFICE}  {amount} CNY
  {BANK}
"""


Q1_BOOKS = (
    voucher("2025-01-08", "2025-01-001", "120.00")
    + voucher("2025-02-11", "2025-02-001", "86.50")
    + voucher("2025-03-05", "2025-03-001", "300.00")
    + voucher("2025-03-28", "2025-03-002", "45.00")
)


def seal(main: Path, quarter: Quarter, day: date) -> str:
    """Append the seal `village-ledger seal --write` would write; return its first line."""
    loaded = load_ledger(main)
    assert loaded.errors == []
    model = build_model(loaded.entries, loaded.options)
    books = quarter_books(model.entries, [quarter], model.is_township_file)[quarter]
    lines = seal_lines(books, day)
    with main.open("a", encoding="utf-8") as handle:
        handle.write("\n" + "\n".join(lines) + "\n")
    return lines[0]


def edit(main: Path, old: str, new: str) -> None:
    text = main.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    main.write_text(text.replace(old, new), encoding="utf-8")


def append(main: Path, text: str) -> None:
    with main.open("a", encoding="utf-8") as handle:
        handle.write(text)


def vl6(main: Path) -> list[Finding]:
    return check(main, select=["VL6", "BEANCOUNT"])


@pytest.fixture
def sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A village whose 2025Q1 was published and sealed on 2025-04-10, seen on 2025-05-20."""
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-05-20")
    main = make_village(tmp_path, Q1_BOOKS)
    seal(main, Q1, date(2025, 4, 10))
    return main


def test_a_sealed_quarter_left_alone_passes(sealed: Path):
    assert vl6(sealed) == []


# VL601


@pytest.mark.fires("VL601")
def test_vl601_an_amount_edited_after_publication(sealed: Path):
    edit(sealed, "300.00 CNY", "390.00 CNY")
    [finding] = vl6(sealed)
    assert finding.rule == "VL601"
    assert finding.line == line_of(sealed, '"公开封存" "2025Q1"')
    assert finding.date == date(2025, 4, 10)
    assert "2025Q1" in finding.message and "2025-04-10" in finding.message
    assert "封存时凭证 4 笔、借方合计 551.50 元，现有凭证 4 笔、借方合计 641.50 元" in (
        finding.message
    )
    assert finding.amount == 90


@pytest.mark.near_miss("VL601")
def test_vl601_not_for_a_comment_or_a_reformatted_voucher(sealed: Path):
    edit(sealed, '"城关文具店" "办公用品"\n  voucher: "2025-03-001"', '"城关文具店" "办公用品" ; 复印纸\n'
         '    ; 发票已附\n    voucher: "2025-03-001"')  # fmt: skip
    append(sealed, "\n; 2025Q1 已于 4 月 10 日张贴公开\n")
    assert vl6(sealed) == []


def test_vl601_a_narration_edit_keeps_the_counts_and_says_so(sealed: Path):
    edit(sealed, '"2025-02-001"', '"2025-02-001"\n  witness: "郑国庆"')
    [finding] = vl6(sealed)
    assert finding.rule == "VL601"
    assert "凭证笔数（4 笔）与借方合计（551.50 元）未变" in finding.message


def test_vl601_a_backdated_resolution(sealed: Path):
    append(
        sealed,
        '2025-03-01 custom "会议决议" "2025-03-两委-1" "两委联席会议" "修水渠" 3000.00 CNY\n',
    )
    assert [f.rule for f in vl6(sealed)] == ["VL601"]


def test_vl601_a_hand_written_seal_is_checked_by_its_digest_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-05-20")
    main = make_village(tmp_path, Q1_BOOKS)
    first = seal(main, Q1, date(2025, 4, 10))
    text = main.read_text(encoding="utf-8")
    main.write_text(text[: text.index(first) + len(first)] + "\n", encoding="utf-8")
    assert vl6(main) == []
    edit(main, "45.00 CNY", "54.00 CNY")
    [finding] = vl6(main)
    assert finding.rule == "VL601"
    assert (
        "现有凭证 4 笔、借方合计 560.50 元（封存指令未记录封存时的笔数与合计）" in finding.message
    )


def test_correction_by_reversing_entry_in_the_open_quarter(sealed: Path):
    # the 300.00 of 2025-03-001 should have been 30.00: reverse 270.00 in red, in April
    append(sealed, voucher("2025-04-15", "2025-04-001", "-270.00", "红字冲销 2025-03-001 多记金额"))
    assert vl6(sealed) == []


# VL602


@pytest.mark.fires("VL602")
def test_vl602_a_voucher_slipped_into_a_sealed_month(sealed: Path):
    append(sealed, voucher("2025-03-20", "2025-03-003", "500.00", "补记"))
    findings = vl6(sealed)
    assert [f.rule for f in findings] == ["VL601", "VL602"]
    broken, added = findings
    assert added.line == line_of(sealed, "2025-03-20 *")
    assert added.date == date(2025, 3, 20)
    assert "2025-03-003" in added.message and "2025-03-002" in added.message
    assert "其中 1 笔是封存后新增的" in broken.message
    assert "封存时凭证 4 笔" in broken.message and "现有凭证 5 笔" in broken.message


def test_vl602_a_voucher_in_a_month_that_had_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-05-20")
    main = make_village(tmp_path, voucher("2025-01-08", "2025-01-001", "120.00"))
    seal(main, Q1, date(2025, 4, 10))
    append(main, voucher("2025-02-03", "2025-02-001", "80.00"))
    added = [f for f in vl6(main) if f.rule == "VL602"]
    assert [f.line for f in added] == [line_of(main, "2025-02-03 *")]
    assert "封存时 2025 年 2 月没有凭证" in added[0].message


@pytest.mark.near_miss("VL602")
def test_vl602_not_for_the_next_number_in_the_open_quarter(sealed: Path):
    append(sealed, voucher("2025-04-02", "2025-04-001", "500.00"))
    assert vl6(sealed) == []


@pytest.mark.parametrize(
    ("number", "added"),
    [("2025-03-0002", False), ("2025-03-0003", True), (" 2025-03-002 ", False),
     (" 2025-03-003", True), ("2025-3-3", False)],
)  # fmt: skip
def test_vl602_reads_a_number_written_otherwise_by_its_value(
    sealed: Path, number: str, added: bool
):
    # numbers the seal command would not write: parsed, not compared as text
    append(sealed, voucher("2025-03-20", number, "500.00", "补记"))
    assert [f.rule for f in vl6(sealed)] == ["VL601"] + ["VL602"] * added


def test_vl602_a_hand_edited_huge_last_number_is_read_as_written(sealed: Path):
    edit(sealed, ',2025-03-002"', ',2025-03-999999999999"')
    append(sealed, voucher("2025-03-20", "2025-03-1000000000000", "500.00", "补记"))
    assert [f.rule for f in vl6(sealed)] == ["VL601", "VL602"]


def test_vl602_not_for_a_renumbered_voucher_that_was_sealed(sealed: Path):
    # renumbering is a change (VL601), not an addition: the number stays within the sealed range
    edit(sealed, '"2025-03-002"', '"2025-03-001"')
    assert [f.rule for f in vl6(sealed)] == ["VL601"]


# VL603

UNSEALED = voucher("2025-02-11", "2025-02-001", "86.50")


@pytest.mark.fires("VL603")
def test_vl603_a_quarter_past_its_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-04-16")
    main = make_village(tmp_path, UNSEALED)
    [finding] = vl6(main)
    assert (finding.rule, finding.severity) == ("VL603", "warning")
    assert (finding.file, finding.line) == (str(main), 1)
    assert finding.date == date(2025, 4, 15)
    assert finding.policy == "公开期限天数"
    assert "2025Q1" in finding.message and "15 天" in finding.message


@pytest.mark.near_miss("VL603")
def test_vl603_not_on_the_last_allowed_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-04-15")
    assert vl6(make_village(tmp_path, UNSEALED)) == []


def test_vl603_not_when_sealed_on_the_last_allowed_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-06-30")
    main = make_village(tmp_path, UNSEALED)
    seal(main, Q1, date(2025, 4, 15))
    assert vl6(main) == []


def test_vl603_a_seal_dated_after_today_does_not_count_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # an auditor looking at the books as they stood on 2025-04-20
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-04-20")
    main = make_village(tmp_path, UNSEALED)
    seal(main, Q1, date(2025, 5, 6))
    assert [f.rule for f in vl6(main)] == ["VL603"]


def test_vl603_each_unsealed_quarter_once_from_the_first_voucher(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2026-01-20")
    main = make_village(tmp_path, voucher("2025-05-06", "2025-05-001", "10.00"))
    seal(main, Quarter(2025, 3), date(2025, 10, 10))
    found = [f.message[f.message.index("（") + 1 : f.message.index("）")] for f in vl6(main)]
    assert found == ["2025Q2", "2025Q4"]


def test_vl603_the_village_may_shorten_the_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-04-11")
    main = make_village(tmp_path, '2024-06-01 custom "财务制度" "公开期限天数" 10\n' + UNSEALED)
    [finding] = vl6(main)
    assert finding.date == date(2025, 4, 10)


def test_vl603_no_vouchers_no_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2026-01-20")
    assert vl6(make_village(tmp_path)) == []


def test_a_malformed_today_stops_check_with_an_explanation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025/04/16")
    result = CliRunner().invoke(cli, ["check", str(make_village(tmp_path, UNSEALED))])
    assert result.exit_code == 2
    assert "VILLAGE_LEDGER_TODAY 应为 YYYY-MM-DD" in result.output


def test_a_malformed_today_in_bean_check_is_explained_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025/04/16")
    main_file = make_village(tmp_path, UNSEALED, plugin="village_ledger.plugins.periods")
    [error] = load_ledger(main_file, run_plugins=True).errors
    assert error.message.startswith("VL900 ")
    assert "VILLAGE_LEDGER_TODAY 应为 YYYY-MM-DD" in error.message


def test_the_audit_day_is_given_to_the_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025/04/16")  # not read: the day is given
    main_file = make_village(tmp_path, UNSEALED)
    on_time = audit([main_file], Selector.parse(["VL6"]), as_of=date(2025, 4, 15))
    late = audit([main_file], Selector.parse(["VL6"]), as_of=date(2025, 4, 16))
    assert on_time.findings == []
    assert [f.rule for f in late.findings] == ["VL603"]
    assert "至 2025-04-16 仍未封存" in late.findings[0].message


def test_plugin_line_reports_broken_seals_in_bean_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-05-20")
    main = make_village(tmp_path, Q1_BOOKS, plugin="village_ledger.plugins.periods")
    seal(main, Q1, date(2025, 4, 10))
    assert load_ledger(main, run_plugins=True).errors == []
    edit(main, "86.50 CNY", "68.50 CNY")
    [error] = load_ledger(main, run_plugins=True).errors
    assert error.message.startswith("VL601 ")
