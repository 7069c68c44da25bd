"""The printed 财务公开 sheet as a villager reads it: each defect found on a printed sheet has a
test here that would catch it again, on the PDF's text (pdftotext), on the page's HTML, or on
the boxes WeasyPrint laid out; and the sheet's debts and income read from `model.figures`."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.reporting import bq_sum, pdf_text
from tests.support import REPO, make_village
from village_ledger.audit import audit
from village_ledger.model import Quarter
from village_ledger.reports.disclosure import Disclosure, build_disclosure
from village_ledger.reports.disclosure_render import _laid_out
from village_ledger.reports.layout import weasy
from village_ledger.reports.masking import publish
from village_ledger.reports.render import render

TAIBAI = REPO / "ledgers" / "taibai" / "main.beancount"
Q2 = Quarter(2026, 2)

# A village whose books begin on 2026-04-01 (opening balances the day before): an advance paid
# and settled by a travel claim with 20.00 handed back, and a rent received.
MID_YEAR = """\
option "title" "测试乡新建村股份经济合作社"
option "operating_currency" "CNY"
include "../township/chart.beancount"
include "../township/policy.beancount"

2026-01-01 open Assets:102-银行存款:10201-农商行 CNY
  code: "10201"
2026-01-01 open Assets:112-应收款:11201-个人借支:1120101-张三 CNY
2026-01-01 custom "任职" "李主任" "主任"
2026-01-01 custom "任职" "王会计" "会计"
2026-01-01 custom "任职" "赵出纳" "出纳"
2026-01-01 custom "任职" "钱监委" "监委会主任"

2026-03-31 * "期初余额" "建账期初余额"
  opening: TRUE
  Assets:102-银行存款:10201-农商行  50000.00 CNY
  Assets:101-库存现金  1000.00 CNY
  Equity:301-资本  -51000.00 CNY

2026-04-10 * "张三" "张三借支外出学习费用"
  voucher: "2026-04-001"
  handler: "张三"
  approver: "李主任"
  Assets:101-库存现金  -500.00 CNY
  Assets:112-应收款:11201-个人借支:1120101-张三  500.00 CNY

2026-04-20 * "张三" "张三报销外出学习差旅费，冲销借支，退回余款 20.00 元"
  voucher: "2026-04-002"
  handler: "张三"
  approver: "李主任"
  Expenses:513-管理费用:51304-差旅费  480.00 CNY
  Assets:101-库存现金  20.00 CNY
  Assets:112-应收款:11201-个人借支:1120101-张三  -500.00 CNY

2026-05-05 * "个体户" "门面租金"
  voucher: "2026-05-001"
  handler: "王会计"
  Assets:102-银行存款:10201-农商行  1200.00 CNY
  Income:501-经营收入  -1200.00 CNY
