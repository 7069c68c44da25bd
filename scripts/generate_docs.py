"""Write the parts of the documentation that are generated from the code, so they cannot drift.

    .venv/bin/python scripts/generate_docs.py          # rewrite them (also: make docs)
    .venv/bin/python scripts/generate_docs.py --check  # exit 1 naming the stale files (a test runs this)

- `docs/zh/rule-catalogue.md`, whole: every code's explanation (`village_ledger.catalogue`).
- Regions of any Markdown file of README.md and docs/ between
  `<!-- BEGIN GENERATED name -->` and `<!-- END GENERATED name -->`, where name is one of
  `rule-table` (the codes, linking to the catalogue), `chart` (the standard chart of
  `ledgers/township/chart.beancount`), `policy` (the policy items and the rules reading them),
  `directives` and `roles` (the custom directives and the roles of `village_ledger.model.vocab`),
  `commands` (every command of `village-ledger` and its options, from the click definitions).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import click
from beancount.core import data
from beancount.parser import parser

from village_ledger.catalogue import catalogue_markdown, entries, table_markdown
from village_ledger.cli.main import main as cli
from village_ledger.model import vocab
from village_ledger.model.directives import FORMS, OPTIONAL, SHAPES
from village_ledger.model.policy import INTEGER_UNITS, ITEMS, PolicyItem, show

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = REPO / "docs/zh/rule-catalogue.md"
CHART = REPO / "ledgers" / "township" / "chart.beancount"
REGION = re.compile(
    r"(<!-- BEGIN GENERATED (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- END GENERATED (?P=name) -->)",
    re.S,
)
KINDS = {
    "integer": "整数（天）",
    "amount": "金额（带 CNY）",
    "decimal": "小数",
    "boolean": "是/否（写 TRUE 或 FALSE）",
}
KINDS["keywords"] = "关键词（逗号分隔）"


def rule_table(path: Path) -> str:
    return table_markdown(os.path.relpath(CATALOGUE, path.parent))


def chart_table(path: Path) -> str:
    entries_, errors, _ = parser.parse_file(str(CHART))
    if errors:
        raise SystemExit(f"{CHART}: {errors[0].message}")
    lines = [
        "| 代码 | 科目 | 类 | 规则用的类别 |",
        "|---|---|---|---|",
    ]
    for entry in entries_:
        if not isinstance(entry, data.Open):
            continue
        meta = entry.meta
        marks = [f"`category: {meta['category']}`"] if meta.get("category") else []
        if meta.get("contra"):
            marks.append("备抵科目（贷方余额）")
        depth = entry.account.count(":") - 1
        name = entry.account.rsplit(":", 1)[1].split("-", 1)[1]
        indent = "　" * depth
        lines.append(
            f"| {meta.get('code', '')} | {indent}{name} | {meta.get('kind', '')} "
            f"| {'；'.join(marks)} |"
        )
    return "\n".join(lines) + "\n"


def policy_table(path: Path) -> str:
    readers: dict[str, list[str]] = {key: [] for key in ITEMS}
    for entry in entries():
        if set(entry.reads) == set(ITEMS):
            continue  # VL902 compares every item
        for key in entry.reads:
            readers[key].append(entry.code)
    lines = [
        "| 项目 | 类型 | 默认值 | 写法示例 | 含义 | 读取它的规则 |",
        "|---|---|---|---|---|---|",
    ]
    for key, item in ITEMS.items():
        rules = "、".join(readers[key])
        written = f'`custom "财务制度" "{key}" {as_written(item.kind, item.default)}`'
        lines.append(
            f"| {key} | {kind_label(item)} | {show(item, item.default)} | {written} "
            f"| {item.meaning} | {rules} |"
        )
    return "\n".join(lines) + "\n"


def kind_label(item: PolicyItem) -> str:
    """How the guide names an item's type: an integer with its unit (天, 年, 人)."""
    if item.kind == "integer":
        unit = next((u for end, u in INTEGER_UNITS.items() if item.key.endswith(end)), "")
        return f"整数（{unit}）" if unit else "整数"
    return KINDS[item.kind]


def directive_table(path: Path) -> str:
    lines = ["| 指令 | 写法 |", "|---|---|"]
    for kind in vocab.DIRECTIVES:
        if kind in FORMS:
            for form in FORMS[kind]:
                values = [written_value(name) for name in form]
                lines.append(f'| `{kind}` | `日期 custom "{kind}" {" ".join(values)}` |')
            continue
        shape = SHAPES[kind]
        optional = OPTIONAL.get(kind, 0)
        values = [
            f"[{written_value(name)}]" if i >= len(shape) - optional else written_value(name)
            for i, name in enumerate(shape)
        ]
        lines.append(f'| `{kind}` | `日期 custom "{kind}" {" ".join(values)}` |')
    return "\n".join(lines) + "\n"


