"""VL307 记账凭证 numbers, and how the VL3xx 票据 family names a voucher.

A rule of the receipts family (its code is VL3xx; `plugins/receipts.py` imports this module, so
`plugin "village_ledger.plugins.receipts"` runs VL307 with VL301-VL306). It lives apart because
it reads the vouchers' numbers, not their invoices and receipts.

- VL307: `voucher` missing, not `YYYY-MM-NNN`, of another month than the entry, repeated, or
  leaving a gap in its month's numbering from 001.

Also here, because the receipts rules name vouchers the same way: a voucher as a finding names
it (`voucher_label`, `label_of`, `about`), a run of missing numbers (`missing_numbers`), and the
office purchase the explanations of several VL3xx rules show (`example_office_purchase`).

How it stays fast: the vouchers are read once per model into plain columns
(`model.columns.voucher_columns`, in date order), and a month's voucher numbers are checked in
bulk, with one comparison of the joined numbers against the month's `001`..`n` or, when written
out of order, one regular expression over the joined numbers and one comparison of the sorted
numbers with 1..n. It looks voucher by voucher only at a month where that check finds something
to report.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from datetime import date
from itertools import repeat
from typing import Any

from beancount.core import data

from village_ledger.findings import Hit
from village_ledger.model import LedgerModel
from village_ledger.model.columns import VoucherColumns, voucher_columns
from village_ledger.model.directives import type_name
from village_ledger.registry import Explanation, rule

# ASCII digits only: `\d` would take full-width and other scripts' digits
VOUCHER = re.compile(r"([0-9]{4}-[0-9]{2})-([0-9]{3,})")


# ---- naming a voucher ----


def unquoted(key: str, value: Any, example: str) -> str:
    return f'{key} 未加引号，被读作{type_name(value)} {value}；应加引号书写，如 {key}: "{example}"'


def voucher_number(value: Any) -> tuple[str, int] | None:
    """A well-formed voucher number as (`YYYY-MM`, sequence); None otherwise."""
    if not isinstance(value, str):
        return None
    match = VOUCHER.fullmatch(value) or VOUCHER.fullmatch(value.strip())
    if match is None:
        return None
    number = int(match.group(2))
    return (match.group(1), number) if number else None


def opening_hint(entry: data.Transaction, value: Any) -> str:
    """For an unnumbered entry that reads as a 期初余额: how to mark it as one."""
    if value is not None or "期初" not in f"{entry.payee or ''}{entry.narration or ''}":
        return ""
    return "；如果这是建账时的期初余额，它不是记账凭证，请在其上写 opening: TRUE"


def voucher_problem(value: Any, day: date) -> str:
    """What is wrong with a voucher number that `voucher_number` did not accept."""
    example = f"{month_of(day)}-001"
    if value is None or (isinstance(value, str) and not value.strip()):
        return f'没有凭证号（voucher）；应按月从 001 起连续编号，如 voucher: "{example}"'
    if not isinstance(value, str):
        return f"凭证号（{unquoted('voucher', value, example)}）"
    return (
        f"凭证号“{value.strip()}”格式不对，应为“年-月-顺序号”，顺序号每月从 001 起，如“{example}”"
    )


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def voucher_label(voucher: Any, filename: Any, lineno: Any) -> str:
    """How a finding names another voucher: its number, or its file and line."""
    if isinstance(voucher, str) and VOUCHER.fullmatch(voucher.strip()):
        return f"凭证 {voucher.strip()}"
    return f"{os.path.basename(str(filename or ''))} 第 {lineno or 0} 行的凭证"


def label_of(entry: data.Transaction) -> str:
    meta = entry.meta
    return voucher_label(meta.get("voucher"), meta.get("filename"), meta.get("lineno"))


def about(entry: data.Transaction) -> str:
    """The entry as the 监委会 recognises it: counterparty and 摘要."""
    parts = [p for p in (entry.payee, entry.narration) if p]
    return f"（{'：'.join(parts)}）" if parts else ""


def missing_numbers(first: int, last: int, shown: Callable[[int], str]) -> str:
    """The numbers first..last as `a`, `a、b`, or `a 至 z（共 n 个）`, however many they are."""
    if last - first < 2:
        return "、".join(shown(n) for n in range(first, last + 1))
    return f"{shown(first)} 至 {shown(last)}（共 {last - first + 1} 个）"


# ---- ledger text the explanations of several rules share (village-ledger rule VL3xx) ----


def example_office_purchase(
    invoice_lines: str, number: str = "2025-03-001", day: str = "2025-03-12"
) -> str:
    """A compliant payment for office supplies, its invoice lines given."""
    return f"""\
{day} * "城关文具店" "购买村部办公用品"
  voucher: "{number}"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
{invoice_lines}  Expenses:513-管理费用:51302-办公费  360.00 CNY
  Assets:102-银行存款:10201-农商行
