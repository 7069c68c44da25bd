"""Published quarters (`公开封存`): the period, the digest printed on the sheet, the sealing date."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import NamedTuple

from beancount.core import data

from village_ledger.findings import Hit
from village_ledger.model.directives import Directive, bad, require_text

PERIOD = re.compile(r"^(\d{4})Q([1-4])$")
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


class Quarter(NamedTuple):
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter | None:
        match = PERIOD.match(text.strip())
        return cls(int(match.group(1)), int(match.group(2))) if match else None

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.number - 1]}季度"


class Seal(NamedTuple):
    quarter: Quarter
    digest: str
    day: date
    entry: data.Custom


class Seals:
    def __init__(self, directives: Iterable[Directive]) -> None:
        self.by_quarter: dict[Quarter, Seal] = {}
        self.hits: list[Hit] = []
        for d in sorted(directives, key=lambda d: d.day):
            seal = self._read(d)
            if seal is not None:
                self.by_quarter[seal.quarter] = seal

    def _read(self, d: Directive) -> Seal | None:
        problem = require_text(d, (0, 1))
        if problem:
            self.hits.append(problem)
            return None
        quarter = Quarter.parse(d.values[0])
        if quarter is None:
            self.hits.append(bad(d.entry, f"期间“{d.values[0]}”应写作 YYYYQn（如 2025Q1）"))
            return None
        digest = d.values[1].strip()
        if not DIGEST.match(digest):
            self.hits.append(
                bad(d.entry, "摘要值应为 sha256: 加 64 位十六进制数字，由 village-ledger seal 生成")
            )
            return None
        if d.day <= quarter.last_day:
            self.hits.append(
                bad(d.entry, f"{quarter} 尚未结束（止于 {quarter.last_day}），不能封存")
            )
            return None
        earlier = self.by_quarter.get(quarter)
        if earlier is not None:
            self.hits.append(
                bad(
                    d.entry,
                    f"{quarter} 已于 {earlier.day} 封存；公开后的更正应以红字冲销入账，不能重新封存",
                )
            )
            return None
        return Seal(quarter, digest, d.day, d.entry)

    def get(self, quarter: Quarter) -> Seal | None:
        return self.by_quarter.get(quarter)

    def __iter__(self) -> Iterator[Seal]:
        return iter(sorted(self.by_quarter.values(), key=lambda s: s.quarter))


# --- quarters due, as `model.figures.late_seals` finds them (VL604) ---

DEADLINE = "公开期限天数"


class QuarterDue(NamedTuple):
    """An ended quarter: the days it had to be published in, and its seal if there is one."""

    quarter: Quarter
    days: int  # 公开期限天数 in force on its last day
    seal: Seal | None

    @property
    def deadline(self) -> date:
        return self.quarter.last_day + timedelta(days=self.days)

    def sealed_by(self, day: date) -> bool:
        return self.seal is not None and self.seal.day <= day

    def overdue(self, day: date) -> bool:
        """Past its deadline on `day` and not sealed by then."""
        return day > self.deadline and not self.sealed_by(day)

    @property
    def sealed_late(self) -> int:
        """How many days after its deadline it was sealed (0 when on time or not sealed)."""
        if self.seal is None:
            return 0
        return max((self.seal.day - self.deadline).days, 0)
