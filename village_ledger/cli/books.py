"""`village-ledger vouchers`: the period's 记账凭证 printed for binding (PDF, HTML or JSON)."""

from __future__ import annotations

import json
import re
import sys
from calendar import monthrange
from datetime import date
from pathlib import Path
from typing import NoReturn

import click

from village_ledger.cli.common import check_output, readable_village, write_output

EXIT_CANNOT_RUN = 2
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
YEAR = re.compile(r"^(\d{4})$")


def refuse(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(EXIT_CANNOT_RUN)


def period_bounds(text: str) -> tuple[date, date, str]:
    """A month (2026-09), a quarter (2026Q3) or a year (2026): first day, last day, label."""
    value = text.strip()
    if match := MONTH.match(value):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return (
                date(year, month, 1),
                date(year, month, monthrange(year, month)[1]),
                (f"{year}年{month}月"),
            )
    if match := QUARTER.match(value):
        year, number = int(match[1]), int(match[2])
        last_month = 3 * number
        return (
            date(year, last_month - 2, 1),
            date(year, last_month, monthrange(year, last_month)[1]),
            f"{year}年第{'一二三四'[number - 1]}季度",
        )
    if match := YEAR.match(value):
        year = int(match[1])
        return date(year, 1, 1), date(year, 12, 31), f"{year}年"
    raise click.BadParameter(f"“{text}”不是期间，应写作月份 2026-09、季度 2026Q3 或年份 2026")


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
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False), default=None)
def vouchers(ledger: str, period: str, fmt: str | None, out: str | None) -> None:
    """打印记账凭证：每张 A4 纸两张凭证，含凭证号、日期、附件张数、摘要、科目、借贷金额、
    合计（含大写）及审批人、审核人、经手人、会计、出纳。"""
    from village_ledger.books.vouchers import voucher_book, voucher_html, voucher_json, voucher_pdf

    first, last, label = _bounds_or_usage(period)
    fmt = fmt or (Path(out).suffix.lstrip(".").lower() if out else "json")
    if fmt not in ("pdf", "html", "json"):
        raise click.UsageError(f"不支持的输出格式：{fmt}（可用 pdf、html、json）")
    check_output(fmt, out, ("json", "html"))
    main = readable_village(ledger, "{path} 下有 {count} 个村，一次只能打印一个村的凭证")
    model = _model(main)
    book = voucher_book(model, first, last, label)
    if fmt == "pdf":
        data = voucher_pdf(book)
    elif fmt == "html":
        data = voucher_html(book).encode("utf-8")
    else:
        data = (json.dumps(voucher_json(book), ensure_ascii=False, indent=2) + "\n").encode()
    write_output(data, fmt, out)
    if out:
        click.echo(f"已输出 {len(book.vouchers)} 张记账凭证到 {out}", err=True)


def _bounds_or_usage(period: str) -> tuple[date, date, str]:
    try:
        return period_bounds(period)
    except click.BadParameter as exc:
        raise click.UsageError(exc.message) from None


def _model(main: Path):  # type: ignore[no-untyped-def]
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


COMMANDS: list[click.Command] = [vouchers]
