"""Reading the custom directives of the ledger contract, with a precise complaint for each defect.

Every directive of ours is checked for its number of values and their types here, once, so the
rest of the model only sees well-formed records. What is wrong becomes a VL901 hit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from village_ledger.findings import Hit
from village_ledger.model import vocab
from village_ledger.money import CURRENCY

# how each directive's values read in Chinese, in order
SHAPES: dict[str, tuple[str, ...]] = {
    vocab.APPOINT: ("姓名", "职务"),
    vocab.LEAVE: ("姓名", "职务"),
    vocab.RELATIVE: ("姓名", "姓名", "关系"),
    vocab.RESOLUTION: ("决议编号", "会议类型", "事项", "金额"),
    vocab.POLICY: ("项目", "值"),
    vocab.SEAL: ("期间", "摘要值"),
    vocab.RECTIFY: ("规则代码", "凭证号或指令编号", "整改方式", "验收人", "整改凭证或决议"),
    vocab.CONTRACT: (
        "合同编号",
        "合同类型",
        "对方",
        "标的",
        "起始日期",
        "终止日期",
        "每期金额",
        "收付周期",
    ),
    vocab.CONTRACT_CHANGE: ("合同编号", "变更类型", "新值", "新值", "原因"),
    vocab.ASSET: ("资产编号", "名称", "类别", "原值"),
    vocab.DISPOSAL: ("资产编号", "处置方式", "处置金额"),
    vocab.PUBLIC_URL: ("网址",),
}
# how many of the last values a directive may leave out
OPTIONAL: dict[str, int] = {vocab.RECTIFY: 1, vocab.CONTRACT_CHANGE: 2}
# directives written in more than one form: each form's values, a literal word in 「」
FORMS: dict[str, tuple[tuple[str, ...], ...]] = {
    vocab.CONTRACT_CHANGE: (
        ("合同编号", "「续签」", "新终止日期", "新每期金额", "原因"),
        ("合同编号", "「变更」", "新每期金额", "原因"),
        ("合同编号", "「终止」", "原因"),
    ),
}

TYPE_NAMES: dict[type, str] = {
    str: "文字",
    Decimal: "数字",
    Amount: "金额",
    bool: "TRUE/FALSE",
    date: "日期",
}


def type_name(value: Any) -> str:
    return TYPE_NAMES.get(type(value), type(value).__name__)


class Directive(NamedTuple):
    """A custom directive of ours whose number of values is right."""

    kind: str
    day: date
    values: tuple[Any, ...]
    entry: data.Custom

    @property
    def meta(self) -> dict[str, Any]:
        return self.entry.meta


def bad(entry: data.Custom, message: str) -> Hit:
    return Hit(entry.meta, f"“{entry.type}”指令有误：{message}", entry.date)


def is_ours(entry: data.Custom) -> bool:
    """Custom types written in Chinese belong to the ledger contract; ASCII ones (fava-…) do not."""
    return entry.type in SHAPES or not entry.type.isascii()


def read_directive(entry: data.Custom) -> Directive | Hit:
    shape = SHAPES.get(entry.type)
    if shape is None:
        known = "、".join(vocab.DIRECTIVES)
        return Hit(entry.meta, f"未知的指令类型“{entry.type}”，应为：{known}", entry.date)
    values = tuple(v.value for v in entry.values)
    least = len(shape) - OPTIONAL.get(entry.type, 0)
    if not least <= len(values) <= len(shape):
        expected = " ".join(
            f"<{name}>" if i < least else f"[<{name}>]" for i, name in enumerate(shape)
        )
        count = f"{len(shape)}" if least == len(shape) else f"{least} 至 {len(shape)}"
        return bad(entry, f"应有 {count} 个值（{expected}），实有 {len(values)} 个")
    return Directive(entry.type, entry.date, values, entry)


def require_text(directive: Directive, positions: Sequence[int]) -> Hit | None:
    shape = SHAPES[directive.kind]
    for i in positions:
        value = directive.values[i]
        if not isinstance(value, str):
            return bad(
                directive.entry,
                f"第 {i + 1} 个值“{shape[i]}”应为带引号的文字，实为{type_name(value)} {value}",
            )
        if not value.strip():
            return bad(directive.entry, f"第 {i + 1} 个值“{shape[i]}”为空")
    return None


def require_choice(directive: Directive, position: int, choices: Sequence[str]) -> Hit | None:
    value = directive.values[position]
    if value in choices:
        return None
    name = SHAPES[directive.kind][position]
    return bad(directive.entry, f"{name}“{value}”不在规定范围内（{'、'.join(choices)}）")


def require_date(directive: Directive, position: int) -> Hit | None:
    value = directive.values[position]
    if isinstance(value, date):
        return None
    name = SHAPES[directive.kind][position]
    return bad(
        directive.entry,
        f"第 {position + 1} 个值“{name}”应为不带引号的日期（如 2025-03-01），"
        f"实为{type_name(value)} {value}",
    )


def require_amount(directive: Directive, position: int, name: str = "") -> Decimal | Hit:
    """A non-negative CNY amount at `position`, or the complaint."""
    value = directive.values[position]
    name = name or SHAPES[directive.kind][position]
    if not isinstance(value, Amount) or value.currency != CURRENCY or value.number is None:
        return bad(
            directive.entry,
            f"第 {position + 1} 个值“{name}”应为 CNY 金额（如 36000.00 CNY），"
            f"实为{type_name(value)} {value}",
        )
    if value.number < 0:
        return bad(directive.entry, f"“{name}”不能为负数（{value}）")
    return value.number