"""


def _report(main: Path, quarter: Quarter) -> Disclosure:
    village = audit([main]).villages[0]
    assert village.model is not None
    seal = village.model.seals.get(quarter)
    published = seal.day if seal else quarter.last_day
    return build_disclosure(village.model, quarter, published=published, findings=village.findings)


@pytest.fixture(scope="module")
def taibai() -> Disclosure:
    return _report(TAIBAI, Q2)


@pytest.fixture(scope="module")
def printed(taibai: Disclosure) -> dict[str, tuple[Any, str]]:
    """The sheet laid out once per paper: WeasyPrint's document and the PDF's text."""
    found = {}
    for paper in ("a4", "a3"):
        document = weasy(_laid_out(publish(taibai).report, paper)).render()
        found[paper] = (document, pdf_text(document.write_pdf()))
    return found


@pytest.fixture(scope="module")
def taibai_pdf(printed: dict[str, tuple[Any, str]]) -> str:
    return printed["a4"][1]


@pytest.fixture(scope="module")
def mid_year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Disclosure]:
    main = make_village(tmp_path_factory.mktemp("mid"), MID_YEAR, with_preamble=False)
    return main, _report(main, Q2)


def _pages(text: str) -> list[str]:
    return text.split("\f")


# --- the printed sheet's defects ----------------------------------------------------------


def test_total_labels_print_on_one_line(taibai_pdf: str) -> None:
    for label in ("收入合计", "支出合计"):
        assert re.search(rf"^\s*{label}\s+[\d,]+\.\d\d", taibai_pdf, re.M), label
    assert not re.search(r"收入合\s*$", taibai_pdf, re.M)


def test_no_english_field_name_reaches_the_sheet(taibai_pdf: str) -> None:
    # a metadata key in brackets, as "（project）" or "（meeting）" once printed
    assert not re.search(r"[（(]\s*[a-z][a-z_-]*\s*[)）]", taibai_pdf)
    for key in ("project", "meeting", "voucher", "handler", "approver", "pad "):
        assert key not in taibai_pdf


def test_zero_lines_of_the_balance_sheet_are_folded(taibai: Disclosure, taibai_pdf: str) -> None:
    rows = taibai.tables["balance"].rows.to_dict("records")
    assert all(r["opening"] or r["closing"] for r in rows if r["role"] in ("line", "memo"))
    assert "固定资产原值" in taibai_pdf and "短期投资" not in taibai_pdf
    assert "未列出" in taibai.tables["balance"].note
    assert not re.search(r"^\s*\S+\s+0\.00\s+0\.00\s*$", taibai_pdf, re.M)


def test_supervision_phone_is_blank_to_write_in_never_unset(taibai_pdf: str) -> None:
    assert "未设置" not in taibai_pdf
    assert "监督电话" in taibai_pdf


def test_seal_and_digest_never_stand_alone_on_a_page(
    taibai: Disclosure, printed: dict[str, tuple[Any, str]]
) -> None:
    assert taibai.signature.seal_digest
    for paper in ("a4", "a3"):
        pages = _pages(printed[paper][1])
        page = next(p for p in pages if "公开封存摘要" in p)
        assert taibai.signature.seal_digest in page.replace("\n", "")
        others = ("资金概况", "收支情况公开表", "收支明细公开表", "审计发现")
        assert any(title in page for title in others), paper


def test_one_name_per_figure(taibai: Disclosure) -> None:
    """收入 and 支出 name the income and expense accounts only; money in and out of cash and
    bank are 收款 and 付款, wherever they are printed."""
    html = render(taibai, "html", "a4").decode("utf-8")
    money = html[html.index("<h2>资金概况</h2>") : html.index("</section>", html.index("资金概况"))]
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", money)
    assert not [h for h in headers if "收入" in h or "支出" in h], headers
    assert "本季收款" in money and "本季付款" in money
    detail = {c.key: c.title for c in taibai.tables["detail"].columns}
    assert (detail["income"], detail["expense"]) == ("收款", "付款")
    income = {t["kind"]: t["quarter"] for t in taibai.tables["income"].totals}
    assert "本季收入合计" in taibai.capitals
    assert income["收入合计"] != taibai.money.money_in  # two figures, two names


def test_an_advance_settled_is_not_income(mid_year: tuple[Path, Disclosure]) -> None:
    _, report = mid_year
    income = {t["kind"]: t["quarter"] for t in report.tables["income"].totals}
    assert income["收入合计"] == 120000  # the rent, not the 20.00 handed back
    assert report.money.money_in == 120000 + 2000
    settled = next(r for r in report.tables["detail"].records() if r["voucher"] == "2026-04-002")
    assert settled["income"] == 2000
    titles = {c.key: c.title for c in report.tables["detail"].columns}
    assert titles["income"] == "收款"


def test_no_year_earlier_figures_before_the_books_began(mid_year: tuple[Path, Disclosure]) -> None:
    _, report = mid_year
    income = report.tables["income"]
    assert all(r["last_year"] is None for r in income.records())
    assert all(t["last_year"] is None for t in income.totals)
    assert "上年同期数空缺" in income.note
    balance = report.tables["balance"]
    assert all(r["opening"] is None for r in balance.records())
    assert "年初数空缺" in balance.note
    text = pdf_text(render(report, "pdf", "a4"))
    section = text[text.index("收支情况公开表") : text.index("收支明细公开表")]
    assert not re.search(r"\s0\.00\s*$", section.split("收入合计")[1].splitlines()[0])


def _section_fragments(document: Any, key: str) -> list[set[str]]:
    """For each piece of the section of table `key` laid out on a page or in a column, what it
    holds: "table" (rows of the table), "empty" (its empty message), "note"."""
    found: list[set[str]] = []

    def inside(box: Any, kinds: set[str]) -> None:
        element = getattr(box, "element", None)
        if element is not None:
            classes = (element.get("class") or "").split()
            if box.element_tag == "tr":
                kinds.add("table")
            kinds.update(k for k in ("note", "empty") if k in classes)
        for child in getattr(box, "children", []):
            inside(child, kinds)

    def walk(box: Any) -> None:
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if box.element_tag == "section" and key in classes:
            kinds: set[str] = set()
            inside(box, kinds)
            found.append(kinds)
            return
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


@pytest.mark.parametrize("paper", ["a3", "a4"])
def test_a_note_stays_under_its_table(
    taibai: Disclosure, printed: dict[str, tuple[Any, str]], paper: str
) -> None:
    """Every table's note is printed in the same column and page as the table's last rows
    (the note under 干部报酬 once ran into the top of the next column); a short table is
    never split between the board's columns."""
    document = printed[paper][0]
    for key, table in taibai.tables.items():
        pieces = _section_fragments(document, key)
        assert pieces, key
        for piece in pieces:
            if "note" in piece:
                assert piece & {"table", "empty"}, f"{key}: its note stands alone"
        if paper == "a3" and len(table.rows) <= 8 and key != "detail":
            assert len(pieces) == 1, f"{key} split over {len(pieces)} columns"


