"""`village-ledger`: the entry point. Flags are English; help about ledger concepts is Chinese.

Exit codes (docs/zh/guide.md, 命令): 0 no error finding, 1 at least one error finding, 2 could not run.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections import Counter
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from village_ledger import __version__
from village_ledger.audit import Audit, audit
from village_ledger.cli.progress import progress_bar
from village_ledger.cluster import ClusterError
from village_ledger.engine import CRASH, Selector
from village_ledger.findings import BEANCOUNT
from village_ledger.loading import LedgerError
from village_ledger.paths import PathError, find_villages
from village_ledger.registry import all_rules
from village_ledger.sealing import TodayError

if TYPE_CHECKING:
    from village_ledger.baseline import Applied, Baseline
    from village_ledger.findings import Finding

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2


class CannotLoad(click.ClickException):
    """A ledger that cannot be read at all: the message names the file, exit code 2."""

    exit_code = EXIT_CANNOT_RUN

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


# Each family of commands lives in its own module of `village_ledger.cli`, imported when one of
# its commands runs or help lists it: a check does not pay for every other command's imports.
ELSEWHERE = {
    "init": "init",
    "vouchers": "books",
    "books": "books",
    "depreciate": "period_end",
    "close": "period_end",
    "template": "vouchers_in",
    "import-vouchers": "vouchers_in",
    "import-bank": "bank",
    "seal": "seal",
    "verify": "verify",
    "disclose": "reports",
    "overview": "reports",
    "serve": "serve",
    "handover": "handover",
    "rule": "rule",
    "rectification": "rectification",
    "export": "data",
    "sql": "data",
}


class Commands(click.Group):
    """Every command: a ledger that cannot be loaded is a message and exit 2, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *ELSEWHERE})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = ELSEWHERE.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            for command in importlib.import_module(f"village_ledger.cli.{module}").COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LedgerError as exc:
            raise CannotLoad(str(exc)) from None


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="village-ledger")
def main() -> None:
    """村集体经济组织 Beancount 账簿的检查、财务公开与交接审计工具。"""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "junit", "sarif", "gitlab"]),
    default="text",
    help="输出格式：text（给人看）、json、github（CI 注释）、junit、sarif（代码扫描）、"
    "gitlab（GitLab 代码质量报告）。",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="并行检查的村数，默认为 CPU 核数。",
)
@click.option(
    "--select", multiple=True, metavar="CODES", help="只报告这些规则代码或前缀（如 VL1,VL402）。"
)
@click.option("--ignore", multiple=True, metavar="CODES", help="不报告这些规则代码或前缀。")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="基线文件：其中记录的发现不再报告，并说明其中有几条已不再出现。",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="把本次检查的未整改发现写入基线文件（与 --baseline 同用时只保留仍存在的旧发现，基线只减不增）。",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    envvar="DASK_SCHEDULER_ADDRESS",
    help="在已有的 Dask 集群上检查：调度器地址，如 tcp://10.0.0.5:8786（也可用环境变量 "
    "DASK_SCHEDULER_ADDRESS）。各村在集群的 worker 上检查，跨村规则在本机汇总；"
    "账簿须在各 worker 上的同一路径可读。",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="不使用结果缓存，每个村都重新读取检查（缓存位置见用户指南“结果缓存”）。",
)
def check(
    paths: tuple[str, ...],
    fmt: str,
    jobs: int | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    baseline: str | None,
    write_baseline: str | None,
    scheduler: str | None,
    no_cache: bool,
) -> None:
    """检查村账簿：Beancount 自身检查加全部规则（无论账簿是否启用插件）。

    PATH 可以是村的 main.beancount、村文件夹，或包含多个村文件夹的目录。
    已整改（账簿中有“整改”记录并经有权人员验收）的发现标为已整改，不算错误。
    """
    try:
        mains = find_villages(list(paths))
        for main_file in mains:
            _ensure_readable(main_file)
    except PathError as exc:
        raise click.UsageError(str(exc)) from None
    selector = Selector.parse(select, ignore)
    _reject_unknown_codes(selector)
    old = _read_baseline(baseline) if baseline else None
    _check_writable(write_baseline)
    cache = None
    if not no_cache:
        from village_ledger.cache import ResultCache  # imported only when a run uses it

        cache = ResultCache.default()
    try:
        with progress_bar(len(mains), "检查") as progress:
            run = audit(
                mains,
                selector,
                jobs=jobs or os.cpu_count() or 1,
                keep_models=False,
                cache=cache,
                scheduler=scheduler or None,
                progress=progress,
            )
    except TodayError as exc:
        raise click.UsageError(str(exc)) from None
    except ClusterError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    note = ""
    if baseline or write_baseline:
        shown, note = _apply_baselines(run.findings, baseline, old, write_baseline)
        run = Audit(run.villages, shown, run.as_of)
    out = sys.stdout
    if fmt in ("sarif", "gitlab"):
        from village_ledger.cli.scanning import write_gitlab, write_sarif

        (write_sarif if fmt == "sarif" else write_gitlab)(run.findings, out)
    elif fmt == "json":
        from village_ledger.cli.output import write_json

        write_json(run, out)
    elif fmt == "github":
        from village_ledger.cli.output import write_github

        write_github(run, out)
    elif fmt == "junit":
        from village_ledger.cli.output import write_junit

        write_junit(run, out)
    else:
        from rich.console import Console

        from village_ledger.cli.output import write_text

        write_text(run, Console(highlight=False, soft_wrap=True))
    if note:
        click.echo(note, err=fmt != "text")
    sys.exit(EXIT_FINDINGS if run.has_errors else EXIT_OK)