"""


EXAMPLE_INVOICE_LINE = '  invoice: "25320000000012345678"\n'


# ---- VL307: 记账凭证 numbers ----


EXPLAIN_VL307 = Explanation(
    checks=(
        '每张凭证都要有凭证号 `voucher: "YYYY-MM-NNN"`：年月与记账日期一致，'
        "每月从 001 起连续编号，不重号、不跳号。缺失、格式不对、年月不符、重号或跳号都报告。"
    ),
    why=(
        "连续编号的记账凭证是账簿完整的保证：跳号说明有凭证被抽走，重号说明有凭证重复记账。"
        "检查中常见记账不规范、账证不符。"
    ),
    compliant=example_office_purchase(EXAMPLE_INVOICE_LINE)
    + "\n"
    + example_office_purchase('  invoice: "25320000000012345679"\n', "2025-03-002", "2025-03-20"),
    offending=example_office_purchase(EXAMPLE_INVOICE_LINE)
    + "\n"
    + example_office_purchase('  invoice: "25320000000012345679"\n', "2025-03-003", "2025-03-20"),
    decisions=(
        "顺序号至少 3 位，一个月超过 999 张时可写 `2025-03-1000`。",
        "年月与记账日期不符的凭证号只报一次，不再参与该月的重号和跳号检查。",
        "跳号报在紧接空缺之后的那张凭证上，列出缺少的编号。",
        "凭证号必须加引号：Beancount 会把 `voucher: 2025-03-001` 读成日期 2025-03-01，这种情况报 VL307"
        " 并提示加引号。",
        "Beancount 自动生成的 `pad` 分录不是凭证，不要求凭证号。",
    ),
    fix="按日期重新连续编号；被抽走的凭证要找回补记。",
)


@rule("VL307", "凭证号缺失、错误、重号或跳号", explain=EXPLAIN_VL307)
def voucher_number_irregular(model: LedgerModel) -> Iterator[Hit]:
    """Every voucher has a `voucher: "YYYY-MM-NNN"` of its own month, used once, numbered from
    001 in each month without gaps."""
    cols = voucher_columns(model)
    for month, run in month_runs(cols.days):
        if not month_numbered_in_order(month, cols.vouchers[run]):
            yield from month_irregularities(cols, month, range(run.start, run.stop))


def month_runs(days: list[date]) -> Iterator[tuple[str, slice]]:
    """(`YYYY-MM`, rows) for each calendar month of the date-ordered rows."""
    start = 0
    while start < len(days):
        first = days[start]
        if (first.year, first.month) == (9999, 12):
            stop = len(days)
        else:
            stop = bisect_left(days, date(first.year + first.month // 12, first.month % 12 + 1, 1))
        yield month_of(first), slice(start, stop)
        start = stop


SERIALS: list[str] = []  # "001", "002" … as far as any month needed, written once a process


def serials(count: int) -> list[str]:
    """The serial numbers of a month of `count` vouchers as written: "001" to the count (an
    int's text costs more than comparing it, so each is made once)."""
    if len(SERIALS) < count:
        SERIALS.extend(map("%03d".__mod__, range(len(SERIALS) + 1, count + 1)))
    return SERIALS[:count]


def month_numbered_in_order(month: str, values: list[Any]) -> bool:
    """The usual case, checked on the whole month at once: every voucher carries a number of
    this month, and they are 001 to the count, each once."""
    try:
        joined = "\n".join(values)
    except TypeError:  # a missing number, or one written without quotes
        return False
    prefix = month + "-"
    # most months are numbered as they are written: the text is then exactly this one
    if joined == prefix + ("\n" + prefix).join(serials(len(values))):
        return True
    # each line is `YYYY-MM-` of this month and three or more ASCII digits, in any order
    lines = joined.split("\n")
    if len(lines) != len(values):  # a number written over two lines is not two numbers
        return False
    if not all(map(str.startswith, lines, repeat(prefix))) or joined.count(prefix) != len(lines):
        return False
    tails = joined.replace(prefix, "").split("\n")
    digits = "".join(tails)
    if min(map(len, tails)) < 3 or not (digits.isascii() and digits.isdigit()):
        return False
    numbers = sorted(map(int, tails))
    return numbers == list(range(1, len(numbers) + 1))


def month_irregularities(cols: VoucherColumns, month: str, rows: range) -> Iterator[Hit]:
    """Each voucher of the month whose number is missing, malformed, of another month or
    repeated, and each gap in the month's numbering."""
    numbered: dict[int, data.Transaction] = {}
    for i in rows:
        entry = cols.entries[i]
        read = voucher_number(cols.vouchers[i])
        if read is None:
            yield Hit(
                entry.meta,
                f"{voucher_problem(cols.vouchers[i], entry.date)}{about(entry)}"
                f"{opening_hint(entry, cols.vouchers[i])}",
                entry.date,
            )
            continue
        of_month, number = read
        if of_month != month:
            yield Hit(
                entry.meta,
                f"凭证号 {of_month}-{number:03d} 的年月与记账日期 {entry.date} 不符，"
                f"应为 {month}-NNN{about(entry)}",
                entry.date,
            )
            continue
        earlier = numbered.setdefault(number, entry)
        if earlier is not entry:
            yield Hit(
                entry.meta,
                f"凭证号 {month}-{number:03d} 重复，已用于 {earlier.date} 的凭证{about(earlier)}；"
                "每张凭证的编号应唯一",
                entry.date,
            )
    yield from voucher_gaps(month, numbered)


def voucher_gaps(month: str, numbered: dict[int, data.Transaction]) -> Iterator[Hit]:
    expected = 1
    for number in sorted(numbered):
        if number > expected:
            entry = numbered[number]
            gap = missing_numbers(expected, number - 1, lambda n: f"{month}-{n:03d}")
            yield Hit(
                entry.meta,
                f"凭证号 {month}-{number:03d} 之前缺少 {gap}；"
                "每月凭证应从 001 起连续编号，不能跳号",
                entry.date,
            )
        expected = number + 1
