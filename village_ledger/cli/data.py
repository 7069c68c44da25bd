"""`village-ledger export` and `village-ledger sql`: the villages' books and findings as Parquet
tables for county and province analysis, and DuckDB over them.

Argument parsing and output only; the tables are `village_ledger.export`, the queries
`village_ledger.queries`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from village_ledger.paths import PathError, find_villages

EXIT_CANNOT_RUN = 2


@click.command("export")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="导出到的文件夹。",
)
@click.option(
    "--county",
    metavar="NAME",
    help="县（区）名，作为分区 county 的值；默认取账簿标题中的县名，没有则为“未注明”。",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="并行读取的村数，默认为 CPU 核数。",
)
@click.option("--no-cache", is_flag=True, help="不使用结果缓存（各村重新读账、重新检查）。")
def export_command(
    paths: tuple[str, ...], out: str, county: str | None, jobs: int | None, no_cache: bool
) -> None:
    """把各村的凭证、分录、审计发现、季度公开数、合同和人员导出为 Parquet 数据表，供县、省汇总分析。

    PATH 可以是村的 main.beancount、村文件夹，或包含多个村文件夹的目录。数据表按县、乡镇、村分区
    （文件夹 表名/county=县/township=乡镇/village=村/）；再次导出时，账簿文件没有改动的村不重新读账、
    不重写（发现有变化时只重写其发现）。各表的列见用户指南“导出与查询”。
    """
    from village_ledger.cache import ResultCache
    from village_ledger.cli.progress import progress_bar
    from village_ledger.export import export
    from village_ledger.sealing import TodayError

    try:
        mains = find_villages(list(paths))
    except PathError as exc:
        raise click.UsageError(str(exc)) from None
    target = Path(out)
    try:
        with progress_bar(len(mains), "导出") as progress:
            done = export(
                mains,
                target,
                county=county,
                jobs=jobs or os.cpu_count() or 1,
                cache=None if no_cache else ResultCache.default(),
                progress=progress,
            )
    except TodayError as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:
        click.echo(f"错误：无法写入 {target}：{exc.strerror or exc}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    click.echo(
        f"已导出 {len(done.written) + len(done.kept)} 个村到 {target}："
        f"{len(done.written)} 个村重新写入，{len(done.kept)} 个村账簿未变未重写"
        f"（其中 {len(set(done.findings_written) - set(done.written))} 个村的发现有变化已更新）；"
        f"发现共 {done.findings} 条。",
        err=True,
    )


@click.command("sql")
@click.argument("folder", type=click.Path())
@click.argument("query", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    help="输出格式：text（表格）、csv、json。",
)
@click.option("--list", "list_queries", is_flag=True, help="列出随附的示例查询。")
def sql_command(folder: str, query: str | None, fmt: str, list_queries: bool) -> None:
    """用 DuckDB（内嵌，无需服务器）查询 export 导出的数据表。

    QUERY 是一条 SQL 语句，或随附示例查询的名字（--list 列出）：duplicate-invoices（跨村重复发票）、
    unsealed-quarters（逾期未封存的季度）、entertainment（各村招待费）、arrears（各县合同欠款）。
    表名 vouchers、invoices（每个发票号码一行）、postings、findings、quarters、contracts、roster，每表都有 county、township、village 列；
    getvariable('today') 是今天（或 VILLAGE_LEDGER_TODAY）。
    """
    from village_ledger.queries import NAMED, QueryError, run
    from village_ledger.sealing import TodayError, today

    if list_queries:
        for name, named in NAMED.items():
            click.echo(f"{name}\t{named.title}")
        return
    if not query:
        raise click.UsageError("请给出查询：SQL 语句或示例查询的名字（--list 列出）")
    try:
        columns, rows = run(Path(folder), query, today())
    except TodayError as exc:
        raise click.UsageError(str(exc)) from None
    except QueryError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    _write_rows(columns, rows, fmt)


def _write_rows(columns: list[str], rows: list[tuple[object, ...]], fmt: str) -> None:
    if fmt == "json":
        import json

        records = [dict(zip(columns, map(_plain, row), strict=True)) for row in rows]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in row] for row in rows])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(_plain(v)) for v in row))
        Console(highlight=False).print(table)
        click.echo(f"{len(rows)} 行", err=True)


def _plain(value: object) -> object:
    """JSON and CSV take text for dates and exact decimals."""
    from datetime import date
    from decimal import Decimal

    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


COMMANDS: list[click.Command] = [export_command, sql_command]
