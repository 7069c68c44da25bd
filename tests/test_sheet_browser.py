"""The 财务公开 HTML in real Chromium at a phone's width (390 px) and a desk's (1280 px): nothing
is wider than the screen (a wide table scrolls inside its own block), the type stays readable,
and the figures are those of the report. Screenshots are saved under /tmp
(village-ledger-sheet-*.png)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import REPO
from tests.test_browser import CHROMIUM
from village_ledger.audit import audit
from village_ledger.model import Quarter
from village_ledger.reports.disclosure import build_disclosure
from village_ledger.reports.render import render

SHOTS = Path("/tmp")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    main = REPO / "ledgers" / "taibai" / "main.beancount"
    village = audit([main]).villages[0]
    assert village.model is not None
    quarter = Quarter(2026, 2)
    report = build_disclosure(
        village.model, quarter, published=quarter.last_day, findings=village.findings
    )
    folder = tmp_path_factory.mktemp("sheet")
    found = {}
    for paper in ("a4", "a3"):
        path = folder / f"{paper}.html"
        path.write_bytes(render(report, "html", paper))
        found[paper] = path
    return found


# elements wider than the screen, not counting those inside a block that scrolls sideways
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if ((x === 'auto' || x === 'scroll') && p.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !scrolls(el)) wide.push(el.tagName + '.' + el.className);
  }
  return {page: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


@pytest.mark.parametrize("paper", ["a4", "a3"])
@pytest.mark.parametrize("width", [390, 1280])
def test_no_element_wider_than_the_screen(browser, sheets, paper: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(sheets[paper].as_uri())
        page.screenshot(path=str(SHOTS / f"village-ledger-sheet-{paper}-{width}.png"))
        found = page.evaluate(OVERFLOW)
        assert found["page"] <= found["width"], found
        assert found["wide"] == [], found
        size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.income td')).fontSize)"
        )
        assert size >= (12 if width < 600 else 10), size
        total = page.locator(".income tr.total td").first.inner_text()
        assert total.strip() == "收入合计"
        charts = page.evaluate(CHARTS)
        assert len(charts["charts"]) == 4, charts
        for left, right, height in charts["charts"]:  # each drawn, whole on the screen
            assert left >= 0 and right <= charts["width"] + 1 and height > 40, charts
            assert right - left >= min(280, charts["width"] * 0.2), charts
        assert charts["broken"] == [], charts
    finally:
        context.close()


# the charts' boxes (left, right, height), and the account codes laid out on more than one
# line or wider than their cell (a code is one number: at 390 px 5010101 once wrapped)
CHARTS = """() => {
  const charts = [...document.querySelectorAll('figure.chart svg')].map((svg) => {
    const box = svg.getBoundingClientRect();
    return [box.left, box.right, box.height];
  });
  const broken = [];
  for (const cell of document.querySelectorAll('td.c-code')) {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size > 1 || cell.scrollWidth > cell.clientWidth + 1) broken.push(cell.innerText);
  }
  return {width: document.documentElement.clientWidth, charts, broken};
}"""
