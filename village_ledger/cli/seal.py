"""`village-ledger seal`: the 公开封存 directive of a published quarter.

It prints the directive; with `--write` it appends it to the village's main.beancount, where all
of a village's seals are kept together, through `village_ledger.writing` (atomic, keeps the
file's mode and owner, refuses a read-only file or one that changed while the seal was computed).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

import click

from village_ledger.audit import BEANCOUNT_ONLY
from village_ledger.cli.common import audited_village, one_village
from village_ledger.findings import meta_location
from village_ledger.model import Quarter
from village_ledger.sealing import TodayError, seal_books, seal_lines, today
from village_ledger.writing import WriteRefused, write_file

EXIT_CANNOT_RUN = 2


def refuse(message: str) -> NoReturn:
    click.echo(f"无法封存：{message}", err=True)
    sys.exit(EXIT_CANNOT_RUN)


def parse_period(ctx: click.Context, param: click.Parameter, value: str) -> Quarter:
    quarter = Quarter.parse(value)
    if quarter is None:
        raise click.BadParameter(f"“{value}”不是季度，应写作 YYYYQn（如 2025Q1）")
    return quarter


def parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"“{value}”不是日期，应写作 YYYY-MM-DD") from None


@click.command("seal")
@click.argument("ledger", type=click.Path())
@click.option(
    "--period",
    required=True,
    metavar="YYYYQn",
    callback=parse_period,
    help="要封存的季度，如 2025Q1。",
)
@click.option(
    "--date",
    "day",
    metavar="YYYY-MM-DD",
    callback=parse_day,
    help="封存日期（财务公开之日），默认为今天；须在季度结束之后。",
)
@click.option(
    "--write",
    is_flag=True,
    help="把封存指令追加到本村 main.beancount 末尾（原子写入，失败时原文件不变）；默认只打印。",
)
def seal(ledger: str, period: Quarter, day: date | None, write: bool) -> None:
    """生成某季度的“公开封存”指令。

    季度的财务公开张贴之后运行：指令记下该季度账目的摘要值（sha256），此后对该季度凭证、
    余额断言、任职、会议决议等的任何改动都会被 check 报为 VL601/VL602。LEDGER 是一个村的
    main.beancount 或村文件夹。
    """
    main_file = one_village(
        ledger, "{path} 下有 {count} 个村，seal 一次只封存一个村，请指定其中一个", refuse
    )
    day = day or today_or_refuse()
    if day <= period.last_day:
        refuse(f"{period.label}（{period}）止于 {period.last_day}，封存日期 {day} 时尚未结束")
    original = read_or_refuse(main_file)
    lines = seal_directive(main_file, period, day)
    if write:
        try:
            write_file(main_file, appended(original, lines), expected=original)
        except WriteRefused as exc:
            refuse(str(exc))
    click.echo("\n".join(lines))
    if write:
        click.echo(f"已将 {period} 的公开封存指令追加到 {main_file}", err=True)


def today_or_refuse() -> date:
    try:
        return today()
    except TodayError as exc:
        refuse(str(exc))


def read_or_refuse(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        refuse(f"无法读取 {path}：{exc.strerror or exc}")


def seal_directive(main_file: Path, period: Quarter, day: date) -> list[str]:
    """The directive's lines, once the ledger is known to load cleanly and the quarter is open."""
    village = audited_village(main_file, BEANCOUNT_ONLY, day, refuse)
    errors = village.beancount_errors
    if errors:
        for error in errors:
            file, line = meta_location(getattr(error, "source", None))
            click.echo(f"{file}:{line}  {str(error.message).strip()}", err=True)
        refuse(f"账簿有 {len(errors)} 处 Beancount 错误，改正后才能封存")
    model = village.model
    assert model is not None
    existing = model.seals.get(period)
    if existing is not None:
        file, line = meta_location(existing.entry.meta)
        refuse(
            f"{period.label}（{period}）已于 {existing.day} 封存（{file} 第 {line} 行）；"
            "公开后的更正应在未封存的期间以红字冲销入账，不能重新封存"
        )
    books = seal_books(model, [period])[period]
    return seal_lines(books, day)


def appended(original: bytes, lines: list[str]) -> bytes:
    """The main file with the directive at its end: the original bytes as they were, a blank
    line, the directive, in the file's own line endings."""
    newline = b"\r\n" if b"\r\n" in original else b"\n"
    text = newline.join(line.encode("utf-8") for line in lines) + newline
    lead = newline if original and not original.endswith(b"\n") else b""
    return original + lead + newline + text


COMMANDS: list[click.Command] = [seal]
