"""Time the report layer on a generated village: the disclosure model, each output format, a seal.

    .venv/bin/python bench/reports.py [--transactions 20000] [--period 2026Q2]

Loads the bench village once (bench/run.py's cache), then times in this process, in CPU seconds:
the model and rules, `build_disclosure` for the quarter (the figure the disclosure issue bounds at
one second beyond loading), masking, every output format of `render`, and the canonical digest
of the quarter (what `village-ledger seal` computes).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import books

FORMATS = (("json", "a4"), ("csv", "a4"), ("xlsx", "a4"), ("html", "a4"), ("html", "a3"),
           ("pdf", "a4"), ("pdf", "a3"))  # fmt: skip


def timed(label: str, work: Callable[[], Any], rows: list[tuple[str, float]]) -> Any:
    start = time.process_time()
    result = work()
    rows.append((label, time.process_time() - start))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", "-n", type=int, default=20000)
    parser.add_argument("--period", default="2026Q2")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    main_file, manifest = books(args.transactions, args.seed)
    os.environ["VILLAGE_LEDGER_TODAY"] = str(manifest["as_of"])
    from village_ledger.engine import run_rules
    from village_ledger.loading import load_ledger
    from village_ledger.model import Quarter, build_model
    from village_ledger.registry import all_rules
    from village_ledger.reports.disclosure import build_disclosure
    from village_ledger.reports.render import render
    from village_ledger.sealing import quarter_books

    quarter = Quarter.parse(args.period)
    assert quarter is not None, args.period
    rows: list[tuple[str, float]] = []
    loaded = timed("load ledger", lambda: load_ledger(main_file), rows)
    model = timed("build model", lambda: build_model(loaded.entries, loaded.options), rows)
    findings = timed("run rules", lambda: run_rules(model, all_rules()), rows)
    report = timed(
        "report model (build_disclosure)",
        lambda: build_disclosure(model, quarter, findings=findings),
        rows,
    )
    timed("seal digest of the quarter", lambda: quarter_books(
        model.entries, [quarter], model.is_township_file)[quarter].digest, rows)  # fmt: skip
    sizes = {}
    for fmt, paper in FORMATS:
        output = timed(f"render {fmt} {paper}", lambda f=fmt, p=paper: render(report, f, p), rows)
        sizes[f"render {fmt} {paper}"] = len(output)
    in_quarter = sum(1 for t in model.vouchers if quarter.contains(t.date))
    print(f"{main_file}: {len(model.vouchers):,} vouchers, {in_quarter:,} in {quarter}")
    for label, seconds in rows:
        size = f"  {sizes[label] / 1024:,.0f} KiB" if label in sizes else ""
        print(f"  {label:<34} {seconds:7.2f} s{size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
