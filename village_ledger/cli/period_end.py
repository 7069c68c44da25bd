"""`village-ledger depreciate` and `close`: the month's 折旧 and the year-end close (年终结账).

Both print the entries they would write; with `--write` they append them to the period's year
file through the one atomic write, after Beancount has checked them together with the books.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import NoReturn

import click

from village_ledger.cli.common import one_village
from village_ledger.model import LedgerModel
from village_ledger.model.period import Period
from village_ledger.period_end import (
    Entry,
    PeriodEndError,
    check_with_books,
    closing_entries,
    depreciation_entry,
    target_file,
)
from village_ledger.writing import WriteRefused, write_file

EXIT_CANNOT_RUN = 2
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def refuse(message: str) -> NoReturn:
    click.echo(f"无法完成：{message}", err=True)
    sys.exit(EXIT_CANNOT_RUN)


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
    model = _model(ledger)
    try:
        entry = depreciation_entry(model, month)
    except PeriodEndError as exc:
        refuse(str(exc))
    if entry is None:
        click.echo(f"{month.label}没有需要计提折旧的固定资产（未设使用年限、已提足或尚未入账）")
        return
    _emit(model, [entry], month, write)


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
    model = _model(ledger)
    try:
        entries = closing_entries(model, year, resolution)
    except PeriodEndError as exc:
        refuse(str(exc))
    _emit(model, entries, Period.year(year), write)


def _emit(model: LedgerModel, entries: list[Entry], period: Period, write: bool) -> None:
    text = "\n".join(e.text() for e in entries)
    problems = check_with_books(model.main_file, text)
    if problems:
        refuse("生成的凭证未通过 Beancount 检查，未写入：" + "；".join(problems))
    click.echo(text, nl=False)
    if not write:
        return
    target = target_file(model, period)
    try:
        original = target.read_bytes()
    except OSError as exc:
        refuse(f"无法读取 {target}：{exc.strerror or exc}")
    lead = b"" if not original or original.endswith(b"\n") else b"\n"
    try:
        write_file(target, original + lead + b"\n" + text.encode("utf-8"), expected=original)
    except WriteRefused as exc:
        refuse(str(exc))
    click.echo(f"已追加 {len(entries)} 张凭证到 {target}", err=True)


def _model(ledger: str) -> LedgerModel:
    from village_ledger.loading import load_ledger
    from village_ledger.model import build_model

    main = one_village(ledger, "{path} 下有 {count} 个村，一次只能处理一个村", refuse)
    loaded = load_ledger(Path(main))
    if loaded.errors:
        first = loaded.errors[0]
        source = getattr(first, "source", None) or {}
        refuse(
            f"{source.get('filename', main)}:{source.get('lineno', 0)}  {first.message}；"
            f"账簿有 {len(loaded.errors)} 处 Beancount 错误，改正后才能继续"
        )
    return build_model(loaded.entries, loaded.options)


COMMANDS: list[click.Command] = [depreciate, close]
