"""`village-ledger verify`: does today's books still match the digest printed on a sheet?

The offline twin of the public server's verification page (`village_ledger.verification`):
the same verdict from the same seal state (`sealing.checked_seals`).
"""

from __future__ import annotations

import json
import sys
from typing import NoReturn

import click

from village_ledger.audit import BEANCOUNT_ONLY
from village_ledger.cli.common import audited_village, one_village
from village_ledger.cli.seal import parse_period
from village_ledger.model import Quarter

EXIT_MATCHES, EXIT_DIFFERS, EXIT_CANNOT_RUN = 0, 1, 2


def refuse(message: str) -> NoReturn:
    click.echo(f"无法核对：{message}", err=True)
    sys.exit(EXIT_CANNOT_RUN)


@click.command("verify")
@click.argument("ledger", type=click.Path())
@click.option(
    "--period",
    required=True,
    metavar="YYYYQn",
    callback=parse_period,
    help="公开表所属的季度，如 2026Q3。",
)
@click.option(
    "--digest",
    metavar="sha256:…",
    help="公开表上印的封存摘要；也可以粘贴扫描二维码得到的整段文字或网址。"
    "不给出时核对账簿中记录的封存摘要。",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式。",
)
def verify(ledger: str, period: Quarter, digest: str | None, fmt: str) -> None:
    """核对公开表上的封存摘要与今天的账簿是否一致。

    LEDGER 是一个村的 main.beancount 或村文件夹。退出码：0 一致（账簿与纸面摘要相符，
    公开以后未被改动）；1 不符（封存后账目被改动、纸面摘要与账簿记录的封存摘要不同，
    或账簿中没有该季度的封存记录）；2 无法核对（路径、季度或摘要写错，账簿无法读取）。
    """
    from village_ledger.sealing import checked_seals
    from village_ledger.verification import RecordedSeal, find_digest, judge

    paper = None
    if digest is not None:
        paper = find_digest(digest)
        if paper is None:
            refuse(f"“{digest}”中没有封存摘要（应为 sha256: 加 64 位数字和小写字母 a–f）")
    main = one_village(ledger, "{path} 下有 {count} 个村，verify 一次只核对一个村", refuse)
    village = audited_village(main, BEANCOUNT_ONLY, fail=refuse)
    model = village.model
    assert model is not None
    state = next((s for s in checked_seals(model) if s.quarter == period), None)
    seal = None
    if state is not None and state.seal is not None:
        seal = RecordedSeal(state.seal.digest, state.seal.day, state.intact, state.deadline)
    verdict = judge(paper, seal)
    title = model.title or model.village
    if fmt == "json":
        document = {
            "village": model.village,
            "title": title,
            "period": str(period),
            "paper_digest": paper,
            "sealed_digest": seal.digest if seal else None,
            "sealed_on": seal.day.isoformat() if seal else None,
            "late": seal.late if seal else None,
            "status": verdict.status,
            "matches": verdict.ok,
            "message": f"{verdict.headline}。{verdict.explanation}",
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{title} {period.label}（{period}）")
        if paper is not None:
            click.echo(f"纸面摘要：{paper}")
        if seal is not None:
            click.echo(f"账簿封存：{seal.day} 封存，摘要 {seal.digest}")
        click.echo(f"结论：{verdict.headline}")
        click.echo(verdict.explanation)
    sys.exit(EXIT_MATCHES if verdict.ok else EXIT_DIFFERS)


COMMANDS: list[click.Command] = [verify]