def _apply_baselines(
    findings: list[Finding], path: str | None, old: Baseline | None, write_to: str | None
) -> tuple[list[Finding], str]:
    """The findings a check shows once `--baseline` (read before the check into `old`) and
    `--write-baseline` are applied, and the note that says what they did."""
    from village_ledger.baseline import Baseline, apply_baseline, write_baseline
    from village_ledger.writing import WriteRefused

    applied = apply_baseline(findings, old or Baseline(Counter()))
    note = _baseline_note(path, old, applied)
    if write_to:
        # with --baseline, only what it already held: a baseline never takes new findings in
        kept = applied.baselined if old is not None else [f for f in findings if f.is_open]
        try:
            count = write_baseline(Path(write_to), kept)
        except WriteRefused as exc:
            click.echo(f"错误：{exc}", err=True)
            sys.exit(EXIT_CANNOT_RUN)
        applied = apply_baseline(findings, Baseline(Counter(f.fingerprint for f in kept)))
        note += f"已写入基线 {write_to}：{count} 条发现。"
    return applied.shown, note


def _read_baseline(path: str) -> Baseline:
    from village_ledger.baseline import BaselineError, read_baseline

    try:
        return read_baseline(Path(path))
    except BaselineError as exc:
        raise click.UsageError(str(exc)) from None


def _check_writable(path: str | None) -> None:
    if path is not None and not Path(path).resolve().parent.is_dir():
        raise click.UsageError(f"基线文件所在目录不存在：{Path(path).parent}")


def _baseline_note(path: str | None, old: Baseline | None, applied: Applied) -> str:
    if old is None:
        return ""
    note = f"基线 {path}：{len(applied.baselined)} 条发现已在基线中，不再报告"
    if applied.gone:
        note += (
            f"；基线中有 {applied.gone} 条已不再出现（已更正或已整改），"
            f"可运行 --baseline {path} --write-baseline {path} 缩减基线"
        )
    return note + "。"


def _ensure_readable(path: os.PathLike[str]) -> None:
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise PathError(f"无法读取 {path}：{exc.strerror}") from None


def _reject_unknown_codes(selector: Selector) -> None:
    known = [r.code for r in all_rules()] + [BEANCOUNT, CRASH]
    for prefix in selector.select + selector.ignore:
        if not any(code.startswith(prefix) for code in known):
            raise click.UsageError(
                f"未知的规则代码：{prefix}（用 village-ledger rules 查看全部代码）"
            )


@main.command("rules")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    help="输出格式：text、json、markdown（README 与用户指南中的规则表）。",
)
def list_rules(fmt: str) -> None:
    """列出全部规则代码、中文名称、严重程度及所读取的财务制度项目（详见 village-ledger rule 代码）。"""
    if fmt == "markdown":
        from village_ledger.catalogue import table_markdown

        click.echo(table_markdown(), nl=False)
        return
    rules = all_rules()
    if fmt == "json":
        import json

        records = [
            {
                "rule": r.code,
                "title": r.title,
                "severity": str(r.severity),
                "family": r.family.title,
                "plugin": f"village_ledger.plugins.{r.family.module}",
                "policy": list(r.reads),
                "description": r.doc,
            }
            for r in rules
        ]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True)
    family = None
    for r in rules:
        if r.family != family:
            family = r.family
            console.print(
                f"\n[bold]{family.prefix}xx {family.title}[/]  "
                f'(plugin "village_ledger.plugins.{family.module}")'
            )
        level = "错误" if r.is_error else "预警"
        reads = f"  [dim]读取：{'、'.join(r.reads)}[/]" if r.reads else ""
        console.print(f"  {r.code}  {level}  {r.title}{reads}")
    from village_ledger.catalogue import BUILTINS

    console.print()
    for builtin in BUILTINS:
        console.print(f"  {builtin.code}  错误  {builtin.title}")
    console.print("\n  [dim]village-ledger rule 代码：一条规则的详细说明与示例[/]")
