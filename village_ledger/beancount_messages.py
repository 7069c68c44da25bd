"""Beancount's own error messages, in Chinese for the accountant, the English kept in brackets.

A township accountant reads Chinese; the English original stays after the Chinese text so the
message can still be searched for. Each translation names the figures Beancount gave and says
what to do. Messages not listed here are left as Beancount wrote them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

Translate = Callable[[re.Match[str]], str]

DIRECTION = {"much": "多", "little": "少"}


def _unbalanced(m: re.Match[str]) -> str:
    return f"凭证借贷不平衡，差额 {m['amount']}：借方合计应等于贷方合计，请核对各分录的金额和正负号"


def _balance_failed(m: re.Match[str]) -> str:
    return (
        f"余额核对不符：{m['account']} 核对余额应为 {m['expected']}，账面余额为 {m['actual']}，"
        f"账面{DIRECTION[m['dir']]} {m['diff']}；请查找漏记、重记或金额记错的凭证"
    )


def _unknown_account(m: re.Match[str]) -> str:
    return (
        f"科目 {m['account']} 未开设，或在开设日期之前使用：请在科目表或本村明细科目中"
        "用 open 开设它，或检查科目名称、代码是否写错"
    )


def _inactive_account(m: re.Match[str]) -> str:
    return f"科目 {m['account']} 已经关闭（close），此后不能再记账"


def _duplicate_open(m: re.Match[str]) -> str:
    return f"科目 {m['account']} 重复开设：同一科目只能有一条 open 指令，请删去多余的一条"


def _currency(m: re.Match[str]) -> str:
    return f"币种 {m['currency']} 不是科目 {m['account']} 允许的币种：村账以人民币 CNY 记账"


# characters a Chinese input method types in place of the ASCII ones Beancount reads
FULL_WIDTH = (
    ("“”‘’＂", '引号应为英文双引号 "，不能用中文引号“”'),
    ("：", "冒号应为英文冒号 :，不能用中文冒号："),
    ("\u3000", "行首缩进和间隔应为英文空格或 Tab，不能用全角空格"),
    ("０１２３４５６７８９", "金额应为半角数字，如 312.40，不能用全角数字"),
)


def full_width_typed(text: str) -> list[str]:
    """What in `text` a Chinese input method typed in place of ASCII, and how to write it."""
    return [why for chars, why in FULL_WIDTH if any(c in text for c in chars)]


def _token(m: re.Match[str]) -> str:
    token = m["token"]
    typed = full_width_typed(token)
    if typed:
        return f"无法识别“{token}”：{'；'.join(typed)}（请切换到英文输入法书写）"
    return (
        f"无法识别“{token}”：请检查引号是否成对、指令是否拼错、金额是否为数字（元以下保留两位小数）"
    )


def _syntax(m: re.Match[str]) -> str:
    return "语法错误：请检查本行的日期、引号、缩进以及金额与币种的写法"


def _account_name(m: re.Match[str]) -> str:
    return (
        f"科目名称 {m['account']} 不合规：根科目须为 Assets、Liabilities、Equity、Income、"
        "Expenses，各级名称以科目代码开头，如 Assets:101-库存现金"
    )


def _auto_posting(m: re.Match[str]) -> str:
    return "一笔凭证中最多只能有一个分录省略金额：请为各分录写明金额"


def _bad_date(m: re.Match[str]) -> str:
    return "日期不存在（月份应为 1—12，日不超过当月天数）"


# the patterns as written; compiled on the first message to translate (a check of books that
# Beancount finds nothing wrong with has none, and compiling them cost a clean check its time)
PATTERNS: tuple[tuple[str, Translate], ...] = (
    (r"Transaction does not balance: \((?P<amount>[^)]*)\)", _unbalanced),
    (
        r"Balance failed for '(?P<account>[^']+)': expected (?P<expected>\S+ \S+) != "
        r"accumulated (?P<actual>\S+ \S+) \((?P<diff>\S+) too (?P<dir>much|little)\)",
        _balance_failed,
    ),
    (r"Invalid reference to unknown account '(?P<account>[^']+)'", _unknown_account),
    (r"Invalid reference to inactive account '(?P<account>[^']+)'", _inactive_account),
    (r"Duplicate open directive for (?P<account>\S+)", _duplicate_open),
    (r"Invalid currency (?P<currency>\S+) for account '(?P<account>[^']+)'", _currency),
    (r"Invalid token: '(?P<token>.*)'", _token),
    (r"^syntax error", _syntax),
    (r"Invalid account name: (?P<account>\S+)", _account_name),
    (r"more than one auto-posting per currency", _auto_posting),
    (r"month must be in 1\.\.12|day is out of range for month", _bad_date),
)


@functools.cache
def translations() -> tuple[tuple[re.Pattern[str], Translate], ...]:
    return tuple((re.compile(pattern), translate) for pattern, translate in PATTERNS)


def in_chinese(message: str) -> str:
    """The Chinese explanation followed by the original in brackets; unknown messages as they are."""
    text = message.strip()
    for pattern, translate in translations():
        match = pattern.search(text)
        if match:
            return f"{translate(match)}（{text}）"
    return message
