"""Who holds which role on a date, and who is whose close relative (近亲属).

A `任职` starts a term on its date; a `离任` ends it: its date is the first day the person no
longer holds the role. The township's inspectors (`vocab.TOWNSHIP_ROLES`: 乡镇农经员, 乡镇纪检员)
are appointed and relieved only in the township's shared files: a village's own books cannot
give anyone a township post (it would let a village choose who accepts its 整改).

A payee is matched to the roster as the person it names (`person_named`): accountants write a
cadre's title after the name in brackets, 苏建明（主任）, 苏建明(村主任).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import NamedTuple

from beancount.core import data

from village_ledger.findings import Hit
from village_ledger.model import vocab
from village_ledger.model.directives import Directive, bad, require_choice, require_text

# a title or note written after a name in brackets, full- or half-width, one or more
TRAILING_BRACKETS = re.compile(r"(?:\s*[（(][^（）()]*[）)])+\s*$")


def person_named(payee: str) -> str:
    """The person a payee (or counterparty) written as a name is, to look up in the roster:
    the name without the title or note written after it in brackets (苏建明（主任）,
    苏建明(村主任) are 苏建明), stripped; the text as written when that leaves nothing."""
    name = payee.strip()
    if not name.endswith((")", "）")):
        return name
    return TRAILING_BRACKETS.sub("", name).strip() or name


class Term(NamedTuple):
    person: str
    role: str
    start: date
    end: date | None  # first day no longer held; None while in office
    appointed: data.Custom
    left: data.Custom | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def overlaps(self, other: Term) -> bool:
        return self.start < (other.end or date.max) and other.start < (self.end or date.max)


class Roster:
    def __init__(
        self,
        directives: Iterable[Directive],
        is_township: Callable[[Directive], bool] = lambda d: False,
    ) -> None:
        self._is_township = is_township
        self.terms: list[Term] = []
        self.hits: list[Hit] = []
        self._relatives: dict[str, dict[str, str]] = defaultdict(dict)
        self._by_person: dict[str, list[Term]] = defaultdict(list)
        self._by_role: dict[str, list[Term]] = defaultdict(list)
        open_terms: dict[tuple[str, str], Term] = {}
        for d in sorted(directives, key=lambda d: d.day):
            if d.kind == vocab.RELATIVE:
                self._read_relative(d)
            else:
                self._read_term(d, open_terms)
        self.terms.extend(open_terms.values())
        self.terms.sort(key=lambda t: (t.start, t.person, t.role))
        for term in self.terms:
            self._by_person[term.person].append(term)
            self._by_role[term.role].append(term)

    def _read_term(self, d: Directive, open_terms: dict[tuple[str, str], Term]) -> None:
        problem = require_text(d, (0, 1))
        role = vocab.role_named(d.values[1]) if not problem else ""
        if not problem and role not in vocab.ROLES:
            problem = require_choice(d, 1, vocab.ROLES)
        if problem:
            self.hits.append(problem)
            return
        person = d.values[0].strip()
        if role in vocab.TOWNSHIP_ROLES and not self._is_township(d):
            self.hits.append(
                bad(
                    d.entry,
                    f"{role}是乡镇职务，只能在乡镇共用的账簿文件中{d.kind}，不能写在本村账簿中",
                )
            )
            return
        current = open_terms.get((person, role))
        if d.kind == vocab.APPOINT:
            if current is not None:
                self.hits.append(
                    bad(d.entry, f"{person} 自 {current.start} 起已任{role}，重复任职")
                )
                return
            open_terms[(person, role)] = Term(person, role, d.day, None, d.entry)
        elif current is None:
            self.hits.append(bad(d.entry, f"{person} 在 {d.day} 并未担任{role}，无从离任"))
        else:
            del open_terms[(person, role)]
            self.terms.append(Term(person, role, current.start, d.day, current.appointed, d.entry))

    def _read_relative(self, d: Directive) -> None:
        problem = require_text(d, (0, 1, 2))
        if problem:
            self.hits.append(problem)
            return
        a, b, relation = (v.strip() for v in d.values)
        if a == b:
            self.hits.append(bad(d.entry, f"亲属关系的两人不能是同一人（{a}）"))
            return
        self._relatives[a][b] = relation
        self._relatives[b][a] = relation

    def roles_of(self, person: str, day: date) -> set[str]:
        return {t.role for t in self._by_person.get(person, ()) if t.covers(day)}

    def holds(self, person: str, role: str, day: date) -> bool:
        return any(t.role == role and t.covers(day) for t in self._by_person.get(person, ()))

    def holders(self, role: str, day: date) -> list[str]:
        return [t.person for t in self._by_role.get(role, ()) if t.covers(day)]

    def terms_of(self, person: str) -> list[Term]:
        return list(self._by_person.get(person, ()))

    def terms_in(self, role: str) -> list[Term]:
        return list(self._by_role.get(role, ()))

    def relation(self, a: str, b: str) -> str | None:
        return self._relatives.get(a, {}).get(b)

    def with_relatives(self) -> set[str]:
        """Everyone a `亲属` directive names."""
        return set(self._relatives)

    def are_relatives(self, a: str, b: str) -> bool:
        return self.relation(a, b) is not None

    def people(self) -> set[str]:
        return set(self._by_person)
