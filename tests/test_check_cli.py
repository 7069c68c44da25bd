"""`village-ledger check` as docs/zh/guide.md describes it: paths, formats, selection, exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support import line_of, make_village
from village_ledger.cli.main import main
from village_ledger.model.policy import ITEMS

BAD_ROLE = '2024-02-01 custom "任职" "张三" "村长"\n'
# an unbalanced transfer between two non-money accounts no rule family looks at
UNBALANCED = """\
2024-02-03 * "县农机站" "往来款挂账"
  voucher: "2024-02-001"
  Assets:112-应收款:11202-单位往来  100.00 CNY
  Liabilities:211-应付款  -90.00 CNY
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return make_village(tmp_path, name="qingshui")


@pytest.fixture
def faulty(tmp_path: Path) -> Path:
    return make_village(tmp_path, BAD_ROLE, name="hongshi")


def test_clean_village_exits_zero(clean: Path) -> None:
    code, output = run("check", str(clean))
    assert code == 0, output
    assert "未发现问题" in output


def test_error_finding_exits_one(faulty: Path) -> None:
    code, output = run("check", str(faulty))
    assert code == 1
    assert "VL901" in output and "村长" in output


def test_beancount_error_is_a_finding_at_its_line(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, UNBALANCED)
    code, output = run("check", "--format", "json", str(main_file))
    assert code == 1
    records = json.loads(output)
    beancount = [r for r in records if r["rule"] == "BEANCOUNT"]
    assert beancount and beancount[0]["severity"] == "error"
    assert beancount[0]["line"] == line_of(main_file, "2024-02-03")


# one voucher on four accounts nobody opened: Beancount reports them in a set's order
UNOPENED = """\
2024-02-03 * "县农机站" "往来款挂账"
  voucher: "2024-02-001"
  invoice: "12345678"
  Expenses:Foo:A  10.00 CNY
  Expenses:Foo:B  10.00 CNY
  Expenses:Foo:C  10.00 CNY
  Expenses:Foo:D  -30.00 CNY
"""


def test_same_findings_in_the_same_order_whatever_the_string_hashing(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, UNOPENED)
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [str(Path(sys.executable).with_name("village-ledger")), "check", "--format", "json",
             "--no-cache", str(main_file)],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        assert done.returncode == 1, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
    unopened = [r for r in json.loads(outputs.pop()) if "Expenses:Foo:" in r["message"]]
    assert len(unopened) == 4


def test_missing_path_exits_two(tmp_path: Path) -> None:
    code, output = run("check", str(tmp_path / "nowhere"))
    assert code == 2
    assert "路径不存在" in output


def test_folder_without_villages_exits_two(tmp_path: Path) -> None:
    code, output = run("check", str(tmp_path))
    assert code == 2
    assert "没有村账簿" in output


def test_unknown_rule_code_exits_two(clean: Path) -> None:
    code, output = run("check", "--select", "VL999", str(clean))
    assert code == 2
    assert "未知的规则代码" in output


def test_bad_format_exits_two(clean: Path) -> None:
    code, _ = run("check", "--format", "xml", str(clean))
    assert code == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_main_file_exits_two(clean: Path) -> None:
    clean.chmod(0)
    try:
        code, output = run("check", str(clean))
    finally:
        clean.chmod(0o644)
    assert code == 2
    assert "无法读取" in output


def test_paths_file_village_folder_and_township_folder(tmp_path: Path) -> None:
    a = make_village(tmp_path, BAD_ROLE, name="a")
    make_village(tmp_path, BAD_ROLE, name="b")
    for args, villages in (
        ([str(a)], {"a"}),
        ([str(a.parent)], {"a"}),
        ([str(tmp_path)], {"a", "b"}),
        ([str(a), str(tmp_path)], {"a", "b"}),  # named twice, checked once
    ):
        code, output = run("check", "--format", "json", *args)
        records = json.loads(output)
        assert code == 1
        assert {r["village"] for r in records} == villages
        assert len(records) == len(villages)


def test_json_fields(faulty: Path) -> None:
    _, output = run("check", "--format", "json", str(faulty))
    (record,) = json.loads(output)
    assert set(record) >= {
        "village",
        "file",
        "line",
        "date",
        "rule",
        "severity",
        "message",
        "amount",
    }
    assert record["village"] == "hongshi"
    assert record["line"] == line_of(faulty, "村长")
    assert record["date"] == "2024-02-01"
    assert record["file"].endswith("hongshi/main.beancount")


