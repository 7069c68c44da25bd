"""The handover audit: figures against beanquery, the term's result against net assets, the
verified figures, the roster checks, every output format, and masking."""

from __future__ import annotations

import io
import json
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from beanquery.query import run_query
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.reporting import bq_sum, pdf_text
from tests.support import REPO, make_village
from village_ledger.audit import audit
from village_ledger.cli.main import main as cli
from village_ledger.findings import Finding
from village_ledger.loading import LoadedLedger, load_ledger
from village_ledger.model import LedgerModel, build_model
from village_ledger.reports.handover import (
    Handover,
    HandoverError,
    build_handover,
    resolve_parties,
)
from village_ledger.reports.masking import mask_numbers
from village_ledger.reports.render import render
from village_ledger.reports.statements import yuan_display

DAY = date(2025, 3, 20)
CUTOFF = DAY - timedelta(days=1)
OUT, IN, WATCH = "李红梅", "陈新华", "马文涛"
COUSIN = "马文海"  # the outgoing 主任's cousin: no supervisor of this handover
IDENTITY = "110105198003071234"  # a well-formed 身份证号 (checksum holds), planted in a payee

# 李红梅 is 主任 from 2024-01-01 (support.ROSTER) until the 2025-03-20 election, 陈新华 after.
# One of each thing the handover lists: two banks, an open advance, a receivable and a payable,
# a special fund part spent, an unused and an overspent resolution, entertainment, cadre pay,
# a payment whose payee is an identity number, and a voucher after the handover.
LEDGER = f"""
2024-01-01 open Assets:102-银行存款:10202-邮储银行 CNY
  code: "10202"
2024-01-01 open Assets:112-应收款:11201-个人借支:1120101-郑国庆 CNY
2024-01-01 open Assets:112-应收款:11202-单位往来:1120201-宏达农机合作社 CNY
2024-01-01 open Liabilities:211-应付款:21101-宏达建筑公司 CNY
2024-01-01 open Liabilities:241-专项应付款:24101-村道硬化 CNY
  project: "村道硬化"
2024-01-01 open Assets:153-在建工程:15301-村道硬化 CNY
2024-01-01 custom "亲属" "{COUSIN}" "{OUT}" "表兄弟"
2025-03-20 custom "离任" "{OUT}" "主任"
2025-03-20 custom "任职" "{IN}" "主任"

2024-02-05 * "宏达农机合作社" "机耕路发包收入"
  voucher: "2024-02-001"
  handler: "吴志强"
  receipt-no: "0000101"
  Assets:102-银行存款:10201-农商行  8000.00 CNY
  Income:501-经营收入:50101-发包收入  -8000.00 CNY

2024-03-10 * "镇文具店" "办公用品"
  voucher: "2024-03-001"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "{OUT}"
  invoice: "24332000000011110001"
  Assets:102-银行存款:10201-农商行  -600.00 CNY
  Expenses:513-管理费用:51302-办公费  600.00 CNY

2024-04-02 * "郑国庆" "借支外出学习费用"
  voucher: "2024-04-001"
  handler: "郑国庆"
  reviewer: "钱秀英"
  approver: "{OUT}"
  receipt: "内部凭证"
  Assets:102-银行存款:10201-农商行  -3000.00 CNY
  Assets:112-应收款:11201-个人借支:1120101-郑国庆  3000.00 CNY

2024-05-06 * "县农业农村局" "村道硬化专项资金拨入"
  voucher: "2024-05-001"
  handler: "吴志强"
  receipt: "银行回单"
  Assets:102-银行存款:10201-农商行  150000.00 CNY
  Liabilities:241-专项应付款:24101-村道硬化  -150000.00 CNY

2024-05-20 custom "会议决议" "2024-05-村代会-1" "村民代表会议" "村道硬化工程" 150000.00 CNY

2024-06-10 * "宏达建筑公司" "村道硬化工程进度款"
  voucher: "2024-06-001"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "{OUT}"
  meeting: "2024-05-村代会-1"
  project: "村道硬化"
  invoice: "24332000000011110002"
  Assets:102-银行存款:10201-农商行  -60000.00 CNY
  Assets:153-在建工程:15301-村道硬化  60000.00 CNY

2024-07-01 * "宏达建筑公司" "村道硬化工程结算未付款"
  voucher: "2024-07-001"
  handler: "吴志强"
  invoice: "24332000000011110003"
  Assets:153-在建工程:15301-村道硬化  20000.00 CNY
  Liabilities:211-应付款:21101-宏达建筑公司  -20000.00 CNY

2024-08-15 * "宏达农机合作社" "应收下半年农机房租金"
  voucher: "2024-08-001"
  handler: "吴志强"
  receipt: "内部凭证"
  Assets:112-应收款:11202-单位往来:1120201-宏达农机合作社  5000.00 CNY
  Income:501-经营收入:50102-租赁收入  -5000.00 CNY

2024-09-02 * "县纪委" "接待县纪委检查组工作餐"
  voucher: "2024-09-001"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "{OUT}"
  guests: 4
  hosts: 2
  guest-org: "县纪委"
  letter: "县纪函〔2024〕3号"
  invoice: "24332000000011110004"
  Assets:102-银行存款:10201-农商行  -480.00 CNY
  Expenses:513-管理费用:51303-招待费  480.00 CNY

2024-09-05 custom "会议决议" "2024-09-联席-1" "两委联席会议" "村部围墙维修" 3000.00 CNY

2024-09-20 * "镇建筑维修队" "村部围墙维修"
  voucher: "2024-09-002"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "{OUT}"
  meeting: "2024-09-联席-1"
  invoice: "24332000000011110005"
  Assets:102-银行存款:10201-农商行  -3500.00 CNY
  Expenses:514-公益支出:51402-公共设施维护  3500.00 CNY

2024-11-05 * "{IDENTITY}" "退还押金"
  voucher: "2024-11-001"
  handler: "吴志强"
  approver: "{OUT}"
  receipt: "收款收据"
  Assets:101-库存现金  -200.00 CNY
  Expenses:515-其他支出  200.00 CNY

2025-01-05 custom "会议决议" "2025-01-村代会-1" "村民代表会议" "2025年度村干部报酬标准" 40000.00 CNY

2025-01-10 * "县财政局" "运转经费补助"
  voucher: "2025-01-001"
  handler: "吴志强"
  receipt: "银行回单"
  Assets:102-银行存款:10201-农商行  20000.00 CNY
  Income:503-补助收入:50302-运转经费补助  -20000.00 CNY

2025-02-10 * "村干部" "发放一月份村干部报酬"
  voucher: "2025-02-001"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "王建国"
  meeting: "2025-01-村代会-1"
  receipt: "工资表"
  Assets:102-银行存款:10201-农商行  -9600.00 CNY
  Expenses:513-管理费用:51301-干部报酬  9600.00 CNY

2025-03-25 * "镇文具店" "新一届购买办公用品"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "{IN}"
  invoice: "25332000000011110006"
  Assets:102-银行存款:10201-农商行  -300.00 CNY
  Expenses:513-管理费用:51302-办公费  300.00 CNY
"""


