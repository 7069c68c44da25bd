"""对账: what the books say about the reconciliation of their cash and bank accounts.

A `balance` assertion on a 101 or 102 account is a check of the book balance (Beancount makes it
hold). It is

- a **bank reconciliation** when it carries `bank-statement: 12345.67 CNY` (the statement's
  closing balance) and, optionally, `outstanding: "2026-03-017,2026-03-019"`: the vouchers the
  books hold and the statement did not yet (企业已收银行未收, 企业已付银行未付);
- a **cash count** (库存现金盘点) when it carries `counted-by` (and `witness`).

Statement lines not yet made into vouchers are transactions flagged `!` on the bank account
(drafts written by `import-bank --write`): they count in the book balance, so the assertion's
amount is the *adjusted* book balance, and the 企业账面余额 of the 银行存款余额调节表 is that amount
less the drafts. The table then agrees when

    assertion = bank-statement + Σ outstanding vouchers' postings on the account

(`Reconciliation.agrees`, VL207). A `!` draft is an item the bank has and the books have not
completed (银行已收企业未收, 银行已付企业未付; VL208 when it stays so too long).

An assertion dated D states the balance at the end of D − 1 (Beancount checks it before D's
entries), so a statement closing on the 31st is written as an assertion dated the 1st.

Decisions where the regulations are silent:
- an assertion on an account covers its sub-accounts (Beancount checks their sum);
- an account's balance counts as verified until it moves again: VL209's gap runs from the first
  movement after an assertion to the next assertion (or the books' last day); an account that
  did not move needs no new reconciliation to stay verified.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from itertools import compress, repeat
from operator import attrgetter, eq
from typing import TYPE_CHECKING, Any, NamedTuple

from beancount.core import data, flags

from village_ledger.model.accounts import Chart
from village_ledger.model.index import ledger_index
from village_ledger.money import posting_cny

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

ZERO = Decimal(0)
STATEMENT = "bank-statement"
OUTSTANDING = "outstanding"
COUNTED_BY = "counted-by"
WITNESS = "witness"
BANK_REF = "bank-ref"  # the statement line a draft was made from (import-bank)
SEPARATORS = r"[\s,，、;；]+"  # compiled by `re` on first use: few books have `outstanding`
FLAG = attrgetter("flag")
META = attrgetter("meta")


def covers(asserted: str, account: str) -> bool:
    """An assertion on `asserted` checks `account` (itself or one of its sub-accounts)."""
    return account == asserted or account.startswith(asserted + ":")


def _number(value: Any) -> Decimal | None:
    number = getattr(value, "number", value)
    return number if isinstance(number, Decimal) and not isinstance(number, bool) else None


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


class MoneyCheck(NamedTuple):
    """A `balance` assertion on a cash or bank account."""

    entry: data.Balance

    @property
    def account(self) -> str:
        return self.entry.account

    @property
    def dated(self) -> date:
        """The assertion's own date: it checks the balance before this day's entries."""
        return self.entry.date

    @property
    def day(self) -> date:
        """The day whose closing balance it states (the statement's or the count's day)."""
        return self.entry.date - timedelta(days=1)

    @property
    def amount(self) -> Decimal:
        return self.entry.amount.number or ZERO

    @property
    def meta(self) -> dict[str, Any]:
        return self.entry.meta

    @property
    def statement(self) -> Decimal | None:
        """The bank statement's closing balance (`bank-statement`), if it records one."""
        return _number(self.meta.get(STATEMENT))

    @property
    def has_statement(self) -> bool:
        return self.meta.get(STATEMENT) is not None

    @property
    def outstanding(self) -> tuple[str, ...]:
        """The voucher numbers of the book items the statement did not yet have."""
        raw = self.meta.get(OUTSTANDING)
        if raw is None:
            return ()
        return tuple(p for p in re.split(SEPARATORS, str(raw)) if p)

    @property
    def counted_by(self) -> str | None:
        return _text(self.meta.get(COUNTED_BY))

    @property
    def witness(self) -> str | None:
        return _text(self.meta.get(WITNESS))

    @property
    def is_count(self) -> bool:
        """A 库存现金盘点: an assertion someone signed for having counted the cash."""
        return self.counted_by is not None


