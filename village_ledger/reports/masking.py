"""Masking personal data: the one step between a report model and every public renderer.

`publish(report)` walks the whole report (every string of every field, table cell and total,
however deeply nested) and returns a `Public` copy; renderers accept only `Public`. A field can
opt out only by declaring `metadata={"unmasked": reason}` on its dataclass field (the
supervision telephone, printed for villagers to call, and the seal digest).

What is masked, wherever it appears in text (rules in docs/reports.md):

- 身份证号: 18 characters (17 digits and a digit or X) or the old 15 digits: first 6 and last 4 kept;
- mobile numbers 1[3-9]xxxxxxxxx, also written 138-1234-5678, 138 1234 5678 or with +86: first 3
  and last 4 kept;
- bank card numbers of 16 to 19 digits, also in groups of four: last 4 kept;
- any other run of more than 20 digits: last 4 kept (nothing of that length is public data);
- the given name of the payee of a relief (救助) payment, wherever that payee's name appears.

A run of exactly 20 digits is a 全电发票 number and is left alone, as are the invoice form
`<10 or 12 digits>-<8 digits>`, voucher numbers (`2025-04-003`), dates and amounts: none of them
is a single run of 15 to 19 digits. Digits are matched as whole runs, so no part of a longer
number is mistaken for a phone number.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pandas as pd

from village_ledger.reports.tables import Table

T = TypeVar("T")

STAR = "*"
# surnames of two characters, so 欧阳明 becomes 欧阳* and not 欧**
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "端木",
        "轩辕",
        "独孤",
        "南宫",
        "西门",
        "申屠",
    ]
)

CARD_GROUPED = re.compile(r"(?<!\d)\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?(?!\d)")
PHONE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:[Xx](?![A-Za-z]))?(?!\d)")
INVOICE_DIGITS = 20


def _keep(text: str, first: int, last: int) -> str:
    """Star every digit except the first `first` and the last `last` digits; keep separators."""
    digits = [i for i, ch in enumerate(text) if ch.isdigit() or ch in "Xx"]
    hidden = set(digits[first : len(digits) - last])
    return "".join(STAR if i in hidden else ch for i, ch in enumerate(text))


def _card(match: re.Match[str]) -> str:
    text = match.group(0)
    count = sum(ch.isdigit() for ch in text)
    return _keep(text, 0, 4) if 16 <= count <= 19 else text


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = [ch for ch in text if ch.isdigit()]
    prefix = len(digits) - 11  # the country code, shown as it is
    return _keep(text, prefix + 3, 4)


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def is_identity_number(text: str) -> bool:
    """An 18-character 身份证号 whose last character is its GB 11643 checksum."""
    if len(text) != 18 or not text[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == text[17].upper()


def _run(match: re.Match[str]) -> str:
    text = match.group(0)
    size = len(text)
    # an 18-digit run that fails the checksum may be a card: then only its last 4 are shown
    if is_identity_number(text) or (size == 18 and not text.isdigit()):
        return _keep(text, 6, 4)
    if size == 15 and text.isdigit():
        return _keep(text, 6, 4)
    if 16 <= size <= 19 and text.isdigit():
        return _keep(text, 0, 4)
    if size > INVOICE_DIGITS:
        return _keep(text, 0, 4)
    return text


def mask_numbers(text: str) -> str:
    """Identity, phone and card numbers in free text, masked."""
    if not any(ch.isdigit() for ch in text):
        return text
    text = CARD_GROUPED.sub(_card, text)
    text = PHONE.sub(_phone, text)
    return DIGIT_RUN.sub(_run, text)


def mask_name(name: str) -> str:
    """张三丰 -> 张**, 欧阳明 -> 欧阳*: the surname stays, the given name goes."""
    name = name.strip()
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + STAR * (len(name) - keep)


class Masker:
    """Masks one report's text: numbers everywhere, and the names of its relief payees."""

    def __init__(self, hidden_names: Iterable[str] = ()) -> None:
        names = sorted({n.strip() for n in hidden_names if n and n.strip()}, key=len, reverse=True)
        self.replacements = {name: mask_name(name) for name in names}
        self.pattern = re.compile("|".join(map(re.escape, names))) if names else None

    def text(self, value: str) -> str:
        value = mask_numbers(value)
        if self.pattern is not None:
            value = self.pattern.sub(lambda m: self.replacements[m.group(0)], value)
        return value

    def __call__(self, value: Any) -> Any:
        return self.walk(value)

    def walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, pd.DataFrame):
            return self.frame(value)
        if isinstance(value, Table):
            return dataclasses.replace(
                value,
                rows=self.frame(value.rows),
                totals=[self.walk(t) for t in value.totals],
                title=self.text(value.title),
                note=self.text(value.note),
            )
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self.dataclass(value)
        if isinstance(value, dict):
            return {self.walk(k): self.walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.walk(v) for v in value)
        if isinstance(value, frozenset | set):
            return type(value)()  # sets hold what masking needs, never anything to show
        return value

    def frame(self, rows: pd.DataFrame) -> pd.DataFrame:
        masked = rows.copy()
        for column in masked.columns:
            if masked[column].dtype == object or pd.api.types.is_string_dtype(masked[column]):
                masked[column] = masked[column].map(self._cell)
        return masked

    def _cell(self, value: Any) -> Any:
        return self.text(value) if isinstance(value, str) else value

    def dataclass(self, value: Any) -> Any:
        changes = {}
        for f in dataclasses.fields(value):
            if f.metadata.get("unmasked") or not f.init:
                continue
            changes[f.name] = self.walk(getattr(value, f.name))
        return dataclasses.replace(value, **changes)


@dataclass(frozen=True)
class Public(Generic[T]):
    """A report after masking: the only thing a public renderer accepts."""

    report: T


def publish(report: T, hidden_names: Iterable[str] | None = None) -> Public[T]:
    names = hidden_names if hidden_names is not None else getattr(report, "relief_payees", ())
    return Public(Masker(names).walk(report))


def require_public(value: object, renderer: Callable[..., Any]) -> None:
    if not isinstance(value, Public):
        raise TypeError(f"{renderer.__name__} renders only a masked report (masking.publish)")
