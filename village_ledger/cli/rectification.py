"""`village-ledger rectification`: the 整改台账 of one village.

Argument parsing and output only: the findings come from the audit service, as `village-ledger
check` shows them (every rule, settled against the ledger's `整改`), judged as of --date; the
tables from `reports.rectification`. Exit codes: 0 the report was written; 2 the command could not run.
"""

from __future__ import annotations

from datetime import date

import click

from village_ledger.cli.common import check_output, option_date, readable_village, write_output

TEXT_FORMATS = ("json",)


@click.command("rectification")
@click.argument("ledger", type=click.Path())
@click.option("--since", required=True, metavar="YYYY-MM-DD", help="列出自该日起的审计发现。")
@click.option(
    "--date", "day", metavar="YYYY-MM-DD", help="台账日期，未整改问题的挂账天数算到该日；默认今天。"
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf", "xlsx", "json"]),
    default="html",
    show_default=True,
    help="输出格式：html、pdf（打印）、xlsx（一表一页）、json。",
)
@click.option(
    "-o", "--output", "out", type=click.Path(), help="输出文件；json 可省略（输出到屏幕）。"
)
def rectification(ledger: str, since: str, day: str | None, fmt: str, out: str | None) -> None:
    """整改台账：自 --since 以来的每条审计发现，状态（未整改、已整改）、挂账天数和整改记录。

    LEDGER 是村的 main.beancount 或村文件夹。
    """
    start = option_date(since, "2025-01-01", "--since")
    main = readable_village(ledger, "{path} 下有 {count} 个村账簿，rectification 一次只列一个村")
    until = option_date(day, "2026-04-30") if day else _today()
    if until < start:
        raise click.UsageError(f"--date {until} 早于 --since {start}")
    check_output(fmt, out, TEXT_FORMATS)
    from village_ledger.audit import audit
    from village_ledger.reports.rectification import build_rectification
    from village_ledger.reports.render import render

    run = audit([main], as_of=until, keep_models=False)
    (village,) = run.villages
    report = build_rectification(village.village, village.title, run.findings, start, until)
    write_output(render(report, fmt), fmt, out)


def _today() -> date:
    from village_ledger.sealing import TodayError, today

    try:
        return today()
    except TodayError as exc:
        raise click.UsageError(str(exc)) from None


COMMANDS: list[click.Command] = [rectification]
