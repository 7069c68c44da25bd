"""The registry of rules explains itself: every code has its explanation, reads real policy
items, and its examples behave as they claim; every code has a firing and a near-miss test.

Tests name the code they fire or nearly fire with a marker, so that this file can find them:
`@pytest.mark.fires("VL106")` on a test where VL106 must be reported, `@pytest.mark.near_miss(
"VL106")` on one at its threshold where it must not be.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO, check, make_village
from village_ledger.catalogue import CRASH, Entry, entries, lookup
from village_ledger.findings import BEANCOUNT
from village_ledger.model.policy import ITEMS
from village_ledger.registry import Explanation, all_rules
from village_ledger.sealing import TODAY_VARIABLE

ENTRIES = entries()
# examples that include a second file, which the one-file example village cannot hold: their
# tests write that file (VL905: tests/test_seal_coverage.py)
OTHER_FILES = {"VL905"}
# no sound ledger is meant to crash
WITH_EXAMPLES = [e for e in ENTRIES if e.code != CRASH and e.code not in OTHER_FILES]
# what an offending example may also report, and why
ALSO = {
    "VL204": {"VL202"},  # cash kept unbanked is cash over the limit
    "VL602": {"VL601"},  # a voucher slipped into a sealed quarter changes its books as well
    "VL904": {"VL101"},  # a 整改 without standing leaves its finding open
}
# a crash has no threshold to miss
EXEMPT = {"fires": set(), "near_miss": {CRASH}}


def explanation_of(entry: Entry) -> Explanation:
    assert entry.explanation is not None, f"{entry.code} has no explanation"
    return entry.explanation


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.code)
def test_every_code_is_explained_with_all_parts(entry: Entry) -> None:
    ex = explanation_of(entry)
    assert ex.checks.strip() and ex.why.strip(), entry.code
    assert ex.decisions and all(d.strip() for d in ex.decisions), entry.code
    if entry in WITH_EXAMPLES or entry.code in OTHER_FILES:
        assert ex.compliant.strip() and ex.offending.strip(), entry.code


def test_rules_read_real_policy_items() -> None:
    unknown = {r.code: set(r.reads) - set(ITEMS) for r in all_rules() if set(r.reads) - set(ITEMS)}
    assert unknown == {}


def test_every_policy_item_has_a_township_value() -> None:
    text = (REPO / "ledgers" / "township" / "policy.beancount").read_text(encoding="utf-8")
    assert [key for key in ITEMS if f'"财务制度" "{key}"' not in text] == []


def test_lookup_ignores_case_and_knows_the_builtin_codes() -> None:
    assert lookup(" vl106 ") is not None
    assert {BEANCOUNT, CRASH} <= {e.code for e in ENTRIES}
    assert lookup("VL999") is None


def judge(entry: Entry, text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    ex = explanation_of(entry)
    if ex.as_of:
        monkeypatch.setenv(TODAY_VARIABLE, ex.as_of)
    findings = check(make_village(tmp_path, text))
    # old quarters of an example are never sealed: VL603 counts only where the example sets a day;
    # an example spanning months shows one rule, not a cash count at each month's end: VL209
    # counts only in its own examples; a finding put right by a 整改 counts against nothing
    return {
        f.rule
        for f in findings
        if f.is_open
        and (ex.as_of or f.rule != "VL603")
        and (entry.code == "VL209" or f.rule != "VL209")
    }


@pytest.mark.parametrize("entry", WITH_EXAMPLES, ids=lambda e: e.code)
def test_compliant_example_passes_every_rule(
    entry: Entry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert judge(entry, explanation_of(entry).compliant, tmp_path, monkeypatch) == set()


@pytest.mark.parametrize("entry", WITH_EXAMPLES, ids=lambda e: e.code)
def test_offending_example_is_reported_under_its_code(
    entry: Entry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = judge(entry, explanation_of(entry).offending, tmp_path, monkeypatch)
    assert entry.code in found
    assert found - {entry.code} <= ALSO.get(entry.code, set())


def marked_codes(marker: str) -> set[str]:
    """The codes named by `@pytest.mark.<marker>(...)` on any test of tests/."""
    codes: set[str] = set()
    for path in (REPO / "tests").glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for deco in node.decorator_list:
                if (
                    isinstance(deco, ast.Call)
                    and isinstance(deco.func, ast.Attribute)
                    and deco.func.attr == marker
                ):
                    codes |= {
                        a.value
                        for a in deco.args
                        if isinstance(a, ast.Constant) and isinstance(a.value, str)
                    }
    return codes


@pytest.mark.parametrize("marker", ["fires", "near_miss"])
def test_every_code_has_a_firing_and_a_near_miss_test(marker: str) -> None:
    wanted = {e.code for e in ENTRIES} - EXEMPT[marker]
    assert sorted(wanted - marked_codes(marker)) == []
    assert sorted(marked_codes(marker) - {e.code for e in ENTRIES}) == []


def test_generated_docs_are_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "generate_docs.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).with_name("village-ledger")
    return subprocess.run([str(tool), *args], capture_output=True, text=True, cwd=REPO)


def test_rule_command_explains_a_code_in_chinese() -> None:
    done = run_cli("rule", "vl106")
    assert done.returncode == 0, done.stderr
    for heading in (
        "VL106 拆分支付",
        "检查什么",
        "为什么",
        "读取的财务制度",
        "合规示例",
        "违规示例",
    ):
        assert heading in done.stdout
    assert "拆分支付窗口天数" in done.stdout


def test_rule_command_json_has_every_part() -> None:
    import json

    done = run_cli("rule", "VL201", "--format", "json")
    record = json.loads(done.stdout)
    assert record["rule"] == "VL201" and record["severity"] == "error"
    assert record["policy"] == [
        {"key": "现金支付限额", "default": "1,000.00 元", "meaning": "单笔现金支付上限"}
    ]
    assert record["compliant"] and record["offending"] and record["decisions"]


@pytest.mark.parametrize(
    ("args", "words"), [(["VL999"], "未知的规则代码：VL999"), ([], "请给出规则代码")]
)
def test_rule_command_rejects_an_unknown_or_missing_code_in_chinese(
    args: list[str], words: str
) -> None:
    done = run_cli("rule", *args)
    assert done.returncode == 2
    assert words in done.stderr
    assert "Traceback" not in done.stderr


def test_a_rule_family_imported_again_under_another_name_keeps_its_rules() -> None:
    """`import plugins.receipts` (the folder's own name, as a test once did) must not replace the
    registered rules: Dask workers name them `village_ledger.plugins.*`, and the result cache's
    key holds each rule's module, so renamed rules missed every village the workers had kept."""
    import importlib

    from village_ledger.cache import rule_fingerprints

    before = rule_fingerprints(all_rules())
    sys.path.insert(0, str(REPO))
    try:
        importlib.import_module("plugins.receipts")
        assert rule_fingerprints(all_rules()) == before
    finally:
        sys.path.remove(str(REPO))
        for name in [m for m in sys.modules if m == "plugins" or m.startswith("plugins.")]:
            del sys.modules[name]
