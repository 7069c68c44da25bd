"""Export for county and province analysis: every village's books and findings as Parquet.

`export(paths, out, county)` writes, below `out`, one folder per table and in it one Parquet
file per village, partitioned the way Hive names folders:

    out/<table>/county=<县>/township=<乡镇>/village=<村>/part.parquet

Every transaction of the books is exported (the opening vouchers and `pad`'s too, marked),
so the postings add up to the balances. Tables and their columns are `TABLES` (the user guide, docs/zh/scale.md, lists them in
Chinese): `vouchers`, `invoices` (one row per invoice number a voucher's `invoice` holds, read
by `model.columns.invoices_of` as VL303 reads it, so a number listed among several is a row of
its own: voucher, date, invoice, file, line), `postings` (with code, category, project,
contract), `findings`,
`quarters` (the 财务公开 figures of each quarter and its seal), `contracts` (with what is in
arrears as of the books' last day), `roster`. Every figure comes from the model's figures
layer; the findings are those of `check` (the audit service, cross-village rules included).

Incremental: `out/_manifest.json` records each village's input key (`cache.village_key`: the
bytes of every file it loads, the tool, the rules). A village whose key did not change is not
loaded for its tables and they are not rewritten; its findings come from the result cache and
its findings file is rewritten only when they changed (a finding of VL303 may appear in an
unchanged village when another village books the same invoice, VL603 when a deadline passes).
Every table but `findings` holds only what the books say, whatever the day, so the key decides.

Through the result cache (`village_ledger.cache`) export and `check` share their work: a
village's tables but `findings` are kept in its cache slot as the product `export-tables` (the
Parquet files' bytes, written as they are), its findings as `check` keeps them. So an export
after a `check` loads the books for the tables but does not judge them again; a `check` after
an export loads nothing that did not change; and an export to another folder (or after the
folder was deleted) writes unchanged villages from the cache without loading them. The files
are the same bytes whichever way they were made.

The tables are made where the village is audited (a worker process), so the books never cross
a process boundary, only the Parquet bytes; they are written to `out` here. pyarrow is imported
where they are made.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from village_ledger.audit import ALL, VillageAudit, audit_village, combine, selected_rules
from village_ledger.cache import ResultCache, village_key
from village_ledger.findings import Finding
from village_ledger.money import posting_cny
from village_ledger.paths import find_villages
from village_ledger.sealing import checked_seals, deadline, today

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

FORMAT = 2  # of the tables; a change rewrites every village (2: the invoices table)
MANIFEST = "_manifest.json"
PRODUCT = "export-tables"  # the name the tables are kept under in the result cache
PART = "part.parquet"
UNKNOWN_COUNTY = "未注明"

# table -> (column, Arrow type name, Chinese description); the partition columns county,
# township and village come from the folders
TABLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "vouchers": (
        ("voucher", "string", "凭证号"),
        ("date", "date", "日期"),
        ("payee", "string", "收款人/付款人"),
        ("narration", "string", "摘要"),
        ("amount", "decimal", "借方合计（元）"),
        ("handler", "string", "经手人"),
        ("reviewer", "string", "审核人"),
        ("approver", "string", "审批人"),
        ("meeting", "string", "决议编号"),
        ("invoice", "string", "发票号码，照账簿所写（写了几个的，每个号码见 invoices 表）"),
        ("receipt", "string", "其他票据类型（收款收据、工资表……）"),
        ("project", "string", "专项资金项目"),
        ("contract", "string", "合同编号"),
        ("guests", "int", "招待来客人数"),
        ("closing", "bool", "年终结账凭证（结转收支，统计收支时应除外）"),
        ("opening", "bool", "期初余额凭证"),
        ("flag", "string", "Beancount 标记：* 已核对，! 待核对，P 由 pad 补记"),
        ("file", "string", "文件（相对于乡镇账簿文件夹）"),
        ("line", "int", "行号"),
    ),
    "invoices": (
        ("voucher", "string", "凭证号"),
        ("date", "date", "日期"),
        ("invoice", "string", "发票号码（一张凭证写了几个号码的，每个号码一行；格式不对的不列）"),
        ("file", "string", "文件（相对于乡镇账簿文件夹）"),
        ("line", "int", "凭证的行号"),
    ),
    "postings": (
        ("voucher", "string", "凭证号"),
        ("date", "date", "日期"),
        ("account", "string", "科目全名"),
        ("code", "string", "科目编码"),
        ("category", "string", "科目类别（招待费、专项资金……）"),
        ("project", "string", "专项资金项目（分录、凭证或科目上的）"),
        ("contract", "string", "合同编号"),
        ("amount", "decimal", "金额（元，借正贷负）"),
        ("file", "string", "文件"),
        ("line", "int", "行号"),
    ),
    "findings": (
        ("rule", "string", "规则代码"),
        ("severity", "string", "级别：error 错误、warning 预警"),
        ("status", "string", "open 未整改、rectified 已整改"),
        ("date", "date", "日期"),
        ("subject", "string", "所指凭证号或记录"),
        ("message", "string", "说明"),
        ("amount", "decimal", "金额（元）"),
        ("policy", "string", "所依据的财务制度项目"),
        ("fingerprint", "string", "指纹（基线、整改用）"),
        ("file", "string", "文件"),
        ("line", "int", "行号"),
    ),
    "quarters": (
        ("quarter", "string", "季度，如 2025Q1"),
        ("first_day", "date", "季度第一天"),
        ("last_day", "date", "季度最后一天"),
        ("vouchers", "int", "凭证张数"),
        ("income", "decimal", "本季收入（元，不含年终结转）"),
        ("expenses", "decimal", "本季支出（元，不含年终结转）"),
        ("entertainment", "decimal", "本季招待费（元）"),
        ("deadline", "date", "公开封存期限"),
        ("sealed_on", "date", "封存日期（未封存为空）"),
        ("seal_intact", "bool", "封存后账目未被改动（未封存为空）"),
    ),
    "contracts": (
        ("contract", "string", "合同编号"),
        ("kind", "string", "合同类型"),
        ("counterparty", "string", "对方"),
        ("subject", "string", "标的"),
        ("start", "date", "起始日"),
        ("end", "date", "截止日（含续签、终止）"),
        ("amount", "decimal", "每期金额（元）"),
        ("period", "string", "收付周期"),
        ("meeting", "string", "决议编号"),
        ("as_of", "date", "以下金额截至的日期（账簿最后一笔的日期）"),
        ("due", "decimal", "截至该日应收（付）合计（元）"),
        ("received", "decimal", "已收（付）（元）"),
        ("arrears", "decimal", "欠款（元）"),
        ("overdue", "decimal", "逾期欠款（元）"),
    ),
    "roster": (
        ("person", "string", "姓名"),
        ("role", "string", "职务"),
        ("start", "date", "任职日"),
        ("end", "date", "离任日（不再担任的第一天；在任为空）"),
    ),
}


@dataclass(frozen=True)
class Place:
    """Where a village's files go: its county, township and village partition values."""

    county: str
    township: str
    village: str

    def folder(self, out: Path, table: str) -> Path:
        return (
            out
            / table
            / f"county={_safe(self.county)}"
            / f"township={_safe(self.township)}"
            / f"village={_safe(self.village)}"
        )


