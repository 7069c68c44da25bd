"""The township overview: one row per village, checked against beanquery and the rules."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.reporting import bq_sum
from tests.test_disclosure import sample_village
from village_ledger.audit import audit
from village_ledger.cli.main import main as cli
from village_ledger.loading import load_ledger
from village_ledger.paths import find_villages
from village_ledger.registry import family_of
from village_ledger.reports.overview import Overview, build_overview, township_name
from village_ledger.reports.render import render

DAY = date(2025, 8, 1)
DIGEST = "sha256:" + "5a" * 32


@pytest.fixture(scope="module")
def township(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("township")
    sample_village(root, "dongshan", extra=f'2025-04-10 custom "公开封存" "2025Q1" "{DIGEST}"\n')
    sample_village(root, "xishan")
    return root


@pytest.fixture(scope="module")
def overview(township: Path) -> Overview:
    return build_overview(find_villages([str(township)]), DAY)


def rows(overview: Overview) -> dict[str, dict]:
    return {r["village"]: r for r in overview.table.records()}


def test_money_and_year_figures_match_beanquery(township: Path, overview: Overview) -> None:
    for village, row in rows(overview).items():
        loaded = load_ledger(township / village / "main.beancount")
        upto = f"date <= {DAY}"
        year = f"date >= 2025-01-01 AND {upto}"
        assert row["cash"] == bq_sum(loaded, f"account ~ '^Assets:101' AND {upto}")
        assert row["bank"] == bq_sum(loaded, f"account ~ '^Assets:102' AND {upto}")
        assert row["income"] == -bq_sum(loaded, f"account ~ '^Income:' AND {year}")
        assert row["expense"] == bq_sum(loaded, f"account ~ '^Expenses:' AND {year}")
        assert row["entertainment"] == bq_sum(loaded, f"account ~ '招待费' AND {year}")
        assert row["cap"] == 300000


def test_findings_are_counted_by_family(township: Path, overview: Overview) -> None:
    run = audit([township], as_of=DAY)  # what `check` finds with VILLAGE_LEDGER_TODAY=DAY
    findings = [f for f in run.village("xishan").findings if f.date is None or f.date <= DAY]
    expected = Counter(family_of(f.rule).prefix for f in findings)
    row = rows(overview)["xishan"]
    for prefix, count in expected.items():
        assert row[f"f_{prefix}"] == count
    assert row["errors"] == sum(f.is_error for f in findings)


def test_seals_and_overdue_quarters(overview: Overview) -> None:
    east, west = rows(overview)["dongshan"], rows(overview)["xishan"]
    assert east["last_sealed"] == "2025Q1" and west["last_sealed"] == "无"
    # the books start in 2024Q2; 2025Q2 ended 2025-06-30, over 15 days before 2025-08-01
    assert west["overdue"] == "2024Q2、2024Q3、2024Q4、2025Q1、2025Q2"
    assert east["overdue"] == "2024Q2、2024Q3、2024Q4、2025Q2"


def test_a_quarter_within_its_publication_window_is_not_overdue(township: Path) -> None:
    report = build_overview(find_villages([str(township / "dongshan")]), date(2025, 7, 15))
    assert rows(report)["dongshan"]["overdue"] == "2024Q2、2024Q3、2024Q4"


def test_the_township_is_named_from_the_titles(overview: Overview) -> None:
    assert overview.title == "测试乡村级财务概览"


def test_totals_add_up(overview: Overview) -> None:
    total = overview.table.totals[0]
    for key in ("cash", "bank", "income", "expense", "entertainment", "errors"):
        assert total[key] == sum(r[key] for r in rows(overview).values())


def test_parallel_build_gives_the_same_rows(township: Path, overview: Overview) -> None:
    parallel = build_overview(find_villages([str(township)]), DAY, jobs=2)
    assert list(parallel.table.records()) == list(overview.table.records())


def test_every_overview_format(overview: Overview) -> None:
    data = json.loads(render(overview, "json"))
    assert data["date"] == "2025-08-01"
    assert [r["village"] for r in data["villages"]["rows"]] == ["dongshan", "xishan"]
    assert data["villages"]["rows"][0]["cash"] == f"{rows(overview)['dongshan']['cash'] / 100:.2f}"
    html = render(overview, "html").decode("utf-8")
    assert "dongshan" in html and "各村财务概览" in html
    book = load_workbook(io.BytesIO(render(overview, "xlsx")))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert "xishan" in values and "合计" in values


def test_overview_command(township: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["overview", str(township), "--date", "2025-08-01"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["villages"]["rows"]) == 2
    for fmt in ("html", "xlsx"):
        out = tmp_path / f"o.{fmt}"
        result = runner.invoke(cli, ["overview", str(township), "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0 and out.stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2025-02-30"], "不是日期"),
        (["--format", "xlsx"], "须用 -o"),
    ],
)
def test_overview_refuses_bad_arguments(township: Path, args, message: str) -> None:
    result = CliRunner().invoke(cli, ["overview", str(township), *args])
    assert result.exit_code == 2 and message in result.output


def test_overview_refuses_a_folder_without_villages(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["overview", str(tmp_path)])
    assert result.exit_code == 2 and "没有村账簿" in result.output


def test_the_township_is_named_as_given_or_left_unnamed(township: Path) -> None:
    given = build_overview(find_villages([str(township)]), DAY, township="九池乡")
    assert given.title == "九池乡村级财务概览"
    assert township_name(["黄梅村股份经济合作社", "太白村股份经济合作社"]) == ""
    assert Overview(DAY, "", given.table).title == "村级财务概览"


def test_findings_split_into_errors_and_warnings(overview: Overview) -> None:
    for row in rows(overview).values():
        families = sum(v for k, v in row.items() if k.startswith("f_"))
        assert row["findings"] == families == row["errors"] + row["warnings"]
