"""The 财务公开's 图示: the numbers the pictures print are the sheet's own (read back from the
SVG in the HTML and compared with the 收支情况 table the same page prints) and beanquery's;
a quarter without income or spending draws and says 无; the PDF carries the charts' titles and
numbers, each chart whole on one page or column; the A3 board keeps the 资产负债 table whole."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reporting import bq_sum, pdf_text
from tests.support import REPO, make_village
from tests.test_sheet import MID_YEAR, _section_fragments
from village_ledger.audit import audit
from village_ledger.model import Quarter
from village_ledger.reports.charts import (
    CHART_WIDTH,
    BarChart,
    Group,
    Series,
    bar_chart,
    text_width,
    wrap,
)
from village_ledger.reports.disclosure import Disclosure, build_disclosure
from village_ledger.reports.disclosure_charts import trend_quarters
from village_ledger.reports.disclosure_render import _laid_out
from village_ledger.reports.layout import weasy
from village_ledger.reports.masking import publish
from village_ledger.reports.render import render
from village_ledger.reports.statements import cents, yuan_display

SAMPLES = {
    "huangmei": (REPO / "ledgers" / "huangmei" / "main.beancount", Quarter(2026, 3)),
    "taibai": (REPO / "ledgers" / "taibai" / "main.beancount", Quarter(2026, 2)),
}
TITLES = ("收入从哪里来", "钱花到哪里去", "各季度收支", "招待费、干部报酬与批准限额")
NOT_CLOSING = "entry_meta('closing') IS NULL"


class Sheet(HTMLParser):
    """What a 财务公开 page shows: each chart's printed amounts by group label and series, and
    each table's body and total rows as the text of their cells by column key."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.charts: dict[str, dict[str, dict[str, str]]] = {}
        self.missing: dict[str, list[str]] = {}  # chart -> labels of groups with no figure
        self.rows: dict[str, list[dict[str, str]]] = {}
        self._chart = self._group = self._series = self._table = self._cell = None
        self._row: dict[str, str] | None = None
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if tag == "figure" and "chart" in classes:
            self._chart = classes[1]
            self.charts[self._chart] = {}
        elif tag == "g" and "vl-group" in classes and self._chart:
            self._group = found["data-label"]
            self.charts[self._chart][self._group] = {}
        elif "vl-value" in classes:
            self._series, self._text = found["data-series"], ""
        elif tag == "section" and "table-block" in classes:
            self._table = classes[1]
            self.rows[self._table] = []
        elif tag == "tr" and self._table:
            self._row = {}
        elif tag == "td" and self._row is not None:
            self._cell = next((c[2:] for c in classes if c.startswith("c-")), "cell")
            self._text = ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("text", "tspan") and self._series:
            assert self._chart and self._group
            self.charts[self._chart][self._group][self._series] = self._text.strip()
            self._series = None
        elif tag == "g" and self._group:
            if not self.charts[self._chart or ""][self._group]:
                self.missing.setdefault(self._chart or "", []).append(self._group)
            self._group = None
        elif tag == "figure":
            self._chart = None
        elif tag == "td" and self._cell and self._row is not None:
            self._row[self._cell] = self._text.strip()
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row and self._table:
                self.rows[self._table].append(self._row)
            self._row = None
        elif tag == "section":
            self._table = None


def _report(main: Path, quarter: Quarter) -> tuple[Any, Disclosure]:
    village = audit([main]).villages[0]
    assert village.model is not None
    seal = village.model.seals.get(quarter)
    published = seal.day if seal else quarter.last_day
    report = build_disclosure(
        village.model, quarter, published=published, findings=village.findings
    )
    return village, report


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def sample(request: pytest.FixtureRequest) -> tuple[Any, Disclosure, Sheet]:
    main, quarter = SAMPLES[request.param]
    village, report = _report(main, quarter)
    return village, report, Sheet(render(report, "html", "a4").decode("utf-8"))


def _window(quarter: Quarter) -> str:
    return f"date >= {quarter.first_day} AND date <= {quarter.last_day} AND {NOT_CLOSING}"


# --- the numbers are the sheet's ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "key"), [("收入", "income_by_category"), ("支出", "spending_by_category")]
)
def test_category_charts_print_the_income_tables_rows(
    sample: tuple[Any, Disclosure, Sheet], kind: str, key: str
) -> None:
    _, _, sheet = sample
    rows = [r for r in sheet.rows["income"] if r.get("kind") == kind]
    assert rows
    chart = sheet.charts[key]
    assert set(chart) == {r["name"] for r in rows}
    for row in rows:
        assert chart[row["name"]] == {"本季": row["quarter"], "本年累计": row["ytd"]}, row


