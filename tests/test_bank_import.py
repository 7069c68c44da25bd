"""import-bank: the sample statements of 黄梅村 (tests/data/bank) against a copy of its books.

- `huangmei-2026-09-clean.csv`: GBK, rows above the table, 借方/贷方 columns with thousands
  separators, a 合计 row: every line has its voucher (one of them a day later at the bank);
- `huangmei-2026-09-outstanding.xlsx`: Excel, newest line first; the 4,800.00 paid on 09-21 not
  yet through the bank, a 1,500.00 transfer and a 12.00 fee the books do not have;
- `huangmei-2026-09-unbalanced.csv`: UTF-8 with BOM; the bank had 500.00 less before September
  than the books (something never booked): the 调节表 cannot balance (VL207).

Book balances are checked against beanquery.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reporting import bq_sum
from tests.support import REPO, check, make_village
from village_ledger.bank.formats import load_formats
from village_ledger.bank.importer import BankStatementImporter
from village_ledger.bank.statement import StatementError, read_statement
from village_ledger.cli.main import main
from village_ledger.loading import load_ledger
from village_ledger.model import build_model
from village_ledger.reports.reconciliation import BankReconciliation

DATA = REPO / "tests" / "data" / "bank"
BANK = "Assets:102-银行存款:10201-农商行"
CLEAN = DATA / "huangmei-2026-09-clean.csv"
OUTSTANDING = DATA / "huangmei-2026-09-outstanding.xlsx"
UNBALANCED = DATA / "huangmei-2026-09-unbalanced.csv"
D = Decimal


@pytest.fixture
def huangmei(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2026-10-31")
    for name in ("township", "huangmei"):
        shutil.copytree(REPO / "ledgers" / name, tmp_path / name)
    return tmp_path / "huangmei"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def model_of(village: Path):  # type: ignore[no-untyped-def]
    loaded = load_ledger(str(village / "main.beancount"))
    return loaded, build_model(loaded.entries, loaded.options)


def imported(village: Path, statement: Path):  # type: ignore[no-untyped-def]
    _, model = model_of(village)
    return BankStatementImporter(BANK, model).run(statement)


def year_file(village: Path) -> bytes:
    return (village / "2026.beancount").read_bytes()


# ---- the three sample months -----------------------------------------------------------


def test_a_clean_month_reconciles_with_nothing_outstanding(huangmei: Path) -> None:
    result = imported(huangmei, CLEAN)
    rec = result.reconciliation
    assert len(result.matching.pairs) == 12 and rec.items == ()
    assert rec.agrees and rec.statement == D("697648.99")
    loaded, _ = model_of(huangmei)
    assert bq_sum(loaded, f"account = '{BANK}' AND date <= 2026-09-25") == int(rec.book * 100)
    code, out, _ = run("import-bank", huangmei, CLEAN, "--account", "10201")
    assert code == 0 and "调节后余额相符" in out and "已勾对 12 笔" in out
    # two bank accounts: a 农商行 statement is the one named 农商行's
    assert run("import-bank", huangmei, CLEAN)[1] == out


@pytest.mark.near_miss("VL207")
def test_outstanding_items_on_both_sides_reconcile_and_are_written_once(huangmei: Path) -> None:
    rec = imported(huangmei, OUTSTANDING).reconciliation
    assert (rec.bank_received, rec.bank_paid) == (D("1500.00"), D("12.00"))
    assert (rec.book_received, rec.book_paid) == (D(0), D("4800.00"))
    assert rec.adjusted_book == rec.adjusted_bank == D("699136.99")

    code, _, err = run("import-bank", huangmei, OUTSTANDING, "--account", "10201", "--write")
    assert code == 0, err
    written = year_file(huangmei)
    text = written.decode("utf-8")
    assert text.count(' ! "') == 2 and "bank-statement: 703936.99 CNY" in text
    assert 'outstanding: "2026-09-015"' in text

    # the books now say what the import said: the same 调节表, read from the assertion
    loaded, model = model_of(huangmei)
    assert loaded.errors == []
    [recorded] = [r for r in model.figures.reconciliations.statements if r.day == date(2026, 9, 30)]
    assert (recorded.book, recorded.statement, recorded.adjusted_book) == (
        rec.book,
        rec.statement,
        rec.adjusted_book,
    )
    assert recorded.agrees
    assert bq_sum(loaded, f"account = '{BANK}' AND date <= 2026-09-30 AND flag != '!'") == int(
        rec.book * 100
    )
    assert [f.rule for f in check(huangmei / "main.beancount", select=["VL207"])] == []

    # twice: nothing added, the same table
    code, out, err = run("import-bank", huangmei, OUTSTANDING, "--account", "10201", "--write")
    assert code == 0, err
    assert year_file(huangmei) == written
    assert "无需写入" in err and "调节后余额相符" in out
    again = imported(huangmei, OUTSTANDING)
    assert again.new == [] and again.reconciliation.adjusted_book == rec.adjusted_book


@pytest.mark.fires("VL207")
def test_a_month_that_does_not_reconcile_is_vl207(huangmei: Path) -> None:
    code, out, err = run("import-bank", huangmei, UNBALANCED, "--account", BANK, "--write")
    assert code == 1, err
    assert "不符，相差 500.00 元" in out
    [finding] = check(huangmei / "main.beancount", select=["VL207"])
    assert "相差 500.00 元" in finding.message


# ---- reading statements ----------------------------------------------------------------

HEAD = "交易日期,摘要,借方发生额,贷方发生额,余额,对方户名,流水号\n"


def statement_file(tmp_path: Path, body: str, name: str = "农商行对账单.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


BAD_ROWS = [
    ("2026-13-01,利息,,1.00,101.00,,1\n", "第 2 行", "不是日期"),
    ("2026-09-01,利息,,1.0x,101.00,,1\n", "第 2 行", "不是金额"),
    ("2026-09-01,冲正,1.00,1.00,100.00,,1\n", "第 2 行", "同时有金额"),
    ("2026-09-01,利息,,1.00,101.00,,1\n2026-09-02,费,2.00,,98.00,,2\n", "第 3 行", "余额"),
    ("2026-09-01,利息,,1.00,,,1\n", "第 2 行", "不是金额"),
]


@pytest.mark.parametrize(("body", "row", "why"), BAD_ROWS)
def test_a_row_that_cannot_be_read_is_named_in_chinese(
    huangmei: Path, tmp_path: Path, body: str, row: str, why: str
) -> None:
    code, _, err = run(
        "import-bank", huangmei, statement_file(tmp_path, body), "--account", "10201"
    )
    assert code == 2 and row in err and why in err and "Traceback" not in err


def test_files_that_are_no_statement_are_refused(huangmei: Path, tmp_path: Path) -> None:
    old = tmp_path / "对账单.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    headless = tmp_path / "x.csv"
    headless.write_text("日期,金额\n2026-09-01,1\n", encoding="utf-8")
    latin = tmp_path / "y.csv"
    latin.write_bytes(HEAD.encode("utf-8") + b"\xff\xfe\xfa,\x81\n")
    for path, why in ((old, "另存为 .xlsx"), (headless, "找不到表头"), (latin, "编码")):
        code, _, err = run("import-bank", huangmei, path, "--account", "10201")
        assert code == 2 and why in err, err
    code, _, err = run("import-bank", huangmei, CLEAN, "--account", "99999")
    assert code == 2 and "10201" in err


def test_a_township_adds_its_bank_in_banks_toml(huangmei: Path, tmp_path: Path) -> None:
    (huangmei.parent / "township" / "banks.toml").write_text(
        """
