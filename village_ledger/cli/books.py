"""`village-ledger vouchers` and `books`: the period's 记账凭证 printed for binding, and the
standard books (科目余额表, 总账, 明细账, 日记账) in HTML, PDF, Excel or JSON."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import NoReturn

import click

from village_ledger.books import BOOK_NAMES, REGISTERS
from village_ledger.cli.common import check_output, readable_village, write_output
from village_ledger.model import LedgerModel, Quarter
from village_ledger.model.period import Period

EXIT_CANNOT_RUN = 2
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
YEAR = re.compile(r"^(\d{4})$")


def refuse(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(EXIT_CANNOT_RUN)


def parse_period(text: str) -> Period:
    """A month (2026-09), a quarter (2026Q3) or a year (2026)."""
    value = text.strip()
    if (match := MONTH.match(value)) and 1 <= int(match[2]) <= 12:
        return Period.month(int(match[1]), int(match[2]))
    if match := QUARTER.match(value):
        return Period.quarter(Quarter(int(match[1]), int(match[2])))
    if match := YEAR.match(value):
        return Period.year(int(match[1]))
    raise click.UsageError(f"“{text}”不是期间，应写作月份 2026-09、季度 2026Q3 或年份 2026")


@click.command("vouchers")
@click.argument("ledger", type=click.Path())
@click.option(
    "--period", required=True, metavar="PERIOD", help="月份 2026-09、季度 2026Q3 或年份 2026。"
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "html", "json"]),
    default=None,
    help="输出格式，默认按 -o 的扩展名（.pdf/.html/.json），无 -o 时为 json。",
)
@click.option(
    "-o", "--output", "out", type=click.Path(dir_okay=False), default=None, help="输出文件。"
)
def vouchers(ledger: str, period: str, fmt: str | None, out: str | None) -> None:
    """打印记账凭证：每张 A4 纸两张凭证，含凭证号、日期、附件张数、摘要、科目、借贷金额、
    合计（含大写）及审批人、审核人、经手人、会计、出纳。"""
    from village_ledger.books.vouchers import voucher_book, voucher_html, voucher_json, voucher_pdf

    chosen = parse_period(period)
    fmt = fmt or (Path(out).suffix.lstrip(".").lower() if out else "json")
    if fmt not in ("pdf", "html", "json"):
        raise click.UsageError(f"不支持的输出格式：{fmt}（可用 pdf、html、json）")
    check_output(fmt, out, ("json", "html"))
    main = readable_village(ledger, "{path} 下有 {count} 个村，一次只能打印一个村的凭证")
    model = _model(main)
    book = voucher_book(model, chosen.first, chosen.last, chosen.label)
    if fmt == "pdf":
        data = voucher_pdf(book)
    elif fmt == "html":
        data = voucher_html(book).encode("utf-8")
    else:
        data = (json.dumps(voucher_json(book), ensure_ascii=False, indent=2) + "\n").encode()
    write_output(data, fmt, out)
    if out:
        click.echo(f"已输出 {len(book.vouchers)} 张记账凭证到 {out}", err=True)


def _model(main: Path) -> LedgerModel:
    from village_ledger.loading import load_ledger
    from village_ledger.model import build_model

    loaded = load_ledger(main)
    if loaded.errors:
        first = loaded.errors[0]
        source = getattr(first, "source", None) or {}
        refuse(
            f"{source.get('filename', main)}:{source.get('lineno', 0)}  {first.message}\n"
            f"账簿有 {len(loaded.errors)} 处 Beancount 错误，改正后才能打印凭证"
        )
    return build_model(loaded.entries, loaded.options)


BOOK_CHOICES = "、".join(f"{name}（{alias}）" for name, alias in BOOK_NAMES.items())


@click.command("books")
@click.argument("ledger", type=click.Path())
@click.option("--book", "name", required=True, metavar="BOOK", help=f"账簿：{BOOK_CHOICES}。")
@click.option(
    "--period", required=True, metavar="PERIOD", help="月份 2026-09、季度 2026Q3 或年份 2026。"
)
@click.option(
    "--account", metavar="CODE", default=None, help="只输出此科目代码（或科目名）下的账页。"
)
@click.option(
    "--level", type=click.IntRange(min=1), default=None, help="科目余额表只列到第几级科目。"
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf", "xlsx", "json"]),
    default=None,
    help="输出格式，默认按 -o 的扩展名，无 -o 时为 json。",
)
@click.option(
    "-o", "--output", "out", type=click.Path(dir_okay=False), default=None, help="输出文件。"
)
def books(
    ledger: str,
    name: str,
    period: str,
    account: str | None,
    level: int | None,
    fmt: str | None,
    out: str | None,
) -> None:
    """输出会计账簿和会计报表：科目余额表、总分类账、明细分类账、现金日记账、银行存款日记账、
    资产负债表、收益及收益分配表，以及合同台账、资产台账。

    金额按借贷方向列示（借/贷/平），不用 Beancount 的正负号。合同台账列出期末以前签订的全部合同
    （本期与累计的应收、已收、欠收）及每份合同的收付计划；资产台账列出每项资产的原值、累计折旧、
    净值，以及台账与账簿不符的科目。
    """
    from village_ledger.books.render import FORMATS, render_book
    from village_ledger.books.standard import book_name, build_book

    chosen_book = book_name(name)
    if chosen_book is None:
        raise click.UsageError(f"没有“{name}”这种账簿，可选：{BOOK_CHOICES}")
    if chosen_book in REGISTERS and (account is not None or level is not None):
        raise click.UsageError(f"{chosen_book}不按科目输出，不能与 --account 或 --level 同用")
    chosen = parse_period(period)
    fmt = fmt or (Path(out).suffix.lstrip(".").lower() if out else "json")
    if fmt not in FORMATS:
        raise click.UsageError(f"不支持的输出格式：{fmt}（可用 {'、'.join(FORMATS)}）")
    check_output(fmt, out, ("json", "html"))
    main = readable_village(ledger, "{path} 下有 {count} 个村，一次只能输出一个村的账簿")
    book = build_book(_model(main), chosen_book, chosen, account=account, level=level)
    write_output(render_book(book, fmt), fmt, out)
    if out:
        click.echo(f"已输出 {book.name}（{len(book.tables)} 个账页）到 {out}", err=True)


COMMANDS: list[click.Command] = [vouchers, books]
