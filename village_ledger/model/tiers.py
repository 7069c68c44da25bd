"""The tiers of spending that need a resolution: at 两委联席会议限额 a 两委联席会议 (or higher), at
村民代表会议限额 a 村民代表会议 or 村民会议. Payments (VL104, VL106) and contracts (VL702) are held
to the same tiers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel


class Tier(NamedTuple):
    key: str  # the policy item holding the threshold
    rank: int  # the lowest Meeting.rank that may authorise spending at it
    bodies: str  # the bodies that may, as a villager names them

    def name(self) -> str:
        return self.key.removesuffix("限额")


# highest first: a payment is held to the highest tier it reaches
TIERS = (
    Tier("村民代表会议限额", 2, "村民代表会议或村民会议"),
    Tier("两委联席会议限额", 1, "两委联席会议或更高层级会议（村民代表会议、村民会议）"),
)


def thresholds(model: LedgerModel, day: date) -> tuple[Decimal, ...]:
    return tuple(model.policy.value(t.key, day) for t in TIERS)
