"""The engine and the Beancount plugin adapter: crashes contained, warnings kept out of bean-check."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import check, line_of, make_village, temporary_rule
from village_ledger.findings import Hit

BEAN_CHECK = str(Path(sys.executable).with_name("bean-check"))
VOUCHER = """\
2024-02-03 * "县农机站" "往来款挂账"
  voucher: "2024-02-001"
  Assets:112-应收款:11202-单位往来  100.00 CNY
  Liabilities:211-应付款  -100.00 CNY
"""
BAD_ROLE = '2024-02-01 custom "任职" "张三" "村长"\n'


def divide_by_zero_on_vouchers(model):  # type: ignore[no-untyped-def]
    for entry in model.vouchers:
        yield Hit(entry.meta, str(1 / 0), entry.date)


@pytest.fixture
def crashing_rule() -> Iterator[str]:
    with temporary_rule("VL198", divide_by_zero_on_vouchers) as code:
        yield code


@pytest.mark.fires("VL900")
def test_a_crashing_rule_is_one_finding_naming_rule_and_entry(
    crashing_rule: str, tmp_path: Path
) -> None:
    main_file = make_village(tmp_path, VOUCHER + BAD_ROLE)
    findings = check(main_file, select=[crashing_rule, "VL9"])
    crashes = [f for f in findings if f.rule == "VL900"]
    assert len(crashes) == 1
    assert crashing_rule in crashes[0].message and "ZeroDivisionError" in crashes[0].message
    assert crashes[0].line == line_of(main_file, "往来款挂账")
    # the other rules still ran
    assert [f.rule for f in findings if f.rule == "VL901"] == ["VL901"]


def bean_check(main_file: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BEAN_CHECK, "-C", str(main_file)], capture_output=True, text=True)


def test_plugin_errors_appear_in_bean_check_at_their_line(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, BAD_ROLE, plugin="village_ledger.plugins.all")
    result = bean_check(main_file)
    assert result.returncode == 1
    assert f"main.beancount:{line_of(main_file, '村长')}:" in result.stderr
    assert "VL901" in result.stderr


def test_one_family_plugin_runs_alone(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, BAD_ROLE, plugin="village_ledger.plugins.config")
    assert "VL901" in bean_check(main_file).stderr


def test_without_plugin_line_bean_check_runs_no_rules(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, BAD_ROLE)
    assert bean_check(main_file).returncode == 0


def plugin_run(tmp_path: Path, config: str | None) -> tuple[list[object], str]:
    """Run the adapter in this process, where the test's warning rule is registered."""
    from beancount import loader

    from village_ledger.beancount_plugin import make_plugin

    main_file = make_village(tmp_path, VOUCHER, name=f"v{abs(hash(config))}")
    entries, errors, options = loader.load_file(str(main_file))
    assert errors == []
    plugin = make_plugin("approval")
    _, found = plugin(entries, options, config) if config is not None else plugin(entries, options)
    return found, str(main_file)


def test_warnings_stay_out_of_beancount_errors_by_default(
    warning_rule: str, tmp_path: Path
) -> None:
    found, _ = plugin_run(tmp_path, None)
    assert not [e for e in found if warning_rule in e.message]


def test_warnings_config_lists_them_marked(warning_rule: str, tmp_path: Path) -> None:
    found, main_file = plugin_run(tmp_path, "warnings")
    (error,) = [e for e in found if warning_rule in e.message]
    assert error.message.startswith(f"{warning_rule} [预警] 测试预警")
    assert error.source["filename"] == main_file


def test_check_does_not_run_plugin_rules_twice(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, BAD_ROLE, plugin="village_ledger.plugins.all")
    assert [f.rule for f in check(main_file)] == ["VL901"]
