"""`village-ledger depreciate` and `close`: the month's 折旧 and the year-end close (年终结账).

Both print the entries they would write and what Beancount and the rules say of them with the
books (`cli.adding`); with `--write` they append them to the period's year file through the one
atomic write, unless they bring an error.
"""

from __future__ import annotations

import re

import click

from village_ledger.cli.adding import emit, refuse, village_for_adding
from village_ledger.model.period import Period
from village_ledger.period_end import PeriodEndError, closing_entries, depreciation_entry

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(ctx: click.Context, param: click.Parameter, value: str) -> Period:
    match = MONTH.match(value.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise click.BadParameter(f"“{value}”不是月份，应写作 YYYY-MM（如 2026-09）")
    return Period.month(int(match[1]), int(match[2]))


def parse_year(ctx: click.Context, param: click.Parameter, value: str) -> int:
    if not re.fullmatch(r"\d{4}", value.strip()):
        raise click.BadParameter(f"“{value}”不是年份，应写作 YYYY（如 2026）")
    return int(value)


WRITE_HELP = "把凭证追加到该期间的年度账簿文件（原子写入）；默认只打印。"


@click.command("depreciate")
@click.argument("ledger", type=click.Path())
@click.option("--month", required=True, metavar="YYYY-MM", callback=parse_month, help="计提月份。")
@click.option("--write", is_flag=True, help=WRITE_HELP)
def depreciate(ledger: str, month: Period, write: bool) -> None:
    """计提固定资产折旧（年限平均法，按科目分类计提）。

    固定资产科目（151 的明细科目）在 open 上写明 life-years（使用年限），可选 salvage-rate
    （残值率，默认 0.05）、depreciation-expense（折旧费用科目，默认 513 管理费用）；
    depreciate: FALSE 表示不提折旧（如公益性资产）。当月增加的资产从下月起计提，提足为止。
    """
    village = village_for_adding(ledger)
    assert village.model is not None
    try:
        entry = depreciation_entry(village.model, month)
    except PeriodEndError as exc:
        refuse(str(exc))
    if entry is None:
        click.echo(f"{month.label}没有需要计提折旧的固定资产（未设使用年限、已提足或尚未入账）")
        return
    emit(village, [entry], write)


@click.command("close")
@click.argument("ledger", type=click.Path())
@click.option("--year", required=True, metavar="YYYY", callback=parse_year, help="结账年度。")
@click.option(
    "--resolution",
    metavar="ID",
    default=None,
    help="收益分配所依据的村民（代表）会议决议编号；决议上以 reserve、members 写明分配数额。",
)
@click.option("--write", is_flag=True, help=WRITE_HELP)
def close(ledger: str, year: int, resolution: str | None, write: bool) -> None:
    """年终结账：收入、支出结转本年收益，本年收益转入收益分配，按决议分配收益。

    结账凭证日期为 12 月 31 日，带 closing: TRUE；一年只能结一次，且须先结上一年。
    """
    village = village_for_adding(ledger)
    assert village.model is not None
    try:
        entries = closing_entries(village.model, year, resolution)
    except PeriodEndError as exc:
        refuse(str(exc))
    emit(village, entries, write)


COMMANDS: list[click.Command] = [depreciate, close]
