"""期末: the entries an accountant writes at a month's and a year's end, as Beancount text.

- `depreciation_entry(model, month)`: the month's 计提折旧 voucher from `model.depreciation`.
- `closing_entries(model, year, resolution)`: the year-end close (年终结账), all dated 12-31 and
  marked `closing: TRUE`: every income and spending account's year carried to 321 本年收益,
  本年收益 carried to 322 收益分配, then the 收益分配 the 村民(代表)会议 resolved (`reserve`:
  提取公积公益金 to 311, `members`: 向成员分配 to 211 应付款).

Both are numbered on from the month's last 记账凭证 and carry `receipt: "内部凭证"`. They are
candidate entries (`village_ledger.entries`): judged with the books by Beancount and every rule
before anything is written, and appended with the one atomic write.

Decisions where the regulation is silent:
- A year can be closed only once, and only after the year before it has been closed (or never
  had income or spending): the income and spending accounts must start the year at zero, or the
  close would carry other years' figures into this year's 本年收益.
- The distribution's two figures are metadata of the resolution (`reserve`, `members`, in CNY);
  its body must be 村民代表会议 or 村民会议 (收益分配 is for the members to decide), and the two
  together may not exceed the resolution's amount nor the 可分配收益.
- The entries go to the file that holds the period's last voucher (the year file), or to
  main.beancount when the period has none.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from village_ledger.entries import Entry, Posting, next_voucher_numbers
from village_ledger.entries import quoted as _quoted
from village_ledger.model import LedgerModel
from village_ledger.model import depreciation as dep
from village_ledger.model.figures import CLOSING, is_closing
from village_ledger.model.period import Period
from village_ledger.money import fmt_yuan

ZERO = Decimal(0)
CURRENT_YEAR = "Equity:321-本年收益"
DISTRIBUTION = "Equity:322-收益分配"
RESERVE = "Equity:311-公积公益金"
PAYABLE = "Liabilities:211-应付款"
DISTRIBUTING_BODIES = ("村民代表会议", "村民会议")


class PeriodEndError(Exception):
    """Why the entries cannot be written as asked; the message is for the accountant."""


# ---- depreciation ----


def depreciation_entry(model: LedgerModel, month: Period) -> Entry | None:
    """The month's 计提折旧 voucher; None when no account is to be charged."""
    if dep.entries_for(model, month):
        entry = dep.entries_for(model, month)[0]
        raise PeriodEndError(
            f"{month.label}的折旧已计提（{entry.meta.get('filename')} 第 {entry.meta.get('lineno')} 行，"
            f"凭证号 {entry.meta.get('voucher', '无')}），不能重复计提"
        )
    charges = dep.charges(model, month)
    if not charges:
        return None
    by_expense: dict[str, Decimal] = defaultdict(Decimal)
    for charge in charges:
        by_expense[charge.terms.expense] += charge.amount
    postings = [Posting(account, amount) for account, amount in sorted(by_expense.items())]
    postings += [
        Posting(dep.ACCUMULATED, -c.amount, (("asset", _quoted(c.asset)),)) for c in charges
    ]
    number = next_voucher_numbers(model, month.last, 1)[0]
    return Entry(
        day=month.last,
        payee="计提折旧",
        narration=f"计提{month.label}固定资产折旧",
        meta=(
            ("voucher", _quoted(number)),
            (dep.MONTH_META, _quoted(dep.month_key(month))),
            ("receipt", _quoted("内部凭证")),
        ),
        postings=tuple(postings),
    )


# ---- year-end close ----


def profit_and_loss_accounts(model: LedgerModel) -> list[str]:
    return [a for a in model.figures.accounts if a.startswith(("Income:", "Expenses:"))]


