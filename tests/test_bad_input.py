"""Every command on bad input: a report, a finding, or a Chinese message and exit 2 — never a
traceback.

The reproductions come first (an include of a folder or of "", an empty main file, an amount
of 40 digits); then a fuzz: hypothesis mutates a copy of the sample township (`ledgers/`, each
year's file cut short so a case stays cheap) and runs each command in-process through the
command line, asserting no exception escapes and every JSON output parses. `bench/fuzz.py`
runs the same mutations as a bigger campaign.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.mutations import Draw, copy_township, mutate_township
from tests.support import REPO, check, line_of, make_village
from village_ledger.cli.main import main
from village_ledger.loading import LedgerError, load_ledger

SAMPLE = REPO / "ledgers"
VILLAGE = "taibai"
ENV = {"VILLAGE_LEDGER_TODAY": "2026-11-30"}
JSON_OUTPUT = ("check", "disclose", "overview", "handover", "vouchers")


def commands(root: Path) -> dict[str, list[str]]:
    """Each command as a user runs it on the township at `root` (in-process: one job)."""
    village = str(root / VILLAGE)
    return {
        "check": ["check", village, "-j", "1", "--format", "json"],
        "disclose": ["disclose", village, "--period", "2025Q1", "--format", "json"],
        "overview": ["overview", str(root), "-j", "1", "--format", "json"],
        "handover": [
            *("handover", village, "--date", "2026-03-20", "--outgoing", "孙建平"),
            *("--incoming", "钱海涛", "--supervisor", "林为民", "--format", "json"),
        ],
        "seal": ["seal", village, "--period", "2026Q4"],
        "vouchers": ["vouchers", village, "--period", "2025Q1", "--format", "json"],
    }


def run(name: str, args: list[str]) -> Result:
    """The command, in-process; fails on a traceback, an unknown exit code or broken JSON."""
    result = CliRunner(env=ENV).invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{name} raised {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1, 2), (name, result.exit_code, result.output)
    if result.exit_code == 2:
        assert result.stderr.strip(), name  # a message, saying what is wrong
    elif name in JSON_OUTPUT:
        json.loads(result.stdout)
    return result


@pytest.fixture(scope="module")
def small_township(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_township(SAMPLE, tmp_path_factory.mktemp("small") / "t", [VILLAGE], keep=200)


# --- the reproductions --------------------------------------------------------------------


# a folder (named as such, or by an empty name), and a device that would never end
@pytest.mark.parametrize("target", ["", ".", "../township", "/dev/zero"])
def test_an_include_that_names_no_file_is_a_finding_at_its_line(
    tmp_path: Path, target: str
) -> None:
    main_file = make_village(tmp_path, f'include "{target}"\n')
    findings = [f for f in check(main_file) if "不是可读的账簿文件" in f.message]
    (finding,) = findings
    assert finding.rule == "BEANCOUNT"
    lines = main_file.read_text(encoding="utf-8").splitlines()
    assert (finding.file, finding.line) == (str(main_file), lines.index(f'include "{target}"') + 1)


@pytest.mark.parametrize("target", ["", "../township"])
def test_every_command_runs_past_an_include_of_a_folder(tmp_path: Path, target: str) -> None:
    root = copy_township(SAMPLE, tmp_path / "t", [VILLAGE], keep=200)
    with open(root / VILLAGE / "main.beancount", "a", encoding="utf-8") as handle:
        handle.write(f'\ninclude "{target}"\n')
    for name, args in commands(root).items():
        result = run(name, args)
        assert "IsADirectoryError" not in result.output, name
    report = json.loads(run("check", commands(root)["check"]).stdout)
    assert any("不是可读的账簿文件" in f["message"] for f in report)


def test_an_empty_main_file_gives_empty_reports(tmp_path: Path) -> None:
    root = copy_township(SAMPLE, tmp_path / "t", [VILLAGE], keep=200)
    (root / VILLAGE / "main.beancount").write_text("", encoding="utf-8")
    for name in ("check", "disclose", "overview"):
        assert run(name, commands(root)[name]).exit_code == 0, name


def test_an_absurd_amount_is_a_finding_and_the_reports_still_run(tmp_path: Path) -> None:
    root = copy_township(SAMPLE, tmp_path / "t", [VILLAGE], keep=200)
    year = root / VILLAGE / "2025.beancount"
    text = year.read_text(encoding="utf-8")
    first = text.index(" CNY")
    start = text.rindex(" ", 0, first) + 1
    year.write_text(text[:start] + "1" * 40 + ".00" + text[first:], encoding="utf-8")
    findings = check(root / VILLAGE / "main.beancount")
    absurd = [f for f in findings if "超出合理范围" in f.message]
    assert [(f.file, f.line) for f in absurd] == [(str(year), line_of(year, "1" * 40))]
    for name in ("disclose", "overview", "handover"):
        assert run(name, commands(root)[name]).exit_code in (0, 1), name


def test_a_custom_directive_without_values_beside_an_absurd_number(tmp_path: Path) -> None:
    """bench/fuzz.py case 291: a policy line cut to `custom "财务制度"` (no values: Beancount
    gives None, not an empty list) with a 40-digit metadata number under it."""
    root = copy_township(SAMPLE, tmp_path / "t", [VILLAGE], keep=200)
    policy = root / "township" / "policy.beancount"
    policy.write_text(
        policy.read_text(encoding="utf-8")
        + '\n2024-01-01 custom "财务制度"\n  guests: '
        + "1" * 40
        + "\n",
        encoding="utf-8",
    )
    for name in ("check", "disclose", "overview", "handover"):
        result = run(name, commands(root)[name])
        assert result.exit_code in (0, 1, 2), name
        assert "Traceback" not in result.output, name  # not even inside a finding's message
    empty = [f for f in check(root / VILLAGE / "main.beancount") if "没有写内容" in f.message]
    last = len(policy.read_text(encoding="utf-8").splitlines()) - 1  # the line before guests:
    assert [(f.file, f.line) for f in empty] == [(str(policy), last)]


def test_a_ledger_that_is_no_file_cannot_be_loaded(tmp_path: Path) -> None:
    with pytest.raises(LedgerError) as raised:
        load_ledger(tmp_path)
    assert str(tmp_path) in str(raised.value) and "文件夹" in str(raised.value)


@pytest.mark.parametrize("named", ["folder", "file"])
def test_a_main_file_that_is_a_pipe_is_refused_at_once(tmp_path: Path, named: str) -> None:
    """Opening a pipe waits for a writer that never comes: the command must say so instead."""
    village = tmp_path / "t" / "v"
    village.mkdir(parents=True)
    os.mkfifo(village / "main.beancount")
    target = village if named == "folder" else village / "main.beancount"
    result = CliRunner().invoke(main, ["check", str(target)])
    assert result.exit_code == 2
    assert "不是普通文件" in result.stderr and "main.beancount" in result.stderr


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    """A small sample through the real executable, as a user meets it."""
    root = copy_township(SAMPLE, tmp_path / "t", [VILLAGE], keep=200)
    with open(root / VILLAGE / "main.beancount", "a", encoding="utf-8") as handle:
        handle.write('\ninclude ""\n2025-02-01 * "x" "y"\n  Assets:101-库存现金  ' + "9" * 40)
        handle.write(" CNY\n  Income:501-经营收入\n")
    executable = str(Path(sys.executable).with_name("village-ledger"))
    for name in ("check", "disclose"):
        done = subprocess.run(
            [executable, *commands(root)[name]],
            capture_output=True,
            text=True,
            env={**os.environ, **ENV},
            timeout=300,
        )
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode == 1, (name, done.stderr)
        json.loads(done.stdout)


# --- the fuzz -----------------------------------------------------------------------------


class HypothesisDraw:
    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(st.integers(low, high))


# examples per command, so that the whole fuzz stays about a minute on two cores (a disclosure
# or a handover builds a report: several times the cost of a check)
EXAMPLES = {
    "check": 120,
    "seal": 120,
    "overview": 80,
    "disclose": 40,
    "handover": 40,
    "vouchers": 40,
}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_fuzzed_ledgers_never_give_a_traceback(name: str, small_township: Path) -> None:
    @settings(max_examples=EXAMPLES[name], derandomize=True)
    @given(data=st.data(), edits=st.integers(1, 3))
    def case(data: st.DataObject, edits: int) -> None:
        with tempfile.TemporaryDirectory() as folder:
            root = copy_township(small_township, Path(folder) / "t", [VILLAGE])
            draw: Draw = HypothesisDraw(data)
            mutate_township(root, draw, edits)
            run(name, commands(root)[name])

    case()
