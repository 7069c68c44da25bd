"""`village-ledger disclose` and `overview`: the quarterly 财务公开 and the township overview.

Argument parsing and output only: the numbers come from `village_ledger.reports`.
Exit codes: 0 the report was written; 1 it was written but the ledger has Beancount errors, so
its figures may be wrong; 2 the command could not run (bad period or date, missing path or -o).
"""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING

import click

from village_ledger.cli.common import (
    audited_village,
    check_output,
    option_date,
    readable_village,
    village_mains,
    write_output,
)

if TYPE_CHECKING:
    from village_ledger.model import Quarter

EXIT_OK, EXIT_LEDGER_ERRORS, EXIT_CANNOT_RUN = 0, 1, 2
TEXT_FORMATS = ("json", "csv")


def _quarter(text: str) -> Quarter:
    from village_ledger.model import Quarter

    quarter = Quarter.parse(text)
    if quarter is None:
        raise click.UsageError(f"--period “{text}”不是季度，应写作 YYYYQn（如 2025Q2）")
    return quarter


def _today() -> date:
    """VILLAGE_LEDGER_TODAY or the clock, the same "today" the rules and seal take."""
    from village_ledger.sealing import TodayError, today

    try:
        return today()
    except TodayError as exc:
        raise click.UsageError(str(exc)) from None


def _day(text: str | None) -> date:
    return _today() if text is None else option_date(text, "2025-07-15")


@click.command()
@click.argument("ledger", type=click.Path())
@click.option("--period", required=True, metavar="YYYYQn", help="公开的季度，如 2025Q2。")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf", "xlsx", "json", "csv"]),
    default="html",
    show_default=True,
    help="输出格式：html、pdf（打印）、xlsx（一表一页）、json（全部表格）、csv（收支明细）。",
)
@click.option(
    "-o", "--output", "out", type=click.Path(), help="输出文件；json、csv 可省略（输出到屏幕）。"
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "a3"]),
    default="a4",
    show_default=True,
    help="纸张：a4 竖版；a3 横版（公开栏张贴，一张贴完，过长的明细续 A4 页）。",
)
def disclose(ledger: str, period: str, fmt: str, out: str | None, paper: str) -> None:
    """季度财务公开表：收支情况、收支明细、重点支出、资产负债、债权债务、专项资金、
    资产资源发包租赁、审计发现。

    LEDGER 是村的 main.beancount 或村文件夹。公开输出中的身份证号、手机号、银行卡号，以及救助对象和
    个人承包（承租）方的名字均已遮蔽。
    """
    quarter = _quarter(period)
    main = readable_village(ledger, "{path} 下有 {count} 个村账簿，disclose 一次只公开一个村")
    check_output(fmt, out, TEXT_FORMATS)
    from village_ledger.reports.disclosure import build_disclosure, township_relief_names
    from village_ledger.reports.render import render

    village = audited_village(main)
    model = village.model
    assert model is not None
    seal = model.seals.get(quarter)
    published = seal.day if seal else _today()
    report = build_disclosure(model, quarter, published=published, findings=village.findings)
    report.relief_payees |= township_relief_names(main)
    write_output(render(report, fmt, paper), fmt, out)
    if village.beancount_errors:
        click.echo(
            f"注意：账簿有 {len(village.beancount_errors)} 处 Beancount 错误（见审计发现），"
            "报表数字可能不准确；请先用 village-ledger check 查看并更正。",
            err=True,
        )
        sys.exit(EXIT_LEDGER_ERRORS)


@click.command()
@click.argument("path", type=click.Path())
@click.option("--date", "day", metavar="YYYY-MM-DD", help="概览日期，默认今天。")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "xlsx", "json"]),
    default="json",
    show_default=True,
    help="输出格式：html、xlsx、json。",
)
@click.option(
    "-o", "--output", "out", type=click.Path(), help="输出文件；json 可省略（输出到屏幕）。"
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="并行读取的村数，默认为 CPU 核数。",
)
@click.option(
    "--title",
    "township",
    default="",
    metavar="NAME",
    help='乡镇名称，如 九池乡；默认取各村名称（option "title"）共同的乡镇部分。',
)
def overview(
    path: str, day: str | None, fmt: str, out: str | None, jobs: int | None, township: str
) -> None:
    """乡镇各村财务概览：现金与存款、本年收支、招待费与限额、合同欠收、各类审计发现、最近封存季度、
    逾期未公开。

    PATH 是包含各村文件夹的目录（也可以是一个村）。审计发现与 check 相同（含跨村发现），按截至概览日期判断。
    """
    when = _day(day)
    mains = village_mains(path)
    check_output(fmt, out, TEXT_FORMATS)
    from village_ledger.reports.overview import build_overview
    from village_ledger.reports.render import render

    report = build_overview(mains, when, jobs or os.cpu_count() or 1, township)
    write_output(render(report, fmt), fmt, out)


COMMANDS: list[click.Command] = [disclose, overview]