def audited(main: Path) -> tuple[LedgerModel, list[Finding], LoadedLedger]:
    village = audit([main]).villages[0]
    assert village.model is not None and village.ledger is not None
    return village.model, village.findings, village.ledger


def handover_of(main: Path, day: date = DAY, supervisor: str = WATCH) -> tuple[Handover, object]:
    model, findings, loaded = audited(main)
    parties = resolve_parties(model, day, OUT, IN, supervisor)
    return build_handover(model, parties, findings=findings), loaded


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_village(tmp_path_factory.mktemp("h"), LEDGER)


@pytest.fixture(scope="module")
def sample(village: Path) -> tuple[Handover, object]:
    return handover_of(village)


def rows(report: Handover, key: str) -> list[dict]:
    return list(report.tables[key].records())


def inventory(report: Handover) -> dict[str, dict]:
    return {r["item"]: r for r in rows(report, "inventory")}


# --- who hands over what ----------------------------------------------------------------


def test_the_roles_and_the_term_come_from_the_roster(sample) -> None:
    report, _ = sample
    parties = report.parties
    assert parties.roles == ("主任",)
    assert (parties.term_start, parties.left, parties.taken) == (
        date(2024, 1, 1),
        DAY,
        DAY,
    )
    # the term runs from the first voucher of the books to the day before the handover
    assert (report.term.first_day, report.term.last_day) == (date(2024, 2, 5), CUTOFF)


