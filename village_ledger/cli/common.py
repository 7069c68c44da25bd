"""What the report commands (disclose, overview, handover, seal) share: the LEDGER a user names,
a date typed on the command line, and where the output goes (-o or the screen)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from village_ledger.paths import PathError, find_villages

if TYPE_CHECKING:
    from village_ledger.audit import VillageAudit
    from village_ledger.engine import Selector


def usage_error(message: str) -> NoReturn:
    raise click.UsageError(message)


def village_mains(path: str) -> list[Path]:
    """The main files of the villages at PATH; a path that names no ledger is a usage error."""
    try:
        return find_villages([path])
    except PathError as exc:
        raise click.UsageError(str(exc)) from None


def one_village(path: str, too_many: str, fail: Callable[[str], NoReturn] = usage_error) -> Path:
    """The main file of the one village at PATH. Any other count of villages calls `fail` with
    `too_many`, where {path} and {count} are filled in."""
    mains = village_mains(path)
    if len(mains) != 1:
        fail(too_many.format(path=path, count=len(mains)))
    return mains[0]


def readable_village(path: str, too_many: str) -> Path:
    """`one_village`, and a usage error if its main file cannot be read."""
    main = one_village(path, too_many)
    try:
        with open(main, "rb"):
            pass
    except OSError as exc:
        raise click.UsageError(f"无法读取 {main}：{exc.strerror}") from None
    return main


def option_date(text: str, example: str, option: str = "--date") -> date:
    """The value of a date option, or a usage error showing how to write one, like `example`."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.UsageError(
            f"{option} “{text}”不是日期，应写作 YYYY-MM-DD（如 {example}）"
        ) from None


def check_output(fmt: str, out: str | None, to_screen: tuple[str, ...]) -> None:
    """Before any work: formats other than `to_screen` need -o, and the file a folder to go in."""
    if out is None and fmt not in to_screen:
        shown = "、".join(to_screen)
        raise click.UsageError(f"{fmt} 格式须用 -o 指定输出文件（{shown} 可直接输出到屏幕）")
    if out is not None and not Path(out).resolve().parent.exists():
        raise click.UsageError(f"输出目录不存在：{Path(out).parent}")


def write_output(data: bytes, fmt: str, out: str | None) -> None:
    """The report to the -o file, or to the screen without it."""
    if out is None:
        click.echo(data, nl=False)
        return
    target = Path(out)
    # a BOM lets Excel open a Chinese CSV file as UTF-8
    target.write_bytes(b"\xef\xbb\xbf" + data if fmt == "csv" else data)


def audited_village(
    main: Path,
    selector: Selector | None = None,
    as_of: date | None = None,
    fail: Callable[[str], NoReturn] = usage_error,
) -> VillageAudit:
    """The audit of the one village at `main` (`village_ledger.audit`), its model built. A day
    that cannot be read or a model that cannot be built calls `fail` with the reason."""
    from village_ledger.audit import ALL, audit
    from village_ledger.sealing import TodayError

    try:
        run = audit([main], selector or ALL, as_of)
    except TodayError as exc:
        fail(str(exc))
    village = run.villages[0]
    if village.model is None:
        crash = next((f.message for f in village.findings if f.rule == "VL900"), "")
        fail(f"无法读取账簿 {main}：{crash}")
    return village