def closing_entries(model: LedgerModel, year: int, resolution: str | None) -> list[Entry]:
    """The year-end close; refuses a year closed before or a year before it left open."""
    period = Period.year(year)
    _refuse_closed_twice(model, period)
    _refuse_open_year_before(model, period)
    figures = model.figures
    nets = {a: figures.own_movement(a, period).net for a in profit_and_loss_accounts(model)}
    nets = {a: n for a, n in nets.items() if n}
    profit = -sum(nets.values(), ZERO)  # income is a credit: a profit makes the sum negative
    entries: list[Entry] = []
    if nets:
        postings = [Posting(a, -n) for a, n in sorted(nets.items())]
        postings.append(Posting(CURRENT_YEAR, -profit))
        entries.append(
            _closing(period, "结转本年收益", f"{year}年收入、支出结转本年收益", postings)
        )
    if profit:
        entries.append(
            _closing(
                period,
                "结转收益分配",
                f"{year}年本年收益转入收益分配（未分配收益）",
                [Posting(CURRENT_YEAR, profit), Posting(DISTRIBUTION, -profit)],
            )
        )
    if resolution:
        available = -figures.balance(DISTRIBUTION, period.last) + profit
        entries.append(_distribution(model, period, resolution, available))
    if not entries:
        raise PeriodEndError(f"{year}年没有收入和支出，也没有收益分配，无需结账")
    numbers = next_voucher_numbers(model, period.last, len(entries))
    return [
        Entry(e.day, e.payee, e.narration, (("voucher", _quoted(n)), *e.meta), e.postings)
        for e, n in zip(entries, numbers, strict=True)
    ]


def _closing(period: Period, payee: str, narration: str, postings: list[Posting]) -> Entry:
    meta = ((CLOSING, "TRUE"), ("receipt", _quoted("内部凭证")))
    return Entry(period.last, payee, narration, meta, tuple(postings))


def _distribution(model: LedgerModel, period: Period, ident: str, available: Decimal) -> Entry:
    meeting = model.meetings.get(ident)
    if meeting is None:
        raise PeriodEndError(f"找不到会议决议 {ident}：收益分配须依据村民（代表）会议决议")
    if meeting.body not in DISTRIBUTING_BODIES:
        raise PeriodEndError(
            f"决议 {ident} 由{meeting.body}作出；收益分配须由村民代表会议或村民会议决定"
        )
    meta = meeting.entry.meta
    reserve, members = _amount(meta, "reserve", ident), _amount(meta, "members", ident)
    total = reserve + members
    if not total:
        raise PeriodEndError(
            f"决议 {ident} 没有写明分配数额：请在决议下加 reserve（提取公积公益金）和/或 "
            "members（向成员分配）金额，如 reserve: 20000.00 CNY"
        )
    if total > meeting.amount:
        raise PeriodEndError(
            f"决议 {ident} 的分配合计 {fmt_yuan(total)} 超过决议金额 {fmt_yuan(meeting.amount)}"
        )
    if total > available:
        raise PeriodEndError(
            f"分配合计 {fmt_yuan(total)} 超过可分配收益 {fmt_yuan(available)}，不能分配"
        )
    postings = [Posting(DISTRIBUTION, total)]
    if reserve:
        postings.append(Posting(RESERVE, -reserve))
    if members:
        postings.append(Posting(PAYABLE, -members))
    entry = _closing(period, "收益分配", f"按决议 {ident} 分配{period.first.year}年收益", postings)
    return Entry(
        entry.day,
        entry.payee,
        entry.narration,
        (*entry.meta, ("meeting", _quoted(ident))),
        entry.postings,
    )


def _amount(meta: dict[str, object], key: str, ident: str) -> Decimal:
    value = meta.get(key)
    if value is None:
        return ZERO
    number = getattr(value, "number", value)
    if not isinstance(number, Decimal) or number < 0:
        raise PeriodEndError(f"决议 {ident} 的 {key}: {value} 应为非负金额，如 20000.00 CNY")
    return number


def _refuse_closed_twice(model: LedgerModel, period: Period) -> None:
    for entry in model.transactions:
        if is_closing(entry) and period.contains(entry.date):
            raise PeriodEndError(
                f"{period.label}已经结账（{entry.meta.get('filename')} 第 {entry.meta.get('lineno')} 行，"
                f"凭证号 {entry.meta.get('voucher', '无')}），不能重复结账"
            )


def _refuse_open_year_before(model: LedgerModel, period: Period) -> None:
    figures = model.figures
    left = {a: figures.own_balance(a, period.opening_day) for a in profit_and_loss_accounts(model)}
    left = {a: n for a, n in left.items() if n}
    if left:
        account, amount = next(iter(sorted(left.items())))
        raise PeriodEndError(
            f"{period.first.year - 1}年尚未结账：{account} 等 {len(left)} 个收支科目年初余额不为零"
            f"（如 {fmt_yuan(abs(amount))}）；请先结 {period.first.year - 1} 年的账"
        )