class Item(NamedTuple):
    """One 未达账项: money one side (bank or books) has and the other has not yet. Equal and
    hashed by what it says, not by where it sits (`meta`)."""

    account: str
    day: date
    amount: Decimal  # on the bank account, Beancount's sign: positive is money in
    text: str  # 摘要
    ref: str  # the voucher number, or the statement's reference
    meta: dict[str, Any]  # where it sits ({} for a statement line)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Item):
            return NotImplemented
        return self[:5] == other[:5]

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self[:5])

    def age(self, day: date) -> int:
        return (day - self.day).days


class Reconciliation(NamedTuple):
    """The 银行存款余额调节表 of one bank account at the end of `day`."""

    account: str
    day: date
    book: Decimal  # 企业账面余额: the completed vouchers only
    statement: Decimal  # 银行对账单余额
    bank_only: tuple[Item, ...]  # 银行已收企业未收 (> 0) and 银行已付企业未付 (< 0)
    book_only: tuple[Item, ...]  # 企业已收银行未收 (> 0) and 企业已付银行未付 (< 0)
    unknown: tuple[str, ...] = ()  # outstanding voucher numbers that name no posting here
    check: MoneyCheck | None = None  # the assertion it was read from, when it is in the books

    @property
    def bank_received(self) -> Decimal:
        """银行已收、企业未收."""
        return sum((i.amount for i in self.bank_only if i.amount > 0), ZERO)

    @property
    def bank_paid(self) -> Decimal:
        """银行已付、企业未付 (positive)."""
        return -sum((i.amount for i in self.bank_only if i.amount < 0), ZERO)

    @property
    def book_received(self) -> Decimal:
        """企业已收、银行未收."""
        return sum((i.amount for i in self.book_only if i.amount > 0), ZERO)

    @property
    def book_paid(self) -> Decimal:
        """企业已付、银行未付 (positive)."""
        return -sum((i.amount for i in self.book_only if i.amount < 0), ZERO)

    @property
    def adjusted_book(self) -> Decimal:
        """调节后的企业账面余额."""
        return self.book + self.bank_received - self.bank_paid

    @property
    def adjusted_bank(self) -> Decimal:
        """调节后的银行对账单余额."""
        return self.statement + self.book_received - self.book_paid

    @property
    def difference(self) -> Decimal:
        return self.adjusted_book - self.adjusted_bank

    @property
    def agrees(self) -> bool:
        return self.difference == 0 and not self.unknown

    @property
    def items(self) -> tuple[Item, ...]:
        return self.bank_only + self.book_only


class Spell(NamedTuple):
    """A stretch in which a money account moved with no assertion checking it (VL209)."""

    account: str
    first_move: data.Transaction  # the first entry after the last check
    until: date  # the next assertion's date, or the books' last day
    closed_by: MoneyCheck | None  # the next assertion; None when none came
    previous: MoneyCheck | None

    @property
    def since(self) -> date:
        return self.first_move.date

    @property
    def days(self) -> int:
        return (self.until - self.since).days


def money_checks(entries: Iterable[data.Directive], chart: Chart) -> list[MoneyCheck]:
    """Every assertion on a cash or bank account, by account then date."""
    found = [
        MoneyCheck(e) for e in entries if isinstance(e, data.Balance) and chart.is_money(e.account)
    ]
    found.sort(key=lambda c: (c.account, c.dated, c.meta.get("lineno", 0)))
    return found


def bank_net(entry: data.Transaction, account: str) -> Decimal:
    """What `entry` posted to `account` and its sub-accounts."""
    total = ZERO
    for posting in entry.postings:
        if covers(account, posting.account):
            total += posting_cny(posting) or ZERO
    return total


def describe(entry: data.Transaction) -> str:
    payee, narration = (entry.payee or "").strip(), (entry.narration or "").strip()
    return "：".join(p for p in (payee, narration) if p) or "（无摘要）"


