"""Beancount's own error messages, in Chinese for the accountant, the English kept in brackets.

A township accountant reads Chinese; the English original stays after the Chinese text so the
message can still be searched for. Each translation names the figures Beancount gave and says
what to do. Messages not listed here are left as Beancount wrote them.
"""

from __future__ import annotations

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


def _token(m: re.Match[str]) -> str:
    return (
        f"无法识别“{m['token']}”：请检查引号是否成对、指令是否拼错、金额是否为数字"
        "（元以下保留两位小数）"
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


TRANSLATIONS: tuple[tuple[re.Pattern[str], Translate], ...] = (
    (re.compile(r"Transaction does not balance: \((?P<amount>[^)]*)\)"), _unbalanced),
    (
        re.compile(
            r"Balance failed for '(?P<account>[^']+)': expected (?P<expected>\S+ \S+) != "
            r"accumulated (?P<actual>\S+ \S+) \((?P<diff>\S+) too (?P<dir>much|little)\)"
        ),
        _balance_failed,
    ),
    (re.compile(r"Invalid reference to unknown account '(?P<account>[^']+)'"), _unknown_account),
    (re.compile(r"Invalid reference to inactive account '(?P<account>[^']+)'"), _inactive_account),
    (re.compile(r"Duplicate open directive for (?P<account>\S+)"), _duplicate_open),
    (re.compile(r"Invalid currency (?P<currency>\S+) for account '(?P<account>[^']+)'"), _currency),
    (re.compile(r"Invalid token: '(?P<token>.*)'"), _token),
    (re.compile(r"^syntax error"), _syntax),
    (re.compile(r"Invalid account name: (?P<account>\S+)"), _account_name),
    (re.compile(r"more than one auto-posting per currency"), _auto_posting),
    (re.compile(r"month must be in 1\.\.12|day is out of range for month"), _bad_date),
)


def in_chinese(message: str) -> str:
    """The Chinese explanation followed by the original in brackets; unknown messages as they are."""
    text = message.strip()
    for pattern, translate in TRANSLATIONS:
        match = pattern.search(text)
        if match:
            return f"{translate(match)}（{text}）"
    return message
