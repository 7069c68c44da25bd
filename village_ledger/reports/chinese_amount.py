"""Amounts in 大写 as written on Chinese vouchers and cheques (壹万贰仟叁佰肆拾伍元陆角柒分).

The rules are those of 《正确填写票据和结算凭证的基本规定》: a run of zeros inside the integer part
is one 零; 整 closes an amount that stops at 元 or 角; when 角 is zero and 分 is not, 元 is
followed by 零; when the 元 digit is zero and 角 is not, 零 is written too (the regulation's own
examples do, e.g. 壹仟陆佰捌拾元零叁角贰分); a leading 拾 keeps its 壹 (壹拾陆元整). A negative
amount starts with 负.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
SECTIONS = ("", "万", "亿", "万亿")
LIMIT = 10 ** (4 * len(SECTIONS))


def capital_amount(value: Decimal | int | str) -> str:
    """`Decimal("12345.67")` -> `"壹万贰仟叁佰肆拾伍元陆角柒分"`."""
    cents = int(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)
    return capital_cents(cents)


def capital_cents(cents: int) -> str:
    if cents < 0:
        return "负" + capital_cents(-cents)
    yuan, fraction = divmod(cents, 100)
    if yuan >= LIMIT:
        raise ValueError(f"amount too large for 大写: {cents} cents")
    jiao, fen = divmod(fraction, 10)
    if yuan == 0 and fraction == 0:
        return "零元整"
    head = _integer(yuan) + "元" if yuan else ""
    if fraction == 0:
        return head + "整"
    # a zero between 元 and the first written fraction digit is spoken as 零
    bridge = "零" if yuan and (jiao == 0 or yuan % 10 == 0) else ""
    tail = (DIGITS[jiao] + "角" if jiao else "") + (DIGITS[fen] + "分" if fen else "整")
    return head + bridge + tail


def _integer(number: int) -> str:
    groups: list[int] = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    text = ""
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = bool(text)
            continue
        if text and (zero_pending or group < 1000):
            text += "零"
        text += _group(group) + SECTIONS[index]
        zero_pending = False
    return text


def _group(group: int) -> str:
    """One group of up to four digits, zeros inside collapsed to one 零, trailing zeros dropped."""
    text = ""
    zero = False
    for place in range(3, -1, -1):
        digit = group // 10**place % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + PLACES[place]
    return text
