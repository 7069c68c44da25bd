"""The contract and asset registers in the reports: the 合同台账 and 资产台账 books, checked
against the figures layer (what VL7xx judges) and against beanquery over the receipts."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from beanquery.query import run_query
from click.testing import CliRunner
from openpyxl import load_workbook

from tests import contract_ledger
from tests.contract_ledger import bq_money
from village_ledger.books.standard import build_book
from village_ledger.cli.main import main as cli
from village_ledger.loading import load_ledger
from village_ledger.model import LedgerModel, Period
from village_ledger.reports.statements import cents


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return contract_ledger.write(tmp_path_factory.mktemp("contracts"))


@pytest.fixture(scope="module")
def model(village: Path) -> LedgerModel:
    return contract_ledger.model_of(village)


def by_id(table_records: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in table_records}


def test_the_contract_register_reads_the_schedules(model: LedgerModel) -> None:
    period = Period.year(2025)
    book = build_book(model, "合同台账", period)
    register, *pages = book.tables
    rows = by_id(list(register.records()))
    assert list(rows) == ["HT-2024-001", "HT-2024-002", "HT-2024-003", "HT-2024-004"]
    as_of = date(2025, 6, 30)  # the books' last day, before the year's end
    for contract in model.contracts:
        schedule = model.figures.contracts.schedule(contract, as_of)
        row = rows[contract.id]
        assert row["arrears"] == cents(schedule.arrears)
        assert row["received"] == cents(schedule.received)
        assert row["due"] == cents(schedule.due_to_date)
    # one 收付计划 page per contract
    assert [t.key for t in pages] == [f"schedule-{c}" for c in rows]


def test_register_figures_equal_an_independent_computation(
    village: Path, model: LedgerModel
) -> None:
    rows = by_id(list(build_book(model, "合同台账", Period.year(2025)).tables[0].records()))
    # due by hand from the contracts' terms, received by beanquery over the receipts
    pond, shop, purchase, store = (rows[f"HT-2024-00{n}"] for n in range(1, 5))
    assert (pond["due"], pond["received"], pond["arrears"]) == (800000, 400000, 400000)
    assert pond["received"] == bq_money(village, "HT-2024-001", date(2024, 1, 1), date(2025, 6, 30))
    assert pond["received_in"] == bq_money(
        village, "HT-2024-001", date(2025, 1, 1), date(2025, 6, 30)
    )
    assert shop["due"] == 2 * 3600000
    assert shop["received"] == bq_money(village, "HT-2024-002", date(2024, 1, 1), date(2025, 6, 30))
    assert (
        shop["received_in"]
        == 2000000
        == bq_money(village, "HT-2024-002", date(2025, 1, 1), date(2025, 6, 30))
    )
    assert shop["arrears"] == shop["due"] - shop["received"] == 1600000
    # a purchase is paid out: money left the bank
    assert purchase["received"] == -bq_money(
        village, "HT-2024-003", date(2024, 1, 1), date(2024, 12, 31)
    )
    # three quarters due before the 终止 on 2025-04-01, all paid (one in advance)
    assert (store["due"], store["received"], store["state"]) == (900000, 900000, "已终止")
    assert store["received"] == bq_money(
        village, "HT-2024-004", date(2024, 1, 1), date(2025, 6, 30)
    )
    assert store["due_in"] == 300000 and store["received_in"] == 0
    assert store["term"] == "2024-07-01 至 2025-03-31"


def test_register_totals_keep_receiving_and_paying_apart(model: LedgerModel) -> None:
    register = build_book(model, "合同台账", Period.year(2025)).tables[0]
    totals = {t["id"]: t for t in register.total_records()}
    body = list(register.records())
    receiving = [r for r in body if r["kind"] != "采购"]
    assert totals["应收合计"]["arrears"] == sum(r["arrears"] for r in receiving) == 2000000
    assert totals["应付合计"]["received"] == 1200000


def test_a_schedule_page_names_the_vouchers_and_states(model: LedgerModel) -> None:
    book = build_book(model, "合同台账", Period.year(2025))
    shop = next(t for t in book.tables if t.key == "schedule-HT-2024-002")
    lines = list(shop.records())
    assert [(r["label"], r["state"]) for r in lines] == [
        ("2024", "已收"),
        ("2025", "欠收"),
        ("2026", "未到期"),
    ]
    assert lines[1]["vouchers"] == "2025-03-001（2025-03-10）"
    assert lines[1]["unpaid"] == 1600000


def test_a_quarter_before_the_books_end_is_its_own_day(model: LedgerModel) -> None:
    """As of 2025-03-31 the shop's 2025 rent (due 03-01, paid in part) is in arrears but still
    within its 30 grace days (to 03-31); the register is drawn up at the period's end."""
    rows = by_id(list(build_book(model, "合同台账", Period.month(2025, 3)).tables[0].records()))
    assert rows["HT-2024-002"]["arrears"] == 1600000 and rows["HT-2024-002"]["overdue"] == 0
    early = by_id(list(build_book(model, "合同台账", Period.month(2024, 2)).tables[0].records()))
    assert list(early) == ["HT-2024-001"]  # the others were signed later