[[bank]]
name = "邮储银行"
match = ["邮储"]
date = "记账日期"
amount = "交易金额"
balance = "账户余额"
summary = "用途"
""",
        encoding="utf-8",
    )
    path = tmp_path / "邮储对账单.csv"
    path.write_text(
        '记账日期,用途,交易金额,账户余额\n2026/09/21,结息,"1,002.50","15,702.50"\n',
        encoding="gbk",
    )
    _, model = model_of(huangmei)
    statement = read_statement(path, load_formats(model.township_dir))
    assert statement.bank.name == "邮储银行" and statement.closing == D("15702.50")
    assert statement.lines[0].amount == D("1002.50")
    account = "Assets:102-银行存款:10202-邮储银行"
    result = BankStatementImporter(account, model).run(path)
    assert [line.amount for line in result.matching.lines] == [D("1002.50")]
    assert "Income:504-其他收入:50401-利息收入" in str(result.new[0])
    bad = huangmei.parent / "township" / "banks.toml"
    bad.write_text('[[bank]]\nname = "x"\n', encoding="utf-8")
    code, _, err = run("import-bank", huangmei, path)
    assert code == 2 and "banks.toml" in err and "date" in err


def test_newest_first_and_reference_keys(huangmei: Path) -> None:
    _, model = model_of(huangmei)
    statement = read_statement(OUTSTANDING, load_formats(model.township_dir))
    days = [line.day for line in statement.lines]
    assert days == sorted(days)
    assert statement.opening == D("715633.31")
    with pytest.raises(StatementError):
        read_statement(DATA, load_formats(None))


# ---- outputs ---------------------------------------------------------------------------


def test_the_table_is_offered_in_every_registered_format(huangmei: Path, tmp_path: Path) -> None:
    assert set(BankReconciliation.renderers.formats()) == {"html", "pdf", "xlsx", "json"}
    for fmt in ("html", "xlsx", "json", "pdf"):
        out = tmp_path / f"调节表.{fmt}"
        code, _, err = run("import-bank", huangmei, OUTSTANDING, "--account", "10201", "-o", out)
        assert code == 0 and out.stat().st_size > 0, err
    document = json.loads((tmp_path / "调节表.json").read_text(encoding="utf-8"))
    assert document["agrees"] is True
    rows = document["tables"][0]["rows"]
    assert rows[-1]["book"] == rows[-1]["bank"] == "699136.99"
    assert "银行存款余额调节表" in (tmp_path / "调节表.html").read_text(encoding="utf-8")


# ---- invariant: whatever is left out on either side, the adjusted balances agree -----------


def postings(amounts: list[int]) -> str:
    return "".join(
        f"""