# --- the sheet reads model.figures ----------------------------------------------------------


def test_debts_age_first_in_first_out_from_the_figures(tmp_path: Path) -> None:
    body = """
2026-01-01 open Assets:112-应收款:11201-个人借支:1120101-张三 CNY
2026-04-01 * "张三" "借支一"
  voucher: "2026-04-001"
  Assets:101-库存现金  -100.00 CNY
  Assets:112-应收款:11201-个人借支:1120101-张三  100.00 CNY
2026-04-05 * "张三" "借支二"
  voucher: "2026-04-002"
  Assets:101-库存现金  -50.00 CNY
  Assets:112-应收款:11201-个人借支:1120101-张三  50.00 CNY
2026-04-09 * "张三" "还款"
  voucher: "2026-04-003"
  Assets:101-库存现金  120.00 CNY
  Assets:112-应收款:11201-个人借支:1120101-张三  -120.00 CNY
"""
    main = make_village(tmp_path, body)
    report = _report(main, Q2)
    loaded = audit([main]).villages[0].ledger
    (row,) = [r for r in report.tables["debts"].records() if r["party"] == "张三"]
    # the repayment settles the first advance and 20.00 of the second: 30.00 open since 04-05
    assert row["amount"] == 3000 == bq_sum(loaded, "account ~ '1120101'")
    assert row["since"] == date(2026, 4, 5)
    assert row["age"] == (Q2.last_day - date(2026, 4, 5)).days


def test_income_table_equals_beanquery_by_account(mid_year: tuple[Path, Disclosure]) -> None:
    main, report = mid_year
    loaded = audit([main]).villages[0].ledger
    rows = {r["code"]: r for r in report.tables["income"].records()}
    window = f"date >= {Q2.first_day} AND date <= {Q2.last_day}"
    assert rows["501"]["quarter"] == -bq_sum(loaded, f"account ~ '^Income:501' AND {window}")
    assert rows["51304"]["quarter"] == bq_sum(loaded, f"account ~ '51304' AND {window}")
    assert Decimal(rows["51304"]["ytd"]) == 48000


