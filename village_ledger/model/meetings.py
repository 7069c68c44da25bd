"""Resolutions (`会议决议`) by id: which body decided, what, and how much may be spent under it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from village_ledger.findings import Hit
from village_ledger.model import vocab
from village_ledger.model.directives import Directive, bad, require_choice, require_text
from village_ledger.money import CURRENCY


class Meeting(NamedTuple):
    id: str
    day: date
    body: str
    subject: str
    amount: Decimal
    entry: data.Custom

    @property
    def rank(self) -> int:
        return vocab.BODY_RANK[self.body]


class Meetings:
    def __init__(self, directives: Iterable[Directive]) -> None:
        self.by_id: dict[str, Meeting] = {}
        self.hits: list[Hit] = []
        for d in directives:
            meeting = self._read(d)
            if meeting is not None:
                self.by_id[meeting.id] = meeting

    def _read(self, d: Directive) -> Meeting | None:
        problem = require_text(d, (0, 1, 2))
        body = vocab.body_named(d.values[1]) if not problem else ""
        if not problem and body not in vocab.BODY_RANK:
            problem = require_choice(d, 1, tuple(vocab.BODY_RANK))
        if problem:
            self.hits.append(problem)
            return None
        ident, _, subject, amount = d.values
        if not isinstance(amount, Amount) or amount.currency != CURRENCY or amount.number is None:
            self.hits.append(
                bad(d.entry, f"第 4 个值“金额”应为 CNY 金额（如 150000.00 CNY），实为 {amount}")
            )
            return None
        if amount.number < 0:
            self.hits.append(bad(d.entry, f"决议金额不能为负数（{amount}）"))
            return None
        earlier = self.by_id.get(ident.strip())
        if earlier is not None:
            self.hits.append(
                bad(d.entry, f"决议编号“{ident}”重复，已用于 {earlier.day} 的{earlier.body}决议")
            )
            return None
        return Meeting(ident.strip(), d.day, body, subject.strip(), amount.number, d.entry)

    def get(self, ident: str) -> Meeting | None:
        return self.by_id.get(ident)

    def __iter__(self) -> Iterator[Meeting]:
        return iter(sorted(self.by_id.values(), key=lambda m: (m.day, m.id)))
