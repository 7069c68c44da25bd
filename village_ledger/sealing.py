"""A quarter's seal (`公开封存`): the books it covers, the figures it records, and whether it
holds.

What a quarter's digest covers and how it is computed (the canonical form of the books) is
`village_ledger.canonical`.

The `seal` command also writes what it saw on the seal directive, so that a broken seal can say
what changed: `vouchers` (the count of vouchers), `total` (the sum of their debits in yuan),
`last-vouchers` (the last voucher number of each month, `2025-01-031,2025-02-027,…`) and
`township` (the township digest). These are optional: a hand-written seal without them is still
checked against its digest.

`seal_states(model)` answers, for every quarter of the books, whether it is sealed and whether
its seal holds (`SealState`): the rules VL601 and VL603, the reports and the dashboard all read
it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from village_ledger.canonical import (
    FORM,
    FORM_1,
    TOWNSHIP_FORM,
    digest_of,
    is_contract_directive,
    record,
)
from village_ledger.model import vocab
from village_ledger.model.index import per_model
from village_ledger.model.seals import DIGEST, Quarter, Seal
from village_ledger.money import CURRENCY

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel


META_VOUCHERS = "vouchers"
META_TOTAL = "total"
META_LAST_VOUCHERS = "last-vouchers"
META_TOWNSHIP = "township"

TODAY_VARIABLE = "VILLAGE_LEDGER_TODAY"
DEADLINE = "公开期限天数"  # the policy item

VOUCHER = re.compile(r"^(\d{4}-\d{2})-(\d{3,})$")


class QuarterBooks:
    """What a quarter's seal covers, and the figures that say what changed. (A plain class, not
    a dataclass: `check` imports it, and a dataclass compiles its methods at import.)"""

    __slots__ = ("quarter", "records", "standing", "township_records", "vouchers")

    def __init__(self, quarter: Quarter) -> None:
        self.quarter = quarter
        self.records: list[str] = []  # dated in the quarter, not the township's
        self.standing: list[str] = []  # contract directives dated before it
        self.township_records: list[str] = []  # the township files' share
        self.vouchers: list[data.Transaction] = []

    def __repr__(self) -> str:
        return f"QuarterBooks({self.quarter!r}, {len(self.records)} records)"

    @property
    def township_digest(self) -> str:
        return digest_of(self.township_records, TOWNSHIP_FORM)

    @property
    def digest(self) -> str:
        return self.digest_with(self.township_digest)

    def digest_with(self, township_digest: str) -> str:
        """The digest, had the township files held what `township_digest` stands for."""
        head = f"township {township_digest}\n"
        return digest_of(self.records + self.standing, FORM, head)

    @property
    def form_1_digest(self) -> str:
        """The digest as seals before form 2 computed it."""
        return digest_of(self.records, FORM_1)

    # The figures are only read when a seal is written or found broken: not on every check.
    @property
    def total(self) -> Decimal:
        return sum((debits(v) for v in self.vouchers), Decimal(0))

    @property
    def last_vouchers(self) -> dict[str, int]:
        last: dict[str, int] = {}
        for voucher in self.vouchers:
            parsed = voucher_number(voucher)
            if parsed is not None:
                month, count = parsed
                last[month] = max(count, last.get(month, 0))
        return last

    def add(self, entry: data.Directive, line: str, township: bool) -> None:
        (self.township_records if township else self.records).append(line)
        if isinstance(entry, data.Transaction) and not township:
            self.vouchers.append(entry)


def debits(entry: data.Transaction) -> Decimal:
    """The debit side of a voucher in yuan: what the quarter's 借方发生额 adds up."""
    total = Decimal(0)
    for posting in entry.postings:
        units = posting.units
        if (
            isinstance(units, Amount)
            and units.currency == CURRENCY
            and isinstance(units.number, Decimal)
            and units.number > 0
        ):
            total += units.number
    return total


def voucher_number(entry: data.Transaction) -> tuple[str, int] | None:
    """`2025-03-044` -> `("2025-03", 44)`; None when missing or malformed (VL307's concern)."""
    value = (entry.meta or {}).get("voucher")
    match = VOUCHER.match(value.strip()) if isinstance(value, str) else None
    return (match.group(1), int(match.group(2))) if match else None


