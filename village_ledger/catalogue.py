"""The catalogue of every code a finding can carry, with its Chinese explanation.

The rules' explanations live with the rules (`@rule(..., explain=Explanation(...))` in
`plugins/<family>.py`); this module adds the two codes no rule owns — `BEANCOUNT` (Beancount's own
checks) and `VL900` (a rule that crashed) — and lays the explanations out as Markdown, which
`village-ledger rule CODE` prints and `scripts/generate_docs.py` writes into the README and the
user guide (`docs/zh/`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from village_ledger.engine import CRASH
from village_ledger.findings import BEANCOUNT, SEVERITY_ZH, Severity
from village_ledger.model.policy import ITEMS, show
from village_ledger.registry import Explanation, Rule, all_rules, family_label

# The example village every rule's examples are appended to (tests/support.py builds it): the
# township chart and policy, these officers in office from 2024-01-01, 500,000.00 元 in the bank
# account Assets:102-银行存款:10201-农商行 and 2,000.00 元 of cash on 2024-01-01.
EXAMPLE_ROSTER = {
    "书记": "王建国",
    "主任": "李红梅",
    "监委会主任": "赵德明",
    "理财小组": "钱秀英",
    "会计": "孙立新",
    "出纳": "周小燕",
    "报账员": "吴志强",
    "委员": "郑国庆",
}


def example_setting() -> str:
    """The example village, as the reader of an example needs to know it."""
    officers = "、".join(f"{role} {person}" for role, person in EXAMPLE_ROSTER.items())
    return (
        "示例是追加在一个示例村账簿后面的账目。示例村引用乡镇标准科目表和财务制度（默认值），"
        f"2024-01-01 起在任：{officers}；"
        "银行存款 `Assets:102-银行存款:10201-农商行` 期初 500,000.00 元，库存现金期初 2,000.00 元。"
    )


@dataclass(frozen=True)
class Builtin:
    """A code that no rule of a plugin owns: Beancount's own checks, a crashed rule."""

    code: str
    title: str
    severity: Severity
    explanation: Explanation
    reads: tuple[str, ...] = ()
    plugin: str | None = None

    @property
    def label(self) -> str:
        return family_label(self.code) if self.code == BEANCOUNT else "规则执行"


@dataclass(frozen=True)
class Entry:
    """One code of the catalogue as the reader sees it, whether a rule or a built-in code."""

    code: str
    title: str
    severity: Severity
    label: str  # the family, e.g. `VL1xx 审批`
    plugin: str | None  # the plugin module that enforces it, if any
    reads: tuple[str, ...]
    explanation: Explanation | None

    @classmethod
    def of_rule(cls, rule: Rule) -> Entry:
        plugin = f"village_ledger.plugins.{rule.family.module}"
        return cls(
            rule.code,
            rule.title,
            rule.severity,
            family_label(rule.code),
            plugin,
            rule.reads,
            rule.explanation,
        )

    @classmethod
    def of_builtin(cls, builtin: Builtin) -> Entry:
        return cls(
            builtin.code,
            builtin.title,
            builtin.severity,
            builtin.label,
            builtin.plugin,
            builtin.reads,
            builtin.explanation,
        )

    @property
    def severity_zh(self) -> str:
        return SEVERITY_ZH[str(self.severity)]


BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        BEANCOUNT,
        "Beancount 自身检查",
        Severity.ERROR,
        Explanation(
            checks=(
                "Beancount 读账时自己发现的错误：语法错误、借贷不平衡的凭证、余额断言（`balance`）"
                "与账面不符、使用未开设或已关闭的科目、`include` 的文件不存在等。"
                "这些错误的代码是 `BEANCOUNT`，级别为错误。"
            ),
            why=(
                "账簿先要能读、借贷先要平衡，其余规则才有意义。余额断言就是现金盘点、"
                "银行对账单在账上的记录，对不上说明账实不符。"
            ),
            compliant=(
                '2025-03-05 * "梅川县供电公司" "缴纳2月份村部电费"\n'
                '  voucher: "2025-03-001"\n'
                '  handler: "吴志强"\n'
                '  reviewer: "赵德明"\n'
                '  approver: "李红梅"\n'
                '  invoice: "25332000000041230101"\n'
                "  Expenses:513-管理费用:51305-水电费  320.00 CNY\n"
                "  Assets:102-银行存款:10201-农商行  -320.00 CNY\n"
            ),
            offending=(
                '2025-03-05 * "梅川县供电公司" "缴纳2月份村部电费"\n'
                '  voucher: "2025-03-001"\n'
                '  handler: "吴志强"\n'
                '  reviewer: "赵德明"\n'
                '  approver: "李红梅"\n'
                '  invoice: "25332000000041230101"\n'
                "  Expenses:513-管理费用:51305-水电费  320.00 CNY\n"
                "  Assets:102-银行存款:10201-农商行  -302.00 CNY\n"
            ),
            decisions=(
                "Beancount 的错误一律按错误处理，`check` 的退出码为 1；"
                "它们与规则的发现一起按文件和行号列出。",
                "账簿读不下去（如文件不是 UTF-8 编码、`include` 的文件不存在）时，"
                "仍报告在出错的文件和行上，而不是让命令崩溃。",
            ),
            fix="按提示的文件和行号改正；借贷不平衡时核对凭证金额，余额断言不符时核对现金盘点或对账单。",
        ),
    ),
    Builtin(
        CRASH,
        "规则执行出错",
        Severity.ERROR,
        Explanation(
            checks=(
                "某条规则在检查这本账时出错（village-ledger 自身的缺陷，或账簿中有规则没有料到的写法）。"
                "发现写明是哪条规则、正在看哪一笔账；其余规则照常检查。"
            ),
            why=(
                "一条规则出错不能让其他规则的发现消失，更不能让检查“通过”：审计看到的必须是完整的结果。"
            ),
            compliant="",
            offending="",
            decisions=(
                "一条规则出错只报一条 VL900，级别为错误，`check` 的退出码为 1。",
                "建立账簿模型时出错也报 VL900（“建立账簿模型”），Beancount 自身的错误仍然照常报告。",
                "VL900 没有示例：正常的账簿不应触发它。遇到时请把出错的账目和提示报告给维护者。",
            ),
            fix="把提示中的文件、行号和错误信息报告给 village-ledger 的维护者。",
        ),
    ),
)