@dataclass(frozen=True)
class Exported:
    """What one export did: villages whose tables were written, kept, and findings rewritten."""

    written: list[str]
    kept: list[str]
    findings_written: list[str]
    findings: int


def export(
    paths: Sequence[str | os.PathLike[str]],
    out: Path,
    county: str | None = None,
    jobs: int = 1,
    cache: ResultCache | None = None,
    as_of: date | None = None,
    progress: Callable[[Any], None] | None = None,
) -> Exported:
    """Export every village at `paths` below `out` (see the module's docstring)."""
    mains = find_villages([str(p) for p in paths])
    day = as_of or today()
    out.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(out)
    rules = selected_rules(ALL)
    keys = {str(m): f"{FORMAT}:{village_key(m, rules)}" for m in mains}
    stale = {str(m) for m in mains if not _current(out, manifest.get(str(m)), keys[str(m)])}

    def tables_written(result: VillageAudit) -> None:
        """A stale village's tables on disk as soon as they are made (their bytes freed)."""
        if result.main_file in stale:
            result.derived = _write_tables(out, county, manifest.get(result.main_file), result)
        if progress is not None:
            progress(result)

    tasks = [(str(m), str(m) in stale) for m in mains]
    villages = _audit(tasks, day, jobs, cache, tables_written)
    run = combine(villages, ALL, day)
    written, kept, findings_written = [], [], []
    for result in run.villages:
        main = result.main_file
        entry = manifest.get(main, {})
        if main in stale:
            place = result.derived
            written.append(result.village)
        else:
            place = _place_of(entry)
            kept.append(result.village)
        digest = _findings_digest(result.findings)
        if main in stale or entry.get("findings") != digest:
            _write_file(place.folder(out, "findings"), _parquet("findings", _finding_rows(result)))
            findings_written.append(result.village)
        manifest[main] = {
            "key": keys[main],
            "county": place.county,
            "township": place.township,
            "village": place.village,
            "findings": digest,
        }
    _write_manifest(out, manifest)
    return Exported(written, kept, findings_written, len(run.findings))


