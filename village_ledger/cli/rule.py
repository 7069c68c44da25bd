"""`village-ledger rule CODE`: one code explained, in Chinese, ruff-style.

The text is the rule's own `Explanation` (kept with the rule in its plugin module), laid out by
`village_ledger.catalogue` as Markdown and shown with rich; `--format json` gives its parts.
"""

from __future__ import annotations

import json
import sys

import click

from village_ledger.catalogue import (
    entries,
    example_setting,
    explanation_json,
    explanation_markdown,
    lookup,
)

EXIT_CANNOT_RUN = 2


@click.command("rule")
@click.argument("code", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    help="输出格式：text（终端排版）、markdown、json。",
)
def rule(code: str | None, fmt: str) -> None:
    """说明一条规则：检查什么、为什么、读取哪些财务制度项目、合规与违规示例、本项目的约定。

    CODE 是规则代码，如 VL106；BEANCOUNT 是 Beancount 自身检查，VL900 是规则执行出错。
    """
    if not code:
        click.echo(
            "请给出规则代码，如 village-ledger rule VL106；village-ledger rules 列出全部代码。",
            err=True,
        )
        sys.exit(EXIT_CANNOT_RUN)
    entry = lookup(code)
    if entry is None:
        known = "、".join(e.code for e in entries())
        click.echo(f"未知的规则代码：{code}。已有的代码：{known}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    if fmt == "json":
        click.echo(json.dumps(explanation_json(entry), ensure_ascii=False, indent=2))
        return
    text = explanation_markdown(entry, level=1)
    if entry.explanation and entry.explanation.compliant:
        text += f"\n---\n\n{example_setting()}\n"
    if fmt == "markdown":
        click.echo(text)
        return
    # rich's Markdown (markdown-it) costs every command's start-up if imported above
    from rich.console import Console
    from rich.markdown import Markdown

    Console(highlight=False).print(Markdown(text, code_theme="ansi_light"))


COMMANDS = (rule,)
