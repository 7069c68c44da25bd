"""`village-ledger import-bank`: a bank statement ticked off against the books, the
银行存款余额调节表, and with `--write` the statement's balance and drafts for the lines no voucher
holds, appended through the one atomic write."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from village_ledger.cli.adding import finding_line, village_for_adding
from village_ledger.cli.common import check_output, write_output
from village_ledger.model import LedgerModel

if TYPE_CHECKING:
    from village_ledger.audit import VillageAudit
    from village_ledger.bank.importer import Imported
    from village_ledger.entries import Assertion, Entry

EXIT_CANNOT_RUN = 2
EXIT_DISAGREES = 1
FORMATS = ("text", "html", "pdf", "xlsx", "json")


def refuse(message: str) -> NoReturn:
    click.echo(f"无法导入：{message}", err=True)
    sys.exit(EXIT_CANNOT_RUN)


@click.command("import-bank")
@click.argument("ledger", type=click.Path())
@click.argument("statement", type=click.Path())
@click.option(
    "--account",
    metavar="ACCOUNT",
    default=None,
    help="银行存款明细科目：代码（如 10201）或全名；省略时取唯一的银行账户，或名称含对账单格式名"
    "或其识别用字（如“农商行”“农商”）的唯一账户。",
)
@click.option(
    "--bank", metavar="NAME", default=None, help="对账单格式名（见乡镇 banks.toml）；默认自动识别。"
)
@click.option(
    "--window",
    type=click.IntRange(0, 60),
    default=5,
    show_default=True,
    help="按金额勾对时，对账单日期与记账日期最多相差的天数。",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="调节表的格式，默认按 -o 的扩展名（.html/.pdf/.xlsx/.json），无 -o 时为文本。",
)
@click.option(
    "-o", "--output", "out", type=click.Path(dir_okay=False), default=None, help="调节表输出文件。"
)
@click.option(
    "--write",
    is_flag=True,
    help="把对账单余额断言和未入账流水的 ! 草稿追加到账簿（原子写入）；默认只显示。",
)
def import_bank(
    ledger: str,
    statement: str,
    account: str | None,
    bank: str | None,
    window: int,
    fmt: str | None,
    out: str | None,
    write: bool,
) -> None:
    """导入银行对账单（CSV 或 Excel），与银行存款日记账逐笔勾对，编制银行存款余额调节表。

    勾对依据日期、金额和流水号；对账单上有、账上没有的流水（银行已收付、企业未入账）用 --write
    记为 ! 草稿待补全，对账单余额记为带 bank-statement 的余额断言，账上有、对账单上没有的凭证记在
    outstanding 中。重复导入同一对账单不会重复写入。调节后余额不符时退出码为 1。
    """
    from village_ledger.bank.formats import FormatError
    from village_ledger.bank.importer import BankStatementImporter
    from village_ledger.bank.statement import StatementError
    from village_ledger.reports.reconciliation import build_bank_reconciliation

    fmt = fmt or (Path(out).suffix.lstrip(".").lower() if out else "text")
    if fmt not in FORMATS or (fmt == "text" and out):
        raise click.UsageError(
            f"不支持的输出格式：{fmt}（可用 html、pdf、xlsx、json；屏幕上为文本）"
        )
    check_output(fmt, out, ("text", "json", "html"))
    village = village_for_adding(ledger)
    model = village.model
    assert model is not None
    try:
        hint = () if account else _layout_words(model, statement, bank)
        chosen = _bank_account(model, account, hint)
        importer = BankStatementImporter(chosen, model, bank=bank, window=window)
        result = importer.run(statement)
    except (StatementError, FormatError) as exc:
        refuse(str(exc))
    rec = result.reconciliation
    if fmt == "text":
        click.echo(_text(model.title or model.village, result))
    else:
        from village_ledger.reports.render import render

        report = build_bank_reconciliation(model, rec, Path(statement).name)
        write_output(render(report, fmt), fmt, out)
    _add(village, result.new, write)
    if not rec.agrees:
        sys.exit(EXIT_DISAGREES)


def _add(village: VillageAudit, new: Sequence[Entry | Assertion], write: bool) -> None:
    """The drafts and the assertion judged with the books; written with `write` unless
    Beancount rejects them. Rule findings are shown, not blocking: a draft is incomplete by
    design (no signatures yet), and a statement that does not reconcile is recorded as it is."""
    from village_ledger.entries import check_candidate, write_candidate
    from village_ledger.findings import BEANCOUNT
    from village_ledger.writing import WriteRefused

    if not new:
        click.echo("账上已有本对账单的余额断言和草稿，无需写入", err=True)
        return
    assert village.model is not None
    candidate = check_candidate(village.model, new, village.findings)
    click.echo(("写入：\n" if write else "将写入：\n") + candidate.text, err=True, nl=False)
    for finding in candidate.findings:
        click.echo(f"{finding.display_file()}:{finding.line}  {finding_line(finding)}", err=True)
    broken = [f for f in candidate.findings if f.rule == BEANCOUNT]
    if broken:
        refuse("生成的记录未通过 Beancount 检查，未写入")
    if not write:
        click.echo("（未写入；加 --write 追加到账簿）", err=True)
        return
    try:
        written = write_candidate(candidate)
    except WriteRefused as exc:
        refuse(str(exc))
    for target in written:
        click.echo(f"已追加到 {target}", err=True)


def _text(title: str, result: Imported) -> str:
    from village_ledger.reports.reconciliation import (
        account_name,
        adjustment_table,
        items_table,
    )

    rec, statement = result.reconciliation, result.statement
    lines = [
        f"{title} 银行存款余额调节表",
        f"账户：{account_name(rec.account)}　截止日期：{rec.day}　对账单：{Path(statement.path).name}"
        f"（{statement.bank.name}格式，{len(statement.lines)} 笔，已勾对 {len(result.matching.pairs)} 笔）",
        "",
    ]
    for row in adjustment_table(rec).records():
        lines.append(
            f"  {_cell(row['book_item'], 24)}{row['book'] / 100:>16,.2f}    "
            f"{_cell(row['bank_item'], 24)}{row['bank'] / 100:>16,.2f}"
        )
    state = "相符" if rec.agrees else f"不符，相差 {rec.difference:,.2f} 元（VL207）"
    lines += ["", f"结果：调节后余额{state}"]
    if rec.unknown:
        lines.append(f"outstanding 中的凭证 {'、'.join(rec.unknown)} 在账上没有此账户的分录")
    items = list(items_table(rec).records())
    if items:
        lines += ["", "未达账项："]
        lines += [
            f"  {r['side']}  {r['day']}  {r['ref'] or '—'}  {r['text']}  {r['amount'] / 100:,.2f}"
            for r in items
        ]
    return "\n".join(lines) + "\n"


def _cell(text: str, width: int) -> str:
    from village_ledger.columns import display_width

    return text + " " * max(1, width - display_width(text))


def _layout_words(model: LedgerModel, statement: str, bank: str | None) -> tuple[str, ...]:
    """The statement's layout name and the words it is recognised by (农商行: 农商, 农村商业银行…)."""
    from village_ledger.bank.formats import load_formats
    from village_ledger.bank.statement import read_statement

    layout = read_statement(statement, load_formats(model.township_dir), bank).bank
    return (layout.name, *layout.match)


def _bank_account(model: LedgerModel, wanted: str | None, hint: Sequence[str] = ()) -> str:
    """The account `--account` names; without it, the only bank account, or the only one
    whose name holds the statement's layout name (a 农商行 statement: `10201-农商行`), else
    the only one holding one of the words the layout is recognised by (`10201-农商银行`)."""
    banks = sorted(
        info.name
        for info in model.chart
        if info.is_bank
        and not any(o.name.startswith(info.name + ":") for o in model.chart if o.is_bank)
    )
    if wanted is None:
        if len(banks) == 1:
            return banks[0]
        for word in hint:
            named = [name for name in banks if word in name.rpartition(":")[2]]
            if len(named) == 1:
                return named[0]
        raise click.UsageError(
            f"账上有 {len(banks)} 个银行账户，请用 --account 指定：{'、'.join(banks) or '无'}"
        )
    text = wanted.strip()
    for name in banks:
        if text in (name, model.chart.get(name).code):
            return name
    raise click.UsageError(
        f"--account “{wanted}”不是本村的银行存款明细科目（可用：{'、'.join(banks)}）"
    )


COMMANDS: list[click.Command] = [import_bank]
