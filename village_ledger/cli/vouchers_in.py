"""`village-ledger template vouchers` and `import-vouchers`: vouchers typed in Excel.

The workbook and how its rows make vouchers: `village_ledger.voucher_sheet`. The import prints
the entries and what Beancount and the rules say of them with the books (`cli.adding`), and
appends them with `--write`; a row it cannot read stops it before any check (exit 2).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from village_ledger.cli.adding import emit, refuse, village_for_adding
from village_ledger.cli.common import option_date
from village_ledger.entries import Entry, Placed


@click.command("template")
@click.argument("kind", type=click.Choice(["vouchers"]))
@click.argument("ledger", type=click.Path())
@click.option("-o", "--output", "out", required=True, metavar="FILE", help="输出的 .xlsx 文件。")
@click.option(
    "--date",
    "day",
    metavar="YYYY-MM-DD",
    default=None,
    help="下拉列表中人员任职、科目开设情况所依据的日期，默认今天。",
)
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖它（默认不覆盖）。")
def template(kind: str, ledger: str, out: str, day: str | None, force: bool) -> None:
    """生成录入表：vouchers 为记账凭证录入表（Excel）。

    表中每行一条分录，一张凭证的第一行填日期，其余分录行日期留空；科目、审批人、审核人、经手人、
    会议决议和专项项目可从下拉列表选择；“说明”工作表写明填法。填好后用 import-vouchers 导入。
    """
    from village_ledger.sealing import TodayError, today
    from village_ledger.voucher_template import write_template

    target = Path(out)
    if target.suffix.lower() != ".xlsx":
        raise click.UsageError(f"-o {out}：录入表须保存为 .xlsx 文件")
    if not target.resolve().parent.is_dir():
        raise click.UsageError(f"输出目录不存在：{target.parent}")
    if target.exists() and not force:
        refuse(f"{out} 已存在，未覆盖（可能是已填写的录入表）；确需覆盖请加 --force")
    try:
        on = option_date(day, "2026-10-01") if day else today()
    except TodayError as exc:
        raise click.UsageError(str(exc)) from None
    village = village_for_adding(ledger)
    assert village.model is not None
    try:
        write_template(village.model, target, on)
    except OSError as exc:
        refuse(f"无法写入 {out}：{exc.strerror or exc}")
    click.echo(f"已生成记账凭证录入表 {out}（{village.model.title or village.village}）", err=True)


@click.command("import-vouchers")
@click.argument("ledger", type=click.Path())
@click.argument("sheet", type=click.Path())
@click.option(
    "--write", is_flag=True, help="把凭证追加到当年的账簿文件（原子写入）；默认只检查并显示。"
)
def import_vouchers(ledger: str, sheet: str, write: bool) -> None:
    """导入记账凭证录入表（template vouchers 生成的 Excel）。

    读取每一行，按日期接着本月最后一个凭证号编号，转换为 Beancount 凭证，与账簿一起做全部规则检查，
    显示将写入的凭证和检查结果。读不懂的行给出行号和原因，退出码 2；凭证带来错误时退出码 1；
    两种情况都一张不写。加 --write 且没有错误时，追加到当年的账簿文件。已导入过的凭证（同一张表
    再次导入）自动跳过，不会重复入账。
    """
    from village_ledger.voucher_sheet import SheetError, digests_in_books, entries, read_sheet

    path = Path(sheet)
    if not path.is_file():
        raise click.UsageError(f"录入表不存在：{sheet}")
    village = village_for_adding(ledger)
    model = village.model
    assert model is not None
    try:
        read = read_sheet(path, model)
    except SheetError as exc:
        refuse(str(exc))
    if read.errors:
        for error in read.errors:
            click.echo(f"{sheet} {error}", err=True)
        click.echo(f"录入表有 {len(read.errors)} 处无法读取，凭证一张也未写入。", err=True)
        sys.exit(2)
    books = digests_in_books(model)
    fresh = []
    for voucher in read.vouchers:
        known = books.get(voucher.digest)
        if known is None:
            fresh.append(voucher)
            continue
        number = known.meta.get("voucher", "")
        click.echo(f"{sheet} {voucher.where}：已导入（凭证号 {number}），跳过", err=True)
    if not fresh:
        click.echo("没有需要导入的新凭证。", err=True)
        return
    made = entries(model, fresh)

    def label(placed: Placed) -> str:
        assert isinstance(placed.entry, Entry)  # the sheet makes vouchers only
        voucher = made[placed.entry]
        number = dict(placed.entry.meta)["voucher"].strip('"')
        return f"{sheet} {voucher.where}（凭证 {number}）"

    emit(village, list(made), write, label)


COMMANDS: list[click.Command] = [template, import_vouchers]
