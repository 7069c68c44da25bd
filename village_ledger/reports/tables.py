"""The shape every report table takes, whatever renders it.

A table is a pandas frame plus the columns to show, in order, with their Chinese titles and
kinds. Amounts are integer 分 (cents) so sums are exact and pandas stays fast; renderers turn
them into `1,234.56`. Total rows are kept apart from the body so every renderer can mark them
and the tests can check that the body adds up to them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pandas as pd

Kind = Literal["text", "amount", "int", "date"]


# relative printed widths by kind; free text that runs long sets its own
WIDTHS = {"text": 2.0, "amount": 1.9, "int": 1.0, "date": 2.0}


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    kind: Kind = "text"
    width: float | None = None  # relative to the other columns; None: by kind

    @property
    def is_number(self) -> bool:
        return self.kind in ("amount", "int")

    @property
    def weight(self) -> float:
        return self.width if self.width is not None else WIDTHS[self.kind]


@dataclass
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: pd.DataFrame
    totals: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    empty: str = "本期无此类事项"

    def records(self) -> Iterator[dict[str, Any]]:
        """Body rows as plain dicts of the shown columns (None for a missing value)."""
        keys = [c.key for c in self.columns]
        for row in self.rows.reindex(columns=keys).itertuples(index=False, name=None):
            yield {k: _plain(v) for k, v in zip(keys, row, strict=True)}

    def total_records(self) -> Iterator[dict[str, Any]]:
        for total in self.totals:
            yield {c.key: _plain(total.get(c.key)) for c in self.columns}

    def role(self, index: int) -> str:
        """`line`, `memo`, `heading` or `total` for tables (the balance sheet) that mix them."""
        if "role" not in self.rows.columns:
            return "line"
        return str(self.rows["role"].iloc[index])


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, date | str):
        return value.item()
    return value


def frame(records: list[dict[str, Any]], columns: tuple[Column, ...]) -> pd.DataFrame:
    keys = [c.key for c in columns]
    if not records:
        return pd.DataFrame({k: pd.Series(dtype=object) for k in keys})
    return pd.DataFrame.from_records(records)