def written_value(name: str) -> str:
    """A directive's value as the ledger writes it: text in quotes, an amount with its currency."""
    if name.startswith("「"):
        return f'"{name[1:-1]}"'  # a literal word of the form
    if name == "金额" or name.endswith("金额") or name == "原值":
        return f"<{name}> CNY"
    if name.endswith("日期"):
        return f"<{name}>"  # YYYY-MM-DD, unquoted
    if name == "值":
        return "<值>"  # a policy value: an amount, a number, TRUE/FALSE or quoted text
    return f'"<{name}>"'


def role_table(path: Path) -> str:
    def mark(role: str, roles: frozenset[str]) -> str:
        return "✓" if role in roles else ""

    def titles(role: str) -> str:
        return "、".join(f"`{t}`" for t, r in vocab.ROLE_TITLES.items() if r == role)

    lines = [
        "| 职务 | 也可写作 | 审批支出 | 审核支出 | 验收整改 | 只在乡镇文件中任命 |",
        "|---|---|---|---|---|---|",
    ]
    for role in vocab.ROLES:
        lines.append(
            f"| `{role}` | {titles(role)} | {mark(role, vocab.APPROVING_ROLES)} "
            f"| {mark(role, vocab.REVIEWING_ROLES)} "
            f"| {mark(role, vocab.ACCEPTING_ROLES)} | {mark(role, vocab.TOWNSHIP_ROLES)} |"
        )
    return "\n".join(lines) + "\n"


def as_written(kind: str, value: object) -> str:
    """A policy value as a `财务制度` directive writes it."""
    if kind == "amount":
        return f"{value} CNY"
    if kind == "boolean":
        return "TRUE" if value else "FALSE"
    if kind == "keywords" and isinstance(value, tuple):
        return '"' + ",".join(value) + '"'
    return str(value)


def commands_reference(path: Path) -> str:
    parts: list[str] = []
    with click.Context(cli, info_name="village-ledger") as ctx:
        for name in sorted(cli.list_commands(ctx)):
            command = cli.get_command(ctx, name)
            assert command is not None
            with click.Context(command, info_name=name, parent=ctx) as sub:
                usage = " ".join(command.collect_usage_pieces(sub))
            parts += [f"### village-ledger {name}", "", "```", f"village-ledger {name} {usage}"]
            parts += ["```", "", inspect_help(command.help or ""), ""]
            options = [p for p in command.params if isinstance(p, click.Option)]
            if options:
                parts += ["| 选项 | 说明 |", "|---|---|"]
                for option in options:
                    flags = ", ".join(f"`{o}`" for o in option.opts + option.secondary_opts)
                    text = (option.help or "—").replace("|", "\\|")
                    if isinstance(option.type, click.Choice):
                        text += f"（可选：{'、'.join(map(str, option.type.choices))}）"
                    if option.required:
                        text = f"**必填。** {text}"
                    parts.append(f"| {flags} | {text} |")
                parts.append("")
    return "\n".join(parts).rstrip("\n") + "\n"


def inspect_help(text: str) -> str:
    """Click's help as Markdown paragraphs. Its lines break inside Chinese sentences, where a
    Markdown line break would show as a space: the lines of a paragraph are joined directly."""
    paragraphs = text.replace("\b", "").strip().split("\n\n")
    return "\n\n".join("".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def export_tables(path: Path) -> str:
    """The tables `village-ledger export` writes, each with its columns (village_ledger.export)."""
    from village_ledger.export import TABLES

    kinds = {"string": "文本", "date": "日期", "decimal": "金额", "int": "整数", "bool": "是/否"}
    parts = []
    for table, columns in TABLES.items():
        rows = [f"| `{name}` | {kinds[kind]} | {text} |" for name, kind, text in columns]
        parts.append(f"**`{table}`**\n\n| 列 | 类型 | 含义 |\n|---|---|---|\n" + "\n".join(rows))
    partition = "每个表另有 `county`（县）、`township`（乡镇）、`village`（村文件夹名）三列，来自分区文件夹。"
    return "\n\n".join(parts) + "\n\n" + partition


GENERATORS: dict[str, Callable[[Path], str]] = {
    "rule-table": rule_table,
    "chart": chart_table,
    "policy": policy_table,
    "directives": directive_table,
    "roles": role_table,
    "commands": commands_reference,
    "export-tables": export_tables,
}


def regenerated(path: Path) -> str:
    text = path.read_text(encoding="utf-8")

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in GENERATORS:
            raise SystemExit(f"{path}: unknown generated region {name!r}")
        # blank lines around the content keep a table from running into the closing marker
        return f"{match.group(1)}\n{GENERATORS[name](path)}\n{match.group(4)}"

    return REGION.sub(fill, text)


def documents() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]


def main(check: bool) -> int:
    wanted = {path: regenerated(path) for path in documents() if path != CATALOGUE}
    wanted[CATALOGUE] = catalogue_markdown()
    stale = [
        path
        for path, text in wanted.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if check:
        for path in stale:
            print(f"stale: {path.relative_to(REPO)} (run: make docs)")
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted[path], encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
