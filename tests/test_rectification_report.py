"""The 整改台账: every finding since a day with its status, days open and 整改, in every format."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.reporting import pdf_text
from tests.support import make_township, make_village
from village_ledger.cli.main import main
from village_ledger.findings import Finding, Rectification, Severity
from village_ledger.reports.rectification import build_rectification
from village_ledger.reports.render import render

DONE = Rectification("VL101", "2025-05-001", date(2026, 4, 2), "补签审核人", "刘振华")


def finding(day: date | None, rule: str = "VL101", **changes: object) -> Finding:
    base = Finding(
        village="testcun",
        file="testcun/main.beancount",
        line=10,
        date=day,
        rule=rule,
        severity=Severity.ERROR,
        message=f"{rule} 的问题",
        subject="2025-05-001",
    )
    return base._replace(**changes)


FINDINGS = [
    finding(date(2025, 5, 13), rectified=DONE),
    finding(date(2025, 7, 1), "VL402", subject="2025-07-003"),
    finding(date(2025, 8, 1), "VL206", severity=Severity.WARNING, subject="2025-08-002"),
    finding(date(2024, 12, 31), "VL201", subject="2024-12-009"),  # before --since
    finding(None, "BEANCOUNT", subject=""),
]


def test_days_open_run_to_the_rectification_or_the_report_date() -> None:
    report = build_rectification("testcun", "测试村", FINDINGS, date(2025, 1, 1), date(2026, 5, 1))
    opened = list(report.open.records())
    assert [r["rule"] for r in opened] == ["BEANCOUNT", "VL402", "VL206"]
    assert [r["days"] for r in opened] == [None, 304, 273]
    (done,) = report.rectified.records()
    assert done["days"] == (date(2026, 4, 2) - date(2025, 5, 13)).days
    assert (done["rectified_on"], done["way"], done["accepted_by"]) == (
        date(2026, 4, 2),
        "补签审核人",
        "刘振华",
    )
    (total,) = report.summary.total_records()
    assert (total["open_errors"], total["open_warnings"], total["rectified"]) == (2, 1, 1)
    assert total["count"] == len(opened) + 1


def test_every_format_shows_both_lists(tmp_path: Path) -> None:
    report = build_rectification("testcun", "测试村", FINDINGS, date(2025, 1, 1), date(2026, 5, 1))
    document = json.loads(render(report, "json"))
    assert [t["key"] for t in document["tables"]] == ["summary", "open", "rectified"]
    assert document["tables"][2]["rows"][0]["way"] == "补签审核人"
    html = render(report, "html").decode("utf-8")
    assert "未整改的问题" in html and "已整改的问题" in html and "补签审核人" in html
    (tmp_path / "r.xlsx").write_bytes(render(report, "xlsx"))
    book = load_workbook(tmp_path / "r.xlsx")
    assert [s.title for s in book.worksheets] == [
        "整改情况（按类别）",
        "未整改的问题",
        "已整改的问题",
    ]
    text = pdf_text(render(report, "pdf"))
    assert "测试村整改台账" in text and "刘振华" in text


UNREVIEWED = """
include "../township/staff.beancount"
2025-05-13 * "九池乡兴旺文具店" "办公用品"
  voucher: "2025-05-001"
  handler: "吴志强"
  approver: "王建国"
  invoice: "25320000000012345678"
  Expenses:513-管理费用:51302-办公费   386.00 CNY
  Assets:102-银行存款:10201-农商行    -386.00 CNY
2026-04-02 custom "整改" "VL101" "2025-05-001" "补签审核人" "刘振华"
"""


@pytest.fixture
def rectified_village(tmp_path: Path) -> Path:
    make_township(tmp_path)
    (tmp_path / "township" / "staff.beancount").write_text(
        '2024-01-01 custom "任职" "刘振华" "乡镇农经员"\n', encoding="utf-8"
    )
    return make_village(tmp_path, UNREVIEWED)


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_the_command_lists_the_rectified_finding(rectified_village: Path) -> None:
    code, output = invoke(
        "rectification", str(rectified_village), "--since", "2025-01-01", "--date", "2026-05-01",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, output
    tables = {t["key"]: t for t in json.loads(output)["tables"]}
    (row,) = tables["rectified"]["rows"]
    assert (row["rule"], row["subject"], row["rectified_on"], row["accepted_by"]) == (
        "VL101",
        "2025-05-001",
        "2026-04-02",
        "刘振华",
    )
    assert row["days"] == 324


def test_the_command_writes_excel_to_a_file(rectified_village: Path, tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    code, output = invoke(
        "rectification", str(rectified_village), "--since", "2025-01-01", "--date", "2026-05-01",
        "--format", "xlsx", "-o", str(out),
    )  # fmt: skip
    assert code == 0, output
    assert load_workbook(out).sheetnames[2] == "已整改的问题"


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("--since", "2025-13-01"), "--since “2025-13-01”不是日期"),
        (("--since", "2026-01-01", "--date", "2025-01-01"), "早于"),
        (("--since", "2025-01-01", "--format", "pdf"), "须用 -o"),
    ],
)
def test_the_command_refuses_bad_options(
    rectified_village: Path, args: tuple[str, ...], complaint: str
) -> None:
    code, output = invoke("rectification", str(rectified_village), *args)
    assert code == 2 and complaint in output


def test_reports_show_open_and_rectified_findings_apart(rectified_village: Path) -> None:
    from village_ledger.audit import audit
    from village_ledger.model import Quarter
    from village_ledger.reports.disclosure import build_disclosure
    from village_ledger.reports.overview import finding_counts

    run = audit([rectified_village], as_of=date(2026, 6, 30))
    (village,) = run.villages
    assert village.model is not None
    findings = run.findings
    # published before the 整改: the 2025Q2 sheet showed the problem, and still does
    before = build_disclosure(
        village.model, Quarter(2025, 2), published=date(2025, 7, 10), findings=findings
    )
    assert "支出缺少签字" in list(before.tables["findings"].rows["rule"])  # VL101, in words
    # the quarter of the 整改 tells villagers it was put right
    after = build_disclosure(
        village.model, Quarter(2026, 2), published=date(2026, 7, 10), findings=findings
    )
    (row,) = after.tables["rectified"].records()
    assert (row["rule"], row["voucher"], row["way"]) == (
        "支出缺少签字",
        "2025-05-001",
        "补签审核人",
    )
    counts = finding_counts(findings, date(2026, 6, 30))
    assert (counts["rectified"], counts["f_VL1"]) == (1, 0)
    assert finding_counts(findings, date(2026, 4, 1))["f_VL1"] == 1  # the day before the 整改
