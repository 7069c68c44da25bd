"""The bank statement importer, on beangulp (Beancount's importer framework).

`BankStatementImporter(account, model)` is a `beangulp.Importer`: `identify` accepts a CSV or
Excel statement in a known layout, `extract(path, existing)` returns what the books lack: a
`!` draft for each statement line no voucher matches, numbered on in its month, and the
statement's closing balance as a `balance` assertion dated the day after its last line, with
`bank-statement` (the statement's balance) and `outstanding` (the vouchers the bank does not
have yet) metadata. What the books already hold (a draft made from the same line, the assertion
of the same statement) is not returned again, so importing a statement twice adds nothing.

`import-bank` uses it with the books' model; a township's own beangulp ingest script can too:

    from village_ledger.bank.importer import BankStatementImporter
    importers = [BankStatementImporter("Assets:102-银行存款:10201-农商行", model)]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import beangulp
from beancount.core import data
from beancount.parser import parser

from village_ledger.bank.formats import Formats, load_formats
from village_ledger.bank.matching import (
    WINDOW_DAYS,
    Matching,
    book_items,
    match,
    reconcile,
)
from village_ledger.bank.statement import Statement, StatementError, read_statement
from village_ledger.entries import Assertion, Entry, Posting, next_voucher_numbers, quoted
from village_ledger.model import LedgerModel
from village_ledger.model.reconciliation import (
    BANK_REF,
    OUTSTANDING,
    STATEMENT,
    Reconciliation,
)
from village_ledger.money import CURRENCY

SUFFIXES = (".csv", ".xlsx", ".xlsm", ".txt")
DRAFT_RECEIPT = "银行回单"


@dataclass(frozen=True)
class Imported:
    """One statement against the books: the matching, the 调节表 and the entries to add."""

    statement: Statement
    matching: Matching
    reconciliation: Reconciliation
    new: list[Entry | Assertion]  # drafts, then the assertion; empty when the books hold them


class BankStatementImporter(beangulp.Importer):  # type: ignore[misc]  # beangulp is untyped
    def __init__(
        self,
        account: str,
        model: LedgerModel,
        *,
        formats: Formats | None = None,
        bank: str | None = None,
        window: int = WINDOW_DAYS,
    ) -> None:
        self._account = account
        self.model = model
        self.formats = formats if formats is not None else load_formats(model.township_dir)
        self.bank = bank
        self.window = window

    @property
    def name(self) -> str:
        return f"village_ledger.bank:{self._account}"

    def identify(self, filepath: str) -> bool:
        if not filepath.lower().endswith(SUFFIXES):
            return False
        try:
            read_statement(filepath, self.formats, self.bank)
        except StatementError:
            return False
        return True

    def account(self, filepath: str) -> str:
        return self._account

    def date(self, filepath: str) -> dt.date | None:
        return read_statement(filepath, self.formats, self.bank).last_day

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        return directives(self.run(filepath).new)

    def run(self, filepath: str | Path) -> Imported:
        """Read, match and reconcile one statement; raises `StatementError`."""
        statement = read_statement(filepath, self.formats, self.bank)
        items = book_items(self.model, self._account, statement, self.window)
        matching = match(self._account, statement, items, self.window)
        rec = reconcile(self.model, matching)
        return Imported(statement, matching, rec, self._new_entries(statement, matching, rec))

    # --- what the books lack ----------------------------------------------------------------

    def _new_entries(
        self, statement: Statement, matching: Matching, rec: Reconciliation
    ) -> list[Entry | Assertion]:
        new: list[Entry | Assertion] = list(self._drafts(matching))
        asserted = statement.last_day + timedelta(days=1)
        if self._already_asserted(asserted):
            return new
        meta = [(STATEMENT, f"{statement.closing:.2f} {CURRENCY}")]
        outstanding = [item.ref for item in rec.book_only if item.ref]
        if outstanding:
            meta.append((OUTSTANDING, quoted(",".join(outstanding))))
        balance = rec.book + rec.bank_received - rec.bank_paid  # drafts count in the books
        new.append(Assertion(asserted, self._account, balance, tuple(meta)))
        return new

    def _already_asserted(self, day: dt.date) -> bool:
        return any(
            c.account == self._account and c.dated == day and c.has_statement
            for c in self.model.figures.reconciliations.checks
        )

    def _drafts(self, matching: Matching) -> list[Entry]:
        taken: list[str] = []
        drafts = []
        for line in matching.lines:
            [number] = next_voucher_numbers(self.model, line.day, 1, taken)
            taken.append(number)
            counter = self.formats.drafts.counter(line.text, line.amount > 0)
            meta = (
                ("voucher", quoted(number)),
                (BANK_REF, quoted(line.key)),
                ("receipt", quoted(DRAFT_RECEIPT)),
            )
            postings = (Posting(self._account, line.amount), Posting(counter, -line.amount))
            payee = line.payee or matching.statement.bank.name
            narration = f"对账单：{line.summary or '未注明摘要'}（待补全凭证）"
            drafts.append(Entry(line.day, payee, narration, meta, postings, flag="!"))
        return drafts


def directives(new: list[Entry | Assertion]) -> data.Entries:
    """The entries as Beancount directives (what beangulp's `extract` returns)."""
    entries, _, _ = parser.parse_string("\n".join(e.text() for e in new))
    return list(entries)