def quarter_books(
    entries: Iterable[data.Directive],
    quarters: Iterable[Quarter],
    is_township_file: Callable[[str], bool] = lambda filename: False,
) -> dict[Quarter, QuarterBooks]:
    """The books of the given quarters, in one pass over the entries."""
    books = {(q.year, q.number): QuarterBooks(q) for q in quarters}
    if not books:
        return {}
    last_day = max(book.quarter.last_day for book in books.values())
    township: dict[str, bool] = {}  # few files, many entries: decide each file once
    standing: list[tuple[date, str, bool]] = []  # contract directives, for the later quarters
    for entry in entries:
        day = entry.date
        quarter = books.get((day.year, (day.month + 2) // 3))
        is_contract = type(entry) is data.Custom and is_contract_directive(entry)
        if quarter is None and not (is_contract and day <= last_day):
            continue
        filename = str((entry.meta or {}).get("filename", ""))
        ours = township.get(filename)
        if ours is None:
            ours = township[filename] = is_township_file(filename)
        line = record(entry)
        if line is None:
            continue
        if quarter is not None:
            quarter.add(entry, line, ours)
        if is_contract:
            standing.append((day, line, ours))
    for book in books.values():
        first_day = book.quarter.first_day
        for day, line, ours in standing:
            if day < first_day:
                (book.township_records if ours else book.standing).append(line)
    return {book.quarter: book for book in books.values()}


def seal_books(model: LedgerModel, quarters: Iterable[Quarter]) -> dict[Quarter, QuarterBooks]:
    """`quarter_books` of a village's model: the township's files are its chart's folder."""
    return quarter_books(model.entries, quarters, model.is_township_file)


class SealedFigures(NamedTuple):
    """What the `seal` command saw when it sealed the quarter (optional seal metadata)."""

    vouchers: int | None
    total: Decimal | None
    last_vouchers: dict[str, int] | None
    township: str | None


def sealed_figures(seal: Seal) -> SealedFigures:
    meta = seal.entry.meta or {}
    return SealedFigures(
        _count(meta.get(META_VOUCHERS)),
        _decimal(meta.get(META_TOTAL)),
        _last_vouchers(meta.get(META_LAST_VOUCHERS)),
        _digest(meta.get(META_TOWNSHIP)),
    )


def _count(value: Any) -> int | None:
    if isinstance(value, Decimal) and value == value.to_integral_value() and value >= 0:
        return int(value)
    return None


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Amount) and isinstance(value.number, Decimal):
        return value.number
    return None


def _digest(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and DIGEST.match(value.strip()) else None


def _last_vouchers(value: Any) -> dict[str, int] | None:
    if not isinstance(value, str):
        return None
    last: dict[str, int] = {}
    for part in value.replace("，", ",").split(","):
        if not part.strip():
            continue
        match = VOUCHER.match(part.strip())
        if match is None:
            return None  # a hand-edited list that cannot be trusted says nothing
        last[match.group(1)] = int(match.group(2))
    return last


def seal_lines(books: QuarterBooks, day: date) -> list[str]:
    """The `公开封存` directive for a quarter, as lines of ledger text."""
    last = ",".join(f"{month}-{n:03d}" for month, n in sorted(books.last_vouchers.items()))
    return [
        f'{day.isoformat()} custom "{vocab.SEAL}" "{books.quarter}" "{books.digest}"',
        f"  {META_VOUCHERS}: {len(books.vouchers)}",
        f"  {META_TOTAL}: {books.total:.2f}",
        f'  {META_LAST_VOUCHERS}: "{last}"',
        f'  {META_TOWNSHIP}: "{books.township_digest}"',
    ]


# --- the state of each quarter's seal ----------------------------------------------------


class SealState(NamedTuple):
    """Whether a quarter is sealed as of a day, and whether its seal holds.

    `sealed`: a seal dated on or before `as_of`; `intact`/`broken`: its digest matches the books
    or not (a seal in the books is verified whatever its date, as VL601 does); `late`: sealed
    after its deadline; `overdue`: not sealed as of `as_of` although the deadline has passed
    (VL603). `status` is one word of these for the dashboard and the reports.
    """

    quarter: Quarter
    as_of: date
    deadline: date  # last day + 公开期限天数 in force on the last day
    seal: Seal | None = None
    books: QuarterBooks | None = None  # the quarter's books now, for a seal in the books
    form: int | None = None  # the canonical form the seal matched; None if it matches none

    @property
    def sealed(self) -> bool:
        return self.seal is not None and self.seal.day <= self.as_of

    @property
    def broken(self) -> bool:
        return self.seal is not None and self.form is None

    @property
    def intact(self) -> bool:
        return self.sealed and not self.broken

    @property
    def late(self) -> bool:
        return self.seal is not None and self.seal.day > self.deadline

    @property
    def overdue(self) -> bool:
        return not self.sealed and self.as_of > self.deadline

    @property
    def status(self) -> str:
        """`broken`, `intact`, `overdue` or `unsealed`."""
        if self.broken:
            return "broken"
        if self.sealed:
            return "intact"
        return "overdue" if self.overdue else "unsealed"

    @property
    def township_changed(self) -> bool | None:
        """Whether the township files' share differs from what the seal recorded (None: the
        seal recorded nothing to compare)."""
        recorded = sealed_figures(self.seal).township if self.seal else None
        if recorded is None or self.books is None:
            return None
        return recorded != self.books.township_digest

    @property
    def village_changed(self) -> bool | None:
        """Whether the books outside the township's files changed (None: cannot tell)."""
        if not self.broken or self.seal is None or self.books is None:
            return False if self.seal is not None else None
        recorded = sealed_figures(self.seal).township
        if recorded is None:
            return None
        return self.books.digest_with(recorded) != self.seal.digest


def matched_form(books: QuarterBooks, seal: Seal) -> int | None:
    if books.digest == seal.digest:
        return 2
    if books.form_1_digest == seal.digest:
        return 1
    return None


@per_model
def _sealed_books(model: LedgerModel) -> dict[Quarter, tuple[QuarterBooks, int | None]]:
    """Every sealed quarter's books and the form its seal matched: one pass, once per model."""
    seals = {seal.quarter: seal for seal in model.seals}
    books = seal_books(model, seals)
    return {q: (books[q], matched_form(books[q], seal)) for q, seal in seals.items()}


def seal_states(model: LedgerModel, as_of: date | None = None) -> dict[Quarter, SealState]:
    """The state of every quarter from the first voucher's to the last that ended before
    `as_of` (default: the model's day, else `today()`), and of every sealed quarter."""
    as_of = as_of or model.as_of or today()
    checked = _sealed_books(model)
    quarters = set(checked)
    if model.vouchers:
        quarter = Quarter.of(model.vouchers[0].date)
        while quarter.last_day < as_of:
            quarters.add(quarter)
            quarter = quarter.next()
    states = {}
    for quarter in sorted(quarters):
        books, form = checked.get(quarter, (None, None))
        states[quarter] = SealState(
            quarter, as_of, deadline(model, quarter), model.seals.get(quarter), books, form
        )
    return states


class SealCalendar(NamedTuple):
    """What decides which quarters are overdue on any day, without the books (VL603's state):
    the first voucher's quarter, the day each quarter was sealed, and 公开期限天数 over time.
    Small and picklable, the same whatever today is, so a cached village is judged again on
    each day (`village_ledger.cache`); `overdue(as_of)` answers as `seal_states` does."""

    main_file: str
    first: Quarter | None  # None: no voucher, nothing is ever due
    sealed_on: tuple[tuple[Quarter, date], ...]
    deadline_days: tuple[tuple[date, int], ...]  # 公开期限天数 from each day on
    default_days: int  # before the first of them

    @classmethod
    def of(cls, model: LedgerModel) -> SealCalendar:
        from village_ledger.model.policy import ITEMS

        return cls(
            model.main_file,
            Quarter.of(model.vouchers[0].date) if model.vouchers else None,
            tuple(sorted((q, seal.day) for q, seal in model.seals.by_quarter.items())),
            tuple((day, int(value)) for day, value in model.policy.changes(DEADLINE)),
            int(ITEMS[DEADLINE].default),
        )

    def deadline(self, quarter: Quarter) -> date:
        """As `deadline`: 公开期限天数 in force on the quarter's last day after it."""
        days = self.default_days
        for day, value in self.deadline_days:
            if day > quarter.last_day:
                break
            days = value
        return quarter.last_day + timedelta(days=days)

    def overdue(self, as_of: date) -> list[tuple[Quarter, date]]:
        """The quarters past their deadline on `as_of` with no seal dated on or before it,
        each with its deadline, in order (the quarters `seal_states` would call overdue)."""
        if self.first is None:
            return []
        sealed = dict(self.sealed_on)
        quarters = set(sealed)
        quarter = self.first
        while quarter.last_day < as_of:
            quarters.add(quarter)
            quarter = quarter.next()
        found = []
        for quarter in sorted(quarters):
            day = sealed.get(quarter)
            deadline = self.deadline(quarter)
            if not (day is not None and day <= as_of) and as_of > deadline:
                found.append((quarter, deadline))
        return found


def checked_seals(model: LedgerModel) -> list[SealState]:
    """Every seal in the books and whether it holds, each as of its own day: whether a digest
    matches does not depend on what today is (VL601 reads this, so a malformed
    `VILLAGE_LEDGER_TODAY` stops only the rules that need the day)."""
    return [
        SealState(quarter, seal.day, deadline(model, quarter), seal, *_sealed_books(model)[quarter])
        for quarter, seal in sorted(model.seals.by_quarter.items())
    ]


def seal_state(model: LedgerModel, quarter: Quarter, as_of: date | None = None) -> SealState:
    """The state of one quarter's seal (any quarter, in the books' span or not)."""
    state = seal_states(model, as_of).get(quarter)
    if state is None:
        state = SealState(quarter, as_of or model.as_of or today(), deadline(model, quarter))
    return state


def deadline(model: LedgerModel, quarter: Quarter) -> date:
    """The last day to publish and seal a quarter: 公开期限天数 after its end (the policy in
    force on its last day)."""
    return quarter.last_day + timedelta(days=int(model.policy.value(DEADLINE, quarter.last_day)))


class TodayError(ValueError):
    """VILLAGE_LEDGER_TODAY is set to something that is not a date; the message is for users."""


def today() -> date:
    """The date the rules and the seal command take as today: VILLAGE_LEDGER_TODAY or the clock.

    Tests and auditors set `VILLAGE_LEDGER_TODAY=YYYY-MM-DD` to see the books as of that day.
    """
    raw = os.environ.get(TODAY_VARIABLE, "").strip()
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise TodayError(
            f"环境变量 {TODAY_VARIABLE} 应为 YYYY-MM-DD 格式的日期，实为“{raw}”"
        ) from None
