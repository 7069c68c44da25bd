"""Every command shows the findings `check` reports: they all come from the audit service.

On the sample township (`ledgers/`, seen as of 2026-10-31) and on a small township built here
(an invoice booked in two villages, a cash payment over the limit, an unapproved payment), the
findings of `check --format json` are compared with those of `overview`, `disclose` (each
quarter), `handover` and the dashboard's sidecar. Reports print a finding's rule, severity and
date (messages are masked in public output), so those are compared, counted with repeats.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.support import REPO, make_village
from village_ledger.cli.main import main as cli
from village_ledger.fava.audit import read_sidecar
from village_ledger.model import Quarter
from village_ledger.registry import all_rules, family_of, get_rule
from village_ledger.serve import Publisher

AS_OF = "2026-10-31"
SEVERITY = {"error": "错误", "warning": "预警"}
Key = tuple[str, str, str | None]  # rule, severity in Chinese, date


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def check(path: Path) -> list[dict[str, Any]]:
    return run("check", str(path), "--format", "json", "--jobs", "1")


def keys(records: Iterable[dict[str, Any]], in_words: bool = False) -> Counter[Key]:
    """Rule, severity and date of each finding; `in_words`: the rule by its registry title, as
    the public 财务公开 names it (titles are unique: see test_rule_titles_are_unique)."""
    return Counter(
        (
            title_of(r["rule"]) if in_words else r["rule"],
            SEVERITY.get(r["severity"], r["severity"]),
            r["date"],
        )
        for r in records
    )


PLAIN = {"BEANCOUNT": "记账格式检查", "VL900": "规则执行出错"}


def title_of(code: str) -> str:
    rule = get_rule(code)
    return rule.title if rule is not None else PLAIN[code]


def test_rule_titles_are_unique() -> None:
    titles = [title_of(code) for code in [r.code for r in all_rules()] + list(PLAIN)]
    assert len(set(titles)) == len(titles)


def table(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    [found] = [t for t in document["tables"] if t["key"] == key]
    return found["rows"]


def villages(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.glob("*/main.beancount"))


BOOKED = """
2025-03-05 * "城关文具店" "购买办公用品"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25320000000012345678"
  Expenses:541-管理费用:54101-办公费  350.00 CNY
  Assets:102-银行存款:10201-农商行  -350.00 CNY
"""
CASH = """
2025-05-10 * "城关五金店" "购买工具"
  voucher: "2025-05-001"
  handler: "吴志强"
  invoice: "25320000000012345679"
  Expenses:541-管理费用:54101-办公费  1500.00 CNY
  Assets:101-库存现金  -1500.00 CNY
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("agree")
    make_village(root, BOOKED, name="dongshan")
    make_village(root, BOOKED.replace("03-05", "04-07") + CASH, name="xishan")
    return root


@pytest.fixture(params=["sample", "built"])
def township(request: pytest.FixtureRequest, built: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", AS_OF)
    return REPO / "ledgers" if request.param == "sample" else built


def test_overview_counts_what_check_finds(township: Path) -> None:
    found = check(township)
    document = run("overview", str(township), "--date", AS_OF, "--format", "json")
    rows = {r["village"]: r for r in document["villages"]["rows"]}
    assert set(rows) == {v.name for v in villages(township)}
    for name, row in rows.items():
        mine = [f for f in found if f["village"] == name]
        by_family = Counter(family_of(f["rule"]).prefix for f in mine if family_of(f["rule"]))
        for prefix, count in by_family.items():
            assert row[f"f_{prefix}"] == count, (name, prefix)
        assert row["f_BEANCOUNT"] == sum(f["rule"] == "BEANCOUNT" for f in mine)
        assert row["errors"] == sum(f["severity"] == "error" for f in mine)
        assert row["warnings"] == sum(f["severity"] == "warning" for f in mine)
        assert row["findings"] == len(mine)


def test_cross_village_findings_reach_the_overview(township: Path) -> None:
    found = check(township)
    assert any(f["rule"] == "VL303" for f in found)
    document = run("overview", str(township), "--date", AS_OF, "--format", "json")
    total = document["villages"]["totals"][0]
    assert total["f_VL3"] == sum(f["rule"].startswith("VL3") for f in found)


def test_disclosure_shows_check_findings_of_each_quarter(township: Path) -> None:
    for village in villages(township):
        found = check(village)
        quarters = {Quarter.of(date.fromisoformat(f["date"])) for f in found if f["date"]}
        for quarter in sorted(quarters):
            document = run("disclose", str(village), "--period", str(quarter), "--format", "json")
            expected = [
                f for f in found if f["date"] and quarter.contains(date.fromisoformat(f["date"]))
            ]
            shown = table(document, "findings")
            assert keys(shown) == keys(expected, in_words=True), (village.name, quarter)
            assert not any(re.fullmatch(r"VL\d{3}|BEANCOUNT", r["rule"]) for r in shown)


@pytest.mark.parametrize(("name", "outgoing", "incoming"), [("taibai", "孙建平", "钱海涛")])
def test_handover_shows_check_findings_of_the_term(
    monkeypatch: pytest.MonkeyPatch, name: str, outgoing: str, incoming: str
) -> None:
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", AS_OF)
    village = REPO / "ledgers" / name
    document = run(
        "handover", str(village), "--date", "2026-03-20", "--outgoing", outgoing,
        "--incoming", incoming, "--supervisor", "乡农经站刘振华", "--format", "json",
    )  # fmt: skip
    first, last = (date.fromisoformat(document["term"][k]) for k in ("first", "last"))
    expected = [
        f for f in check(village) if f["date"] and first <= date.fromisoformat(f["date"]) <= last
    ]
    assert expected
    assert keys(table(document, "findings")) == keys(expected)


def test_the_dashboard_shows_check_findings(township: Path) -> None:
    found = check(township)
    published = Publisher([v / "main.beancount" for v in villages(township)], private=True)
    try:
        for original in published.originals:
            sidecar = read_sidecar(published.sidecar(original))
            shown = [
                {"rule": f.rule, "severity": str(f.severity), "date": f.date and f.date.isoformat()}
                for f in sidecar.findings
            ]
            mine = [f for f in found if f["village"] == original.village]
            assert keys(shown) == keys(mine), original.village
    finally:
        published.close()
