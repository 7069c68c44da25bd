"""End to end: `village-ledger serve` on a sample township, read in headless Chromium.

Every extension page is opened, its Chinese labels and key figures checked against the report
model of the original ledger, and a screenshot saved under /tmp (village-ledger-*.png).
Editing controls must be absent, writes must fail, nothing may be fetched from outside, and the
planted identity, phone and card numbers must appear nowhere, in any page or API answer.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from fava.util import slugify

from tests.support import REPO, make_village
from tests.test_serve import (
    APIS,
    MASKED,
    PAGES,
    PLANTED,
    PLANTED_TITLE,
    Server,
    planted_village,
    readable,
    serving,
)
from village_ledger.audit import audit
from village_ledger.loading import load_ledger
from village_ledger.model import Quarter, build_model
from village_ledger.reports.disclosure import build_disclosure
from village_ledger.reports.disclosure_render import money_rows
from village_ledger.reports.layout import table_view
from village_ledger.reports.masking import publish
from village_ledger.reports.statements import yuan_display

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT = 30_000  # ms, for every navigation and every wait
SHOTS = Path("/tmp")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


@pytest.fixture(scope="module")
def township(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample township when the repository has one, and a village with planted data."""
    root = tmp_path_factory.mktemp("township")
    if list((REPO / "ledgers").glob("*/main.beancount")):
        shutil.copytree(REPO / "ledgers", root, dirs_exist_ok=True)
    else:
        make_village(root, "", name="huangmei")
    planted_village(root, plugin="village_ledger.plugins.all")
    return root


