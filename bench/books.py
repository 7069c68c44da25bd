"""Time the books on a generated village: each standard book and statement, in each format.

    .venv/bin/python bench/books.py [--transactions 20000] [--period 2026Q2]

Loads the bench village once (bench/run.py's cache), builds the model, then times in this
process, in CPU seconds, each book's build for the quarter and for the year to its end, and its
PDF, Excel and JSON output; and a month of 记账凭证 as PDF.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reports import timed
from run import books as bench_books

BOOKS = ("科目余额表", "总分类账", "明细分类账", "现金日记账", "银行存款日记账",
         "资产负债表", "收益及收益分配表")  # fmt: skip
FORMATS = ("json", "xlsx", "pdf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", "-n", type=int, default=20000)
    parser.add_argument("--period", default="2026Q2")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    main_file, _ = bench_books(args.transactions, args.seed)
    from village_ledger.books.render import render_book
    from village_ledger.books.standard import build_book
    from village_ledger.books.vouchers import voucher_book, voucher_pdf
    from village_ledger.loading import load_ledger
    from village_ledger.model import Quarter, build_model
    from village_ledger.model.period import Period

    quarter = Quarter.parse(args.period)
    assert quarter is not None, args.period
    period = Period.quarter(quarter)
    rows: list[tuple[str, float]] = []
    loaded = timed("load ledger", lambda: load_ledger(main_file), rows)
    model = timed("build model", lambda: build_model(loaded.entries, loaded.options), rows)
    timed("figures (first balance)", lambda: model.figures.trial_balance(period), rows)
    for name in BOOKS:
        book = timed(f"{name} build", lambda n=name: build_book(model, n, period), rows)
        for fmt in FORMATS:
            timed(f"{name} {fmt}", lambda b=book, f=fmt: render_book(b, f), rows)
    month = Period.month(quarter.year, 3 * quarter.number)
    vouchers = timed(
        "记账凭证 build (month)",
        lambda: voucher_book(model, month.first, month.last, month.label),
        rows,
    )
    timed("记账凭证 pdf (month)", lambda: voucher_pdf(vouchers), rows)
    in_quarter = sum(1 for t in model.vouchers if period.contains(t.date))
    print(f"{main_file}: {len(model.vouchers):,} vouchers, {in_quarter:,} in {quarter}, "
          f"{len(vouchers.vouchers):,} in {month.label}")  # fmt: skip
    for label, seconds in rows:
        print(f"  {label:<28} {seconds:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
