"""The 财务制度: the value of each policy item on a date.

A `财务制度` item applies from its date until a later item with the same key replaces it. Items
in the township's shared files set the ceiling; a village may tighten an item in its own files
but not loosen it: a looser village value is a VL902 hit and the township's value applies. Where
the township sets nothing, the defaults in `ITEMS` are the ceiling.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core.amount import Amount

from village_ledger.findings import Hit
from village_ledger.model.directives import Directive, bad, require_text, type_name
from village_ledger.money import CURRENCY, fmt_yuan

Value = Any


class PolicyItem(NamedTuple):
    key: str
    kind: str  # amount | integer | decimal | boolean | keywords
    default: Value
    strictest: Callable[[Value, Value], Value]
    meaning: str


def _keywords(text: str) -> tuple[str, ...]:
    parts = (p.strip() for p in text.replace("，", ",").replace("、", ",").split(","))
    return tuple(p for p in parts if p)


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(k for k in b if k not in a)


D = Decimal
ITEMS: dict[str, PolicyItem] = {
    item.key: item
    for item in (
        PolicyItem("现金支付限额", "amount", D("1000.00"), min, "单笔现金支付上限"),
        PolicyItem("库存现金限额", "amount", D("5000.00"), min, "库存现金过夜上限"),
        PolicyItem("现金存行天数", "integer", 3, min, "现金收入存入银行的天数"),
        PolicyItem("借支期限天数", "integer", 30, min, "个人借支最长未结天数"),
        PolicyItem("两委联席会议限额", "amount", D("2000.00"), min, "须两委联席会议决议的支出额"),
        PolicyItem("村民代表会议限额", "amount", D("10000.00"), min, "须村民代表会议决议的支出额"),
        PolicyItem("拆分支付窗口天数", "integer", 7, max, "认定拆分支付的天数窗口"),
        PolicyItem("票据最长间隔天数", "integer", 180, min, "发票日期早于记账日期的最长天数"),
        PolicyItem("招待费年度限额", "amount", D("3000.00"), min, "全年招待费上限，0 为零招待"),
        PolicyItem("招待费单次限额", "amount", D("800.00"), min, "单次接待上限"),
        PolicyItem("招待费人均限额", "amount", D("100.00"), min, "接待人均上限（来客与陪同合计）"),
        PolicyItem("招待费预警比例", "decimal", D("0.8"), min, "招待费达到年度限额此比例时预警"),
        PolicyItem("招待需公函", "boolean", True, lambda a, b: a or b, "接待须有公函"),
        PolicyItem(
            "禁止招待项目",
            "keywords",
            _keywords("烟,酒,香烟,白酒,红酒,啤酒"),
            _union,
            "禁止列支的招待项目关键词",
        ),
        PolicyItem("公开期限天数", "integer", 15, min, "季度结束后须公开并封存的天数"),
        PolicyItem("合同欠收宽限天数", "integer", 30, min, "合同款到期后超过此天数未收即为欠收"),
        PolicyItem("土地发包最长年限", "integer", 30, min, "土地和资源发包合同的最长年限"),
        PolicyItem("资产租赁最长年限", "integer", 10, min, "资产租赁合同的最长年限"),
        PolicyItem(
            "招待关键词",
            "keywords",
            _keywords("餐,宴,酒店,饭店,农家乐,礼品,购物卡"),
            _union,
            "记在招待费以外的支出中提示变相招待的关键词",
        ),
        PolicyItem("考察人数上限", "integer", 5, min, "外出考察学习不经决议的最多人数"),
        PolicyItem("未达账项天数", "integer", 30, min, "银行未达账项最长未处理天数"),
        PolicyItem("对账间隔天数", "integer", 31, min, "现金、银行账户两次余额核对的最长间隔"),
    )
}


INTEGER_UNITS = {"天数": "天", "年限": "年", "人数上限": "人"}


def show(item: PolicyItem, value: Value) -> str:
    if item.kind == "amount":
        return f"{fmt_yuan(value)} 元"
    if item.kind == "boolean":
        return "是" if value else "否"
    if item.kind == "keywords":
        return "、".join(value)
    if item.kind == "integer":
        unit = next((u for end, u in INTEGER_UNITS.items() if item.key.endswith(end)), "")
        return f"{value} {unit}" if unit else str(value)
    return str(value)


def parse_value(item: PolicyItem, raw: Any) -> Value | str:
    """The typed value, or a Chinese complaint (a str) saying what was expected."""
    if item.kind == "amount":
        if not isinstance(raw, Amount) or raw.currency != CURRENCY or raw.number is None:
            return f"应为 CNY 金额（如 1000.00 CNY），实为{type_name(raw)} {raw}"
        return raw.number if raw.number >= 0 else f"金额不能为负数（{raw}）"
    if item.kind == "integer":
        if isinstance(raw, bool) or not isinstance(raw, Decimal) or raw != raw.to_integral_value():
            return f"应为整数天数，实为{type_name(raw)} {raw}"
        return int(raw) if raw >= 0 else f"天数不能为负数（{raw}）"
    if item.kind == "decimal":
        if isinstance(raw, bool) or not isinstance(raw, Decimal):
            return f"应为小数（如 0.8），实为{type_name(raw)} {raw}"
        return raw if 0 < raw <= 1 else f"比例应在 0 与 1 之间，实为 {raw}"
    if item.kind == "boolean":
        return raw if isinstance(raw, bool) else f"应为 TRUE 或 FALSE，实为{type_name(raw)} {raw}"
    if not isinstance(raw, str):
        return f"应为带引号的文字，实为{type_name(raw)} {raw}"
    words = _keywords(raw)
    return words if words else "关键词列表为空"


class Setting(NamedTuple):
    day: date
    value: Value
    directive: Directive | None  # None for the built-in default


class Timeline:
    """Values of one item over time; `at(day)` is the one in force that day."""

    def __init__(self, settings: Iterable[Setting]) -> None:
        ordered = sorted(settings, key=lambda s: s.day)
        self.days = [s.day for s in ordered]
        self.settings = ordered

    def at(self, day: date) -> Setting | None:
        i = bisect_right(self.days, day)
        return self.settings[i - 1] if i else None

    def __bool__(self) -> bool:
        return bool(self.settings)


class Policy:
    def __init__(self, directives: Iterable[Directive], is_township: Callable[[Directive], bool]):
        self.hits: list[Hit] = []
        self.looser: list[Hit] = []
        township: dict[str, list[Setting]] = defaultdict(list)
        village: dict[str, list[Setting]] = defaultdict(list)
        for d in directives:
            setting = self._read(d)
            if setting is not None:
                (township if is_township(d) else village)[d.values[0]].append(setting)
        self._effective: dict[str, Timeline] = {}
        for key, item in ITEMS.items():
            ceiling = Timeline([Setting(date.min, item.default, None), *township[key]])
            own = Timeline(village[key])
            self._effective[key] = self._merge(item, ceiling, own)

    def _read(self, d: Directive) -> Setting | None:
        problem = require_text(d, (0,))
        if problem:
            self.hits.append(problem)
            return None
        item = ITEMS.get(d.values[0])
        if item is None:
            self.hits.append(
                bad(d.entry, f"未知的财务制度项目“{d.values[0]}”，可用项目：{'、'.join(ITEMS)}")
            )
            return None
        value = parse_value(item, d.values[1])
        if isinstance(value, str):
            self.hits.append(bad(d.entry, f"“{item.key}”的值{value}"))
            return None
        return Setting(d.day, value, d)

    def _merge(self, item: PolicyItem, ceiling: Timeline, own: Timeline) -> Timeline:
        merged: list[Setting] = []
        flagged: set[int] = set()
        for day in sorted(set(ceiling.days) | set(own.days)):
            limit = ceiling.at(day)
            assert limit is not None
            mine = own.at(day)
            if mine is None:
                merged.append(Setting(day, limit.value, limit.directive))
                continue
            strict = item.strictest(mine.value, limit.value)
            if strict != mine.value and id(mine) not in flagged:
                flagged.add(id(mine))
                self.looser.append(self._looser_hit(item, mine, limit))
            source = mine if strict == mine.value else limit
            merged.append(Setting(day, strict, source.directive))
        return Timeline(merged)

    @staticmethod
    def _looser_hit(item: PolicyItem, mine: Setting, limit: Setting) -> Hit:
        assert mine.directive is not None
        whose = "乡镇规定" if limit.directive is not None else "制度默认值"
        message = (
            f"本村“{item.key}”设为 {show(item, mine.value)}，宽于{whose} "
            f"{show(item, limit.value)}，按{whose}执行"
        )
        return Hit(mine.directive.meta, message, mine.day, policy=item.key)

    def value(self, key: str, day: date) -> Value:
        setting = self._effective[key].at(day)
        return ITEMS[key].default if setting is None else setting.value

    def shown(self, key: str, day: date) -> str:
        return show(ITEMS[key], self.value(key, day))

    def changes(self, key: str) -> list[tuple[date, Value]]:
        return [(s.day, s.value) for s in self._effective[key].settings]