@pytest.fixture(scope="module")
def server(township: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(township, env={"TMPDIR": str(tmp_path_factory.mktemp("tmp"))}) as running:
        yield running


@pytest.fixture
def page(browser, server: Server) -> Iterator:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(WAIT)
    tab = context.new_page()
    outside: list[str] = []

    def record(request) -> None:
        if not request.url.startswith((server.url, "data:")):
            outside.append(request.url)

    tab.on("request", record)
    yield tab
    context.close()
    assert outside == [], "the dashboard must not fetch anything from outside"


def report_of(main: Path, quarter: Quarter):
    loaded = load_ledger(main)
    model = build_model(loaded.entries, loaded.options)
    findings = audit([main]).findings
    seal = model.seals.get(quarter)
    published = seal.day if seal else date.today()
    return publish(build_disclosure(model, quarter, published=published, findings=findings))


def first_village(township: Path) -> tuple[Path, str]:
    main = sorted(township.glob("*/main.beancount"))[0]
    title = build_model(*_loaded(main)).title
    return main, slugify(title)


def _loaded(main: Path):
    loaded = load_ledger(main)
    return loaded.entries, loaded.options


def latest_quarter(main: Path) -> Quarter:
    model = build_model(*_loaded(main))
    return max(Quarter.of(t.date) for t in model.vouchers)


def open_page(tab, server: Server, ledger: str, path: str, shot: str | None = None) -> str:
    tab.goto(server.page(ledger, path), timeout=WAIT)
    tab.wait_for_selector(".vl-page", timeout=WAIT)
    tab.wait_for_load_state("networkidle", timeout=WAIT)
    if shot:
        tab.screenshot(path=str(SHOTS / f"village-ledger-{shot}.png"), full_page=False)
    return tab.inner_text("article")


def cells(tab, selector: str) -> list[str]:
    return [text.strip() for text in tab.locator(selector).all_inner_texts()]


def test_disclosure_page(page, server: Server, township: Path) -> None:
    main, ledger = first_village(township)
    quarter = latest_quarter(main)
    path = f"extension/VillageDisclosure/?period={quarter}"
    text = open_page(page, server, ledger, path, "disclosure")
    report = report_of(main, quarter).report
    assert f"{report.title} {report.label}财务公开" in text
    for label in ("资金概况", "收支情况公开表", "收支明细公开表", "资产负债情况", "审计发现"):
        assert label in text
    total = [c.strip() for c in money_rows(report.money)[0]]
    assert cells(page, '[data-table="money"] tbody tr:first-child td') == total
    income = table_view(report.tables["income"])
    rows = page.locator('[data-table="income"] tr.total')
    shown = [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(3)]
    assert shown == [[t for t, _ in row] for row in income.totals]  # 收入合计, 支出合计, 收益
    seal = report.signature.seal_digest
    if seal:
        assert seal in text and ("账簿与封存摘要一致" in text or "账簿与封存摘要不符" in text)
    else:
        assert "尚未封存" in text


def test_entertainment_page(page, server: Server, township: Path) -> None:
    main, ledger = first_village(township)
    text = open_page(page, server, ledger, "extension/VillageEntertainment/", "entertainment")
    assert "招待费" in text and "年度限额" in text and "本年累计" in text
    quarter = latest_quarter(main)
    report = report_of(main, quarter).report
    row = cells(page, f'tr[data-period="{quarter}"] td')
    assert row[3] == yuan_display(report.entertainment_ytd)
    assert row[4] == yuan_display(report.entertainment_cap)
    assert page.locator("svg.vl-chart").count() >= 1


def test_expenditure_page(page, server: Server, township: Path) -> None:
    main, ledger = first_village(township)
    quarter = latest_quarter(main)
    text = open_page(
        page, server, ledger, f"extension/VillageExpenditure/?period={quarter}", "expenditure"
    )
    for label in ("重点支出", "干部报酬与补贴", "差旅与车辆", "会议决议事项支出"):
        assert label in text
    report = report_of(main, quarter).report
    cadre = table_view(report.tables["cadre"])
    if cadre.totals and cadre.rows:
        assert cells(page, '[data-table="cadre"] tr.total td') == [t for t, _ in cadre.totals[0]]


def test_findings_page_filters(page, server: Server, township: Path) -> None:
    mains = sorted(township.glob("*/main.beancount"))
    run = audit(mains)  # one run over the served villages: invoices reused across them
    checked = {m: [f for f in run.findings if f.village == m.parent.name] for m in mains}
    main = max(checked, key=lambda m: len(checked[m]))  # the village with planted problems
    expected = checked[main]
    ledger = slugify(build_model(*_loaded(main)).title)
    text = open_page(page, server, ledger, "extension/VillageFindings/", "findings")
    assert "审计发现" in text and f"共 {len(expected)} 条" in text
    rows = page.locator("tr.finding")
    assert rows.count() == len(expected)
    page.select_option('select[name="severity"]', "error")
    page.click('form.vl-filters button[type="submit"]')
    page.wait_for_url("**severity=error**", timeout=WAIT)
    page.wait_for_selector(".vl-page", timeout=WAIT)
    assert page.locator("tr.finding").count() == sum(f.is_error for f in expected)
    assert all(b == "错误" for b in cells(page, 'tr.finding td[data-label="级别"]'))


def test_planted_village_is_masked_on_screen(page, server: Server) -> None:
    ledger = slugify(PLANTED_TITLE)
    text = open_page(page, server, ledger, "extension/VillageDisclosure/?period=2025Q1")
    for value in PLANTED:
        assert value not in text and value not in readable(page.content())
    for masked in MASKED:
        assert masked in text
    assert "张**" in text
    findings = open_page(page, server, ledger, "extension/VillageFindings/")
    assert not any(value in findings for value in PLANTED)
    page.goto(server.page(ledger, "journal/"), timeout=WAIT)
    page.wait_for_selector(".journal", timeout=WAIT)
    page.screenshot(path=str(SHOTS / "village-ledger-journal.png"))
    assert not any(value in readable(page.content()) for value in PLANTED)


def test_no_editing_controls(page, server: Server, township: Path) -> None:
    _, ledger = first_village(township)
    page.goto(server.page(ledger, "journal/"), timeout=WAIT)
    page.wait_for_selector(".journal", timeout=WAIT)
    for selector in (
        'a[href$="/editor/"]',
        'a[href$="/import/"]',
        'a[href*="/query/"]',
        'a[href="#add-transaction"]',
        'a[href="#export"]',
        'a[href$="/options/"]',
    ):
        locator = page.locator(selector)
        assert all(not locator.nth(i).is_visible() for i in range(locator.count())), selector
    assert page.locator('a[href^="#context-"]').count() == 0
    sidebar = " ".join(page.locator("aside").inner_text().split())
    for hidden in ("编辑器", "导入", "查询", "选项"):
        assert hidden not in sidebar
    for shown in ("财务公开", "招待费", "重点支出", "审计发现", "日记账"):
        assert shown in sidebar
    page.keyboard.press("n")  # Fava's shortcut for a new entry
    assert all(not d.is_visible() for d in page.locator("dialog").all())


def test_writes_fail_from_the_browser(page, server: Server, township: Path) -> None:
    _, ledger = first_village(township)
    api = page.request
    base = server.page(ledger, "api/")
    answers = [
        api.put(base + "source", data={"file_path": "x", "source": "", "sha256sum": ""}),
        api.post(base + "add_entries", data={"entries": []}),
        api.put(base + "add_entries", data={"entries": []}),
        api.put(base + "upload_import_file", multipart={"file": "x"}),
        api.put(base + "add_document", multipart={"file": "x"}),
        api.delete(base + "document?filename=main.beancount"),
    ]
    assert [a.status for a in answers] == [403] * len(answers)


def test_no_planted_value_in_any_raw_answer(page, server: Server) -> None:
    ledger = slugify(PLANTED_TITLE)
    for path in PAGES + APIS:
        answer = page.request.get(server.page(ledger, path))
        assert answer.status == 200, path
        text = readable(answer.text())
        for value in PLANTED:
            assert value not in text, (path, value)


def test_ledger_switcher_lists_every_village(page, server: Server, township: Path) -> None:
    _, ledger = first_village(township)
    open_page(page, server, ledger, "extension/VillageDisclosure/")
    titles = [build_model(*_loaded(m)).title for m in sorted(township.glob("*/main.beancount"))]
    header = page.locator("header h1")
    header.hover()
    listed = " ".join(page.locator("header .beancount-files a").all_inner_texts())
    for title in titles[1:]:
        assert title in listed
    assert quote(ledger) in page.url


# --- the villagers' view: phone first, Chinese, a loss negative ------------------------------

PHONE, DESKTOP = 390, 1280
PUBLIC_PAGES = (
    ("disclosure", "extension/VillageDisclosure/"),
    ("entertainment", "extension/VillageEntertainment/"),
    ("expenditure", "extension/VillageExpenditure/"),
    ("findings", "extension/VillageFindings/"),
    ("verify", "extension/VillageVerify/"),
    ("contracts", "extension/VillageContracts/"),
    ("income-statement", "income_statement/"),
    ("balance-sheet", "balance_sheet/"),
    ("trial-balance", "trial_balance/"),
    ("journal", "journal/"),
    ("account", "account/Assets:102-银行存款/"),
    ("events", "events/"),
)
# Latin words a villager may meet on a page: the currency code. A seal digest (sha256 and hex
# digits) is taken out before the words are looked for.
ALLOWED_LATIN = frozenset({"CNY"})
# contract and asset numbers (HT-2023-001, ZC-012); a rule code (VL701) is not one of them:
# the public pages name rules in words
DOCUMENT_NUMBER = re.compile(r"\b[A-Z]{2}-\d[\d-]*")
DIGEST = re.compile(r"sha256:[0-9a-f]{64}")

# Every visible element whose right edge is past the viewport, unless a block inside the page
# clips it or scrolls it within the viewport (a table scrolling inside its own block is allowed).
# Fava's <article> scrolls sideways as a whole: that is the horizontal page scroll a phone must
# not need, so it does not count as such a block.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const page = new Set([document.documentElement, document.body, document.querySelector("article")]);
  const inside = (element) => {
    for (let a = element.parentElement; a && !page.has(a); a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX !== "visible" && a.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= 0) continue;
    if (box.right > width + 1 && !inside(element)) {
      found.push(`${element.tagName}.${element.className} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  for (const block of page) {
    if (block && block.scrollWidth > block.clientWidth + 1) found.push(`${block.tagName} scrolls`);
  }
  return found.slice(0, 10);
}"""


def sample_village(township: Path) -> tuple[Path, str]:
    """The sample village with the most in it (taibai: planted problems), else the first."""
    mains = sorted(township.glob("*/main.beancount"))
    main = next((m for m in mains if m.parent.name == "taibai"), mains[0])
    return main, slugify(build_model(*_loaded(main)).title)


@pytest.fixture
def sized(browser, server: Server) -> Iterator:
    """A page of the given width (a phone's or a desktop's)."""
    contexts = []

    def open_at(width: int):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
        context.set_default_timeout(WAIT)
        contexts.append(context)
        return context.new_page()

    yield open_at
    for context in contexts:
        context.close()


def settle(tab, server: Server, ledger: str, path: str) -> None:
    tab.goto(server.page(ledger, path), timeout=WAIT)
    tab.wait_for_load_state("networkidle", timeout=WAIT)
    tab.wait_for_selector("article", timeout=WAIT)
    tab.wait_for_timeout(300)  # the relabelling script runs as Fava's components render


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_public_pages_fit_the_screen(sized, server: Server, township: Path, width: int) -> None:
    """At a phone's width and a desktop's, nothing runs off the screen: a wide table scrolls
    inside its block or becomes cards. Screenshots: /tmp/village-ledger-public-*.png."""
    _, ledger = sample_village(township)
    tab = sized(width)
    problems = {}
    for name, path in PUBLIC_PAGES:
        settle(tab, server, ledger, path)
        tab.screenshot(
            path=str(SHOTS / f"village-ledger-public-{name}-{width}.png"), full_page=True
        )
        wide = tab.evaluate(OVERFLOWING)
        if wide:
            problems[name] = wide
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_no_english_on_the_public_village_pages(sized, server: Server, township: Path) -> None:
    _, ledger = sample_village(township)
    tab = sized(DESKTOP)
    found = {}
    for name, path in PUBLIC_PAGES:
        settle(tab, server, ledger, path)
        text = DOCUMENT_NUMBER.sub("", DIGEST.sub("", tab.inner_text("body")))
        words = set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN
        if words:
            found[name] = sorted(words)
    assert found == {}


def test_a_loss_is_negative_on_favas_income_statement(page, server: Server, township: Path) -> None:
    """The planted village spends 800.00 in 2025Q1 and earns nothing: its sheet's 收益 is
    -800.00, and Fava's own 损益表 must say the same, not 800.00."""
    main = township / "plantcun" / "main.beancount"
    quarter = Quarter(2025, 1)
    income = table_view(report_of(main, quarter).report.tables["income"])
    column = [title for title, _ in income.headers].index("本季")
    sheet = {row[0][0]: row[column][0] for row in income.totals}["收益"]
    assert sheet == "-800.00"
    page.goto(server.page(slugify(PLANTED_TITLE), "income_statement/?time=2025-Q1"))
    page.wait_for_load_state("networkidle", timeout=WAIT)
    row = page.locator("article li, article .tree-table p").filter(has_text="净利润").first
    row.wait_for(timeout=WAIT)
    shown = row.inner_text().replace("\u2212", "-")  # Fava writes a minus sign, U+2212
    assert shown.split() == ["净利润", "-800.00"]


def test_favas_amounts_are_grouped_as_on_the_sheet(page, server: Server, township: Path) -> None:
    """Fava's own pages write amounts as the printed sheet does (243,873.25), not 243873.25."""
    _, ledger = sample_village(township)
    page.goto(server.page(ledger, "income_statement/"))
    page.wait_for_load_state("networkidle", timeout=WAIT)
    row = page.locator("article li, article .tree-table p").filter(has_text="收入").first
    row.wait_for(timeout=WAIT)
    amounts = re.findall(r"[\d,]+\.\d{2}", row.inner_text())
    assert amounts and re.fullmatch(r"\d{1,3}(,\d{3})+\.\d{2}", amounts[0]), amounts


def test_the_filter_bar_shows_only_where_it_filters(page, server: Server, township: Path) -> None:
    _, ledger = sample_village(township)
    filters = page.locator('header input[data-key="f f"]')
    open_page(page, server, ledger, "extension/VillageFindings/")
    assert not filters.is_visible()
    page.goto(server.page(ledger, "journal/"), timeout=WAIT)
    page.wait_for_selector(".journal", timeout=WAIT)
    assert filters.is_visible()


def test_findings_speak_plainly_on_the_public_server(page, server: Server, township: Path) -> None:
    main, ledger = sample_village(township)
    codes = {f.rule for f in audit([main]).findings}
    text = open_page(page, server, ledger, "extension/VillageFindings/")
    assert codes and not any(code in text for code in codes)
    assert ".beancount" not in text and "Expenses:" not in text and "（reviewer）" not in text


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_each_expense_opens_onto_its_chain(
    sized, server: Server, township: Path, width: int
) -> None:
    """过程公开 on the 重点支出 page: one card per expense of the sheet's table, closed until
    tapped, then its signers with their roles and its resolution; open, nothing runs off the
    screen. Screenshots: /tmp/village-ledger-process-*.png."""
    main, ledger = first_village(township)
    quarter = latest_quarter(main)
    records = list(report_of(main, quarter).report.tables["process"].records())
    assert records
    tab = sized(width)
    settle(tab, server, ledger, f"extension/VillageExpenditure/?period={quarter}")
    chains = tab.locator("details.vl-chain")
    assert chains.count() == len(records)
    first = chains.first
    assert not first.locator('[data-step="approver"]').is_visible()
    first.locator("summary").click()
    for key in ("handler", "reviewer", "approver", "resolution"):
        assert first.locator(f'[data-step="{key}"] dd').inner_text().strip() == records[0][key]
    for i in range(chains.count()):
        chains.nth(i).evaluate("details => { details.open = true; }")
    cited = [i for i, r in enumerate(records) if r["approved"] is not None]
    if cited:
        text = chains.nth(cited[0]).inner_text()
        assert yuan_display(records[cited[0]]["through"]) in text and "占批准金额" in text
    tab.screenshot(path=str(SHOTS / f"village-ledger-process-{width}.png"), full_page=True)
    assert tab.evaluate(OVERFLOWING) == []