def test_category_charts_add_up_to_beanquery(sample: tuple[Any, Disclosure, Sheet]) -> None:
    village, report, sheet = sample
    loaded, quarter = village.ledger, report.quarter
    for key, root, sign in (
        ("income_by_category", "Income", -1),
        ("spending_by_category", "Expenses", 1),
    ):
        printed = sum(
            cents(Decimal(v["本季"].replace(",", ""))) for v in sheet.charts[key].values()
        )
        assert printed == sign * bq_sum(loaded, f"account ~ '^{root}:' AND {_window(quarter)}")


def test_trend_is_the_tables_totals_and_beanquerys_sums(
    sample: tuple[Any, Disclosure, Sheet],
) -> None:
    village, report, sheet = sample
    loaded, quarter = village.ledger, report.quarter
    trend = sheet.charts["trend"]
    totals = {
        r["kind"]: r
        for r in sheet.rows["income"]
        if r.get("kind") in ("收入合计", "支出合计", "收益")
    }
    now = trend[f"{quarter.year}年{'一二三四'[quarter.number - 1]}季度"]
    assert now == {k[:2]: totals[k]["quarter"] for k in ("收入合计", "支出合计")} | {
        "收益": totals["收益"]["quarter"]
    }
    earlier = trend[f"{quarter.year - 1}年{'一二三四'[quarter.number - 1]}季度"]
    assert earlier["收益"] == totals["收益"]["last_year"]
    assert len(trend) == len(trend_quarters(quarter)) == 4 + quarter.number
    for q in trend_quarters(quarter):
        values = trend[f"{q.year}年{'一二三四'[q.number - 1]}季度"]
        income = -bq_sum(loaded, f"account ~ '^Income:' AND {_window(q)}")
        spending = bq_sum(loaded, f"account ~ '^Expenses:' AND {_window(q)}")
        assert values == {
            "收入": yuan_display(income),
            "支出": yuan_display(spending),
            "收益": yuan_display(income - spending),
        }, q


def test_caps_are_the_rules_figures(sample: tuple[Any, Disclosure, Sheet]) -> None:
    village, report, sheet = sample
    loaded, quarter, model = village.ledger, report.quarter, village.model
    caps = sheet.charts["caps"]
    year = caps[f"{quarter.year} 年招待费"]
    cap = model.policy.value("招待费年度限额", quarter.last_day)
    assert year["年度限额"] == yuan_display(cents(cap))
    spent = bq_sum(
        loaded, f"account ~ '51303' AND year = {quarter.year} AND date <= {quarter.last_day}"
    )
    assert year["本年累计"] == yuan_display(spent) == yuan_display(report.entertainment_ytd)
    pay = [label for label in caps if label.startswith("干部报酬（")]
    assert pay, "the samples pay their cadres under a 村民代表会议 resolution"
    for label in pay:
        meeting = next(m for m in model.meetings if m.subject in label)
        assert caps[label]["批准金额"] == yuan_display(cents(meeting.amount))
        paid = -bq_sum(
            loaded,
            f"entry_meta('meeting') = '{meeting.id}' AND account ~ '^Assets:10[12]' "
            f"AND date <= {quarter.last_day}",
        )
        assert caps[label]["按决议已支出"] == yuan_display(paid)


def test_json_carries_the_same_series(sample: tuple[Any, Disclosure, Sheet]) -> None:
    _, report, sheet = sample
    document = json.loads(render(report, "json"))
    charts = {c["key"]: c for c in document["charts"]}
    assert set(charts) == set(sheet.charts)
    for group in charts["trend"]["groups"]:
        printed = sheet.charts["trend"][group["label"]]
        assert [yuan_display(cents(Decimal(v))) for v in group["values"]] == [
            printed[s] for s in charts["trend"]["series"]
        ]


# --- quarters without income, spending or books ---------------------------------------------

SPENDING_ONLY = """
2026-04-10 * "便民五金店" "购买村部水管配件"
  voucher: "2026-04-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "26332000000041230011"
  Expenses:513-管理费用:51302-办公费  120.00 CNY
  Assets:102-银行存款:10201-农商行
"""


def test_a_quarter_without_income_or_spending_draws_and_says_so(tmp_path: Path) -> None:
    main = make_village(tmp_path, SPENDING_ONLY)
    for quarter, spent in ((Quarter(2026, 2), "120.00"), (Quarter(2026, 3), "0.00")):
        _, report = _report(main, quarter)
        html = render(report, "html", "a4").decode("utf-8")
        sheet = Sheet(html)
        assert sheet.charts["income_by_category"] == {}
        assert "本年没有收入（无）" in html and "本季收入：无" in html
        spending = sheet.charts["spending_by_category"]
        assert spending == {"管理费用—办公费": {"本季": spent, "本年累计": "120.00"}}
        assert ("本季支出：无" in html) == (spent == "0.00")
    text = pdf_text(render(report, "pdf", "a4"))
    assert "本年没有收入（无）" in text


