"""Helpers the report tests share: a figure as beanquery computes it, and a PDF's text."""

from __future__ import annotations

import subprocess
from decimal import Decimal

from beanquery.query import run_query

from village_ledger.reports.statements import cents


def bq_sum(loaded, where: str) -> int:
    """The sum of postings' CNY units matching `where`, in 分, as beanquery computes it."""
    _, rows = run_query(
        loaded.entries,
        loaded.options,
        f"SELECT sum(number) AS total WHERE currency = 'CNY' AND {where}",
    )
    total = rows[0][0] if rows and rows[0][0] is not None else Decimal(0)
    return cents(total)


def pdf_text(data: bytes) -> str:
    """The text of a PDF, laid out as printed (poppler's pdftotext)."""
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
