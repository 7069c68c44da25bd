"""Ledgers written by other hands (tests/data/foreign/<township>/<village>/): each finds exactly
its planted problems.

These books follow the user guide's contract but not the habits of our sample township: files
split by month or by type and included with globs, a chart split into one file per class in
another folder layout, CRLF line endings, a UTF-8 BOM, tabs, org-mode headings, `pushmeta` and
`pushtag`, amounts written `1,200.00`, `1200` and with elided postings, vouchers out of date
order (a whole year written newest first), 明细科目 the chart lacks, a village starting mid-year
from its 期初余额, several banks, a village policy tighter than the township's, rent accrued to
应收款 before it is received, depreciation written by hand, a 一事一议 road built through 在建工程,
formal titles in the roster, several invoices on one voucher.

Each planted problem is marked by a comment `; 计划问题：VLxxx …` right above the entry it is
about; a comment that stands on the first line of a file, above no entry, is about the whole
book (VL603 reports there). The check must find exactly those (rule, file, line) and nothing
else. Each village is seen as of the day its main file names (`; 检查日期：YYYY-MM-DD`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from village_ledger.audit import VillageAudit, audit
from village_ledger.cli.main import main

FOREIGN = Path(__file__).resolve().parent / "data" / "foreign"
VILLAGES = sorted(FOREIGN.glob("*/*/main.beancount"))
NOTE = re.compile(r"^\ufeff?;\s*计划问题：(?P<codes>(?:(?:VL\d{3}|BEANCOUNT)\s*)+)")
DAY = re.compile(r"^\ufeff?;\s*检查日期：(\d{4}-\d{2}-\d{2})", re.M)
CHINESE = re.compile(r"[\u4e00-\u9fff]")

Planted = tuple[str, str, int]  # rule, file, line


def as_of(main_file: Path) -> str:
    found = DAY.search(main_file.read_text(encoding="utf-8-sig"))
    assert found, f"{main_file} names no 检查日期"
    return found.group(1)


def planted_in(files: list[str]) -> set[Planted]:
    """(rule, file, line) of every `; 计划问题：` comment in the books' files."""
    planted: set[Planted] = set()
    for name in files:
        lines = Path(name).read_text(encoding="utf-8").splitlines()
        for number, text in enumerate(lines, 1):
            match = NOTE.match(text)
            if not match:
                continue
            follows = lines[number] if number < len(lines) else ""
            line = number + 1 if follows[:1].isdigit() else number
            planted.update((code, name, line) for code in match.group("codes").split())
    return planted


def village_id(main_file: Path) -> str:
    return main_file.parent.name


def audited(main_file: Path) -> VillageAudit:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VILLAGE_LEDGER_TODAY", as_of(main_file))
        return audit([main_file]).villages[0]


def test_there_are_three_foreign_villages_with_planted_problems() -> None:
    assert len(VILLAGES) >= 3
    for main_file in VILLAGES:
        files = [str(p) for p in main_file.parent.rglob("*.beancount")]
        assert planted_in(files), f"{main_file}: no `; 计划问题：` comment"


@pytest.mark.parametrize("main_file", VILLAGES, ids=village_id)
def test_check_finds_exactly_the_planted_problems(main_file: Path) -> None:
    village = audited(main_file)
    expected = planted_in(village.ledger.options["include"])
    found = {(f.rule, f.file, f.line) for f in village.findings}
    extra = sorted(found - expected)
    missing = sorted(expected - found)
    messages = {(f.rule, f.file, f.line): f.message for f in village.findings}
    shown = [f"{Path(f).relative_to(FOREIGN)}:{n} {r} {messages[r, f, n]}" for r, f, n in extra]
    assert not extra and not missing, f"false alarms: {shown}; not found: {missing}"


@pytest.mark.parametrize("main_file", VILLAGES, ids=village_id)
def test_every_message_is_chinese_at_a_line_of_the_books(main_file: Path) -> None:
    village = audited(main_file)
    assert village.findings
    for finding in village.findings:
        assert CHINESE.search(finding.message), finding.message
        assert Path(finding.file).is_file(), finding.file
        assert finding.line >= 1


@pytest.mark.parametrize("main_file", VILLAGES, ids=village_id)
def test_check_command_exits_1_on_planted_errors(main_file: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["check", "--no-cache", str(main_file.parent)],
        env={"VILLAGE_LEDGER_TODAY": as_of(main_file)},
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert village_id(main_file) in result.output


def copied(main_file: Path, tmp_path: Path, *, rules: bool) -> Path:
    """A copy of the village's township folder whose files have no BOM, and whose main file
    has no plugin line unless `rules`."""
    township = main_file.parent.parent
    copy = tmp_path / township.name
    shutil.copytree(township, copy)
    # Beancount itself reads a BOM as text on the first line: only village-ledger reads past it
    for path in copy.rglob("*.beancount"):
        path.write_bytes(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    main_copy = copy / main_file.parent.name / main_file.name
    if not rules:
        main_copy.write_bytes(re.sub(rb"(?m)^plugin ", b"; plugin ", main_copy.read_bytes()))
    return main_copy


def bean_check(main_file: Path, copy: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).with_name("bean-check")
    return subprocess.run(
        [str(tool), str(copy)],
        capture_output=True,
        text=True,
        env={**os.environ, "VILLAGE_LEDGER_TODAY": as_of(main_file)},
        check=False,
    )


@pytest.mark.parametrize("main_file", VILLAGES, ids=village_id)
def test_bean_check_passes_without_the_rules(main_file: Path, tmp_path: Path) -> None:
    """Beancount's own checks (syntax, balances, accounts) pass on every foreign ledger."""
    done = bean_check(main_file, copied(main_file, tmp_path, rules=False))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("main_file", VILLAGES, ids=village_id)
def test_bean_check_with_the_rules_shows_only_planted_codes(
    main_file: Path, tmp_path: Path
) -> None:
    """With the ledger's own plugin line, bean-check shows planted errors and nothing else."""
    done = bean_check(main_file, copied(main_file, tmp_path, rules=True))
    shown = done.stdout + done.stderr
    files = [str(p) for p in main_file.parent.rglob("*.beancount")]
    planted = {code for code, _, _ in planted_in(files)}
    codes = set(re.findall(r"\b(VL\d{3}|BEANCOUNT)\b", shown))
    assert codes and codes <= planted, shown
    assert "Traceback" not in shown