def test_github_annotations(faulty: Path) -> None:
    _, output = run("check", "--format", "github", str(faulty))
    line = line_of(faulty, "村长")
    assert re.match(rf"^::error file=[^,]*main\.beancount,line={line},title=VL901::", output)


def test_junit_has_a_case_per_village_and_family(faulty: Path, tmp_path: Path) -> None:
    make_village(tmp_path, name="clean")
    _, output = run("check", "--format", "junit", str(tmp_path))
    root = ET.fromstring(output)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"hongshi", "clean"}
    failed = [
        c.get("name") for c in suites["hongshi"].iter("testcase") if c.find("failure") is not None
    ]
    assert failed == ["VL9xx 配置"]
    assert all(c.find("failure") is None for c in suites["clean"].iter("testcase"))
    names = [c.get("name") for c in suites["clean"].iter("testcase")]
    assert "Beancount 基本检查" in names and "VL1xx 审批" in names


def test_text_groups_by_village_and_counts_by_family(faulty: Path, tmp_path: Path) -> None:
    make_village(tmp_path, name="clean")
    _, output = run("check", str(tmp_path))
    assert "hongshi" in output and "clean" in output
    assert "汇总：检查 2 个村，错误 1 条，预警 0 条" in output
    assert "VL9xx 配置：错误 1，预警 0" in output
    assert "\x1b[" not in output  # no colour when not on a terminal


def test_select_and_ignore(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, BAD_ROLE + UNBALANCED)

    def rules(*args: str) -> set[str]:
        # VL603 (a 2024 quarter never sealed) is a warning this test has no use for
        _, output = run("check", "--format", "json", "--ignore", "VL603", *args, str(main_file))
        return {r["rule"] for r in json.loads(output)}

    assert rules() == {"VL901", "BEANCOUNT"}
    assert rules("--select", "VL9") == {"VL901"}
    assert rules("--select", "VL901,BEANCOUNT") == {"VL901", "BEANCOUNT"}
    assert rules("--ignore", "BEANCOUNT") == {"VL901"}
    code, _ = run("check", "--ignore", "VL9,BEANCOUNT", str(main_file))
    assert code == 0


def test_parallel_jobs_give_the_same_findings(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        make_village(tmp_path, BAD_ROLE, name=name)
    _, one = run("check", "--format", "json", "--jobs", "1", str(tmp_path))
    _, two = run("check", "--format", "json", "--jobs", "2", str(tmp_path))
    assert json.loads(one) == json.loads(two)
    assert len(json.loads(one)) == 3


def test_every_family_runs_without_a_plugin_line(tmp_path: Path) -> None:
    with_plugin = make_village(tmp_path, BAD_ROLE, name="with", plugin="village_ledger.plugins.all")
    without = make_village(tmp_path, BAD_ROLE, name="without")
    _, output = run("check", "--format", "json", str(with_plugin), str(without))
    records = json.loads(output)
    # the same finding once per village: the plugin line neither adds nor removes anything
    assert sorted((r["village"], r["rule"]) for r in records) == [
        ("with", "VL901"),
        ("without", "VL901"),
    ]


def test_warnings_do_not_fail_the_check(warning_rule: str, tmp_path: Path) -> None:
    body = UNBALANCED.replace("-90.00", "-100.00")
    main_file = make_village(tmp_path, body)
    code, output = run(
        "check", "--format", "json", "--select", f"{warning_rule},BEANCOUNT", str(main_file)
    )
    records = json.loads(output)
    assert [(r["rule"], r["severity"]) for r in records] == [(warning_rule, "warning")]
    assert code == 0


def test_console_script_is_installed(faulty: Path) -> None:
    exe = Path(sys.executable).with_name("village-ledger")
    result = subprocess.run([str(exe), "check", str(faulty)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "VL901" in result.stdout


def test_rules_command_lists_codes() -> None:
    code, output = run("rules")
    assert code == 0
    assert "VL901" in output and "VL902" in output and "财务制度" in output
    code, output = run("rules", "--format", "json")
    records = {r["rule"]: r for r in json.loads(output)}
    assert records["VL902"]["policy"] == list(ITEMS)  # it compares every item with the township's
    assert records["VL901"]["plugin"] == "village_ledger.plugins.config"