# --- 1. 移交清单 against beanquery -------------------------------------------------------


def test_book_balances_match_beanquery(sample) -> None:
    report, loaded = sample
    before = f"date < {DAY}"
    lines = [r for r in rows(report, "inventory") if r["code"]]
    assert len(lines) >= 7
    posted = _accounts(loaded)
    for line in lines:
        named = [a for a in posted if a.rpartition(":")[2].startswith(f"{line['code']}-")]
        if not named:  # never posted to: an account opened and handed over empty
            assert line["book"] == 0, line
            continue
        (account,) = named
        sign = -1 if account.startswith("Liabilities") else 1
        assert line["book"] == sign * bq_sum(loaded, f"account ~ '^{account}' AND {before}"), line
    items = inventory(report)
    assert items["银行存款合计"]["book"] == bq_sum(loaded, f"account ~ '^Assets:102' AND {before}")
    assert items["库存现金"]["book"] == bq_sum(loaded, f"account ~ '^Assets:101' AND {before}")
    assert items["应收款项合计"]["book"] == bq_sum(loaded, f"account ~ '^Assets:112' AND {before}")
    # the voucher dated after the handover is the new committee's, not in the books handed over
    assert items["农商行"]["book"] != bq_sum(loaded, "account ~ '^Assets:102-银行存款:10201'")


def _accounts(loaded) -> list[str]:
    _, found = run_query(loaded.entries, loaded.options, "SELECT DISTINCT account")
    return [row[0] for row in found]


def test_a_zero_bank_account_is_still_handed_over(sample) -> None:
    report, _ = sample
    assert inventory(report)["邮储银行"]["book"] == 0


# --- 2. 任期收支 ------------------------------------------------------------------------


def test_term_income_matches_beanquery_per_year(sample) -> None:
    report, loaded = sample
    totals = {t["kind"]: t for t in report.tables["term"].totals}
    for year in (2024, 2025):
        first = max(date(year, 1, 1), report.term.first_day)
        last = min(date(year, 12, 31), CUTOFF)
        window = f"date >= {first} AND date <= {last}"
        income = -bq_sum(loaded, f"account ~ '^Income:' AND {window}")
        spent = bq_sum(loaded, f"account ~ '^Expenses:' AND {window}")
        assert totals["收入合计"][f"y{year}"] == income
        assert totals["支出合计"][f"y{year}"] == spent
    assert totals["收益"]["total"] == totals["收入合计"]["total"] - totals["支出合计"]["total"]


