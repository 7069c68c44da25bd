"""`village-ledger init`: 建账, a new village folder from the township's chart and policy.

Creating the folder is what the command is asked to do, so it writes without `--write`; it only
ever creates files, never replaces one (`--dry-run` prints them instead).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

import click

from village_ledger.founding import (
    FoundingError,
    OpeningBalances,
    chart_files,
    create_files,
    opening_from_rows,
    plan_village,
    read_opening_sheet,
)
from village_ledger.money import fmt_yuan

EXIT_CANNOT_RUN = 2


def refuse(message: str) -> NoReturn:
    click.echo(f"无法建账：{message}", err=True)
    sys.exit(EXIT_CANNOT_RUN)


def parse_start(ctx: click.Context, param: click.Parameter, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"“{value}”不是日期，应写作 YYYY-MM-DD（如 2026-01-01）") from None


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", required=True, help="集体经济组织全称，如“天城镇石桥村股份经济合作社”。")
@click.option(
    "--start",
    required=True,
    metavar="YYYY-MM-DD",
    callback=parse_start,
    help="新账簿的第一天（通常为某年 1 月 1 日）；期初余额记在前一天。",
)
@click.option(
    "--township",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=(
        "乡镇共用文件夹（含 chart.beancount 或按类分开的科目表文件、policy.beancount 等），"
        "默认为同级的 township。"
    ),
)
@click.option(
    "--from-xlsx",
    "sheet",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="期初余额表（.xlsx 或 .csv，列：科目编码、科目名称、借方余额、贷方余额）。",
)
@click.option("--dry-run", is_flag=True, help="只显示将要写入的文件，不写入。")
def init(
    folder: Path,
    title: str,
    start: date,
    township: Path | None,
    sheet: Path | None,
    dry_run: bool,
) -> None:
    """建账：新建一个村的账簿文件夹。

    写入 main.beancount（标题、插件、引用乡镇科目表和财务制度、任职名单模板、监督电话、
    期初余额凭证）和当年的年度凭证文件。期初余额须借贷平衡，不用 pad 轧平；已有的文件
    一律不覆盖。
    """
    township = township or folder.parent / "township"
    try:
        opening = _opening(sheet, township) if sheet else None
        plan = plan_village(folder, title, start, township, opening)
        if dry_run:
            for name, text in plan.files.items():
                click.echo(f"==== {folder / name} ====\n{text}")
            return
        written = create_files(plan)
    except FoundingError as exc:
        refuse(str(exc))
    for path in written:
        click.echo(f"已写入 {path}")
    _next_steps(folder, opening)


def _opening(sheet: Path, township: Path) -> OpeningBalances:
    rows = read_opening_sheet(sheet)
    return opening_from_rows(rows, chart_files(township), str(sheet))


def _next_steps(folder: Path, opening: OpeningBalances | None) -> None:
    if opening and opening.postings:
        click.echo(
            f"期初余额：{len(opening.postings)} 个科目，借方合计 {fmt_yuan(opening.debit_total)}，"
            f"贷方合计 {fmt_yuan(opening.credit_total)}，试算平衡。"
        )
    else:
        click.echo("期初余额凭证尚为模板：请在 main.beancount 中按原账簿余额填写（借贷须平衡）。")
    click.echo(
        "下一步：在 main.beancount 中填写任职名单和监督电话，然后运行 "
        f"village-ledger check {folder}"
    )


COMMANDS: list[click.Command] = [init]
