"""Findings as a villager reads them on the public server: words, not the accountant's notation.

A rule's message is written for the accountant (`reviewer` in brackets after 审核人, an account
as Beancount spells it). On the public dashboard the bracketed metadata keys go, and an account
reads as its names (`Expenses:513-管理费用:51302-办公费` → 管理费用—办公费), as on the sheet.
"""

from __future__ import annotations

import re

from village_ledger.model import vocab

ACCOUNT = re.compile("(?:" + "|".join(vocab.ROOT_LABELS) + r")((?::[^\s:，。；、：（）()“”\"']+)+)")
CODED = re.compile(r"^\d{2,}-(.+)$")
KEY_IN_BRACKETS = re.compile(r"[（(][a-z][a-z-]*[）)]")


def account_name(account: str) -> str:
    """An account by its names, without its root and codes: 管理费用—办公费."""
    parts = account.split(":")[1:] or account.split(":")
    return "—".join(match.group(1) if (match := CODED.match(p)) else p for p in parts)


def plain_message(message: str) -> str:
    text = KEY_IN_BRACKETS.sub("", message)
    return ACCOUNT.sub(lambda m: account_name(m.group(0)), text)
