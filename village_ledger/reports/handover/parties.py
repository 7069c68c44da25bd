"""Who hands over what, and when: the three signatories checked against the roster.

`resolve_parties(model, day, outgoing, incoming, supervisor)` finds the roles the outgoing
person gives up and the incoming one takes up around the handover day, or raises a
`HandoverError` whose Chinese message says what does not fit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from village_ledger.model import LedgerModel, vocab
from village_ledger.model.roster import Roster, Term

# 新一届村委会应在选举后 10 日内完成交接: the roster change and the handover day
# may lie this many days apart, either way.
WINDOW_DAYS = 10


class HandoverError(ValueError):
    """The names, roles or date do not fit the roster or the books; the message is Chinese."""


@dataclass(frozen=True)
class Parties:
    outgoing: str
    incoming: str
    supervisor: str
    day: date
    roles: tuple[str, ...]  # the roles handed over
    term_start: date  # the outgoing person's first day in them (roster)
    left: date  # the first day the outgoing person no longer holds them (roster)
    taken: date  # the incoming person's first day in them (roster)


# --- who hands over what ----------------------------------------------------------------


def resolve_parties(
    model: LedgerModel, day: date, outgoing: str, incoming: str, supervisor: str
) -> Parties:
    """The roles `outgoing` gives up and `incoming` takes up around `day`, or a HandoverError."""
    check_date(model, day)
    outgoing, incoming, supervisor = outgoing.strip(), incoming.strip(), supervisor.strip()
    roster = model.roster
    if not outgoing or not incoming:
        raise HandoverError("移交人和接交人的姓名不能为空")
    if outgoing == incoming:
        raise HandoverError(f"移交人和接交人不能是同一人（{outgoing}）")
    leaving = _terms_near(roster, outgoing, day, "end", "移交人", "离任")
    taking = _terms_near(roster, incoming, day, "start", "接交人", "就任")
    roles = tuple(sorted({t.role for t in leaving} & {t.role for t in taking}, key=_role_order))
    if not roles:
        raise HandoverError(
            f"移交人{outgoing}在 {day} 前后离任的职务是{_roles_text(leaving)}，"
            f"接交人{incoming}就任的是{_roles_text(taking)}，两人之间没有交接同一职务"
        )
    check_supervisor(roster, day, supervisor, outgoing, incoming)
    left = [t for t in leaving if t.role in roles]
    taken = [t for t in taking if t.role in roles]
    return Parties(
        outgoing=outgoing,
        incoming=incoming,
        supervisor=supervisor,
        day=day,
        roles=roles,
        term_start=min(t.start for t in left),
        left=max(t.end or day for t in left),
        taken=min(t.start for t in taken),
    )


def check_date(model: LedgerModel, day: date) -> None:
    if not model.transactions:
        raise HandoverError("账簿中没有任何记账记录，无法交接")
    start = model.transactions[0].date
    if day <= start:
        raise HandoverError(
            f"交接日期 {day} 不晚于账簿的第一笔记录（{start}），账簿中没有可移交的数字"
        )


def _terms_near(
    roster: Roster, person: str, day: date, edge: str, who: str, change: str
) -> list[Term]:
    """`person`'s terms that end (edge `end`) or start (`start`) within the window of `day`."""
    if person not in roster.people():
        nearby = _changes_near(roster, day, edge)
        hint = f"；{day} 前后 {WINDOW_DAYS} 天内{change}的有：{nearby}" if nearby else ""
        raise HandoverError(f"{who}“{person}”不在本村任职名单（任职、离任记录）中{hint}")
    terms = [t for t in roster.terms_of(person) if _near(getattr(t, edge), day)]
    if terms:
        return terms
    held = "；".join(_term_text(t) for t in roster.terms_of(person))
    raise HandoverError(
        f"{who}{person}没有在交接日 {day} 前后 {WINDOW_DAYS} 天内{change}的职务（{held}）；"
        f"请核对交接日期，或先在账簿中记入“{'离任' if edge == 'end' else '任职'}”"
    )


def _near(edge: date | None, day: date) -> bool:
    return edge is not None and abs((edge - day).days) <= WINDOW_DAYS


def _changes_near(roster: Roster, day: date, edge: str) -> str:
    terms = sorted(
        (t for t in roster.terms if _near(getattr(t, edge), day)),
        key=lambda t: (_role_order(t.role), t.person),
    )
    return "、".join(f"{t.person}（{t.role}）" for t in terms)


def _term_text(term: Term) -> str:
    until = f"至 {term.end - timedelta(days=1)}" if term.end else "起至今"
    return f"{term.role} {term.start} {until}"


def _roles_text(terms: Iterable[Term]) -> str:
    return "、".join(sorted({t.role for t in terms}, key=_role_order))


def _role_order(role: str) -> int:
    roles = list(vocab.ROLES)
    return roles.index(role) if role in roles else len(roles)


def check_supervisor(
    roster: Roster, day: date, supervisor: str, outgoing: str, incoming: str
) -> None:
    """The 监交人 comes from the township: no role in the village, no close relative of either."""
    if not supervisor:
        raise HandoverError("监交人的姓名不能为空（监交人由乡镇派出）")
    if supervisor in (outgoing, incoming):
        raise HandoverError(f"监交人不能由移交人或接交人担任（{supervisor}）")
    held = roster.roles_of(supervisor, day - timedelta(days=1)) | roster.roles_of(supervisor, day)
    roles = held - vocab.TOWNSHIP_ROLES  # a township inspector is who the township sends
    if roles:
        raise HandoverError(
            f"监交人{supervisor}在 {day} 任本村{'、'.join(sorted(roles, key=_role_order))}；"
            "监交人应由乡镇派出，不在本村任职"
        )
    for party in (outgoing, incoming):
        relation = roster.relation(supervisor, party)
        if relation:
            raise HandoverError(f"监交人{supervisor}与{party}是近亲属（{relation}），应当回避")