2025-03-{day:02d} * "往来单位" "收付款 {i}"
  voucher: "2025-03-{i:03d}"
  receipt: "收款收据"
  {BANK}  {amount / 100:.2f} CNY
  Liabilities:211-应付款
"""
        for i, (day, amount) in enumerate(((1 + i % 27, a) for i, a in enumerate(amounts)), 1)
    )


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amounts=st.lists(st.integers(-50_000, 50_000).filter(bool), min_size=1, max_size=8),
    missing=st.sets(st.integers(0, 7)),
    extra=st.lists(st.integers(-9_999, 9_999).filter(bool), max_size=3),
)
def test_adjusted_balances_agree_whatever_is_outstanding(
    tmp_path_factory: pytest.TempPathFactory,
    amounts: list[int],
    missing: set[int],
    extra: list[int],
) -> None:
    root = tmp_path_factory.mktemp("village")
    main_file = make_village(root, postings(amounts))
    # the first voucher opens the statement: a voucher before its first line would belong to
    # the statement before (and be listed as outstanding there)
    missing = missing - {0}
    on_statement = [(1 + i % 27, a) for i, a in enumerate(amounts) if i not in missing]
    on_statement += [(28, a) for a in extra]
    on_statement.sort()
    balance = 50_000_000
    lines = []
    for n, (day, amount) in enumerate(on_statement, 1):
        balance += amount
        out, into = (f"{-amount / 100:.2f}", "") if amount < 0 else ("", f"{amount / 100:.2f}")
        lines.append(f"2025-03-{day:02d},收付,{out},{into},{balance / 100:.2f},,R{n}\n")
    statement = statement_file(root, "".join(lines))
    loaded = load_ledger(str(main_file))
    model = build_model(loaded.entries, loaded.options)
    rec = BankStatementImporter(BANK, model).run(statement).reconciliation
    assert rec.agrees, rec
    last = on_statement[-1][0]
    left_out = [a for i, a in enumerate(amounts) if i in missing and 1 + i % 27 <= last]
    assert sorted(int(i.amount * 100) for i in rec.book_only) == sorted(left_out)
    assert sorted(int(i.amount * 100) for i in rec.bank_only) == sorted(extra)


# ---- the latest checks in the handover and the 财务公开 --------------------------------


def test_the_handover_and_the_disclosure_show_the_latest_checks(huangmei: Path) -> None:
    from village_ledger.audit import audit
    from village_ledger.model import Quarter
    from village_ledger.reports.disclosure import build_disclosure
    from village_ledger.reports.handover import build_handover, resolve_parties

    code, _, err = run("import-bank", huangmei, OUTSTANDING, "--account", "10201", "--write")
    assert code == 0, err
    village = audit([huangmei / "main.beancount"]).villages[0]
    model = village.model
    assert model is not None
    # the 换届 of 2026-03-20: the cash count and the statement written that day
    parties = resolve_parties(model, date(2026, 3, 20), "陈国华", "黄志远", "刘振华")
    handover = build_handover(model, parties, findings=village.findings)
    shown = list(handover.tables["checks"].records())
    assert [(r["item"], r["day"], r["state"]) for r in shown] == [
        ("库存现金（101）", date(2026, 3, 19), "相符"),
        ("银行存款—农商行（10201）", date(2026, 3, 19), "相符"),
    ]
    assert "李桂芳" in shown[0]["kind"]
    # the third quarter's 财务公开: September's statement, with its three 未达账项
    disclosure = build_disclosure(model, Quarter(2026, 3), findings=village.findings)
    bank = [r for r in disclosure.tables["checks"].records() if "10201" in r["item"]]
    assert [(r["day"], r["verified"], r["adjusted"]) for r in bank] == [
        (date(2026, 9, 30), 70393699, 69913699)
    ]
    assert "未达账项 3 笔" in bank[0]["kind"]


def test_the_importer_speaks_beangulps_protocol(huangmei: Path, tmp_path: Path) -> None:
    from beancount.core import data

    _, model = model_of(huangmei)
    importer = BankStatementImporter(BANK, model)
    assert importer.identify(str(OUTSTANDING)) and importer.identify(str(CLEAN))
    other = tmp_path / "notes.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    assert not importer.identify(str(other)) and not importer.identify(str(DATA))
    assert importer.account(str(CLEAN)) == BANK
    assert importer.date(str(OUTSTANDING)) == date(2026, 9, 30)
    extracted = importer.extract(str(OUTSTANDING), [])
    drafts = [e for e in extracted if isinstance(e, data.Transaction)]
    [balance] = [e for e in extracted if isinstance(e, data.Balance)]
    assert [d.flag for d in drafts] == ["!", "!"]
    assert balance.meta["bank-statement"].number == D("703936.99")
    assert balance.date == date(2026, 10, 1) and balance.amount.number == D("699136.99")
