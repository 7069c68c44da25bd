"""Cadre pay (干部报酬) by person and kind, the rows of `model.figures.cadre_pay(period)`: which
kind of pay an account holds, and whom a posting paid.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

CADRE = "干部报酬"
PERSON = "person"  # 领取人: on a posting of cadre pay, whom it was paid to
BASIC = "基本报酬"
PAY_KINDS = (BASIC, "奖金", "补助", "加班费", "过节费")
# the standard chart's 明细科目 of 51301 干部报酬 and 51307 误工补贴, by code; a village's own
# sub-accounts take the kind of the standard account they extend
KIND_CODES = {
    "5130101": BASIC,
    "5130102": "奖金",
    "5130103": "补助",
    "5130104": "加班费",
    "5130105": "过节费",
    "51307": "补助",
}


def pay_kind(code: str) -> str:
    """The kind of cadre pay an account of `code` holds: the longest standard code it extends,
    else 基本报酬."""
    for length in range(len(code), 0, -1):
        kind = KIND_CODES.get(code[:length])
        if kind is not None:
            return kind
    return BASIC


class CadrePay(NamedTuple):
    """Cadre pay of one kind charged for one person over a period (debits less credits).

    The person is the posting's `person` metadata, else the person the voucher's payee names
    (`roster.person_named`: 苏建明（主任） is 苏建明; a voucher paying
    several people at once, payee "村两委干部", stays one line under that name); `roles` are the
    roster roles the person held on a day of the period it was paid (empty for someone who
    holds none, such as a 村民小组长)."""

    person: str
    roles: str
    kind: str
    amount: Decimal
