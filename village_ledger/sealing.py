"""The canonical form of a quarter's books and its digest, printed on the 财务公开 sheet.

A quarter's digest is `sha256:` + the SHA-256 of its *records*, one canonical JSON line per
entry, sorted. What a record holds is the meaning of an entry, never its layout, so the digest
does not change with indentation, comments, blank lines, the order of entries within a day, the
order of a transaction's postings, or how the books are split across included files; it changes
with any date, amount, account, payee, narration, flag, tag, link or metadata value.

Which entries of the quarter (dated from its first to its last day) are covered:

- every transaction the accountant booked (a voucher; not the ones `pad` generates);
- `balance` assertions and `pad` directives (the reconciled figures);
- the ledger contract's directives (任职, 离任, 亲属, 会议决议, 财务制度 …), so that a roster
  change or a resolution cannot be backdated into a published quarter;

but not `公开封存` itself (sealing one quarter must not break another's seal), not the shared
township files (the chart and policy of every village, which a village cannot correct), and not
`open`/`close`, notes, documents, events, prices or tool settings (`fava-…`), which do not change
a published figure. Metadata `filename`, `lineno` and Beancount's internal `__…__` keys are
ignored. Amounts are compared by value: `100`, `100.0` and `100.00` are the same, `100.001`
is not.

The `seal` command also writes what it saw on the seal directive, so that a broken seal can say
what changed: `vouchers` (the count of vouchers), `total` (the sum of their debits in yuan) and
`last-vouchers` (the last voucher number of each month, `2025-01-031,2025-02-027,…`). These are
optional: a hand-written seal without them is still checked against its digest.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from beancount.core import data, flags
from beancount.core.amount import Amount

from village_ledger.model import vocab
from village_ledger.model.seals import Quarter, Seal
from village_ledger.money import CURRENCY

SCHEME = "sha256"
# The first line hashed: a later canonical form must change it, so old seals never match by luck.
FORM = "village-ledger canonical form 1\n"

META_VOUCHERS = "vouchers"
META_TOTAL = "total"
META_LAST_VOUCHERS = "last-vouchers"

TODAY_VARIABLE = "VILLAGE_LEDGER_TODAY"

VOUCHER = re.compile(r"^(\d{4}-\d{2})-(\d{3,})$")
IGNORED_META = frozenset({"filename", "lineno"})


def number(value: Decimal) -> str:
    """A Decimal by value: no exponent, no trailing zeros, no negative zero."""
    if not value:
        return "0"
    text = str(value)
    if "E" in text:  # not normalize(): it rounds to the context's precision
        text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def value_form(value: Any) -> Any:
    """A metadata or custom value, tagged with its type so `3` and `"3"` differ."""
    form = VALUE_FORMS.get(type(value))  # exact types first: this runs for every metadata value
    if form is not None:
        return form(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, Decimal | int):
        return ["n", number(Decimal(value))]
    if isinstance(value, str):
        return ["s", value]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, Amount):
        return ["a", amount_form(value)]
    return ["?", repr(value)]


def amount_form(amount: Amount | None) -> list[Any] | None:
    if amount is None:
        return None
    units = number(amount.number) if isinstance(amount.number, Decimal) else None
    return [units, amount.currency]


VALUE_FORMS: dict[type, Callable[[Any], list[Any]]] = {
    str: lambda v: ["s", v],
    Decimal: lambda v: ["n", number(v)],
    bool: lambda v: ["b", v],
    date: lambda v: ["d", v.isoformat()],
    Amount: lambda v: ["a", amount_form(v)],
}


def meta_form(meta: Mapping[str, Any] | None) -> list[list[Any]]:
    if not meta:
        return []
    return [
        [key, value_form(value)]
        for key, value in sorted(meta.items())
        if key not in IGNORED_META and key[:2] != "__"
    ]


def cost_form(cost: Any) -> list[Any] | None:
    if cost is None:
        return None
    day = cost.date.isoformat() if isinstance(cost.date, date) else None
    units = number(cost.number) if isinstance(cost.number, Decimal) else None
    return [units, cost.currency, day, cost.label]


def posting_form(posting: data.Posting) -> list[Any]:
    return [
        posting.account,
        amount_form(posting.units),
        cost_form(posting.cost),
        amount_form(posting.price),
        posting.flag,
        meta_form(posting.meta),
    ]


def transaction_form(entry: data.Transaction) -> list[Any]:
    """The definition of a voucher's record; `transaction_text` is its fast spelling."""
    return [
        entry.date.isoformat(),
        "txn",
        entry.flag,
        entry.payee,
        entry.narration,
        sorted(entry.tags or ()),
        sorted(entry.links or ()),
        meta_form(entry.meta),
        # postings are a set: their order on the page is layout
        sorted(dumps(posting_form(p)) for p in entry.postings),
    ]


# one encoder for every record: json.dumps would build a new one per call
dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# how that encoder writes a string
quote: Callable[[str], str] = json.encoder.encode_basestring


# A check computes the records of every sealed quarter, a hundred thousand vouchers in a large
# village, so a voucher's record is written straight as text rather than through the lists of
# `transaction_form`: the same bytes (the tests hold them equal) at a fraction of the cost. The
# few strings that recur on every voucher (accounts, metadata keys, currencies) are quoted once.

_QUOTED: dict[str, str] = {}
_KEYS: dict[str, str] = {}  # metadata key -> its quoted form, "" for a key the digest ignores
TEXT = '["s",'  # how a text value starts