def _audit(
    tasks: list[tuple[str, bool]],
    day: date,
    jobs: int,
    cache: ResultCache | None,
    done: Callable[[VillageAudit], None],
) -> list[VillageAudit]:
    """Each village audited (with its tables made when it is stale), `done` told of each as it
    finishes; in the order of `tasks`."""

    if jobs <= 1 or len(tasks) <= 1:
        results = []
        for main, stale in tasks:
            derive = village_tables if stale else None
            results.append(audit_village(main, ALL, day, False, derive, cache, product=PRODUCT))
            done(results[-1])
        return results
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
        futures = [
            pool.submit(
                audit_village,
                main,
                ALL,
                day,
                False,
                village_tables if stale else None,
                cache,
                product=PRODUCT,
            )
            for main, stale in tasks
        ]
        for finished in as_completed(futures):
            done(finished.result())
        return [future.result() for future in futures]


def _write_tables(
    out: Path, county: str | None, entry: dict[str, Any] | None, result: VillageAudit
) -> Place:
    """A stale village's tables (all but `findings`) written where it goes now, its files under
    another place removed; returns the place."""
    place = _place(county, result.title, result.main_file, result.village)
    if entry and _place_of(entry) != place:
        remove_village(out, _place_of(entry))
    tables: dict[str, bytes] = result.derived or {}  # none when the model could not be built
    for table, data in tables.items():
        _write_file(place.folder(out, table), data)
    return place


def _current(out: Path, entry: dict[str, Any] | None, key: str) -> bool:
    """The village's tables on disk are those of its files as they are now."""
    if entry is None or entry.get("key") != key:
        return False
    place = _place_of(entry)
    return all((place.folder(out, table) / PART).is_file() for table in TABLES)


def _place_of(entry: dict[str, Any]) -> Place:
    return Place(str(entry["county"]), str(entry["township"]), str(entry["village"]))


# ---- one village's tables, written where its model is ----------------------------------


def village_tables(result: VillageAudit) -> dict[str, bytes] | None:
    """`derive` for the audit service: the village's tables but `findings` as Parquet bytes
    (None when the model could not be built). They depend on the books alone, so the result
    cache keeps them (`PRODUCT`)."""
    model = result.model
    if model is None:
        return None
    base = Path(model.village_dir).parent
    return {
        table: _parquet(table, rows)
        for table, rows in (
            ("vouchers", voucher_rows(model, base)),
            ("invoices", invoice_rows(model, base)),
            ("postings", posting_rows(model, base)),
            ("quarters", quarter_rows(model)),
            ("contracts", contract_rows(model)),
            ("roster", roster_rows(model)),
        )
    }


