"""Time importing a 记账凭证录入 workbook: 1,000 rows (500 vouchers) into a copy of 黄梅村.

    nice -n 10 .venv/bin/python bench/vouchersheet.py [--rows 1000]

Writes the workbook with `voucher_template.write_template`, then times, in CPU seconds of this
process: reading the sheet, numbering and making the entries, the check of the candidate
entries with the books (Beancount and every rule, `entries.check_candidate`), and the atomic
append; then the whole `village-ledger import-vouchers --write` command as a user runs it
(CPU seconds of the command's process and wall clock, on another copy of the books), and the same command again (every voucher skipped).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reports import timed
from run import run as run_command

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BANK = "Assets:102-银行存款:10201-农商行"
RENT = "Income:501-经营收入:50102-租赁收入:5010202-门面租赁"
POWER = "Expenses:513-管理费用:51305-水电费"


def vouchers(count: int) -> list:  # type: ignore[type-arg]
    from village_ledger.voucher_sheet import Line, Voucher

    made = []
    first = date(2026, 10, 1)
    for index in range(count):
        day = first + timedelta(days=index * 91 // count)
        yuan = Decimal(100 + index % 700) + Decimal(index % 100) / 100
        if index % 2:
            lines = (Line(BANK, yuan), Line(RENT, -yuan))
            meta: tuple = (("handler", "方丽娟"), ("receipt", "银行回单"))  # type: ignore[type-arg]
        else:
            lines = (Line(POWER, yuan), Line(BANK, -yuan))
            meta = (
                ("handler", "方丽娟"),
                ("reviewer", "李桂芳"),
                ("approver", "黄德明"),
                ("invoice", f"2636511494{index:010d}"),
            )
        made.append(Voucher(day, f"第{index + 1}笔测试凭证", "梅川县测试单位", lines, meta))
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args(argv)
    os.environ["VILLAGE_LEDGER_TODAY"] = "2026-12-31"

    from village_ledger.audit import audit
    from village_ledger.entries import check_candidate, write_candidate
    from village_ledger.voucher_sheet import entries, read_sheet
    from village_ledger.voucher_template import write_template

    work = Path(tempfile.mkdtemp(prefix="vl-bench-sheet-"))
    try:
        for copy in ("a", "b"):
            shutil.copytree(REPO / "ledgers", work / copy)
        village = work / "a" / "huangmei"
        rows: list[tuple[str, float]] = []
        run = timed("audit the books (before)", lambda: audit([village]).villages[0], rows)
        model = run.model
        assert model is not None
        sheet = work / "凭证.xlsx"
        made = vouchers(args.rows // 2)
        timed(
            "write the workbook",
            lambda: write_template(model, sheet, date(2026, 10, 1), made),
            rows,
        )
        read = timed("read the sheet", lambda: read_sheet(sheet, model), rows)
        assert not read.errors, read.errors[:3]
        made_entries = timed("number and make entries", lambda: entries(model, read.vouchers), rows)
        candidate = timed(
            "check with the books (Beancount + every rule)",
            lambda: check_candidate(model, list(made_entries), run.findings),
            rows,
        )
        assert not candidate.refused, [f.message for f in candidate.refused[:3]]
        timed("atomic append", lambda: write_candidate(candidate), rows)
        print(f"{args.rows} rows, {len(read.vouchers)} vouchers into {model.title} "
              f"({len(model.vouchers)} vouchers in the books)")  # fmt: skip
        for label, seconds in rows:
            print(f"  {label:<48} {seconds:7.2f} s CPU")
        command = [str(BIN / "village-ledger"), "import-vouchers", str(work / "b" / "huangmei"),
                   str(sheet), "--write"]  # fmt: skip
        for label in ("import-vouchers --write", "again: every voucher skipped"):
            timing = run_command(command, dict(os.environ))
            assert timing.returncode == 0, f"{command[1]} failed"
            print(f"  {label:<48} {timing.cpu:7.2f} s CPU ({timing.seconds:.2f} s wall)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