def quoted(name: str) -> str:
    """`quote` for the few strings that recur on every voucher."""
    text = _QUOTED.get(name)
    if text is None:
        if len(_QUOTED) > 100_000:  # a long-lived process reading many ledgers
            _QUOTED.clear()
        text = _QUOTED[name] = quote(name)
    return text


def quoted_key(key: str) -> str:
    text = _KEYS.get(key)
    if text is None:
        ignored = key in IGNORED_META or key[:2] == "__"
        text = _KEYS[key] = "" if ignored else quote(key)
    return text


def transaction_text(entry: data.Transaction) -> str:
    postings = []
    for posting in entry.postings:
        units = posting.units
        if (
            posting.cost is None
            and posting.price is None
            and type(units) is Amount
            and type(units.number) is Decimal
        ):
            posting_flag = "null" if posting.flag is None else quote(posting.flag)
            postings.append(
                f'[{quoted(posting.account)},["{number(units.number)}",{quoted(units.currency)}],'
                f"null,null,{posting_flag},{meta_text(posting.meta)}]"
            )
        else:
            postings.append(dumps(posting_form(posting)))
    postings.sort()
    flag, payee, narration = entry.flag, entry.payee, entry.narration
    return (
        f'["{entry.date.isoformat()}","txn",'
        f"{'null' if flag is None else quote(flag)},"
        f"{'null' if payee is None else quote(payee)},"
        f"{'null' if narration is None else quote(narration)},"
        f"{texts(sorted(entry.tags)) if entry.tags else '[]'},"
        f"{texts(sorted(entry.links)) if entry.links else '[]'},"
        f"{meta_text(entry.meta)},"
        f"[{','.join(map(quote, postings))}]]"
    )


def meta_text(meta: Mapping[str, Any] | None) -> str:
    if not meta or meta.keys() <= IGNORED_META:  # a posting's metadata is most often its line
        return "[]"
    parts = []
    for key in sorted(meta):
        name = _KEYS.get(key)
        if name is None:
            name = quoted_key(key)
        if not name:
            continue
        value = meta[key]
        if type(value) is str:  # most metadata: skip the dispatch
            parts.append(f"[{name},{TEXT}{quote(value)}]]")
        else:
            parts.append(f"[{name},{dumps(value_form(value))}]")
    return f"[{','.join(parts)}]"


def texts(values: Iterable[str]) -> str:
    return "[" + ",".join(map(quote, values)) + "]"


def record(entry: data.Directive) -> str | None:
    """The canonical line of an entry the digest covers, or None for one it does not."""
    if isinstance(entry, data.Transaction):
        if entry.flag == flags.FLAG_PADDING:
            return None
        return transaction_text(entry)
    head = entry.date.isoformat()
    if isinstance(entry, data.Balance):
        tolerance = number(entry.tolerance) if entry.tolerance is not None else None
        form = [entry.account, amount_form(entry.amount), tolerance]
        return dumps([head, "balance", *form, meta_form(entry.meta)])
    if isinstance(entry, data.Pad):
        form = [entry.account, entry.source_account]
        return dumps([head, "pad", *form, meta_form(entry.meta)])
    if isinstance(entry, data.Custom) and is_contract_directive(entry):
        values = [value_form(v.value) for v in entry.values]
        return dumps([head, "custom", entry.type, values, meta_form(entry.meta)])
    return None


def is_contract_directive(entry: data.Custom) -> bool:
    """The ledger contract's directives are Chinese; a seal never covers another seal."""
    return not entry.type.isascii() and entry.type != vocab.SEAL


def digest_of(records: Iterable[str]) -> str:
    lines = sorted(records)
    lines.append("")  # every line ends with a newline
    hasher = hashlib.sha256(FORM.encode("utf-8"))
    hasher.update("\n".join(lines).encode("utf-8"))
    return f"{SCHEME}:{hasher.hexdigest()}"


@dataclass
class QuarterBooks:
    """What a quarter's seal covers, and the figures that say what changed."""

    quarter: Quarter
    records: list[str] = field(default_factory=list)
    vouchers: list[data.Transaction] = field(default_factory=list)

    @property
    def digest(self) -> str:
        return digest_of(self.records)

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

    def add(self, entry: data.Directive, line: str) -> None:
        self.records.append(line)
        if isinstance(entry, data.Transaction):
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
    township: dict[str, bool] = {}  # few files, many entries: decide each file once
    for entry in entries:
        day = entry.date
        quarter = books.get((day.year, (day.month + 2) // 3))
        if quarter is None:
            continue
        filename = str((entry.meta or {}).get("filename", ""))
        outside = township.get(filename)
        if outside is None:
            outside = township[filename] = is_township_file(filename)
        if outside:
            continue
        line = record(entry)
        if line is not None:
            quarter.add(entry, line)
    return {book.quarter: book for book in books.values()}


@dataclass(frozen=True)
class SealedFigures:
    """What the `seal` command saw when it sealed the quarter (optional seal metadata)."""

    vouchers: int | None
    total: Decimal | None
    last_vouchers: dict[str, int] | None


def sealed_figures(seal: Seal) -> SealedFigures:
    meta = seal.entry.meta or {}
    return SealedFigures(
        _count(meta.get(META_VOUCHERS)),
        _decimal(meta.get(META_TOTAL)),
        _last_vouchers(meta.get(META_LAST_VOUCHERS)),
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
    ]


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
