"""Money as villagers read it: yuan with two decimals and thousands separators."""

from decimal import ROUND_HALF_UP, Decimal

from beancount.core import data
from beancount.core.amount import Amount
from beancount.core.position import Cost

CURRENCY = "CNY"
CENT = Decimal("0.01")


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_yuan(value: Decimal) -> str:
    """`Decimal("3500")` -> `"3,500.00"`."""
    return f"{to_cents(value):,.2f}"


def posting_cny(posting: data.Posting) -> Decimal | None:
    """The posting's weight in CNY: its units, or its cost or price when held in another unit;
    None for a posting Beancount could not book or that has no CNY value."""
    units = posting.units
    if units is None or not isinstance(units.number, Decimal):
        return None
    if units.currency == CURRENCY:
        return units.number
    for other in (posting.cost, posting.price):
        # a booked posting's cost is a Cost (a CostSpec has no single number)
        if (
            isinstance(other, Cost | Amount)
            and isinstance(other.number, Decimal)
            and other.currency == CURRENCY
        ):
            return units.number * other.number
    return None
