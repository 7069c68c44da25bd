"""Mutate the sample township many times and run every command on each copy; count what broke.

    .venv/bin/python bench/fuzz.py                        # 560 mutated townships
    .venv/bin/python bench/fuzz.py --cases 2000 --seed 7 --json out/fuzz.json
    .venv/bin/python bench/fuzz.py --subprocess 40        # also 40 through the real executable

Each case copies `ledgers/` (the township files and both villages; with `--keep N` each year's
file is cut after about N lines, to run more cases in the same time), applies one to three
of the mutations of `tests/mutations.py` (an include of a folder or of a device, an absurd
amount, a truncated or empty file, a stray quote, bytes that are not UTF-8, an impossible date,
…) and runs check, disclose, overview, handover, seal (without --write) and vouchers in-process
through the command line. A command may answer with findings (exit 1) or refuse with a message
(exit 2); what counts as broken: an exception escaping (a traceback), an exit code other than
0/1/2, JSON output that does not parse, a refusal without a message. The `--subprocess` sample runs the
installed executable and looks for "Traceback" in what it prints.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from click.testing import CliRunner  # noqa: E402

from tests.mutations import RandomDraw, copy_township, mutate_township  # noqa: E402
from village_ledger.cli.main import main as cli  # noqa: E402

ENV = {"VILLAGE_LEDGER_TODAY": "2026-11-30"}
VILLAGES = ("huangmei", "taibai")
JSON_OUTPUT = ("check", "disclose", "overview", "handover", "vouchers")
EXECUTABLE = str(Path(sys.executable).with_name("village-ledger"))


def commands(root: Path, village: str) -> dict[str, list[str]]:
    folder = str(root / village)
    people = {"taibai": ("孙建平", "钱海涛"), "huangmei": ("陈国华", "黄志远")}[village]
    return {
        "check": ["check", folder, "-j", "1", "--format", "json"],
        "disclose": ["disclose", folder, "--period", "2025Q3", "--format", "json"],
        "overview": ["overview", str(root), "-j", "1", "--format", "json"],
        "handover": [
            *("handover", folder, "--date", "2026-03-20", "--outgoing", people[0]),
            *("--incoming", people[1], "--supervisor", "林为民", "--format", "json"),
        ],
        "seal": ["seal", folder, "--period", "2026Q4"],
        "vouchers": ["vouchers", folder, "--period", "2025Q3", "--format", "json"],
    }


def broken(name: str, exit_code: int, stdout: str, stderr: str) -> str | None:
    """What is wrong with a command's outcome, or None."""
    if exit_code not in (0, 1, 2):
        return f"exit code {exit_code}"
    if "Traceback (most recent call last)" in stdout + stderr:
        return "traceback"
    if exit_code == 2:
        return None if stderr.strip() else "exit 2 without a message"
    if name in JSON_OUTPUT:
        try:
            json.loads(stdout)
        except ValueError as exc:
            return f"output is not JSON: {exc}"
    return None


def in_process(name: str, args: list[str]) -> str | None:
    result = CliRunner(env=ENV).invoke(cli, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        lines = traceback.format_exception(result.exception)
        return "traceback: " + "".join(lines[-3:]).strip()
    return broken(name, result.exit_code, result.stdout, result.stderr)


def as_subprocess(name: str, args: list[str]) -> str | None:
    done = subprocess.run(
        [EXECUTABLE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        timeout=600,
    )
    return broken(name, done.returncode, done.stdout, done.stderr)


def campaign(
    cases: int, seed: int, sample: int, keep: int | None, first: int = 0
) -> dict[str, Any]:
    runs = collections.Counter[str]()
    exits = collections.Counter[str]()
    mutations = collections.Counter[str]()
    failures: list[dict[str, Any]] = []
    started = time.monotonic()
    for number in range(first, first + cases):
        draw = RandomDraw(seed * 1_000_003 + number)
        with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
            root = copy_township(REPO / "ledgers", Path(folder) / "t", VILLAGES, keep)
            edits = mutate_township(root, draw, draw.integer(1, 3))
            mutations.update(e.mutation for e in edits)
            village = VILLAGES[number % len(VILLAGES)]
            through = as_subprocess if number < sample else in_process
            for name, args in commands(root, village).items():
                problem = through(name, args)
                runs[name] += 1
                exits[f"{name} {'broken' if problem else 'ok'}"] += 1
                if problem:
                    failure = {
                        "case": number,
                        "command": name,
                        "problem": problem,
                        "edits": [f"{e.mutation} {e.file}" for e in edits],
                    }
                    failures.append(failure)
                    # as it happens: a long campaign stopped early still tells what broke
                    print(json.dumps(failure, ensure_ascii=False), file=sys.stderr)
        if (number + 1 - first) % 50 == 0:
            print(f"{number + 1 - first} cases, {len(failures)} broken", file=sys.stderr)
    return {
        "cases": cases,
        "first_case": first,
        "lines_kept": keep,
        "subprocess_cases": min(sample, cases),
        "command_runs": sum(runs.values()),
        "broken": len(failures),
        "tracebacks": sum("traceback" in f["problem"] for f in failures),
        "seconds": round(time.monotonic() - started, 1),
        "mutations": dict(mutations.most_common()),
        "failures": failures[:50],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=560)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--first", type=int, default=0, help="number of the first case (to resume)")
    parser.add_argument("--subprocess", type=int, default=10, help="cases run as subprocesses")
    parser.add_argument("--keep", type=int, help="cut each year's file after about N lines")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()
    result = campaign(args.cases, args.seed, args.subprocess, args.keep, args.first)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
