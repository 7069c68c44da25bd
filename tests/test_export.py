"""`village-ledger export` to Parquet and `village-ledger sql` over it (DuckDB)."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from beanquery.query import run_query
from click.testing import CliRunner

from tests.support import REPO
from village_ledger.audit import audit
from village_ledger.cache import ResultCache
from village_ledger.cli.main import main as cli
from village_ledger.export import TABLES, export
from village_ledger.loading import load_ledger
from village_ledger.queries import NAMED
from village_ledger.sealing import today

TODAY = {"VILLAGE_LEDGER_TODAY": "2026-11-30"}


@pytest.fixture
def township(tmp_path: Path) -> Path:
    ledgers = tmp_path / "ledgers"
    shutil.copytree(REPO / "ledgers", ledgers)
    return ledgers


def read(out: Path, sql: str) -> list[tuple[object, ...]]:
    db = duckdb.connect()
    for table in TABLES:
        db.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet("
            f"'{out}/{table}/*/*/*/*.parquet', hive_partitioning = true)"
        )
    return db.execute(sql).fetchall()


def run_export(township: Path, out: Path, cache: Path) -> dict[str, list[str]]:
    done = export([township], out, county="梅川县", cache=ResultCache(cache))
    return {"written": done.written, "kept": done.kept, "findings": done.findings_written}


def test_every_table_of_every_village_partitioned_by_county_township_village(
    township: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2026-11-30")
    out = tmp_path / "out"
    run_export(township, out, tmp_path / "cache")
    for table in TABLES:
        found = sorted(p.relative_to(out / table) for p in (out / table).rglob("*.parquet"))
        assert [str(p) for p in found] == [
            f"county=梅川县/township=九池乡/village={v}/part.parquet"
            for v in ("huangmei", "taibai")
        ]
    columns = [
        r[0]
        for r in duckdb.sql(f"DESCRIBE SELECT * FROM '{out}/postings/*/*/*/*.parquet'").fetchall()
    ]
    partition = ["county", "township", "village"]
    assert columns == [name for name, _, _ in TABLES["postings"]] + partition


def test_the_tables_hold_the_books_as_beanquery_reads_them(
    township: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2026-11-30")
    out = tmp_path / "out"
    run_export(township, out, tmp_path / "cache")
    loaded = load_ledger(township / "huangmei" / "main.beancount")
    # every transaction's postings (the opening vouchers and pad's too)
    _, rows = run_query(
        loaded.entries,
        loaded.options,
        "SELECT account, sum(number) WHERE currency = 'CNY' GROUP BY account",
    )
    expected = {str(a): Decimal(t) for a, t in rows if t}
    exported = read(
        out,
        "SELECT account, sum(amount) FROM postings WHERE village = 'huangmei' GROUP BY account",
    )
    assert {a: t for a, t in exported if t} == expected
    # the quarter's income, the year-end closing left out
    _, rows = run_query(
        loaded.entries,
        loaded.options,
        "SELECT sum(number) WHERE account ~ '^Income' AND date >= 2025-10-01 "
        "AND date <= 2025-12-31 AND entry_meta('closing') IS NULL",
    )
    income = read(
        out, "SELECT income FROM quarters WHERE village = 'huangmei' AND quarter = '2025Q4'"
    )
    assert income == [(-rows[0][0],)]
    # the findings are check's
    findings = audit([township], keep_models=False).findings
    assert read(out, "SELECT count(*) FROM findings")[0][0] == len(findings)


def test_an_unchanged_village_is_not_rewritten(
    township: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2026-11-30")
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert run_export(township, out, cache)["written"] == ["huangmei", "taibai"]
    files = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    assert run_export(township, out, cache) == {
        "written": [],
        "kept": ["huangmei", "taibai"],
        "findings": [],
    }
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")} == files
    # taibai books huangmei's first invoice again: its tables are rewritten, huangmei's not
    invoice = read(
        out,
        "SELECT invoice FROM vouchers WHERE village = 'huangmei' AND invoice IS NOT NULL ORDER BY date LIMIT 1",
    )[0][0]
    year_file = township / "taibai" / "2026.beancount"
    text = year_file.read_text(encoding="utf-8")
    first = text.index('invoice: "')
    end = text.index('"', first + len('invoice: "'))
    text = text[: first + len('invoice: "')] + str(invoice) + text[end:]
    # and books one of its own invoices twice, which is no duplicate across villages
    second = text.index('invoice: "', end) + len('invoice: "')
    own = text[second : text.index('"', second)]
    third = text.index('invoice: "', second) + len('invoice: "')
    text = text[:third] + own + text[text.index('"', third) :]
    year_file.write_text(text, "utf-8")
    assert run_export(township, out, cache) == {
        "written": ["taibai"],
        "kept": ["huangmei"],
        "findings": ["taibai"],
    }
    huangmei = [p for p in files if "village=huangmei" in str(p)]
    assert all(p.stat().st_mtime_ns == files[p] for p in huangmei)
    # half a year on, quarters fall overdue (VL603): the findings change, the books do not
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2027-06-30")
    assert run_export(township, out, cache) == {
        "written": [],
        "kept": ["huangmei", "taibai"],
        "findings": ["huangmei", "taibai"],
    }
    assert read(out, "SELECT count(*) FROM findings WHERE rule = 'VL603'")[0][0] > 0
    duplicates = read(out, NAMED["duplicate-invoices"].sql)
    assert str(invoice) in {row[0] for row in duplicates}
    assert duplicates == duplicate_invoices_in_python(out)


def test_an_invoice_listed_among_several_in_one_village_and_alone_in_another(
    township: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2026-11-30")
    out = tmp_path / "out"
    run_export(township, out, tmp_path / "cache")
    (alone,) = read(
        out,
        "SELECT invoice FROM vouchers WHERE village = 'huangmei' AND invoice IS NOT NULL "
        "ORDER BY date LIMIT 1",
    )[0]
    # taibai's first invoice-bearing voucher lists its own number and huangmei's
    year_file = township / "taibai" / "2026.beancount"
    text = year_file.read_text(encoding="utf-8")
    start = text.index('invoice: "') + len('invoice: "')
    own = text[start : text.index('"', start)]
    text = text[:start] + f"{own}、{alone}" + text[start + len(own) :]
    year_file.write_text(text, "utf-8")
    run_export(township, out, tmp_path / "cache")
    duplicates = read(out, NAMED["duplicate-invoices"].sql)
    assert [row[:2] for row in duplicates if row[0] == alone] == [(alone, 2)]
    assert duplicates == duplicate_invoices_in_python(out)
    listed = read(out, "SELECT invoice FROM invoices WHERE village = 'taibai' ORDER BY line")
    assert [own, alone] == [row[0] for row in listed[:2]]
    # the rule reads the list as the export does
    findings = read(out, "SELECT message FROM findings WHERE rule = 'VL303'")
    assert any(f"发票 {alone}" in message for (message,) in findings)


# an invoice number as the guide describes it, and the separators of a list of several
INVOICE_FORM = re.compile(r"[0-9]{20}|(?:[0-9]{10}|[0-9]{12})-[0-9]{8}")
SEPARATORS = re.compile(r"[,，、;；\s]+")


def duplicate_invoices_in_python(out: Path) -> list[tuple[str, int, str]]:
    """The shipped query's answer computed from the vouchers' `invoice` text as written: an
    invoice booked in two or more villages, with the village count and its vouchers in order."""
    rows = read(out, "SELECT invoice, county, township, village, voucher FROM vouchers")
    where: dict[str, list[tuple[str, str, str, str]]] = {}
    for written, county, township, village, voucher in rows:
        numbers = [n for n in SEPARATORS.split(str(written or "")) if n]
        if not all(INVOICE_FORM.fullmatch(n) for n in numbers):
            continue
        for invoice in numbers:
            where.setdefault(invoice, []).append((county, township, village, voucher))
    answer = []
    for invoice in sorted(where):
        booked = sorted(where[invoice])
        villages = {place[:3] for place in booked}
        if len(villages) > 1:
            listed = "、".join(f"{c}{t}{v} {voucher}" for c, t, v, voucher in booked)
            answer.append((invoice, len(villages), listed))
    return answer


def test_sql_runs_the_shipped_queries_and_refuses_bad_ones(township: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    env = {**TODAY, "VILLAGE_LEDGER_CACHE_DIR": str(tmp_path / "cache")}
    done = runner.invoke(cli, ["export", str(township), "-o", str(out)], env=env)
    assert done.exit_code == 0, done.output
    assert "已导出 2 个村" in done.stderr
    listed = runner.invoke(cli, ["sql", str(out), "--list"], env=env)
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == list(NAMED)
    for name in NAMED:
        result = runner.invoke(cli, ["sql", str(out), name, "--format", "json"], env=env)
        assert result.exit_code == 0, result.output
        json.loads(result.stdout)
    duplicates = json.loads(
        runner.invoke(
            cli, ["sql", str(out), "duplicate-invoices", "--format", "json"], env=env
        ).stdout
    )
    vl303 = {
        f.subject
        for f in audit([township], as_of=today(), keep_models=False).findings
        if f.rule == "VL303"
    }
    assert duplicates and len(vl303) >= 1
    # the county comes from --county, else from the title, else 未注明
    assert {r[0] for r in read(out, "SELECT DISTINCT county FROM vouchers")} == {"未注明"}
    bad = runner.invoke(cli, ["sql", str(out), "SELECT nothing FROM nowhere"], env=env)
    assert bad.exit_code == 2 and "查询出错" in bad.stderr
    missing = runner.invoke(cli, ["sql", str(tmp_path / "none"), "arrears"], env=env)
    assert missing.exit_code == 2 and "文件夹不存在" in missing.stderr
    # an export by a version before the invoices table: the hint says to export again
    shutil.rmtree(out / "invoices")
    old = runner.invoke(cli, ["sql", str(out), "duplicate-invoices"], env=env)
    assert old.exit_code == 2 and "没有 invoices 表" in old.stderr, old.stderr
    assert "重新运行 village-ledger export" in old.stderr
    assert "没有 invoices 表" not in bad.stderr  # a query naming no missing table gets no hint
