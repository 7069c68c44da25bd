"""A township adopts `check` on books with a history of problems: it records a baseline, puts
two problems right with `整改`, sees the baseline shrink, and new problems still fail."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support import REPO
from village_ledger.cli.main import main
from village_ledger.loading import load_ledger
from village_ledger.model import build_model

# the inspector is put on file when the township adopts the check: an appointment backdated into
# the sealed quarters would change what they meant and break their seals (VL601)
STAFF = '2026-11-01 custom "任职" "刘振华" "乡镇农经员"\n'
# the sample's VL101 (a 386.00 payment nobody reviewed) and VL302 (a 白条), put right in 2026Q4
RECTIFIED = """
2026-11-20 custom "整改" "VL101" "2025-05-006" "补签审核人" "刘振华"
2026-11-20 custom "整改" "VL302" "2025-09-005" "补开发票" "刘振华"
"""
# a new problem after adoption, in the open quarter: a payment nobody approved
NEW_PROBLEM = """
2026-11-25 * "梅川县五金店" "购买水泵配件"
  voucher: "2026-11-001"
  handler: "郑立军"
  reviewer: "褚国栋"
  invoice: "26367336875980199999"
  Expenses:513-管理费用:51302-办公费     320.00 CNY
  Assets:102-银行存款:10201-农商行      -320.00 CNY
"""


@pytest.fixture
def township(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample township as a township's own repository, with its inspector on file."""
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2026-11-30")
    shutil.copytree(REPO / "ledgers", tmp_path / "ledgers")
    (tmp_path / "ledgers" / "township" / "staff.beancount").write_text(STAFF, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "ledgers"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def baseline_rules(path: Path) -> list[tuple[str, str, str]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [(e["village"], e["rule"], e["subject"]) for e in doc["findings"]]


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def month_end_checks(village: Path) -> str:
    """September's closing cash and bank balances, asserted on 1 October."""
    loaded = load_ledger(str(village / "main.beancount"))
    figures = build_model(loaded.entries, loaded.options).figures
    end = date(2026, 9, 30)
    return "".join(
        f"\n2026-10-01 balance {account}  {figures.balance(account, end):.2f} CNY\n"
        for account in ("Assets:101-库存现金", "Assets:102-银行存款:10201-农商行")
    )


def test_a_township_adopts_the_check_with_a_baseline(township: Path) -> None:
    baseline = Path("findings.json")
    code, _, _ = run("check", "ledgers")
    assert code == 1  # the history fails the check as it is

    code, _, err = run("check", "ledgers", "--write-baseline", str(baseline), "--format", "json")
    assert code == 0
    recorded = baseline_rules(baseline)
    assert len(recorded) == 22 and "已写入基线" in err
    assert ("taibai", "VL101", "2025-05-006") in recorded

    code, out, _ = run("check", "ledgers", "--baseline", str(baseline))
    assert code == 0, out
    assert "22 条发现已在基线中" in out and "不再出现" not in out

    # the accountant books the inspector's acceptance of two 整改
    taibai = township / "taibai" / "main.beancount"
    text = taibai.read_text(encoding="utf-8")
    text = text.replace(
        'include "../township/policy.beancount"\n',
        'include "../township/policy.beancount"\ninclude "../township/staff.beancount"\n',
    )
    taibai.write_text(text + RECTIFIED, encoding="utf-8")

    code, out, _ = run("check", "ledgers", "--baseline", str(baseline))
    assert code == 0, out
    assert "基线中有 2 条已不再出现" in out
    assert out.count("已整改：2026-11-20") == 2  # shown with their date and way, not hidden

    code, _, _ = run(
        "check", "ledgers", "--baseline", str(baseline), "--write-baseline", str(baseline)
    )
    assert code == 0
    shrunk = baseline_rules(baseline)
    assert len(shrunk) == 20
    assert set(recorded) - set(shrunk) == {
        ("taibai", "VL101", "2025-05-006"),
        ("taibai", "VL302", "2025-09-005"),
    }

    # a new problem is reported and fails, and rewriting the baseline does not take it in; the
    # accountant has depreciated October, so November's voucher leaves no month unbooked (VL506),
    # and counted the cash and reconciled the bank at September's end (VL209)
    assert run("depreciate", "ledgers/taibai", "--month", "2026-10", "--write")[0] == 0
    append(township / "taibai" / "2026.beancount", month_end_checks(township / "taibai"))
    append(township / "taibai" / "2026.beancount", NEW_PROBLEM)
    code, out, _ = run("check", "ledgers", "--baseline", str(baseline), "--format", "json")
    assert code == 1
    shown = [(f["rule"], f["status"]) for f in json.loads(out)]
    assert ("VL101", "open") in shown
    # the books now run to November: October's rents of the 厂房 and the 村口门面, never booked,
    # are past their grace days (VL701) beside the new voucher's problem
    opened = sorted(rule for rule, status in shown if status == "open")
    assert opened == ["VL101", "VL701", "VL701"]
    code, _, _ = run(
        "check", "ledgers", "--baseline", str(baseline), "--write-baseline", str(baseline)
    )
    assert code == 1
    assert len(baseline_rules(baseline)) == 20


def test_a_baseline_survives_lines_moving(township: Path) -> None:
    baseline = Path("findings.json")
    run("check", "ledgers", "--write-baseline", str(baseline))
    ledger = township / "taibai" / "2025.beancount"
    ledger.write_text("\n\n\n; 上移三行\n" + ledger.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run("check", "ledgers", "--baseline", str(baseline))
    assert code == 0, out
    assert "不再出现" not in out


def test_a_missing_or_broken_baseline_cannot_run(township: Path) -> None:
    code, _, err = run("check", "ledgers", "--baseline", "nothing.json")
    assert code == 2 and "基线文件不存在" in err
    Path("broken.json").write_text('{"format": 1,\n "findings": [', encoding="utf-8")
    code, _, err = run("check", "ledgers", "--baseline", "broken.json")
    assert code == 2 and "第 2 行" in err


def test_writing_a_baseline_leaves_no_temporary_file(township: Path) -> None:
    run("check", "ledgers", "--write-baseline", "findings.json")
    assert sorted(p.name for p in Path().iterdir()) == ["findings.json", "ledgers"]
