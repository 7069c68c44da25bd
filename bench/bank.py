"""Time importing and reconciling a 500-line bank statement against a copy of 黄梅村.

    nice -n 10 .venv/bin/python bench/bank.py [--lines 500]

Appends to a copy of the sample books one bank voucher for most of the statement's lines
(receipts of rent, over 2026Q4), leaves 2% of the vouchers off the statement (企业已收、银行未收)
and puts 10% of the lines on it that no voucher holds (银行已收付、企业未收付), some lines a few
days later than their voucher. Then times, in CPU seconds of this process: reading the statement
(CSV, GBK), finding the book items and ticking them off, the 调节表, the candidate entries
checked with the books (Beancount and every rule), the Excel and PDF of the 调节表; then the whole
`village-ledger import-bank --write` command as a user runs it, and again (nothing to add).
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
HEAD = "交易日期,摘要,借方发生额,贷方发生额,余额,对方户名,流水号\n"


def books_and_statement(village: Path, lines: int, opening: Decimal) -> Path:
    """Vouchers appended to the village's 2026 file; the statement written beside it."""
    first = date(2026, 10, 1)
    vouchers, statement = [], []
    per_month: dict[int, int] = {}
    index = -1
    while len(statement) < lines:
        index += 1
        day = first + timedelta(days=min(index * 91 // lines, 91))
        amount = Decimal(100 + index % 700) + Decimal(index % 100) / 100
        if index % 10 == 9:  # on the statement only: interest, fees, transfers not yet booked
            statement.append((day, "转账收入", "外单位", amount))
            continue
        per_month[day.month] = per_month.get(day.month, 0) + 1
        number = f"2026-{day.month:02d}-{per_month[day.month]:03d}"
        vouchers.append(
            f'\n{day} * "承包户{index}" "收门面租金 {index}"\n  voucher: "{number}"\n'
            f'  handler: "方丽娟"\n  receipt: "收款收据"\n'
            f"  {BANK}  {amount:.2f} CNY\n  {RENT}\n"
        )
        if index % 50 != 7:  # 2% stay off the statement
            statement.append((day + timedelta(days=index % 3), "租金", f"承包户{index}", amount))
    with open(village / "2026.beancount", "a", encoding="utf-8") as handle:
        handle.write("".join(vouchers))
    statement.sort(key=lambda line: line[0])
    balance = opening
    rows = []
    for n, (day, summary, payee, amount) in enumerate(statement, 1):
        balance += amount
        rows.append(f'{day:%Y%m%d},{summary},,"{amount:,.2f}","{balance:,.2f}",{payee},B{n:05d}\n')
    path = village.parent / "农商行对账单.csv"
    path.write_bytes(("梅川县农村商业银行 对账单\n\n" + HEAD + "".join(rows)).encode("gbk"))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500)
    args = parser.parse_args(argv)
    os.environ["VILLAGE_LEDGER_TODAY"] = "2026-12-31"

    from village_ledger.audit import audit
    from village_ledger.bank.formats import load_formats
    from village_ledger.bank.matching import book_items, match, reconcile
    from village_ledger.bank.statement import read_statement
    from village_ledger.entries import check_candidate
    from village_ledger.reports.reconciliation import build_bank_reconciliation
    from village_ledger.reports.render import render

    work = Path(tempfile.mkdtemp(prefix="vl-bench-bank-"))
    try:
        shutil.copytree(REPO / "ledgers", work / "ledgers")
        village = work / "ledgers" / "huangmei"
        statement_file = books_and_statement(village, args.lines, Decimal("697648.99"))
        rows: list[tuple[str, float]] = []
        run = timed(
            "audit the books (load, model, every rule)", lambda: audit([village]).villages[0], rows
        )
        model = run.model
        assert model is not None
        formats = load_formats(model.township_dir)
        statement = timed(
            "read the statement", lambda: read_statement(statement_file, formats), rows
        )
        items = timed("book items", lambda: book_items(model, BANK, statement), rows)
        matching = timed("tick off", lambda: match(BANK, statement, items), rows)
        rec = timed("调节表", lambda: reconcile(model, matching), rows)
        assert rec.agrees, rec.difference

        from village_ledger.bank.importer import BankStatementImporter

        new = BankStatementImporter(BANK, model).run(statement_file).new
        timed(
            "check the drafts with the books",
            lambda: check_candidate(model, new, run.findings),
            rows,
        )
        report = build_bank_reconciliation(model, rec, statement_file.name)
        timed("render the 调节表 as Excel", lambda: render(report, "xlsx"), rows)
        timed("render the 调节表 as PDF", lambda: render(report, "pdf"), rows)
        print(f"{len(statement.lines)} statement lines, {len(matching.pairs)} ticked off, "
              f"{len(matching.lines)} drafts, {len(matching.items)} outstanding vouchers; "
              f"{len(model.vouchers)} vouchers in the books")  # fmt: skip
        for label, seconds in rows:
            print(f"  {label:<48} {seconds:7.2f} s CPU")
        command = [str(BIN / "village-ledger"), "import-bank", str(village), str(statement_file),
                   "--account", "10201", "--write"]  # fmt: skip
        for label in ("import-bank --write", "again: nothing to add"):
            timing = run_command(command, dict(os.environ))
            assert timing.returncode == 0, f"{command[1]} failed"
            print(f"  {label:<48} {timing.cpu:7.2f} s CPU ({timing.seconds:.2f} s wall)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
