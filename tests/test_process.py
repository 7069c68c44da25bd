"""过程公开: the chain of each 重点支出 and each payment at the 两委 tier (who handled, reviewed and
approved it, their roles that day; the resolution and what was spent under it).

The roles are held to an independent reading of the roster directives (the sample township's
黄梅村 changes its 主任 at the 2026 换届), the amounts spent under a resolution to beanquery's sum
over the vouchers citing it, and the masking of private names to the published copy.
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

import pytest
from beanquery.query import run_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import REPO, make_village
from village_ledger.loading import LoadedLedger, load_ledger
from village_ledger.model import LedgerModel, Period, Quarter, build_model
from village_ledger.reports.disclosure import build_disclosure
from village_ledger.reports.masking import publish
from village_ledger.reports.spending_tables import process_table
from village_ledger.reports.statements import cents

HUANGMEI = REPO / "ledgers" / "huangmei" / "main.beancount"
QUARTERS_2026 = [Quarter(2026, n) for n in (1, 2, 3)]
ROLE_ORDER = ("书记", "主任", "副主任", "委员", "监委会主任", "监委会委员", "理财小组", "会计", "出纳", "报账员")  # fmt: skip
TERM = re.compile(r'^(\d{4}-\d\d-\d\d) custom "(任职|离任)" "([^"]+)" "([^"]+)"', re.MULTILINE)


def roster_terms(main: Path) -> dict[str, list[tuple[str, date, date]]]:
    """Each person's terms (role, first day, first day no longer held) read from the text of
    the roster directives, without the model."""
    started: dict[tuple[str, str], date] = {}
    terms: dict[str, list[tuple[str, date, date]]] = defaultdict(list)
    for day, kind, person, role in sorted(
        TERM.findall(main.read_text(encoding="utf-8")), key=lambda t: t[0]
    ):
        if kind == "任职":
            started[(person, role)] = date.fromisoformat(day)
        else:
            begun = started.pop((person, role))
            terms[person].append((role, begun, date.fromisoformat(day)))
    for (person, role), begun in started.items():
        terms[person].append((role, begun, date.max))
    return terms


def expected_signer(terms: dict[str, list[tuple[str, date, date]]], name: str, day: date) -> str:
    if not name:
        return "未签"
    held = [role for role, first, end in terms.get(name, []) if first <= day < end]
    held.sort(key=ROLE_ORDER.index)
    return f"{name}（{'、'.join(held) or '无职务'}）"


def sample() -> tuple[LoadedLedger, LedgerModel]:
    loaded = load_ledger(HUANGMEI)
    return loaded, build_model(loaded.entries, loaded.options)


def test_roles_are_those_held_on_the_vouchers_day() -> None:
    _, model = sample()
    terms = roster_terms(HUANGMEI)
    vouchers = {str(t.meta.get("voucher")): t for t in model.vouchers}
    seen = set()
    for quarter in QUARTERS_2026:
        for record in process_table(model, Period.quarter(quarter)).records():
            entry = vouchers[record["voucher"]]
            for key in ("handler", "reviewer", "approver"):
                name = str(entry.meta.get(key) or "").strip()
                assert record[key] == expected_signer(terms, name, entry.date), record
                seen.add(record[key])
    # 黄志远 was 副主任 until the 换届 on 2026-03-20 and 主任 from that day
    assert {"黄志远（副主任）", "黄志远（主任）"} <= seen
    assert "方丽娟（委员、出纳、报账员）" in seen  # several roles, all shown


def bq_payments(loaded, meeting: str) -> list[tuple[date, str, int]]:
    """Each voucher citing `meeting` that pays money out, with what it paid (分), by beanquery."""
    _, rows = run_query(
        loaded.entries,
        loaded.options,
        "SELECT date, entry_meta('voucher') AS voucher, sum(number) AS paid "
        "WHERE currency = 'CNY' AND account ~ '^Assets:10[12]' "
        f"AND entry_meta('meeting') = '{meeting}' GROUP BY date, voucher ORDER BY date, voucher",
    )
    return [(day, voucher, -cents(paid)) for day, voucher, paid in rows if paid < 0]


def test_spent_under_a_resolution_is_beanquerys_sum_of_its_vouchers() -> None:
    loaded, model = sample()
    checked = 0
    for quarter in QUARTERS_2026:
        period = Period.quarter(quarter)
        for record in process_table(model, period).records():
            ident = re.search(r"（([^（）]+)）$", record["resolution"])
            if ident is None:
                assert record["resolution"] == "无决议"
                assert record["through"] is record["spent"] is record["approved"] is None
                continue
            payments = bq_payments(loaded, ident.group(1))
            upto = [p for p in payments if (p[0], p[1]) <= (record["date"], record["voucher"])]
            assert record["through"] == sum(p[2] for p in upto), record
            assert record["spent"] == sum(p[2] for p in payments if p[0] <= period.last)
            checked += 1
    assert checked >= 10


def test_the_resolution_is_named_with_its_body_date_subject_and_amount() -> None:
    _, model = sample()
    records = list(process_table(model, Period.quarter(Quarter(2026, 3))).records())
    [ditch] = [r for r in records if r["voucher"] == "2026-08-013"]
    assert ditch["resolution"] == "两委联席会议 2026-08-03：村组水渠清淤（2026-08-联席-1）"
    assert (ditch["approved"], ditch["through"], ditch["spent"]) == (358000, 358000, 358000)
    pay = [r for r in records if "村干部基本报酬" in r["narration"]]
    assert [r["through"] for r in pay] == [7680000, 8640000, 9600000]
    assert {r["spent"] for r in pay} == {10080000}  # through the quarter's last voucher


# --- small villages: what is listed, 无决议, 无职务, an unknown resolution ---------------------

TRAVEL = """
2025-03-12 * "吴志强" "报销赴县城办事差旅费"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25320000000012340001"
  Expenses:513-管理费用:51304-差旅费  120.00 CNY
  Assets:101-库存现金  -120.00 CNY
