"""What a finding is about, named the way an accountant names it, never by a line number.

A `整改` directive and a baseline file point at findings by their code and this *subject*, so it
must survive the ledger being edited, split or reordered:

- an entry with a `voucher` (凭证号): the voucher number, e.g. `2025-05-013`;
- a `会议决议`: its 决议编号; a `公开封存`: its period (`2025Q1`);
- any other custom directive: its date, type and values, e.g. `2024-03-15 任职 张三 主任`;
- an `open` directive: the account's name;
- a transaction without a voucher: its date, payee and narration;
- anything else: its date, kind and account (e.g. `2025-03-31 balance Assets:101-库存现金`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beancount.core import data

from village_ledger.model import vocab
from village_ledger.model.index import per_model

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

# custom directives whose first value already names them uniquely
NAMED_BY_FIRST_VALUE = frozenset({vocab.RESOLUTION, vocab.SEAL, vocab.CONTRACT, vocab.ASSET})


def subject_of(entry: Any) -> str:
    meta = getattr(entry, "meta", None) or {}
    voucher = meta.get("voucher")
    if voucher is not None and str(voucher).strip():
        return str(voucher).strip()
    day = getattr(entry, "date", "")
    if isinstance(entry, data.Custom):
        values = [_text(v.value) for v in entry.values]
        if entry.type in NAMED_BY_FIRST_VALUE and values:
            return values[0]
        return " ".join([str(day), entry.type, *values])
    if isinstance(entry, data.Open):
        return entry.account
    if isinstance(entry, data.Transaction):
        return " ".join(p for p in (str(day), entry.payee or "", entry.narration or "") if p)
    kind = type(entry).__name__.lower()
    account = getattr(entry, "account", None)
    return " ".join(str(p) for p in (day, kind, account) if p)


def _text(value: Any) -> str:
    return str(value).strip()


@per_model
def subjects_by_location(model: LedgerModel) -> dict[tuple[str, int], str]:
    """The subject of every entry, by its file and line (built once, when first needed)."""
    found: dict[tuple[str, int], str] = {}
    for entry in model.entries:
        meta = entry.meta or {}
        key = (str(meta.get("filename", "")), int(meta.get("lineno") or 0))
        found.setdefault(key, subject_of(entry))
    return found


def subject_at(model: LedgerModel | None, meta: dict[str, Any] | None) -> str:
    """The subject of the entry whose metadata a rule reported: its voucher when it carries
    one, else whatever entry of the model sits at its file and line ("" when none does)."""
    if not meta:
        return ""
    voucher = meta.get("voucher")
    if voucher is not None and str(voucher).strip():
        return str(voucher).strip()
    if model is None:
        return ""
    key = (str(meta.get("filename", "")), int(meta.get("lineno") or 0))
    return subjects_by_location(model).get(key, "")