class Reconciliations:
    """Every assertion on the books' money accounts and what each says (see the module)."""

    def __init__(self, model: LedgerModel) -> None:
        chart = model.chart
        self.checks = money_checks(model.entries, chart)
        # which transactions move each account comes from the index's walk over every posting
        posted = ledger_index(model).posted
        self._moves = {a: posted[a] for a in posted if chart.is_money(a)}
        self._transactions = model.transactions
        self.pending: list[Item] = []  # every `!` draft's postings on a bank account
        flagged = map(eq, map(FLAG, model.transactions), repeat(flags.FLAG_WARNING))
        for entry in compress(model.transactions, flagged):
            money = {p.account for p in entry.postings if chart.is_money(p.account)}
            if money:
                self.pending += self._draft_items(entry, money, chart)
        self.books_end = model.transactions[-1].date if model.transactions else None
        self.statements = [self._read(c) for c in self.checks if c.has_statement]
        self.statements.sort(key=lambda r: (r.day, r.account))

    @functools.cached_property
    def _by_voucher(self) -> dict[str, data.Transaction]:
        """The first transaction with each voucher number, read when a number is looked up."""
        found: dict[str, data.Transaction] = {}
        numbers = map(dict.get, map(META, self._transactions), repeat("voucher"))
        for number, entry in zip(numbers, self._transactions, strict=True):
            if number is not None:
                found.setdefault(str(number), entry)
        return found

    # --- drafts (`!`) and bank reconciliations ------------------------------------------

    @staticmethod
    def _draft_items(entry: data.Transaction, money: set[str], chart: Chart) -> list[Item]:
        ref = str(entry.meta.get(BANK_REF) or entry.meta.get("voucher") or "")
        return [
            Item(account, entry.date, bank_net(entry, account), describe(entry), ref, entry.meta)
            for account in sorted(money)
            if chart.get(account).is_bank
        ]

    def drafts(self, account: str, before: date | None = None) -> list[Item]:
        """The `!` drafts on `account` (and below) dated before `before`: statement lines the
        books hold but have not completed as vouchers."""
        return [
            item
            for item in self.pending
            if covers(account, item.account) and (before is None or item.day < before)
        ]

    def voucher(self, number: str) -> data.Transaction | None:
        return self._by_voucher.get(number)

    def _read(self, check: MoneyCheck) -> Reconciliation:
        account = check.account
        bank_only = tuple(self.drafts(account, before=check.dated))
        book_only: list[Item] = []
        unknown: list[str] = []
        for number in check.outstanding:
            entry = self._by_voucher.get(number)
            if entry is None or not any(covers(account, p.account) for p in entry.postings):
                unknown.append(number)
                continue
            amount = bank_net(entry, account)
            book_only.append(Item(account, entry.date, amount, describe(entry), number, entry.meta))
        drafted = sum((i.amount for i in bank_only), ZERO)
        return Reconciliation(
            account=account,
            day=check.day,
            book=check.amount - drafted,
            statement=check.statement if check.statement is not None else ZERO,
            bank_only=bank_only,
            book_only=tuple(book_only),
            unknown=tuple(unknown),
            check=check,
        )

    def latest(self, upto: date | None = None) -> list[Reconciliation]:
        """The latest reconciliation of each bank account whose day is on or before `upto`
        (default: any day)."""
        chosen: dict[str, Reconciliation] = {}
        for rec in self.statements:
            if upto is None or rec.day <= upto:
                chosen[rec.account] = rec
        return [chosen[a] for a in sorted(chosen)]

    def latest_counts(self, upto: date) -> list[MoneyCheck]:
        """The latest cash count (`counted-by`) of each cash account on or before `upto`."""
        chosen: dict[str, MoneyCheck] = {}
        for check in self.checks:
            if check.is_count and check.day <= upto:  # checks come by account, then date
                chosen[check.account] = check
        return [chosen[a] for a in sorted(chosen)]

    # --- gaps between checks (VL209) ----------------------------------------------------

    def spells(self) -> Iterator[Spell]:
        """For every money account that moved: each stretch from its first movement after a
        check to the next check covering it, and the last one to the books' last day."""
        if self.books_end is None:
            return
        for account in sorted(self._moves):
            checks = [c for c in self.checks if covers(c.account, account)]
            checks.sort(key=lambda c: c.dated)
            yield from self._spells_of(account, checks, self.books_end)

    def _spells_of(self, account: str, checks: list[MoneyCheck], end: date) -> Iterator[Spell]:
        moves = self._moves[account]
        days = [m.date for m in moves]
        previous: MoneyCheck | None = None
        for check in checks:
            first = bisect.bisect_left(days, previous.dated) if previous else 0
            if first < len(moves) and moves[first].date < check.dated:
                yield Spell(account, moves[first], check.dated, check, previous)
            previous = check
        first = bisect.bisect_left(days, previous.dated) if previous else 0
        if first < len(moves):
            yield Spell(account, moves[first], end, None, previous)