"""


def tier_payment(amount: str, number: str, meeting: str | None = None) -> str:
    cited = f'  meeting: "{meeting}"\n' if meeting else ""
    return f"""
2025-03-20 * "城关建筑队" "村部围墙修补"
  voucher: "2025-03-{number}"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "王建国"
{cited}  invoice: "2532000000001234{number}0"
  Expenses:514-公益支出:51402-公共设施维护  {amount} CNY
  Assets:102-银行存款:10201-农商行
"""


FIRST = Quarter(2025, 1)


def records_of(main: Path, quarter: Quarter = FIRST) -> list[dict]:
    loaded = load_ledger(main)
    model = build_model(loaded.entries, loaded.options)
    return list(process_table(model, Period.quarter(quarter)).records())


@pytest.mark.parametrize(("amount", "listed"), [("2000.00", True), ("1999.99", False)])
def test_a_payment_is_listed_from_the_two_committees_tier(
    tmp_path: Path, amount: str, listed: bool
) -> None:
    """At 两委联席会议限额 (2,000.00) a payment of any kind is listed; a cent below it is not."""
    main = make_village(tmp_path, tier_payment(amount, "002"))
    records = records_of(main)
    assert [r["voucher"] for r in records] == (["2025-03-002"] if listed else [])
    if listed:
        assert records[0]["resolution"] == "无决议"
        assert records[0]["approved"] is None and records[0]["through"] is None


def test_a_payment_with_no_resolution_shows_none_and_no_role_shows_no_office(
    tmp_path: Path,
) -> None:
    body = TRAVEL.replace('handler: "吴志强"', 'handler: "张大海"').replace(
        '  reviewer: "赵德明"\n', ""
    )
    main = make_village(tmp_path, body)
    [record] = records_of(main)
    assert record["handler"] == "张大海（无职务）"  # in no office that day: shown, not hidden
    assert record["reviewer"] == "未签"
    assert record["approver"] == "李红梅（主任）"
    assert record["resolution"] == "无决议"
    assert record["amount"] == 12000


def test_a_resolution_the_books_do_not_hold_is_said_so(tmp_path: Path) -> None:
    main = make_village(tmp_path, tier_payment("2500.00", "002", meeting="2025-03-两委-9"))
    [record] = records_of(main)
    assert record["resolution"] == "所引决议“2025-03-两委-9”在账簿中没有记载"
    assert record["approved"] is None
    assert (record["through"], record["spent"]) == (250000, 250000)


def test_a_role_taken_mid_quarter_is_the_one_of_the_vouchers_day(tmp_path: Path) -> None:
    body = (
        '2025-03-15 custom "离任" "李红梅" "主任"\n'
        '2025-03-15 custom "任职" "李红梅" "副主任"\n'
        '2025-03-15 custom "任职" "郑国庆" "主任"\n'
        + TRAVEL
        + TRAVEL.replace("2025-03-12", "2025-03-16")
        .replace("2025-03-001", "2025-03-002")
        .replace("12340001", "12340002")
    )
    main = make_village(tmp_path, body)
    records = records_of(main)
    assert [r["approver"] for r in records] == ["李红梅（主任）", "李红梅（副主任）"]


def test_resolution_spending_runs_across_quarters(tmp_path: Path) -> None:
    resolution = (
        '2025-02-01 custom "会议决议" "2025-02-两委-1" "两委联席会议" "村部围墙修补" 5000.00 CNY\n'
    )
    second = (
        tier_payment("2100.00", "001", meeting="2025-02-两委-1")
        .replace("2025-03-20", "2025-04-08")
        .replace("2025-03-001", "2025-04-001")
    )
    main = make_village(
        tmp_path, resolution + tier_payment("2400.00", "002", meeting="2025-02-两委-1") + second
    )
    [first] = records_of(main)
    assert (first["approved"], first["through"], first["spent"]) == (500000, 240000, 240000)
    [later] = records_of(main, Quarter(2025, 2))
    assert (later["through"], later["spent"]) == (450000, 450000)


# --- masking ------------------------------------------------------------------------------

RELIEF = """
2025-03-05 * "张秀兰" "发放张秀兰临时救助金"
  voucher: "2025-03-003"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  receipt: "内部凭证"
  Expenses:514-公益支出:51401-救助  500.00 CNY
  Assets:102-银行存款:10201-农商行