def test_term_result_is_the_change_in_net_assets(sample) -> None:
    report, loaded = sample
    profit = next(t["total"] for t in report.tables["term"].totals if t["kind"] == "收益")

    def net_assets(upto: date) -> int:
        return bq_sum(loaded, f"account ~ '^(Assets|Liabilities):' AND date <= {upto}")

    start = report.term.first_day - timedelta(days=1)
    assert profit == net_assets(CUTOFF) - net_assets(start)
    net = {r["item"]: r for r in rows(report, "net_assets")}
    assert net["净资产（所有者权益合计）"]["change"] == profit


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=412),  # 2024-02-01 to the day before the handover
            st.sampled_from(("income", "expense", "advance", "accrual")),
            st.integers(min_value=1, max_value=9_999_99),  # 分
        ),
        min_size=1,
        max_size=12,
    )
)
def test_result_equals_change_in_net_assets_for_any_books(entries) -> None:
    """Whatever the vouchers, income − spending over the term is the change in net assets."""
    body = [
        f'2025-03-20 custom "离任" "{OUT}" "主任"\n2025-03-20 custom "任职" "{IN}" "主任"\n',
        "2024-01-01 open Liabilities:211-应付款:21101-某公司 CNY\n",
    ]
    legs = {
        "income": ("Assets:102-银行存款:10201-农商行", "Income:504-其他收入:50402-其他"),
        "expense": ("Expenses:513-管理费用:51302-办公费", "Assets:102-银行存款:10201-农商行"),
        "advance": ("Assets:112-应收款", "Assets:102-银行存款:10201-农商行"),
        "accrual": ("Expenses:511-经营支出", "Liabilities:211-应付款:21101-某公司"),
    }
    for offset, kind, amount in entries:
        day = date(2024, 2, 1) + timedelta(days=offset)
        debit, credit = legs[kind]
        value = f"{amount // 100}.{amount % 100:02d}"
        body.append(f'{day} * "对方" "{kind}"\n  {debit}  {value} CNY\n  {credit}  -{value} CNY\n')
    with tempfile.TemporaryDirectory() as folder:
        main = make_village(Path(folder), "\n".join(body))
        loaded = load_ledger(main)
        model = build_model(loaded.entries, loaded.options)
        report = build_handover(model, resolve_parties(model, DAY, OUT, IN, WATCH), findings=[])
    profit = next(t["total"] for t in report.tables["term"].totals if t["kind"] == "收益")
    net = {r["item"]: r for r in report.tables["net_assets"].records()}
    assert net["净资产（所有者权益合计）"]["change"] == profit
    expected = sum(a if k == "income" else -a for _, k, a in entries if k in ("income", "expense"))
    expected -= sum(a for _, k, a in entries if k == "accrual")
    assert profit == expected
    money = {r["item"]: r["book"] for r in report.tables["inventory"].records()}
    assert money["农商行"] == 500000_00 + sum(
        a if k == "income" else -a for _, k, a in entries if k in ("income", "expense", "advance")
    )


def test_entertainment_and_cadre_pay_against_their_limits(sample) -> None:
    report, _ = sample
    years = {r["year"]: r for r in rows(report, "limits")}
    assert years["2024年"]["entertainment"] == 48000
    assert years["2024年"]["entertainment_cap"] == 300000
    assert years["2025年"]["cadre"] == 960000
    assert years["2025年"]["cadre_approved"] == 4000000
    assert years["2025年"]["resolutions"] == "2025-01-村代会-1"


# --- 3. findings and open items ---------------------------------------------------------


def test_findings_of_the_term_grouped_by_family_with_amounts(sample) -> None:
    report, _ = sample
    listing = rows(report, "findings")
    assert listing, "the planted problems are found"
    assert all(report.term.contains(r["date"]) for r in listing)
    assert {"VL101", "VL105"} <= {r["rule"] for r in listing}
    summary = report.tables["families"]
    total = summary.totals[0]
    assert total["count"] == len(listing)
    assert total["amount"] == sum(r["amount"] or 0 for r in listing)
    for record, index in zip(summary.records(), range(len(summary.rows)), strict=True):
        if summary.role(index) == "total":
            family = record["family"].removesuffix(" 小计")
            mine = [r for r in listing if r["family"] == family]
            assert record["count"] == len(mine)
            assert record["amount"] == sum(r["amount"] or 0 for r in mine)


def test_open_items_the_new_committee_inherits(sample) -> None:
    report, _ = sample
    (advance,) = rows(report, "advances")
    assert advance["party"] == "郑国庆"
    assert advance["amount"] == 300000
    assert advance["since"] == date(2024, 4, 2)
    assert advance["age"] == (CUTOFF - date(2024, 4, 2)).days
    assert advance["overdue"] == "是"
    resolutions = {r["id"]: r for r in rows(report, "resolutions")}
    assert resolutions["2024-09-联席-1"]["over"] == "超支"
    assert resolutions["2024-09-联席-1"]["left"] == -50000
    assert resolutions["2024-05-村代会-1"]["over"] == "未用完"
    assert resolutions["2024-05-村代会-1"]["left"] == 9000000
    (fund,) = rows(report, "funds")
    assert (fund["project"], fund["left"]) == ("村道硬化", 9000000)
    unsealed = [r["quarter"] for r in rows(report, "unsealed")]
    assert unsealed[0] == "2024年第一季度"
    assert unsealed[-1] == "2025年第一季度"
    assert rows(report, "unsealed")[-1]["status"] == "交接时尚未结束"