def test_quarters_before_the_books_began_are_empty_not_zero(tmp_path: Path) -> None:
    main = make_village(tmp_path, MID_YEAR, with_preamble=False)
    _, report = _report(main, Quarter(2026, 2))
    sheet = Sheet(render(report, "html", "a4").decode("utf-8"))
    trend = sheet.charts["trend"]
    before = ["2025年一季度", "2025年二季度", "2025年三季度", "2025年四季度", "2026年一季度"]
    assert sheet.missing["trend"] == before
    assert trend["2026年二季度"] == {"收入": "1,200.00", "支出": "480.00", "收益": "720.00"}
    summary = next(c.summary for c in report.charts if c.key == "trend")
    assert "上年同期账簿尚未开始" in summary


# --- the printed sheet ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed() -> dict[tuple[str, str], tuple[Any, str]]:
    """taibai on both papers, and huangmei's board (whose 资产负债 once split between columns):
    WeasyPrint's document and the PDF's text."""
    found = {}
    for name, paper in (("taibai", "a4"), ("taibai", "a3"), ("huangmei", "a3")):
        _, report = _report(*SAMPLES[name])
        document = weasy(_laid_out(publish(report).report, paper)).render()
        found[name, paper] = (document, pdf_text(document.write_pdf()))
    return found


def test_the_pdf_prints_the_charts_titles_and_numbers(
    printed: dict[tuple[str, str], tuple[Any, str]],
) -> None:
    for (name, paper), (_, text) in printed.items():
        _, report = _report(*SAMPLES[name])
        flat = re.sub(r"\s+", "", text)
        for title in TITLES:
            assert title in flat, (name, paper, title)
        trend = next(c for c in report.charts if isinstance(c, BarChart) and c.key == "trend")
        for group in trend.groups:  # the quarters of last year are printed nowhere else
            for value in group.values:
                assert value is None or yuan_display(value) in flat, (name, paper, group)
        assert "图示" in text


def _fragments(document: Any, css_class: str, tag: str) -> int:
    count = 0

    def walk(box: Any) -> None:
        nonlocal count
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if box.element_tag == tag and css_class in classes:
            count += 1
            return
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return count


def test_each_chart_is_printed_whole(printed: dict[tuple[str, str], tuple[Any, str]]) -> None:
    for (name, paper), (document, _) in printed.items():
        for key in ("income_by_category", "spending_by_category", "trend", "caps"):
            assert _fragments(document, key, "figure") == 1, (name, paper, key)


def test_the_board_keeps_the_balance_sheet_whole(
    printed: dict[tuple[str, str], tuple[Any, str]],
) -> None:
    for name in SAMPLES:
        document, _ = printed[name, "a3"]
        assert len(_section_fragments(document, "balance")) == 1, name


# --- the drawing ----------------------------------------------------------------------------

amounts = st.one_of(st.none(), st.integers(-(10**11), 10**11))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.text("收入支出管理费用—干部报酬", min_size=1, max_size=30), amounts, amounts),
        max_size=6,
    ),
    st.booleans(),
)
def test_every_bar_prints_its_amount_inside_the_box(
    rows: list[tuple[str, int | None, int | None]], nested: bool
) -> None:
    series = (Series("本季", "#000"), Series("本年累计", "#999"))
    groups = tuple(Group(f"{i}{label}", (a, b)) for i, (label, a, b) in enumerate(rows))
    svg = str(bar_chart(BarChart("k", "标题", series, groups, "", nested=nested)))
    sheet = Sheet(f'<figure class="chart k">{svg}</figure>')
    for group in groups:
        shown = sheet.charts["k"].get(group.label, {})
        expected = {
            s.name: yuan_display(v)
            for s, v in zip(series, group.values, strict=True)
            if v is not None
        }
        assert shown == expected
    for x, width in re.findall(r'<rect x="([-\d.]+)" y="[-\d.]+" width="([-\d.]+)"', svg):
        assert float(x) >= 0 and float(x) + float(width) <= CHART_WIDTH + 0.1
    for x, inner in re.findall(
        r'<text (?:class="vl-value"[^>]* )?x="([-\d.]+)"[^>]*>(.*?)</text>', svg
    ):
        text = re.sub(r"<[^>]+>", "", inner)
        assert float(x) + text_width(text) <= CHART_WIDTH + 1, text
    assert not groups or svg.count('class="vl-group"') == len(groups)


@given(st.text(min_size=0, max_size=60), st.integers(4, 20))
def test_wrap_keeps_every_character_within_the_width(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert "".join(lines) == text
    assert all(len(line) <= width for line in lines)
