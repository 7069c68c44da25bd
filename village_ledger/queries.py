"""`village-ledger sql`: DuckDB (embedded, no server) over an export's Parquet tables.

Each table of `village_ledger.export.TABLES` becomes a view of the same name over every
village's file (`<table>/county=…/township=…/village=…/part.parquet`, the partition values as
the columns `county`, `township` and `village`). `getvariable('today')` is the day the rules
judge by (`VILLAGE_LEDGER_TODAY` or the clock). `NAMED` are the queries shipped as examples;
the user guide (docs/zh/scale.md) shows them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from village_ledger.export import TABLES

VILLAGE = "county, township, village"


@dataclass(frozen=True)
class Named:
    title: str  # in Chinese, for `sql --list`
    sql: str


NAMED: dict[str, Named] = {
    "duplicate-invoices": Named(
        "同一张发票在两个以上村入账（全省范围）",
        # One row per invoice number (the invoices table), so a number listed among several
        # on one voucher is compared as one booked alone. Only numbers booked more than once
        # at all can be booked in two villages: that cheap count over the invoice column
        # alone leaves a handful, and only their rows pay for the village names built per
        # row (over a county of 513k transactions: 0.39 s of CPU instead of 0.89 s).
        """
WITH repeated AS (
    SELECT invoice FROM invoices GROUP BY invoice HAVING count(*) > 1
)
SELECT invoice AS 发票号码,
       count(DISTINCT county || '/' || township || '/' || village) AS 村数,
       string_agg(county || township || village || ' ' || voucher, '、'
                  ORDER BY county, township, village, voucher) AS 凭证
FROM invoices SEMI JOIN repeated USING (invoice)
GROUP BY invoice
HAVING count(DISTINCT county || '/' || township || '/' || village) > 1
ORDER BY invoice
""",
    ),
    "unsealed-quarters": Named(
        "有季度过了公开期限仍未封存，或封存后账目被改动的村",
        f"""
SELECT {VILLAGE},
       count(*) FILTER (WHERE sealed_on IS NULL OR sealed_on > getvariable('today')) AS 逾期未封存季度数,
       string_agg(quarter, '、' ORDER BY quarter)
           FILTER (WHERE sealed_on IS NULL OR sealed_on > getvariable('today')) AS 逾期未封存季度,
       count(*) FILTER (WHERE seal_intact = false) AS 封存后被改动季度数
FROM quarters
WHERE ((sealed_on IS NULL OR sealed_on > getvariable('today')) AND deadline < getvariable('today'))
   OR seal_intact = false
GROUP BY ALL
ORDER BY {VILLAGE}
""",
    ),
    "entertainment": Named(
        "各村各年招待费：金额、次数、来客人数与人均（按金额从高到低）",
        f"""
WITH spent AS (
    SELECT {VILLAGE}, voucher, sum(amount) AS amount
    FROM postings
    WHERE category = '招待费'
    GROUP BY ALL
)
SELECT s.county, s.township, s.village, year(v.date) AS 年度,
       sum(s.amount) AS 招待费, count(*) AS 次数, sum(v.guests) AS 来客人数,
       round(sum(s.amount) / nullif(sum(v.guests), 0), 2) AS 来客人均
FROM spent s
JOIN vouchers v USING ({VILLAGE}, voucher)
WHERE NOT v.closing
GROUP BY ALL
ORDER BY 招待费 DESC, s.county, s.township, s.village, 年度
""",
    ),
    "arrears": Named(
        "各县合同欠款（截至各村账簿最后一笔的日期）",
        """
SELECT county AS 县,
       count(DISTINCT township || '/' || village) AS 村数,
       count(*) FILTER (WHERE arrears > 0) AS 欠款合同数,
       sum(arrears) AS 欠款,
       sum(overdue) AS 逾期欠款
FROM contracts
GROUP BY county
ORDER BY 欠款 DESC
""",
    ),
}


class QueryError(Exception):
    """The folder holds no export, or DuckDB refused the query; the message is for the user."""


def connect(folder: Path, today: date) -> Any:
    """An in-memory DuckDB with a view per exported table."""
    import duckdb

    if not folder.is_dir():
        raise QueryError(f"文件夹不存在：{folder}")
    db = duckdb.connect(":memory:")
    found = 0
    for table in TABLES:
        if not _exported(folder, table):
            continue
        pattern = str(folder / table / "county=*" / "township=*" / "village=*" / "*.parquet")
        quoted = "'" + pattern.replace("'", "''") + "'"  # a view cannot take a parameter
        db.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet({quoted}, hive_partitioning = true)"
        )
        found += 1
    if not found:
        raise QueryError(f"{folder} 中没有 village-ledger export 导出的数据表")
    db.execute(f"SET VARIABLE today = DATE '{today.isoformat()}'")
    return db


def _exported(folder: Path, table: str) -> bool:
    return any((folder / table).glob("county=*/township=*/village=*/*.parquet"))


def _missing_tables(folder: Path, message: str) -> str:
    """A hint when the query names a table this folder lacks: an export by an earlier version
    (the `invoices` table came with export format 2), or one that was cut short."""
    missing = [t for t in TABLES if re.search(rf"\b{t}\b", message) and not _exported(folder, t)]
    if not missing:
        return ""
    return (
        f"{folder} 中没有 {'、'.join(missing)} 表，可能是旧版本导出的，"
        "请重新运行 village-ledger export。DuckDB 的原文："
    )


def run(folder: Path, query: str, today: date) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The columns and rows of `query` (SQL, or the name of a shipped query)."""
    import duckdb

    sql = NAMED[query].sql if query in NAMED else query
    db = connect(folder, today)
    try:
        result = db.execute(sql)
        columns = [d[0] for d in result.description or []]
        return columns, result.fetchall()
    except duckdb.Error as exc:
        raise QueryError(f"查询出错：{_missing_tables(folder, str(exc))}{exc}") from None
    finally:
        db.close()
