"""Money as villagers read it: yuan with two decimals and thousands separators."""

from decimal import ROUND_HALF_UP, Decimal

CURRENCY = "CNY"
CENT = Decimal("0.01")


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_yuan(value: Decimal) -> str:
    """`Decimal("3500")` -> `"3,500.00"`."""
    return f"{to_cents(value):,.2f}"