def test_the_asset_register_shares_an_accounts_depreciation(
    village: Path, model: LedgerModel
) -> None:
    book = build_book(model, "资产台账", Period.year(2025))
    assets, gaps = book.tables
    rows = by_id(list(assets.records()))
    loaded = load_ledger(village)
    _, result = run_query(
        loaded.entries,
        loaded.options,
        "SELECT sum(number) WHERE account = 'Assets:152-累计折旧'"
        " AND str(meta('asset')) = 'Assets:151-固定资产:15101-房屋及建筑物'",
    )
    accumulated = -cents(result[0][0])
    shop, store = rows["ZC-001"], rows["ZC-002"]
    assert shop["depreciation"] + store["depreciation"] == accumulated == 50000
    assert shop["depreciation"] == 33333  # 2/3 of it: 200,000 of the account's 300,000
    assert shop["net"] == shop["cost"] - shop["depreciation"]
    assert shop["let"] == "HT-2024-002 梅川县好运超市"
    assert rows["ZC-003"]["cost"] == 0 and rows["ZC-003"]["let"].startswith("HT-2024-001")
    assert rows["ZC-004"]["state"] == "2024-06-01 出售（5,000.00 元）"
    assert rows["ZC-004"]["cost"] == 0
    assert not list(gaps.records())


def test_the_asset_register_shows_the_register_against_the_books(tmp_path: Path) -> None:
    body = contract_ledger.BODY.replace(
        '2024-01-01 custom "资产" "ZC-002" "村集体仓库" "房屋" 100000.00 CNY',
        '2024-01-01 custom "资产" "ZC-002" "村集体仓库" "房屋" 90000.00 CNY',
    )
    from tests.support import make_village

    model = contract_ledger.model_of(make_village(tmp_path, body))
    gaps = build_book(model, "资产台账", Period.year(2025)).tables[1]
    [gap] = list(gaps.records())
    assert gap["account"] == "15101 房屋及建筑物"
    assert (gap["registered"], gap["booked"], gap["difference"]) == (29000000, 30000000, 1000000)
    assert [g.account for g in model.figures.asset_gaps(date(2025, 6, 30))] == [
        "Assets:151-固定资产:15101-房屋及建筑物"
    ]