def test_debts_are_listed_oldest_first(sample) -> None:
    report, _ = sample
    debts = rows(report, "debts")
    assert [d["party"] for d in debts] == ["郑国庆", "宏达建筑公司", "宏达农机合作社"]
    assert [d["since"] for d in debts] == sorted(d["since"] for d in debts)
    assert all(d["age"] == (CUTOFF - d["since"]).days for d in debts)


def test_checklist_has_blank_lines_to_fill(sample) -> None:
    report, _ = sample
    checklist = rows(report, "checklist")
    assert any(r["item"] == "财务专用章" for r in checklist)
    assert sum(1 for r in checklist if not r["item"]) >= 3
    vouchers = next(r for r in checklist if r["item"] == "记账凭证及原始凭证")
    assert vouchers["detail"] == "2024-02-001 至 2025-02-001，共 12 张"


# --- verified figures -------------------------------------------------------------------


@pytest.fixture(scope="module")
def counted(village: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The same books with the handover-day count: cash as booked, the bank 100.00 short."""
    _, loaded = handover_of(village)
    cash = bq_sum(loaded, f"account ~ '^Assets:101' AND date < {DAY}")
    bank = bq_sum(loaded, f"account ~ '^Assets:102-银行存款:10201' AND date < {DAY}")
    counts = {"cash": cash, "bank": bank - 10000}
    extra = (
        f"\n{DAY} balance Assets:101-库存现金 {Decimal(cash) / 100} CNY\n"
        f"{DAY} balance Assets:102-银行存款:10201-农商行 {Decimal(bank - 10000) / 100} CNY\n"
        # a count dated the day after is not the handover count: it is not read
        f"{DAY + timedelta(days=1)} balance Assets:102-银行存款:10202-邮储银行 1.00 CNY\n"
    )
    main = make_village(tmp_path_factory.mktemp("c"), LEDGER + extra)
    return main, counts


def test_a_failed_balance_assertion_on_the_day_shows_the_difference(counted) -> None:
    main, counts = counted
    report, loaded = handover_of(main)
    assert any("Balance failed" in str(e.message) for e in loaded.errors)
    items = inventory(report)
    assert items["库存现金"]["verified"] == counts["cash"]
    assert items["库存现金"]["difference"] == 0
    assert items["库存现金"]["check"] == "相符"
    assert items["农商行"]["verified"] == counts["bank"]
    assert items["农商行"]["difference"] == -10000
    assert items["农商行"]["check"] == "不符"
    assert items["邮储银行"]["verified"] is None
    assert report.differences == 1


def test_the_command_writes_the_difference_and_exits_1(counted, tmp_path: Path) -> None:
    main, _ = counted
    result = CliRunner().invoke(cli, ["handover", str(main), *ARGS, "--format", "json"])
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    table = next(t for t in document["tables"] if t["key"] == "inventory")
    bank = next(r for r in table["rows"] if r["item"] == "农商行")
    assert (bank["difference"], bank["check"]) == ("-100.00", "不符")
    assert "不符" in result.stderr


# --- formats ----------------------------------------------------------------------------

ARGS = ["--date", str(DAY), "--outgoing", OUT, "--incoming", IN, "--supervisor", WATCH]


@pytest.mark.parametrize("fmt", ["html", "pdf", "xlsx", "json"])
def test_every_format_is_written(village: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"handover.{fmt}"
    result = CliRunner().invoke(cli, ["handover", str(village), *ARGS, "--format", fmt, "-o", out])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(data))
        assert book.sheetnames[0] == "交接概况"
        assert {"账面余额与核实数", "任期收支", "债权债务明细"} <= set(book.sheetnames)
    elif fmt == "json":
        assert json.loads(data)["parties"] == {"outgoing": OUT, "incoming": IN, "supervisor": WATCH}
    else:
        assert "三、任期审计发现" in data.decode("utf-8")


def test_json_goes_to_stdout_and_html_needs_a_file(village: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["handover", str(village), *ARGS, "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["date"] == str(DAY)
    result = runner.invoke(cli, ["handover", str(village), *ARGS, "--format", "html"])
    assert result.exit_code == 2
    assert "须用 -o 指定输出文件" in result.output


def test_pdf_holds_the_key_figures(sample) -> None:
    report, _ = sample
    text = pdf_text(render(report, "pdf"))
    items = inventory(report)
    term = {t["kind"]: t for t in report.tables["term"].totals}
    for figure in (
        yuan_display(items["银行存款合计"]["book"]),
        yuan_display(items["库存现金"]["book"]),
        yuan_display(term["收入合计"]["total"]),
        yuan_display(term["支出合计"]["total"]),
        report.capitals["货币资金"],
        report.capitals["资产总计"],
        OUT,
        IN,
        WATCH,
    ):
        assert figure in text, figure


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--outgoing", "张无忌"], "不在本村任职名单"),
        (["--outgoing", "王建国"], "没有在交接日 2025-03-20 前后 10 天内离任的职务"),
        (["--incoming", "郑国庆"], "没有在交接日 2025-03-20 前后 10 天内就任的职务"),
        (["--incoming", OUT], "不能是同一人"),
        (["--supervisor", "赵德明"], "监交人应由乡镇派出"),
        (["--supervisor", " "], "监交人的姓名不能为空"),
        (["--supervisor", COUSIN], "近亲属（表兄弟），应当回避"),
        (["--date", "2023-06-30"], "不晚于账簿的第一笔记录"),
        (["--date", "2025-02-30"], "不是日期"),
        (["--date", "2025-06-30"], "前后 10 天内离任的职务"),
    ],
)
def test_bad_names_roles_and_dates_exit_2_in_chinese(village: Path, args, message: str) -> None:
    given_args = dict(zip(ARGS[::2], ARGS[1::2], strict=True))
    given_args.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = [x for pair in given_args.items() for x in pair]
    result = CliRunner().invoke(cli, ["handover", str(village), *argv, "--format", "json"])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_resolve_parties_names_the_role_change_nearby(village: Path) -> None:
    loaded = load_ledger(village)
    model = build_model(loaded.entries, loaded.options)
    with pytest.raises(HandoverError, match=f"离任的有：{OUT}（主任）"):
        resolve_parties(model, DAY, "张无忌", IN, WATCH)


# --- masking ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "pdf", "xlsx", "json"])
def test_an_identity_number_never_reaches_an_output(sample, fmt: str) -> None:
    report, _ = sample
    messages = " ".join(r["message"] for r in rows(report, "findings"))
    assert IDENTITY in messages  # the model holds it; only the public copy may not
    data = render(report, fmt)
    if fmt == "pdf":
        text = pdf_text(data)
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(data))
        text = " ".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    else:
        text = data.decode("utf-8")
    assert IDENTITY not in text
    if fmt != "pdf":
        assert mask_numbers(IDENTITY) in text


# --- the sample township ----------------------------------------------------------------

SAMPLE_HANDOVERS = [("huangmei", "陈国华", "黄志远"), ("taibai", "孙建平", "钱海涛")]


@pytest.mark.parametrize(("village_name", "outgoing", "incoming"), SAMPLE_HANDOVERS)
def test_the_sample_villages_hand_over_at_the_election(village_name, outgoing, incoming) -> None:
    main = REPO / "ledgers" / village_name / "main.beancount"
    model, findings, loaded = audited(main)
    parties = resolve_parties(model, date(2026, 3, 20), outgoing, incoming, "乡农经站刘振华")
    report = build_handover(model, parties, findings=findings)
    assert parties.roles == ("主任",)
    assert report.term.last_day == date(2026, 3, 19)
    before = "date < 2026-03-20"
    items = inventory(report)
    assert items["库存现金"]["book"] == bq_sum(loaded, f"account ~ '^Assets:101' AND {before}")
    money = sum(r["book"] for r in rows(report, "inventory") if r["section"] == "银行存款")
    bank = bq_sum(loaded, f"account ~ '^Assets:102' AND {before}")
    assert money in (bank, 2 * bank)  # lines, plus the subtotal where there are several banks