def voucher_rows(model: LedgerModel, base: Path) -> list[dict[str, Any]]:
    from village_ledger.model import is_opening
    from village_ledger.model.figures import is_closing

    rows = []
    for entry in model.transactions:
        meta = entry.meta or {}
        debit = sum((a for p in entry.postings if (a := posting_cny(p)) and a > 0), Decimal(0))
        rows.append(
            {
                "voucher": _text(meta.get("voucher")),
                "date": entry.date,
                "payee": entry.payee,
                "narration": entry.narration,
                "amount": debit,
                "handler": _text(meta.get("handler")),
                "reviewer": _text(meta.get("reviewer")),
                "approver": _text(meta.get("approver")),
                "meeting": _text(meta.get("meeting")),
                "invoice": _text(meta.get("invoice")),
                "receipt": _text(meta.get("receipt")),
                "project": _text(meta.get("project")),
                "contract": _text(meta.get("contract")),
                "guests": _count(meta.get("guests")),
                "closing": is_closing(entry),
                "opening": is_opening(entry),
                "flag": entry.flag,
                "file": _relative(meta.get("filename"), base),
                "line": int(meta.get("lineno") or 0),
            }
        )
    return rows


def invoice_rows(model: LedgerModel, base: Path) -> list[dict[str, Any]]:
    """Each invoice number of each transaction, as the receipts rules read them."""
    from village_ledger.model.columns import invoices_of

    rows = []
    for entry in model.transactions:
        meta = entry.meta or {}
        for number in invoices_of(meta.get("invoice")):
            rows.append(
                {
                    "voucher": _text(meta.get("voucher")),
                    "date": entry.date,
                    "invoice": number,
                    "file": _relative(meta.get("filename"), base),
                    "line": int(meta.get("lineno") or 0),
                }
            )
    return rows


def posting_rows(model: LedgerModel, base: Path) -> list[dict[str, Any]]:
    rows = []
    for entry in model.transactions:
        meta = entry.meta or {}
        for posting in entry.postings:
            info = model.chart.get(posting.account)
            own = posting.meta or {}
            project = own.get("project") or meta.get("project") or info.project
            rows.append(
                {
                    "voucher": _text(meta.get("voucher")),
                    "date": entry.date,
                    "account": posting.account,
                    "code": info.code or None,
                    "category": info.category,
                    "project": _text(project),
                    "contract": _text(own.get("contract") or meta.get("contract")),
                    "amount": posting_cny(posting),
                    "file": _relative(own.get("filename") or meta.get("filename"), base),
                    "line": int(own.get("lineno") or meta.get("lineno") or 0),
                }
            )
    return rows


def quarter_rows(model: LedgerModel) -> list[dict[str, Any]]:
    from village_ledger.model import Quarter
    from village_ledger.model.period import Period

    figures = model.figures
    end = figures.books_end
    if not model.vouchers or end is None:
        return []
    intact = {state.quarter: state.intact for state in checked_seals(model)}
    counts: dict[Quarter, int] = {}
    for entry in model.vouchers:
        quarter = Quarter.of(entry.date)
        counts[quarter] = counts.get(quarter, 0) + 1
    receptions = [(r.reception.day, r.reception.amount) for r in figures.receptions]
    rows = []
    quarter = Quarter.of(model.vouchers[0].date)
    while quarter.first_day <= end:
        period = Period.quarter(quarter)
        seal = model.seals.by_quarter.get(quarter)
        rows.append(
            {
                "quarter": str(quarter),
                "first_day": quarter.first_day,
                "last_day": quarter.last_day,
                "vouchers": counts.get(quarter, 0),
                "income": -figures.operating_movement("Income", period).net,
                "expenses": figures.operating_movement("Expenses", period).net,
                "entertainment": sum(
                    (amount for day, amount in receptions if quarter.contains(day)), Decimal(0)
                ),
                "deadline": deadline(model, quarter),
                "sealed_on": seal.day if seal is not None else None,
                "seal_intact": intact.get(quarter) if seal is not None else None,
            }
        )
        quarter = quarter.next()
    return rows