# --- the command --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title"),
    [("合同台账", "合同台账"), ("contract-register", "合同台账"), ("asset-register", "资产台账")],
)
def test_books_command_prints_the_registers_as_json(village: Path, name: str, title: str) -> None:
    result = CliRunner().invoke(cli, ["books", str(village), "--book", name, "--period", "2025"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["book"] == title
    assert document["tables"][0]["title"].startswith(title)


def test_books_command_writes_every_format(village: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for suffix in ("html", "xlsx", "pdf"):
        out = tmp_path / f"合同台账.{suffix}"
        result = runner.invoke(
            cli, ["books", str(village), "--book", "合同台账", "--period", "2025", "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
    html = (tmp_path / "合同台账.html").read_text(encoding="utf-8")
    assert "HT-2024-002 收付计划" in html and "16,000.00" in html
    workbook = load_workbook(io.BytesIO((tmp_path / "合同台账.xlsx").read_bytes()))
    assert len(workbook.sheetnames) == 5  # the register and four schedules
    assert (tmp_path / "合同台账.pdf").read_bytes().startswith(b"%PDF")


def test_registers_take_no_account_or_level(village: Path) -> None:
    result = CliRunner().invoke(
        cli, ["books", str(village), "--book", "资产台账", "--period", "2025", "--account", "151"]
    )
    assert result.exit_code == 2
    assert "不按科目输出" in result.output


# --- the handover and the overview ---------------------------------------------------------

HANDOVER_DAY = date(2025, 6, 1)
HANDOVER_ROSTER = """
2025-06-01 custom "离任" "李红梅" "主任"
2025-06-01 custom "任职" "陈新华" "主任"
"""


def test_the_handover_lists_contracts_in_arrears_and_the_assets(tmp_path: Path) -> None:
    from tests.support import make_village
    from village_ledger.reports.handover import build_handover, resolve_parties

    main = make_village(tmp_path, contract_ledger.BODY + HANDOVER_ROSTER)
    model = contract_ledger.model_of(main)
    parties = resolve_parties(model, HANDOVER_DAY, "李红梅", "陈新华", "马文涛")
    report = build_handover(model, parties, findings=[])
    cutoff = date(2025, 5, 31)
    arrears = by_id(list(report.tables["contract_arrears"].records()))
    assert list(arrears) == ["HT-2024-001", "HT-2024-002"]  # the others are paid up
    for ident, row in arrears.items():
        schedule = model.figures.contracts.schedule(model.contracts.by_id[ident], cutoff)
        assert row["arrears"] == cents(schedule.arrears) and row["overdue"] == cents(
            schedule.overdue
        )
    assert arrears["HT-2024-002"]["periods"] == "2025"
    assert arrears["HT-2024-002"]["arrears"] == 3600000 - 2000000
    assets = by_id(list(report.tables["assets"].records()))
    assert list(assets) == ["ZC-001", "ZC-002", "ZC-003"]  # the sold 旋耕机 is gone
    assert sum(r["cost"] for r in assets.values()) == 30000000
    assert not list(report.tables["asset_gaps"].records())
    checklist = {r["kind"]: r["detail"] for r in report.tables["checklist"].records()}
    assert checklist["合同"] == "合同台账登记 4 份，履行中 2 份，欠收（欠付）2 份，见欠收合同表"


def test_the_overview_shows_arrears_per_village(tmp_path: Path) -> None:
    from tests.support import make_village
    from village_ledger.paths import find_villages
    from village_ledger.reports.overview import build_overview

    contract_ledger.write(tmp_path, "shiqiao")
    make_village(tmp_path, "", name="dongshan")
    day = date(2025, 6, 30)
    report = build_overview(find_villages([str(tmp_path)]), day)
    rows = {r["village"]: r for r in report.table.records()}
    model = contract_ledger.model_of(tmp_path / "shiqiao" / "main.beancount")
    schedules = [model.figures.contracts.schedule(c, day) for c in model.contracts]
    expected = sum(cents(s.arrears) for s in schedules if s.contract.receiving)
    assert rows["shiqiao"]["arrears"] == expected == 400000 + 1600000
    assert rows["shiqiao"]["arrears_overdue"] == 400000 + 1600000
    assert rows["dongshan"]["arrears"] == 0
    [total] = report.table.total_records()
    assert total["arrears"] == expected
    # in March the shop's 2025 rent is owed but still within its grace days
    march = build_overview(find_villages([str(tmp_path / "shiqiao")]), date(2025, 3, 20))
    [row] = march.table.records()
    assert (row["arrears"], row["arrears_overdue"]) == (400000 + 1600000, 400000)
