"""`village-ledger handover`: the 换届/离任交接审计 of one village at a handover date.

Argument parsing and output only: the numbers come from `village_ledger.reports.handover`.
Exit codes: 0 the report was written; 1 it was written but the ledger has Beancount errors (a
failed `balance` assertion, such as a cash count that differs from the books, is one); 2 the
command could not run (bad date, names that do not fit the roster, missing path or -o).
"""

from __future__ import annotations

import sys
from typing import IO, Any

import click

from village_ledger.cli.common import (
    audited_village,
    check_output,
    option_date,
    readable_village,
    write_output,
)

EXIT_LEDGER_ERRORS, EXIT_CANNOT_RUN = 1, 2


class CannotRun(click.ClickException):
    """A Chinese explanation and exit code 2, without the usage text (nothing to retype)."""

    exit_code = EXIT_CANNOT_RUN

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


@click.command()
@click.argument("ledger", type=click.Path())
@click.option(
    "--date",
    "day",
    required=True,
    metavar="YYYY-MM-DD",
    help="交接日期（接交人开始负责的第一天）。",
)
@click.option(
    "--outgoing", required=True, metavar="NAME", help="移交人（离任者）姓名，须与任职记录一致。"
)
@click.option(
    "--incoming", required=True, metavar="NAME", help="接交人（新任者）姓名，须与任职记录一致。"
)
@click.option(
    "--supervisor", required=True, metavar="NAME", help="监交人（乡镇派出，不在本村任职）姓名。"
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf", "xlsx", "json"]),
    default="html",
    show_default=True,
    help="输出格式：html、pdf（A4 打印）、xlsx（一表一页）、json（全部表格）。",
)
@click.option(
    "-o", "--output", "out", type=click.Path(), help="输出文件；json 可省略（输出到屏幕）。"
)
def handover(
    ledger: str,
    day: str,
    outgoing: str,
    incoming: str,
    supervisor: str,
    fmt: str,
    out: str | None,
) -> None:
    """换届/离任交接审计：移交清单（含欠收合同、资产台账及账实不符）、任期收支、任期审计发现、
    债权债务明细及三方签字栏。

    LEDGER 是村的 main.beancount 或村文件夹。移交的职务由任职记录确定：移交人在交接日前后 10 天内
    离任、接交人在此期间就任的同一职务。账面数为交接日前一日日终余额，核实数为账簿中日期为交接日的
    balance 余额断言（现金盘点、银行对账单）。输出中的身份证号、手机号、银行卡号均已遮蔽。
    """
    when = option_date(day, "2026-03-20")
    main = readable_village(ledger, "{path} 下有 {count} 个村账簿，交接审计一次只做一个村")
    check_output(fmt, out, ("json",))
    from village_ledger.reports.disclosure import township_relief_names
    from village_ledger.reports.handover import HandoverError, build_handover, resolve_parties
    from village_ledger.reports.render import render

    village = audited_village(main)
    model = village.model
    assert model is not None
    try:
        parties = resolve_parties(model, when, outgoing, incoming, supervisor)
    except HandoverError as exc:
        raise CannotRun(str(exc)) from None
    report = build_handover(model, parties, findings=village.findings)
    # a relief recipient of a neighbouring village may be named in this village's books
    report.relief_payees |= township_relief_names(main)
    write_output(render(report, fmt), fmt, out)
    if report.differences:
        click.echo(f"注意：移交清单中有 {report.differences} 项核实数与账面数不符。", err=True)
    if village.beancount_errors:
        click.echo(
            f"注意：账簿有 {len(village.beancount_errors)} 处 Beancount 错误（见任期审计发现），"
            "报表数字可能不准确；请先用 village-ledger check 查看并更正。",
            err=True,
        )
        sys.exit(EXIT_LEDGER_ERRORS)


COMMANDS: list[click.Command] = [handover]
