"""The Fava extension's pages: the printed report's numbers, charts, findings, seals, caching.

Each test runs real Fava (its Flask application) on a ledger that enables the extension, and
reads the pages as HTML.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from fava.application import create_app
from fava.util import slugify

from tests.support import REPO, make_village
from tests.test_entertainment import reception
from tests.test_serve import seal_quarter
from village_ledger.engine import beancount_finding, run_rules
from village_ledger.fava import views
from village_ledger.loading import load_ledger
from village_ledger.model import Period, Quarter, build_model
from village_ledger.registry import all_rules
from village_ledger.reports.charts import draw
from village_ledger.reports.disclosure import build_disclosure
from village_ledger.reports.disclosure_render import money_rows
from village_ledger.reports.layout import table_view
from village_ledger.reports.masking import publish
from village_ledger.reports.spending_tables import entertainment_table
from village_ledger.reports.statements import cents, yuan_display

ENABLE = '\n2000-01-01 custom "fava-extension" "village_ledger.fava"\n'


class Sections(HTMLParser):
    """The cell texts of each `data-table` section, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: str | None = None
        self.depth = 0
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and found.get("data-table"):
            self.current, self.depth = found["data-table"], 0
            self.tables[self.current] = []
        elif tag == "section" and self.current:
            self.depth += 1
        elif self.current and tag == "tr":
            self.tables[self.current].append([])
        elif self.current and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.current:
            if self.depth == 0:
                self.current = None
            else:
                self.depth -= 1
        elif tag in ("td", "th") and self.cell is not None and self.current:
            self.tables[self.current][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def sections(page: str) -> dict[str, list[list[str]]]:
    parser = Sections()
    parser.feed(page)
    return parser.tables


class Dashboard:
    """Real Fava on one ledger, asked for pages as a browser would."""

    def __init__(self, main: Path) -> None:
        self.main = main
        self.app = create_app([str(main)], load=True, read_only=True, poll_watcher=True)
        self.client = self.app.test_client()
        ledger = self.app.config["LEDGERS"].ledgers[0]
        self.ledger = ledger
        self.slug = quote(slugify(ledger.options["title"]))

    def page(self, name: str, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        answer = self.client.get(f"/{self.slug}/extension/{name}/?{query}")
        assert answer.status_code == 200, answer.get_data(as_text=True)[-2000:]
        return answer.get_data(as_text=True)


@pytest.fixture(scope="module")
def huangmei(tmp_path_factory: pytest.TempPathFactory) -> Dashboard:
    """The sample township's clean village, with the extension enabled."""
    root = tmp_path_factory.mktemp("ledgers")
    shutil.copytree(REPO / "ledgers", root, dirs_exist_ok=True)
    main = root / "huangmei" / "main.beancount"
    main.write_text(main.read_text(encoding="utf-8") + ENABLE, encoding="utf-8")
    return Dashboard(main)


def expected_report(main: Path, quarter: Quarter):
    loaded = load_ledger(main)
    model = build_model(loaded.entries, loaded.options)
    findings = [beancount_finding(model.village, e) for e in loaded.errors]
    findings += run_rules(model, all_rules())
    seal = model.seals.get(quarter)
    published = seal.day if seal else date.today()
    return publish(build_disclosure(model, quarter, published=published, findings=findings))


def view_rows(table) -> list[list[str]]:
    view = table_view(table, blank_zero=table.key == "detail")
    head = [[title for title, _ in view.headers]]
    return head + [[text for text, _ in row] for row in view.rows + view.totals]


def test_disclosure_page_shows_every_table_of_the_printed_sheet(huangmei: Dashboard) -> None:
    quarter = Quarter(2025, 3)
    page = huangmei.page("VillageDisclosure", period=str(quarter))
    shown = sections(page)
    report = expected_report(huangmei.main, quarter).report
    assert set(report.tables) <= set(shown)
    for key, table in report.tables.items():
        if table.rows.empty:
            assert table.empty in page
            continue
        assert shown[key] == view_rows(table), key
    assert shown["money"][1:] == [[c.strip() for c in row] for row in money_rows(report.money)]
    for label, text in report.capitals.items():
        assert [f"{label}（大写）", text] in shown["capitals"]
    assert f"{report.title} {report.label}财务公开" in page
    for chart in report.charts:  # the 图示, drawn as on the printed sheet
        assert str(draw(chart)) in page, chart.key


def test_disclosure_page_shows_the_seal_and_that_the_books_match(huangmei: Dashboard) -> None:
    model_seals = build_model(*_entries(huangmei.main)).seals
    sealed = next(iter(model_seals))
    page = huangmei.page("VillageDisclosure", period=str(sealed.quarter))
    assert sealed.digest in page
    assert 'data-seal="intact"' in page and "账簿与封存摘要一致" in page
    assert 'src="data:image/svg+xml' in page  # the QR code travels in the page


def _entries(main: Path):
    loaded = load_ledger(main)
    return loaded.entries, loaded.options


def test_a_changed_sealed_quarter_shows_broken_and_the_cache_follows_reloads(
    tmp_path: Path,
) -> None:
    main = make_village(tmp_path, reception("2025-02-10", "300.00") + ENABLE)
    seal_quarter(main, Quarter(2025, 1), "2025-04-10")
    dashboard = Dashboard(main)
    page = dashboard.page("VillageDisclosure", period="2025Q1")
    assert 'data-seal="intact"' in page
    built = views._villages[str(main)][1]
    dashboard.page("VillageDisclosure", period="2025Q1")
    assert views._villages[str(main)][1] is built  # asked again: nothing rebuilt
    main.write_text(
        main.read_text(encoding="utf-8").replace("300.00 CNY", "310.00 CNY"), encoding="utf-8"
    )
    dashboard.ledger.changed()  # what Fava does before a page request
    page = dashboard.page("VillageDisclosure", period="2025Q1")
    assert views._villages[str(main)][1] is not built
    assert 'data-seal="broken"' in page and "账簿与封存摘要不符" in page
    assert "310.00" in page


def test_entertainment_page_charts_each_quarter_against_the_cap(tmp_path: Path) -> None:
    body = "".join(
        reception(f"2025-{month:02d}-10", "700.00", narration=f"工作餐{month}")
        for month in (1, 2, 4, 5, 7)
    )
    main = make_village(tmp_path, body + ENABLE)
    page = Dashboard(main).page("VillageEntertainment")
    loaded = load_ledger(main)
    model = build_model(loaded.entries, loaded.options)
    for number, status in ((1, "限额以内"), (2, "达到预警线"), (3, "超出年度限额")):
        _, year = entertainment_table(model, Period.quarter(Quarter(2025, number)))
        ytd, cap = cents(year.total), cents(year.cap)
        label = f"2025年第{'一二三'[number - 1]}季度</td>"
        row = f'<tr data-period="2025Q{number}"><td class="vl-card-title">{label}'
        assert row in page
        section = page.split(row)[1].split("</tr>")[0]
        assert yuan_display(ytd) in section and yuan_display(cap) in section
        assert status in section
    assert ytd == 350000 and cap == 300000
    assert page.count("<svg") == 1 and "年度限额 3,000.00" in page and "预警线 2,400.00" in page


def test_expenditure_page_shows_cadre_travel_and_resolutions(huangmei: Dashboard) -> None:
    quarter = Quarter(2025, 2)
    page = huangmei.page("VillageExpenditure", period=str(quarter))
    report = expected_report(huangmei.main, quarter).report
    shown = sections(page)
    assert not report.tables["cadre"].rows.empty
    for key in ("cadre", "travel", "meetings"):
        table = report.tables[key]
        if table.rows.empty:
            assert table.title in page
        else:
            assert shown[key] == view_rows(table), key
    if not report.tables["meetings"].rows.empty:
        assert "会议决议：批准金额与累计支出" in page and "<svg" in page
        # the chart is drawn for a phone's width and prints the table's own amounts
        chart = page[page.index('class="vl-chart vl-gauges"') :].split("</svg>")[0]
        records = list(report.tables["meetings"].records())
        for series, column in (("累计支出", "spent"), ("批准金额", "approved")):
            drawn = re.findall(rf'data-series="{series}">([^<]*)<', chart)
            assert drawn == [yuan_display(int(r[column] or 0)) for r in records], series


@pytest.fixture(scope="module")
def taibai(tmp_path_factory: pytest.TempPathFactory) -> Dashboard:
    """The sample village with planted problems."""
    root = tmp_path_factory.mktemp("ledgers")
    shutil.copytree(REPO / "ledgers", root, dirs_exist_ok=True)
    main = root / "taibai" / "main.beancount"
    main.write_text(main.read_text(encoding="utf-8") + ENABLE, encoding="utf-8")
    return Dashboard(main)


def finding_rules(page: str) -> list[str]:
    return [part.split('"')[0] for part in page.split('class="finding" data-rule="')[1:]]


def test_findings_page_lists_and_filters_by_family_and_severity(taibai: Dashboard) -> None:
    everything = finding_rules(taibai.page("VillageFindings"))
    loaded = load_ledger(taibai.main)
    expected = run_rules(build_model(loaded.entries, loaded.options), all_rules())
    assert sorted(everything) == sorted(f.rule for f in expected)
    families = {rule[:3] for rule in everything}
    assert len(families) > 1
    family = sorted(families)[0]
    only = finding_rules(taibai.page("VillageFindings", family=family))
    assert only and {rule[:3] for rule in only} == {family}
    assert len(only) == sum(rule[:3] == family for rule in everything)
    warnings = finding_rules(taibai.page("VillageFindings", severity="warning"))
    assert sorted(warnings) == sorted(f.rule for f in expected if not f.is_error)


def test_pages_request_nothing_from_outside(huangmei: Dashboard) -> None:
    for name in ("VillageDisclosure", "VillageEntertainment", "VillageExpenditure"):
        article = huangmei.page(name).split("<article>")[1].split('id="page-title"')[0]
        content = article.rsplit("<script", 1)[0]  # Fava's page title follows the content
        assert "http://" not in content.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https://" not in content and "<script" not in content


def test_findings_page_shows_a_villager_which_problems_were_put_right(tmp_path: Path) -> None:
    root = tmp_path / "ledgers"
    shutil.copytree(REPO / "ledgers", root)
    (root / "township" / "staff.beancount").write_text(
        '2024-01-01 custom "任职" "刘振华" "乡镇农经员"\n', encoding="utf-8"
    )
    main = root / "taibai" / "main.beancount"
    text = main.read_text(encoding="utf-8").replace(
        'include "../township/policy.beancount"\n',
        'include "../township/policy.beancount"\ninclude "../township/staff.beancount"\n',
    )
    rectified = '2026-11-20 custom "整改" "VL101" "2025-05-006" "补签审核人" "刘振华"\n'
    main.write_text(text + ENABLE + rectified, encoding="utf-8")
    page = Dashboard(main).page("VillageFindings")
    assert "VL101" not in finding_rules(page)  # no longer among the open problems
    done = page.split("<h2>已整改的问题")[1]
    assert 'class="rectified" data-rule="VL101"' in done
    assert "2026-11-20" in done and "补签审核人" in done and "刘振华" in done


def test_plain_messages_name_accounts_and_keys_as_villagers_do() -> None:
    from village_ledger.fava.plain import account_name, plain_message

    assert account_name("Expenses:513-管理费用:51302-办公费") == "管理费用—办公费"
    assert account_name("Assets:102-银行存款") == "银行存款"
    message = "缺少审核人（reviewer）签字，记入 Expenses:513-管理费用:51302-办公费，决议（meeting）"
    assert plain_message(message) == "缺少审核人签字，记入 管理费用—办公费，决议"
    assert plain_message("支付 2026-09-001 号凭证 300.00 元") == "支付 2026-09-001 号凭证 300.00 元"