def entries() -> list[Entry]:
    """Every code, in code order: BEANCOUNT, the rules, VL900 among them."""
    found = [Entry.of_rule(r) for r in all_rules()] + [Entry.of_builtin(b) for b in BUILTINS]
    return sorted(found, key=lambda e: e.code)


def lookup(code: str) -> Entry | None:
    wanted = code.strip().upper()
    return next((e for e in entries() if e.code == wanted), None)


# ---- Markdown: the one layout of an explanation, for the terminal and for the docs ----


def anchor(code: str) -> str:
    return code.lower()


def reads_cell(reads: tuple[str, ...]) -> str:
    if set(reads) == set(ITEMS):
        return "全部财务制度项目"
    return "、".join(reads)


def table_markdown(link: str | None = None) -> str:
    """The rule table of the README and the guide; `link` is the catalogue's path from there."""
    lines = ["| 代码 | 级别 | 规则 | 所属 | 读取的财务制度 |", "|---|---|---|---|---|"]
    for e in entries():
        code = f"[{e.code}]({link}#{anchor(e.code)})" if link else e.code
        lines.append(
            f"| {code} | {e.severity_zh} | {e.title} | {e.label} | {reads_cell(e.reads)} |"
        )
    return "\n".join(lines) + "\n"


def policy_rows(reads: tuple[str, ...]) -> list[str]:
    rows = ["| 项目 | 乡镇默认值 | 含义 |", "|---|---|---|"]
    for key in reads:
        item = ITEMS[key]
        rows.append(f"| {key} | {show(item, item.default)} | {item.meaning} |")
    return rows


def explanation_markdown(entry: Entry, level: int = 2) -> str:
    """One code explained: what, why, the policy it reads, two examples, the project's decisions."""
    h, sub = "#" * level, "#" * (level + 1)
    parts = [f"{h} {entry.code} {entry.title}", ""]
    where = f" · 插件 `{entry.plugin}`" if entry.plugin else ""
    parts += [f"**{entry.severity_zh}** · {entry.label}{where}", ""]
    ex = entry.explanation
    if ex is None:
        return "\n".join([*parts, "（尚无说明）", ""])
    parts += [f"{sub} 检查什么", "", ex.checks, "", f"{sub} 为什么", "", ex.why, ""]
    if entry.reads:
        parts += [f"{sub} 读取的财务制度", "", *policy_rows(entry.reads), ""]
    if ex.compliant:
        parts += [f"{sub} 合规示例", "", "```beancount", ex.compliant.rstrip("\n"), "```", ""]
    if ex.offending:
        parts += [f"{sub} 违规示例", "", "```beancount", ex.offending.rstrip("\n"), "```", ""]
    if ex.fix:
        parts += [f"{sub} 如何改正", "", ex.fix, ""]
    parts += [f"{sub} 本项目的约定", "", *(f"- {d}" for d in ex.decisions), ""]
    return "\n".join(parts)


def catalogue_markdown() -> str:
    """The whole rule catalogue of the user guide (docs/zh/rule-catalogue.md)."""
    parts = [
        "# 规则目录",
        "",
        "<!-- 本文件由 scripts/generate_docs.py 根据各规则的说明生成，请勿手工修改。 -->",
        "",
        "每条规则都有固定的代码，代码一经发布含义不变。命令行中 `village-ledger rule 代码` "
        "显示同样的说明；`village-ledger rules` 列出全部代码。",
        "",
        example_setting(),
        "",
    ]
    for e in entries():
        parts += [f'<a id="{anchor(e.code)}"></a>', "", explanation_markdown(e)]
    return "\n".join(parts).rstrip("\n") + "\n"


def explanation_json(entry: Entry) -> dict[str, Any]:
    ex = entry.explanation
    return {
        "rule": entry.code,
        "title": entry.title,
        "severity": str(entry.severity),
        "family": entry.label,
        "plugin": entry.plugin,
        "policy": [
            {"key": k, "default": show(ITEMS[k], ITEMS[k].default), "meaning": ITEMS[k].meaning}
            for k in entry.reads
        ],
        "checks": ex.checks if ex else "",
        "why": ex.why if ex else "",
        "compliant": ex.compliant if ex else "",
        "offending": ex.offending if ex else "",
        "fix": ex.fix if ex else "",
        "decisions": list(ex.decisions) if ex else [],
    }