def test_findings_on_the_sheet_name_no_metadata_key() -> None:
    from village_ledger.reports.findings_tables import plain_message

    text = "付 城关文具店 的支出 350.00 元缺少审核人（reviewer）签字；决议（meeting）未注明"
    assert plain_message(text) == "付 城关文具店 的支出 350.00 元缺少审核人签字；决议未注明"
    assert plain_message("金额（元）不变") == "金额（元）不变"


# --- 车辆费用 and cadre pay by person -------------------------------------------------------

PAY = """
2026-04-08 * "城关加油站" "村工作用车加油"
  voucher: "2026-04-001"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "李红梅"
  invoice: "26332000000011110001"
  Assets:102-银行存款:10201-农商行  -380.00 CNY
  Expenses:513-管理费用:51309-车辆费用  380.00 CNY

2026-05-10 * "村两委干部" "发放一季度考核奖金及端午过节费"
  voucher: "2026-05-001"
  handler: "孙立新"
  reviewer: "钱秀英"
  approver: "李红梅"
  receipt: "工资表"
  Assets:102-银行存款:10201-农商行  -1900.00 CNY
  Expenses:513-管理费用:51301-干部报酬:5130102-奖金  1000.00 CNY
    person: "王建国"
  Expenses:513-管理费用:51301-干部报酬:5130102-奖金  600.00 CNY
    person: "郑国庆"
  Expenses:513-管理费用:51301-干部报酬:5130105-过节费  300.00 CNY
    person: "王建国"

; the payee written with his title in brackets is the same person
2026-05-12 * "王建国（书记）" "发放5月基本报酬"
  voucher: "2026-05-002"
  handler: "孙立新"
  reviewer: "钱秀英"
  approver: "李红梅"
  receipt: "工资表"
  Assets:102-银行存款:10201-农商行  -2500.00 CNY
  Expenses:513-管理费用:51301-干部报酬  2500.00 CNY

2026-05-20 * "郑国庆" "购买办公用品"
  voucher: "2026-05-003"
  handler: "郑国庆"
  reviewer: "钱秀英"
  approver: "李红梅"
  invoice: "26332000000011110002"
  Assets:102-银行存款:10201-农商行  -90.00 CNY
  Expenses:513-管理费用:51302-办公费  90.00 CNY
    person: "郑国庆"
"""


@pytest.fixture(scope="module")
def paid(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Disclosure]:
    main = make_village(tmp_path_factory.mktemp("pay"), PAY)
    loaded = audit([main]).villages[0].ledger
    return loaded, _report(main, Q2)


def test_vehicle_running_costs_are_disclosed_beside_travel(paid: tuple[Any, Disclosure]) -> None:
    loaded, report = paid
    (row,) = list(report.tables["travel"].records())
    assert row["kind"] == "车辆费用"
    assert row["amount"] == bq_sum(loaded, "account ~ '51309-车辆费用'") == 38000


def test_cadre_bonus_and_holiday_pay_by_person(paid: tuple[Any, Disclosure]) -> None:
    loaded, report = paid
    table = report.tables["cadre_pay"]
    titles = [c.title for c in table.columns]
    assert titles == ["姓名", "职务", "基本报酬", "奖金", "补助", "加班费", "过节费", "合计"]
    rows = {r["person"]: r for r in table.records()}
    assert set(rows) == {"王建国", "郑国庆"}  # 办公费 with a person is not cadre pay
    wang, zheng = rows["王建国"], rows["郑国庆"]
    assert wang["roles"] == "书记" and zheng["roles"] == "委员"
    assert [wang[f"k{i}"] for i in range(5)] == [250000, 100000, 0, 0, 30000]
    assert [zheng[f"k{i}"] for i in range(5)] == [0, 60000, 0, 0, 0]
    total = table.totals[0]["total"]
    assert total == bq_sum(loaded, "account ~ '51301-干部报酬'") == 440000
