"""`village-ledger seal`: prints the 公开封存 directive, appends it safely, refuses what is wrong."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.support import check, make_village
from village_ledger import audit as audit_module
from village_ledger.cli.main import main as cli

BOOKS = """
2025-01-08 * "城关文具店" "办公用品"
  voucher: "2025-01-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  receipt: "收款收据"
  Expenses:513-管理费用:51302-办公费  120.00 CNY
  Assets:102-银行存款:10201-农商行

2025-03-05 * "城关文具店" "打印纸"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  receipt: "收款收据"
  Expenses:513-管理费用:51302-办公费  300.00 CNY
  Assets:102-银行存款:10201-农商行
"""


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-04-12")


@pytest.fixture
def main_file(tmp_path: Path) -> Path:
    return make_village(tmp_path, BOOKS)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["seal", *args])


def test_prints_the_directive_and_leaves_the_ledger_alone(main_file: Path):
    before = main_file.read_bytes()
    result = run(str(main_file), "--period", "2025Q1")
    assert result.exit_code == 0, result.output
    first, *meta = result.stdout.splitlines()
    assert first.startswith('2025-04-12 custom "公开封存" "2025Q1" "sha256:')
    assert meta[:3] == [
        "  vouchers: 2",
        "  total: 420.00",
        '  last-vouchers: "2025-01-001,2025-03-001"',
    ]
    assert re.fullmatch(r'  township: "sha256:[0-9a-f]{64}"', meta[3])
    assert main_file.read_bytes() == before


def test_date_option_and_village_folder(main_file: Path):
    result = run(str(main_file.parent), "--period", "2025Q1", "--date", "2025-04-09")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('2025-04-09 custom "公开封存" "2025Q1"')


def test_write_appends_the_printed_directive_and_the_seal_holds(main_file: Path):
    before = main_file.read_bytes()
    printed = run(str(main_file), "--period", "2025Q1").stdout
    result = run(str(main_file), "--period", "2025Q1", "--write")
    assert result.exit_code == 0, result.output
    assert result.stdout == printed
    assert "已将 2025Q1 的公开封存指令追加到" in result.stderr
    assert main_file.read_bytes() == before + b"\n" + printed.encode("utf-8")
    assert check(main_file, select=["VL6", "VL901", "BEANCOUNT"]) == []


def test_write_keeps_a_file_without_final_newline_and_its_line_endings(main_file: Path):
    text = main_file.read_text(encoding="utf-8").rstrip("\n").replace("\n", "\r\n")
    main_file.write_bytes(text.encode("utf-8"))
    result = run(str(main_file), "--period", "2025Q1", "--write")
    assert result.exit_code == 0, result.output
    after = main_file.read_bytes()
    assert after.startswith(text.encode("utf-8") + b"\r\n\r\n2025-04-12 custom")
    assert after.endswith(b'"\r\n') and b"\n" not in after.replace(b"\r\n", b"")
    assert check(main_file, select=["VL601", "BEANCOUNT"]) == []


def test_write_failure_leaves_the_original_intact(main_file: Path, monkeypatch: pytest.MonkeyPatch):
    before = main_file.read_bytes()
    folder_before = sorted(p.name for p in main_file.parent.iterdir())

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    result = run(str(main_file), "--period", "2025Q1", "--write")
    assert result.exit_code == 2
    assert "原文件未改动" in result.stderr
    assert "Traceback" not in result.output
    assert main_file.read_bytes() == before
    assert sorted(p.name for p in main_file.parent.iterdir()) == folder_before


def test_write_refuses_when_the_ledger_changed_meanwhile(
    main_file: Path, monkeypatch: pytest.MonkeyPatch
):
    real_load = audit_module.load_ledger

    def load_then_edit(path: Path, **options: Any):  # the accountant saves while seal runs
        loaded = real_load(path, **options)
        with main_file.open("a", encoding="utf-8") as handle:
            handle.write("; 新加的注释\n")
        return loaded

    monkeypatch.setattr(audit_module, "load_ledger", load_then_edit)
    result = run(str(main_file), "--period", "2025Q1", "--write")
    assert result.exit_code == 2
    assert "被修改" in result.stderr
    assert main_file.read_text(encoding="utf-8").endswith("; 新加的注释\n")


def test_refuses_to_seal_twice(main_file: Path):
    assert run(str(main_file), "--period", "2025Q1", "--write").exit_code == 0
    sealed = main_file.read_bytes()
    result = run(str(main_file), "--period", "2025Q1", "--write", "--date", "2025-05-01")
    assert result.exit_code == 2
    assert "已于 2025-04-12 封存" in result.stderr and "红字冲销" in result.stderr
    assert main_file.read_bytes() == sealed


@pytest.mark.parametrize("period", ["2025Q5", "2025-1", "25Q1", ""])
def test_bad_period_is_a_usage_error(main_file: Path, period: str):
    result = run(str(main_file), "--period", period)
    assert result.exit_code == 2
    assert "YYYYQn" in result.output


def test_bad_date_is_a_usage_error(main_file: Path):
    result = run(str(main_file), "--period", "2025Q1", "--date", "2025-04-31")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_refuses_a_quarter_that_has_not_ended(main_file: Path, monkeypatch: pytest.MonkeyPatch):
    result = run(str(main_file), "--period", "2025Q2")
    assert result.exit_code == 2
    assert "尚未结束" in result.stderr
    last_day = run(str(main_file), "--period", "2025Q1", "--date", "2025-03-31")
    assert last_day.exit_code == 2
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-04-01")
    assert run(str(main_file), "--period", "2025Q1").exit_code == 0


def test_refuses_a_ledger_with_beancount_errors(main_file: Path):
    with main_file.open("a", encoding="utf-8") as handle:
        handle.write('2025-02-01 * "错账"\n  Expenses:513-管理费用:51302-办公费  10.00 CNY\n'
                     "  Assets:102-银行存款:10201-农商行  -9.00 CNY\n")  # fmt: skip
    before = main_file.read_bytes()
    result = run(str(main_file), "--period", "2025Q1", "--write")
    assert result.exit_code == 2
    assert "Beancount 错误" in result.stderr and f"{main_file}:" in result.stderr
    assert main_file.read_bytes() == before


def test_missing_path_and_many_villages(tmp_path: Path):
    assert run(str(tmp_path / "nowhere"), "--period", "2025Q1").exit_code == 2
    make_village(tmp_path, BOOKS, name="a")
    make_village(tmp_path, BOOKS, name="b")
    result = run(str(tmp_path), "--period", "2025Q1")
    assert result.exit_code == 2
    assert "一次只封存一个村" in result.stderr


def test_malformed_today_is_explained(main_file: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "tomorrow")
    result = run(str(main_file), "--period", "2025Q1")
    assert result.exit_code == 2
    assert "VILLAGE_LEDGER_TODAY" in result.stderr
