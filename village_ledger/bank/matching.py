"""Ticking a bank statement off against the books (勾对), and the 银行存款余额调节表 that follows.

The book side (what a statement line may match):
- the vouchers the last recorded reconciliation of the account left outstanding (`outstanding`);
- every entry on the account from the statement's first line through its last;
- the entries of the `window` days before its first line, only to match a line (unmatched,
  they are taken to be on the statement before);
- every `!` draft on the account, whatever its date (a statement line imported before).

A line matches one book item, tried in this order: a draft made from this very line
(`bank-ref` equal to the line's key); an item of the same amount whose voucher number or
`bank-ref` is the line's reference, or whose 摘要 contains it; an item of the same amount
dated within `window` days of the line, the nearest first. Each item matches at most once.

What is left: statement lines with no item (银行已收/已付、企业未收/未付: drafts with `--write`)
and book items the statement does not have (企业已收/已付、银行未收/未付: `outstanding`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data, flags

from village_ledger.bank.statement import Statement, StatementLine
from village_ledger.model import LedgerModel
from village_ledger.model.reconciliation import (
    BANK_REF,
    Item,
    Reconciliation,
    bank_net,
    covers,
    describe,
)

ZERO = Decimal(0)
WINDOW_DAYS = 5


@dataclass(frozen=True)
class BookItem:
    entry: data.Transaction
    amount: Decimal  # on the account, positive: money in
    match_only: bool = (
        False  # dated just before the statement: on it if it matches, else on an earlier one
    )

    @property
    def day(self) -> date:
        return self.entry.date

    @property
    def is_draft(self) -> bool:
        return self.entry.flag == flags.FLAG_WARNING

    @property
    def voucher(self) -> str:
        return str(self.entry.meta.get("voucher") or "")

    @property
    def bank_ref(self) -> str:
        return str(self.entry.meta.get(BANK_REF) or "")

    def as_item(self, account: str) -> Item:
        ref = self.voucher or self.bank_ref
        return Item(account, self.day, self.amount, describe(self.entry), ref, self.entry.meta)


@dataclass(frozen=True)
class Matching:
    account: str
    statement: Statement
    pairs: tuple[tuple[StatementLine, BookItem], ...]
    lines: tuple[StatementLine, ...]  # on the statement, not in the books
    items: tuple[BookItem, ...]  # in the books (completed vouchers), not on the statement
    drafts: tuple[BookItem, ...]  # every `!` draft through the statement's last day


def book_items(
    model: LedgerModel, account: str, statement: Statement, window: int = WINDOW_DAYS
) -> list[BookItem]:
    """What the statement's lines may match (see the module)."""
    recs = model.figures.reconciliations
    first = statement.first_day
    before = [r for r in recs.latest(first - timedelta(days=1)) if r.account == account]
    carried: list[data.Transaction] = []
    if before and before[0].check is not None:
        for number in before[0].check.outstanding:
            entry = recs.voucher(number)
            if entry is not None and entry.date < first:
                carried.append(entry)
    early = first - timedelta(days=window)
    found: list[BookItem] = []
    for entry in [*carried, *model.transactions]:
        if entry.flag == flags.FLAG_PADDING or entry.date > statement.last_day:
            continue
        draft = entry.flag == flags.FLAG_WARNING
        if entry.date < early and not draft and not _is_in(entry, carried):
            continue
        if any(covers(account, p.account) for p in entry.postings):
            amount = bank_net(entry, account)
            if amount:
                before_first = entry.date < first and not draft and not _is_in(entry, carried)
                found.append(BookItem(entry, amount, match_only=before_first))
    return found


def _is_in(entry: data.Transaction, entries: list[data.Transaction]) -> bool:
    return any(entry is other for other in entries)


def match(
    account: str, statement: Statement, items: list[BookItem], window: int = WINDOW_DAYS
) -> Matching:
    """Each line to at most one item, each item to at most one line (see the module)."""
    by_ref = {item.bank_ref: item for item in items if item.bank_ref}
    by_amount: dict[Decimal, list[BookItem]] = defaultdict(list)
    for item in items:
        by_amount[item.amount].append(item)
    used: set[int] = set()
    pairs: list[tuple[StatementLine, BookItem]] = []
    unmatched: list[StatementLine] = []
    for line in statement.lines:
        found = _find(line, by_ref, by_amount.get(line.amount, []), used, window)
        if found is None:
            unmatched.append(line)
        else:
            used.add(id(found))
            pairs.append((line, found))
    drafts = tuple(i for i in items if i.is_draft)
    left = tuple(i for i in items if id(i) not in used and not i.is_draft and not i.match_only)
    return Matching(account, statement, tuple(pairs), tuple(unmatched), left, drafts)


def _find(
    line: StatementLine,
    by_ref: dict[str, BookItem],
    same_amount: list[BookItem],
    used: set[int],
    window: int,
) -> BookItem | None:
    made = by_ref.get(line.key)
    if made is not None and id(made) not in used:
        return made
    # a draft made from another line is that line's, whatever its amount
    same = [
        i for i in same_amount if id(i) not in used and not (i.bank_ref and i.bank_ref != line.key)
    ]
    if line.reference:
        for item in same:
            if line.reference in (item.voucher, item.bank_ref) or line.reference in describe(
                item.entry
            ):
                return item
    near = [i for i in same if abs((i.day - line.day).days) <= window]
    if not near:
        return None
    return min(near, key=lambda i: (abs((i.day - line.day).days), i.day))


def reconcile(model: LedgerModel, matching: Matching) -> Reconciliation:
    """The 调节表 at the statement's last day: drafts and unmatched lines on the bank's side,
    unmatched vouchers on the books'; the books' balance without the drafts."""
    day = matching.statement.last_day
    account = matching.account
    drafts = [d.as_item(account) for d in matching.drafts]
    with_drafts = model.figures.balance(account, day)
    new = tuple(
        Item(account, line.day, line.amount, line.text, line.key, {}) for line in matching.lines
    )
    return Reconciliation(
        account=account,
        day=day,
        book=with_drafts - sum((d.amount for d in drafts), ZERO),
        statement=matching.statement.closing,
        bank_only=tuple(drafts) + new,
        book_only=tuple(i.as_item(account) for i in matching.items),
    )