"""


def test_a_private_persons_name_is_masked_in_the_chain(tmp_path: Path) -> None:
    """A relief recipient who handled a reception for the village: her name is hidden in the
    chain as everywhere on the public sheet; the cadres who reviewed and approved it are not."""
    reception = TRAVEL.replace('handler: "吴志强"', 'handler: "张秀兰"')
    main = make_village(tmp_path, RELIEF + reception)
    loaded = load_ledger(main)
    model = build_model(loaded.entries, loaded.options)
    report = build_disclosure(model, Quarter(2025, 1), findings=[])
    assert [r["handler"] for r in report.tables["process"].records()] == ["张秀兰（无职务）"]
    public = publish(report).report
    [record] = public.tables["process"].records()
    assert record["handler"] == "张**（无职务）"
    assert (record["reviewer"], record["approver"]) == ("赵德明（监委会主任）", "李红梅（主任）")
    assert "秀兰" not in str(list(public.tables["process"].records()))


def test_the_chain_is_in_every_format_of_the_disclosure(tmp_path: Path) -> None:
    import io
    import json

    from openpyxl import load_workbook

    from village_ledger.reports.render import render

    main = make_village(tmp_path, TRAVEL)
    loaded = load_ledger(main)
    model = build_model(loaded.entries, loaded.options)
    report = build_disclosure(model, Quarter(2025, 1), findings=[])
    document = json.loads(render(report, "json"))
    [table] = [t for t in document["tables"] if t["key"] == "process"]
    assert table["rows"][0]["approver"] == "李红梅（主任）"
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    [sheet] = [s for s in book.worksheets if s.title.startswith("过程公开")]
    assert "李红梅（主任）" in [c.value for row in sheet.iter_rows() for c in row]
    html = render(report, "html").decode("utf-8")
    assert "过程公开（经手、审核、审批与决议）" in html and "李红梅（主任）" in html
    csv = render(report, "csv").decode("utf-8")
    assert "李红梅（主任）" in csv and "无决议" in csv


def test_amounts_of_the_chain_are_the_vouchers(tmp_path: Path) -> None:
    main = make_village(tmp_path, TRAVEL + tier_payment("3000.00", "002"))
    assert [r["amount"] for r in records_of(main)] == [12000, 300000]


def test_officers_stay_named_in_the_published_chain() -> None:
    """黄梅村's 监委会主任 朱永福 shares his given name with the tenant 程永福, whose name is
    hidden: the chain still names the officer, and the tenant appears nowhere."""
    _, model = sample()
    report = build_disclosure(model, Quarter(2025, 3), findings=[])
    public = publish(report).report
    reviewers = {r["reviewer"] for r in public.tables["process"].records()}
    assert "朱永福（监委会主任）" in reviewers
    text = str([list(t.records()) for t in public.tables.values()])
    assert "程永福" not in text and "永福交" not in text


# a few examples: each builds and loads a village
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 140), st.integers(1, 400_000)), min_size=1, max_size=6))
def test_spending_under_a_resolution_adds_up_voucher_by_voucher(payments) -> None:
    """However a resolution's payments fall over two quarters, each chain's 至本笔累计 is the
    payments citing it so far, and 截至季末累计 the quarter's last of them."""
    start = date(2025, 2, 1)
    body = '2025-01-20 custom "会议决议" "2025-01-两委-1" "两委联席会议" "村道维修" 100000.00 CNY\n'
    dated = sorted((start + timedelta(days=offset), cents) for offset, cents in payments)
    numbers: dict[str, int] = defaultdict(int)
    for day, amount in dated:
        month = f"{day:%Y-%m}"
        numbers[month] += 1
        body += (
            tier_payment(
                f"{amount // 100}.{amount % 100:02d}", f"{numbers[month]:03d}", "2025-01-两委-1"
            )
            .replace("2025-03-20", day.isoformat())
            .replace(f"2025-03-{numbers[month]:03d}", f"{month}-{numbers[month]:03d}")
        )
    with tempfile.TemporaryDirectory() as folder:
        main = make_village(Path(folder), body)
        shown = [*records_of(main, Quarter(2025, 1)), *records_of(main, Quarter(2025, 2))]
    assert len(shown) == len(dated)
    assert [r["through"] for r in shown] == list(accumulate(a for _, a in dated))
    for quarter in (Quarter(2025, 1), Quarter(2025, 2)):
        mine = [r for r in shown if quarter.contains(r["date"])]
        for record in mine:
            assert record["spent"] == mine[-1]["through"]
            assert record["approved"] == 10_000_000