def contract_rows(model: LedgerModel) -> list[dict[str, Any]]:
    figures = model.figures.contracts
    rows = []
    for contract in model.contracts:
        schedule = figures.schedule(contract)
        rows.append(
            {
                "contract": contract.id,
                "kind": contract.kind,
                "counterparty": contract.counterparty,
                "subject": contract.subject,
                "start": contract.start,
                "end": contract.ends(),
                "amount": contract.amount,
                "period": contract.period,
                "meeting": contract.meeting,
                "as_of": schedule.as_of,
                "due": schedule.due_to_date,
                "received": schedule.received,
                "arrears": schedule.arrears,
                "overdue": schedule.overdue,
            }
        )
    return rows


def roster_rows(model: LedgerModel) -> list[dict[str, Any]]:
    return [
        {"person": t.person, "role": t.role, "start": t.start, "end": t.end}
        for t in model.roster.terms
    ]


def _finding_rows(result: VillageAudit) -> list[dict[str, Any]]:
    base = Path(result.main_file).parent.parent
    return [
        {
            "rule": f.rule,
            "severity": str(f.severity),
            "status": f.status,
            "date": f.date,
            "subject": f.subject,
            "message": f.message,
            "amount": f.amount,
            "policy": f.policy,
            "fingerprint": f.fingerprint,
            "file": _relative(f.file, base),
            "line": f.line,
        }
        for f in result.findings
    ]


def _findings_digest(findings: list[Finding]) -> str:
    text = json.dumps([f.to_json() for f in findings], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---- where a village goes --------------------------------------------------------------

# 九池乡黄梅村股份经济合作社, 梅川县九池乡黄梅村…, 城关街道东关社区…
_TITLE = re.compile(
    r"^(?:.*?省)?(?:.*?市)?(?P<county>[^省市]*?[县区旗])?(?P<township>[^县区旗]*?(?:乡|镇|街道))"
)


def _place(county: str | None, title: str, main_file: str, village: str) -> Place:
    """The county given (else the one the title names, else 未注明), the township the title
    names (else the name of the folder holding the village folders), the village's folder."""
    match = _TITLE.match(title or "")
    named_county = match.group("county") if match else None
    township = match.group("township") if match else None
    folders = Path(main_file).parent.parent
    return Place(
        county or named_county or UNKNOWN_COUNTY,
        township or folders.name,
        village,
    )


def _safe(value: str) -> str:
    """A partition value as a folder name: no separators, no `=`."""
    cleaned = re.sub(r"[\\/=\x00]", "_", value.strip()) or "_"
    return "_" + cleaned if cleaned.startswith(".") else cleaned


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _count(value: Any) -> int | None:
    """A count as written in metadata (Beancount reads numbers as Decimal); None otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return int(value) if value == int(value) else None


def _relative(filename: Any, base: Path) -> str | None:
    if not filename:
        return None
    name = str(filename)
    if name.startswith("<"):
        return name
    rel = os.path.relpath(name, base)
    return name if rel.startswith("..") else rel


# ---- Parquet --------------------------------------------------------------------------


def arrow_schema(table: str) -> Any:
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "date": pa.date32(),
        "decimal": pa.decimal128(20, 2),
        "int": pa.int64(),
        "bool": pa.bool_(),
    }
    return pa.schema([(name, types[kind]) for name, kind, _ in TABLES[table]])


def _parquet(table: str, rows: list[dict[str, Any]]) -> bytes:
    """One village's rows of a table as a Parquet file's bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    decimals = [name for name, kind, _ in TABLES[table] if kind == "decimal"]
    for row in rows:
        for name in decimals:
            if row[name] is not None:
                row[name] = Decimal(row[name]).quantize(Decimal("0.01"))
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), sink)
    return bytes(sink.getvalue().to_pybytes())


def _write_file(folder: Path, data: bytes) -> None:
    """One village's file of a table, replacing what was there, atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{PART}.{os.getpid()}.tmp"
    temporary.write_bytes(data)
    os.replace(temporary, folder / PART)


def _read_manifest(out: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_manifest(out: Path, manifest: dict[str, dict[str, Any]]) -> None:
    temporary = out / f".{MANIFEST}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, out / MANIFEST)


def remove_village(out: Path, place: Place) -> None:
    """Drop a village's files from every table (a village exported under another place)."""
    for table in TABLES:
        shutil.rmtree(place.folder(out, table), ignore_errors=True)
