"""The canonical form of a quarter's books and its digest, printed on the 财务公开 sheet.

A quarter's digest is `sha256:` + the SHA-256 of its *records*, one canonical JSON line per
entry, sorted. What a record holds is the meaning of an entry, never its layout, so the digest
does not change with indentation, comments, blank lines, the order of entries within a day, the
order of a transaction's postings, or how the books are split across included files; it changes
with any date, amount, account, payee, narration, flag, tag, link or metadata value.

Which entries a quarter's digest covers (canonical form 2), from every file the village's books
include, wherever it lies:

- dated within the quarter: every transaction the accountant booked (a voucher; not the ones
  `pad` generates), `balance` assertions and `pad` directives (the reconciled figures), and the
  ledger contract's directives (任职, 离任, 亲属, 会议决议, 财务制度 …);
- dated before the quarter: the contract's directives, because the roster, the resolutions and
  the policy in force during the quarter are part of what it means: an appointment backdated to
  before a published quarter changes who could approve its payments.

Entries of the township's own files (`LedgerModel.is_township_file`: the folder the chart comes
from) are hashed apart, into the *township digest*, which the quarter's digest includes and the
seal records as `township` metadata: a change there breaks the seal as surely as one in the
village's files, and the finding can say which side changed. Not covered: `公开封存` itself
(sealing one quarter must not break another's seal), `公开网址` (the public server's address),
`open`/`close`, notes, documents, events,
prices and tool settings (`fava-…`), which do not change a published figure. Metadata `filename`,
`lineno` and Beancount's internal `__…__` keys are ignored. Amounts are compared by value:
`100`, `100.0` and `100.00` are the same, `100.001` is not.

Seals written before form 2 (canonical form 1: the quarter's own entries outside the township's
files, no township digest) still verify: a seal holds if it matches either form.

The seals themselves (what a `公开封存` records, whether it holds): `village_ledger.sealing`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from beancount.core import data, flags
from beancount.core.amount import Amount

from village_ledger.model import vocab

SCHEME = "sha256"
# The first line hashed: a later canonical form must change it, so old seals never match by luck.
FORM = "village-ledger canonical form 2\n"
FORM_1 = "village-ledger canonical form 1\n"
TOWNSHIP_FORM = "village-ledger township form 2\n"

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


def record_form(entry: data.Directive) -> list[Any] | None:
    """The definition of an entry's record (None: the digest does not cover it); `record` is
    its fast spelling."""
    if isinstance(entry, data.Transaction):
        return None if entry.flag == flags.FLAG_PADDING else transaction_form(entry)
    head = entry.date.isoformat()
    if isinstance(entry, data.Balance):
        tolerance = number(entry.tolerance) if entry.tolerance is not None else None
        form = [entry.account, amount_form(entry.amount), tolerance]
        return [head, "balance", *form, meta_form(entry.meta)]
    if isinstance(entry, data.Pad):
        return [head, "pad", entry.account, entry.source_account, meta_form(entry.meta)]
    if isinstance(entry, data.Custom) and is_contract_directive(entry):
        values = [value_form(v.value) for v in entry.values]
        return [head, "custom", entry.type, values, meta_form(entry.meta)]
    return None


# A check computes the records of every sealed quarter, a hundred thousand vouchers in a large
# village, so vouchers and the contract's directives are written straight as text rather than
# through the lists of `record_form`: the same bytes (the tests hold them equal) at a fraction
# of the cost. The few strings that recur on every voucher (accounts, currencies, the metadata
# keys of each kind of voucher) are quoted once.

_QUOTED: dict[str, str] = {}
# the metadata keys of a kind of entry, in the order Beancount read them -> the keys the record
# holds, sorted, each with the start of its item (`["voucher",`)
_PLANS: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}
CACHED = 100_000  # entries in each cache: a long-lived process reads many ledgers
K = TypeVar("K")
V = TypeVar("V")


def kept(cache: dict[K, V], key: K, value: V) -> V:
    """`value`, remembered under `key` in one of the caches below, which are emptied when
    they hold CACHED entries."""
    if len(cache) > CACHED:
        cache.clear()
    cache[key] = value
    return value


def quoted(name: str) -> str:
    """`quote` for the few strings that recur on every voucher."""
    text = _QUOTED.get(name)
    return kept(_QUOTED, name, quote(name)) if text is None else text


def meta_plan(keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    plan = _PLANS.get(keys)
    if plan is None:
        plan = kept(_PLANS, keys, tuple(
            (key, f"[{quote(key)},")
            for key in sorted(keys)
            if key not in IGNORED_META and key[:2] != "__"
        ))  # fmt: skip
    return plan


def transaction_text(entry: data.Transaction) -> str:
    postings = []
    for posting in entry.postings:
        account, units, cost, price, flag, meta = posting
        # most postings: an amount in yuan, no flag and no metadata but their line
        if cost is None and price is None and type(units) is Amount:
            value, currency = units
            if type(value) is Decimal:
                postings.append(
                    f"{_STARTS.get(account) or posting_start(account)}{number(value)}"
                    f"{_ENDS.get(currency) or units_end(currency)}"
                    f"{'null' if flag is None else quote(flag)},"
                    f"{'[]' if not meta or meta.keys() <= IGNORED_META else meta_text(meta)}]"
                )
                continue
        postings.append(dumps(posting_form(posting)))
    postings.sort()
    flag, payee, narration = entry.flag, entry.payee, entry.narration
    return (
        f'["{day_text(entry.date)}","txn",'
        f"{'null' if flag is None else quote(flag)},"
        f"{'null' if payee is None else quote(payee)},"
        f"{'null' if narration is None else quote(narration)},"
        f"{texts(sorted(entry.tags)) if entry.tags else '[]'},"
        f"{texts(sorted(entry.links)) if entry.links else '[]'},"
        f"{meta_text(entry.meta)},"
        f"[{','.join(map(quote, postings))}]]"
    )


# a posting's record up to its number, by account, and from its currency to its flag
_STARTS: dict[str, str] = {}
_ENDS: dict[str, str] = {}


def posting_start(account: str) -> str:
    return kept(_STARTS, account, f'[{quote(account)},["')


def units_end(currency: str) -> str:
    return kept(_ENDS, currency, f'",{quote(currency)}],null,null,')


def custom_text(entry: data.Custom) -> str:
    values = ",".join([value_text(v.value) for v in entry.values])
    return (
        f'["{day_text(entry.date)}","custom",{quote(entry.type)},[{values}],'
        f"{meta_text(entry.meta)}]"
    )


def meta_text(meta: Mapping[str, Any] | None) -> str:
    if not meta or meta.keys() <= IGNORED_META:  # a posting's metadata is most often its line
        return "[]"
    parts = []
    for key, start in meta_plan(tuple(meta)):
        value = meta[key]
        kind = type(value)
        # most values: inline, without a call (`value_text` spells them the same)
        if kind is str:
            parts.append(f'{start}["s",{quote(value)}]]')
        elif kind is date:
            parts.append(f'{start}["d","{day_text(value)}"]]')
        elif kind is Decimal:
            parts.append(f'{start}["n","{number(value)}"]]')
        else:
            parts.append(f"{start}{value_text(value)}]")
    return f"[{','.join(parts)}]"


def value_text(value: Any) -> str:
    """`value_form` as text: texts, days, numbers and amounts (most values) without the
    dispatch and the encoder (a day and a number hold nothing to escape)."""
    kind = type(value)
    if kind is str:
        return f'["s",{quote(value)}]'
    if kind is date:
        return f'["d","{day_text(value)}"]'
    if kind is Decimal:
        return f'["n","{number(value)}"]'
    if kind is Amount and type(value.number) is Decimal:
        return f'["a",["{number(value.number)}",{quoted(value.currency)}]]'
    return dumps(value_form(value))


_DAYS: dict[date, str] = {}


def day_text(day: date) -> str:
    """`day.isoformat()`, looked up: a village has a few hundred days and many entries on each,
    and formatting a date costs ten times the lookup."""
    text = _DAYS.get(day)
    return kept(_DAYS, day, day.isoformat()) if text is None else text


def texts(values: Iterable[str]) -> str:
    return "[" + ",".join(map(quote, values)) + "]"


def record(entry: data.Directive) -> str | None:
    """The canonical line of an entry the digest covers, or None for one it does not."""
    if type(entry) is data.Transaction:
        return None if entry.flag == flags.FLAG_PADDING else transaction_text(entry)
    if type(entry) is data.Custom:
        return custom_text(entry) if is_contract_directive(entry) else None
    form = record_form(entry)
    return None if form is None else dumps(form)


def is_contract_directive(entry: data.Custom) -> bool:
    """The ledger contract's directives are Chinese; a seal never covers another seal, nor the
    address of the township's public server (`公开网址`: where the books are shown is not part
    of them, and a township moving its server must not break every village's seals)."""
    return not entry.type.isascii() and entry.type not in (vocab.SEAL, vocab.PUBLIC_URL)


def digest_of(records: Iterable[str], form: str = FORM, head: str = "") -> str:
    """`sha256:` + SHA-256 of the form line, `head`, then the sorted records, one a line."""
    lines = sorted(records)
    lines.append("")  # every line ends with a newline
    hasher = hashlib.sha256(form.encode("utf-8"))
    hasher.update(head.encode("utf-8"))
    hasher.update("\n".join(lines).encode("utf-8"))
    return f"{SCHEME}:{hasher.hexdigest()}"
