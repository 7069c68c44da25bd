"""`check --format sarif` validates against the published SARIF 2.1.0 schema (shipped in
tests/schemas) and `--format gitlab` is GitLab's code quality report; a finding's fingerprint
does not depend on its line."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from tests.support import REPO, make_township, make_village
from village_ledger.catalogue import lookup
from village_ledger.cli.main import main
from village_ledger.cli.scanning import sarif_document, unique_fingerprints
from village_ledger.findings import Finding, Rectification, Severity
from village_ledger.registry import all_rules

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


@cache
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def run(*args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture(scope="module")
def sample() -> tuple[list[dict[str, Any]], dict[str, Any], list[dict[str, Any]]]:
    """The sample township's findings as json, sarif and gitlab (one check each)."""
    path = str(REPO / "ledgers")
    return (
        run("check", path, "--format", "json")[1],
        run("check", path, "--format", "sarif")[1],
        run("check", path, "--format", "gitlab")[1],
    )


def test_sarif_of_the_sample_township_validates(sample: Any) -> None:
    _, sarif, _ = sample
    validator().validate(sarif)
    assert sarif["version"] == "2.1.0"


def test_sarif_has_one_rule_object_per_code_explained_in_chinese(sample: Any) -> None:
    _, sarif, _ = sample
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert set(ids) == {r.code for r in all_rules()} | {"BEANCOUNT", "VL900"}
    for rule in rules:
        entry = lookup(rule["id"])
        assert entry is not None and entry.explanation is not None
        assert rule["shortDescription"]["text"] == entry.title
        assert entry.explanation.checks in rule["fullDescription"]["text"]
        assert entry.explanation.why in rule["fullDescription"]["text"]
    vl903 = next(r for r in rules if r["id"] == "VL903")
    assert "整改" in vl903["shortDescription"]["text"]


def test_sarif_results_point_where_check_does(sample: Any) -> None:
    findings, sarif, _ = sample
    run_ = sarif["runs"][0]
    results = run_["results"]
    assert len(results) == len(findings) > 0
    rules = run_["tool"]["driver"]["rules"]
    for finding, result in zip(findings, results, strict=True):
        location = result["locations"][0]["physicalLocation"]
        assert result["ruleId"] == finding["rule"] == rules[result["ruleIndex"]]["id"]
        assert location["region"]["startLine"] == finding["line"]
        assert location["artifactLocation"]["uri"].endswith(Path(finding["file"]).name)
        assert result["level"] == finding["severity"]
        assert result["partialFingerprints"]["villageLedger/v1"] == finding["fingerprint"]


def finding(line: int = 12, **changes: Any) -> Finding:
    base = Finding(
        village="taibai",
        file="ledgers/taibai/2025.beancount",
        line=line,
        date=date(2025, 5, 13),
        rule="VL101",
        severity=Severity.ERROR,
        message="缺少审核人",
        subject="2025-05-006",
    )
    return base._replace(**changes)


RECTIFIED = Rectification(
    "VL101", "2025-05-006", date(2026, 4, 2), "补签审核人", "刘振华", "", "ledgers/taibai/main.beancount", 80
)  # fmt: skip


def test_a_rectified_finding_is_a_suppressed_result(tmp_path: Path) -> None:
    doc = sarif_document([finding(rectified=RECTIFIED), finding(line=0, rule="BEANCOUNT")])
    validator().validate(doc)
    first, unlocated = doc["runs"][0]["results"]
    (suppression,) = first["suppressions"]
    assert suppression["status"] == "accepted"
    assert "2026-04-02 补签审核人" in suppression["justification"]
    assert "region" not in unlocated["locations"][0]["physicalLocation"]


def test_a_file_outside_the_working_directory_is_a_file_uri() -> None:
    doc = sarif_document([finding(file="/elsewhere/村账/2025.beancount")])
    validator().validate(doc)
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"].startswith("file:///elsewhere/") and "uriBaseId" not in uri


def test_gitlab_code_quality(sample: Any) -> None:
    findings, _, issues = sample
    assert len(issues) == len(findings)
    for issue, f in zip(issues, findings, strict=True):
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] == {"error": "major", "warning": "minor"}[f["severity"]]
        assert issue["location"]["path"] == f["file"]
        assert issue["location"]["lines"]["begin"] == f["line"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_leaves_rectified_findings_out(tmp_path: Path) -> None:
    make_township(tmp_path)
    (tmp_path / "township" / "staff.beancount").write_text(
        '2024-01-01 custom "任职" "刘振华" "乡镇农经员"\n', encoding="utf-8"
    )
    main_file = make_village(
        tmp_path,
        """
include "../township/staff.beancount"
2025-05-13 * "九池乡兴旺文具店" "办公用品"
  voucher: "2025-05-001"
  handler: "吴志强"
  approver: "王建国"
  invoice: "25320000000012345678"
  Expenses:513-管理费用:51302-办公费   386.00 CNY
  Assets:102-银行存款:10201-农商行    -386.00 CNY
2026-04-02 custom "整改" "VL101" "2025-05-001" "补签审核人" "刘振华"
""",
    )
    code, issues = run("check", str(main_file), "--format", "gitlab", "--select", "VL1")
    assert (code, issues) == (0, [])
    code, sarif = run("check", str(main_file), "--format", "sarif", "--select", "VL1")
    assert code == 0
    validator().validate(sarif)
    (result,) = sarif["runs"][0]["results"]
    assert result["suppressions"][0]["kind"] == "inSource"


def test_fingerprints_ignore_lines_and_tell_duplicates_apart() -> None:
    assert finding(line=12).fingerprint == finding(line=400).fingerprint
    assert finding().fingerprint != finding(subject="2025-05-007").fingerprint
    assert finding().fingerprint != finding(village="huangmei").fingerprint
    assert finding().fingerprint != finding(rule="VL102").fingerprint
    twice = unique_fingerprints([finding(), finding(line=13)])
    assert len(set(twice)) == 2 and twice[0] == finding().fingerprint
