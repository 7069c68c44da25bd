"""How wide text is when laid out in columns: in a ledger file, a console or a spreadsheet, a
Chinese character (East Asian wide or fullwidth) takes two columns, anything else one."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Columns `text` takes in an editor, a terminal or a spreadsheet's width unit."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
