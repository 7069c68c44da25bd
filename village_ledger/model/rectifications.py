"""The `整改` directives: which finding each one puts right, and whether its acceptor may accept it.

    2026-04-02 custom "整改" "VL101" "2025-05-013" "补签审核人" "刘振华" ["2026-04-005"]

The values are the rule code, the finding's subject (the voucher number, or the directive's
identity as `model.subjects` names it), what was done, who accepted it and, optionally, the
correcting voucher or the resolution. Malformed ones are VL901 hits (`hits`).

**Standing.** The acceptor may accept a 整改 on its date when all of these hold:

1. he holds an accepting role that day (`vocab.ACCEPTING_ROLES`): 乡镇农经员 or 乡镇纪检员 (township
   posts, appointed only in the township's shared files) or 监委会主任 / 监委会委员 of the village;
2. he holds no role of the village's cadres that day (书记, 主任, 副主任, 委员, 会计, 出纳, 报账员):
   those who keep and spend the books do not sign off their correction;
3. he is not a party to the finding's subject: not the handler (经手人), witness (证明人), reviewer
   (审核人), approver (审批人) or payee of the voucher, nor a person the directive names;
4. he is no 近亲属 of any of those parties.

A 整改 that fails one of them is VL904 and puts nothing right (`without_standing`); an evidence
value that names no voucher and no resolution of the books is VL903 (`missing_evidence`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from beancount.core import data

from village_ledger.findings import BEANCOUNT, Hit, Rectification, meta_location
from village_ledger.model import vocab
from village_ledger.model.directives import Directive, bad, require_text
from village_ledger.model.meetings import Meetings
from village_ledger.model.roster import Roster
from village_ledger.model.subjects import subject_of

CODE = r"VL\d{3}"  # compiled by `re` on first use: most books have no 整改
# the roles of those who keep and spend the books; none of them accepts a 整改
CADRE_ROLES = frozenset(vocab.ROLES) - vocab.REVIEWING_ROLES - vocab.TOWNSHIP_ROLES
# who a voucher names, by metadata key
PARTY_KEYS = {"handler": "经手人", "witness": "证明人", "reviewer": "审核人", "approver": "审批人"}
# directives that name people, and the positions of the names
NAMES_PEOPLE = {vocab.APPOINT: (0,), vocab.LEAVE: (0,), vocab.RELATIVE: (0, 1)}


class Rectifications:
    def __init__(
        self,
        directives: Iterable[Directive],
        roster: Roster,
        meetings: Meetings,
        vouchers: Sequence[data.Transaction],
        roster_directives: Iterable[Directive] = (),
    ) -> None:
        self.records: list[Rectification] = []
        self.hits: list[Hit] = []  # VL901
        self.without_standing: list[Hit] = []  # VL904
        self.missing_evidence: list[Hit] = []  # VL903
        read = [r for r in (self._read(d) for d in directives) if r is not None]
        if not read:
            return
        parties = parties_by_subject(vouchers, roster_directives)
        known_vouchers = {str(t.meta.get("voucher")).strip() for t in vouchers}
        for directive, record in read:
            problem = standing_problem(record, roster, parties.get(record.subject, {}))
            if problem is not None:
                record = record._replace(standing=problem)
                self.without_standing.append(Hit(directive.meta, problem, directive.day))
            evidence = record.evidence
            if evidence and evidence not in known_vouchers and meetings.get(evidence) is None:
                self.missing_evidence.append(
                    Hit(
                        directive.meta,
                        f"整改凭证或决议“{evidence}”在账簿中不存在：应写整改所做的凭证号"
                        "（如红字冲销、退款的凭证）或会议决议编号",
                        directive.day,
                    )
                )
            self.records.append(record)

    def _read(self, d: Directive) -> tuple[Directive, Rectification] | None:
        problem = require_text(d, range(len(d.values)))
        if problem:
            self.hits.append(problem)
            return None
        code, subject, way, person, *rest = (str(v).strip() for v in d.values)
        if not (re.fullmatch(CODE, code) or code == BEANCOUNT):
            self.hits.append(bad(d.entry, f"规则代码“{code}”应写作 VL 加三位数字（如 VL101）"))
            return None
        file, line = meta_location(d.meta)
        evidence = rest[0] if rest else ""
        return d, Rectification(code, subject, d.day, way, person, evidence, file, line)

    def __iter__(self) -> Iterator[Rectification]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


def parties_by_subject(
    vouchers: Iterable[data.Transaction], roster_directives: Iterable[Directive]
) -> dict[str, dict[str, str]]:
    """For each voucher number and each directive naming people: person -> their part in it."""
    parties: dict[str, dict[str, str]] = defaultdict(dict)
    for txn in vouchers:
        voucher = txn.meta.get("voucher")
        if voucher is None:
            continue
        mine = parties[str(voucher).strip()]
        for key, part in PARTY_KEYS.items():
            person = txn.meta.get(key)
            if isinstance(person, str) and person.strip():
                mine.setdefault(person.strip(), part)
        if txn.payee and txn.payee.strip():
            mine.setdefault(txn.payee.strip(), "收款人")
    for d in roster_directives:
        positions = NAMES_PEOPLE.get(d.kind, ())
        mine = parties[subject_of(d.entry)]
        for i in positions:
            if i < len(d.values) and isinstance(d.values[i], str):
                mine.setdefault(d.values[i].strip(), f"“{d.kind}”指令所涉人员")
    return parties


def standing_problem(record: Rectification, roster: Roster, parties: dict[str, str]) -> str | None:
    """Why `record.accepted_by` may not accept this 整改 (None when he may); see the module."""
    person, day = record.accepted_by, record.day
    roles = roster.roles_of(person, day)
    accepting = roles & vocab.ACCEPTING_ROLES
    if not accepting:
        held = f"（当日任{_roles(roles)}）" if roles else ""
        return (
            f"验收人{person}在 {day} 不是乡镇农经员、乡镇纪检员或监委会主任、委员{held}，"
            "无权验收整改；应由乡镇或村务监督委员会验收"
        )
    cadre = roles & CADRE_ROLES
    if cadre:
        return f"验收人{person}在 {day} 兼任本村{_roles(cadre)}，村干部不能验收本村账务的整改"
    part = parties.get(person)
    if part is not None:
        return f"验收人{person}是{record.subject}的{part}，不能验收与自己有关的问题的整改"
    for party, part in parties.items():
        relation = roster.relation(person, party)
        if relation:
            return (
                f"验收人{person}与{record.subject}的{part}{party}是近亲属（{relation}），应当回避"
            )
    return None


def _roles(roles: Iterable[str]) -> str:
    order = list(vocab.ROLES)
    return "、".join(sorted(roles, key=order.index))
