"""What the commands that add vouchers share (`depreciate`, `close`, `import-vouchers`): the
village audited before, the candidate entries judged with the books (`village_ledger.entries`),
their findings printed, and the one atomic write with `--write`.

Errors (Beancount's or a rule's) the entries bring refuse the write: exit 1, nothing written.
Warnings are printed and do not stop it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import click

from village_ledger.audit import VillageAudit
from village_ledger.cli.common import audited_village, one_village
from village_ledger.entries import Candidate, Entry, Placed, check_candidate, write_candidate
from village_ledger.findings import SEVERITY_ZH, Finding
from village_ledger.writing import WriteRefused

EXIT_FINDINGS, EXIT_CANNOT_RUN = 1, 2


def refuse(message: str) -> NoReturn:
    click.echo(f"无法完成：{message}", err=True)
    sys.exit(EXIT_CANNOT_RUN)


def village_for_adding(ledger: str) -> VillageAudit:
    """The one village at LEDGER, audited, its model built; refused while Beancount cannot
    read its books (entries added to broken books could not be judged)."""
    main = one_village(ledger, "{path} 下有 {count} 个村，一次只能处理一个村", refuse)
    village = audited_village(Path(main), fail=refuse)
    errors = village.beancount_errors
    if errors:
        first = errors[0]
        source = getattr(first, "source", None) or {}
        refuse(
            f"{source.get('filename', main)}:{source.get('lineno', 0)}  {first.message}；"
            f"账簿有 {len(errors)} 处 Beancount 错误，改正后才能继续"
        )
    return village


def finding_line(finding: Finding) -> str:
    severity = SEVERITY_ZH.get(str(finding.severity), str(finding.severity))
    return f"{finding.rule} {severity}：{finding.message}"


def emit(
    village: VillageAudit,
    entries: Sequence[Entry],
    write: bool,
    label: Callable[[Placed], str] | None = None,
) -> Candidate:
    """Print the entries and what they bring; with `write`, append them unless an error
    refuses it. `label` names a placed entry in the messages (default: its voucher number)."""
    assert village.model is not None
    candidate = check_candidate(village.model, entries, village.findings)
    click.echo(candidate.text, nl=False)
    name = label or voucher_label
    for placed in candidate.placed:
        for finding in candidate.on(placed):
            click.echo(f"{name(placed)}：{finding_line(finding)}", err=True)
    for finding in candidate.elsewhere:
        where = f"{finding.display_file()}:{finding.line}"
        click.echo(f"加入这些凭证后，{where}：{finding_line(finding)}", err=True)
    if candidate.refused:
        click.echo(f"有 {len(candidate.refused)} 处错误，凭证未写入；改正后重新运行。", err=True)
        sys.exit(EXIT_FINDINGS)
    if not write:
        click.echo("（未写入；加 --write 把以上凭证追加到账簿）", err=True)
        return candidate
    try:
        written = write_candidate(candidate)
    except WriteRefused as exc:
        refuse(str(exc))
    for target in written:
        count = sum(1 for p in candidate.placed if p.file == target)
        click.echo(f"已追加 {count} 张凭证到 {target}", err=True)
    return candidate


def voucher_label(placed: Placed) -> str:
    number = dict(placed.entry.meta).get("voucher", "").strip('"')
    return f"凭证 {number}" if number else f"{placed.entry.day} 的凭证"
