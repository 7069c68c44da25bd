"""Time `village-ledger check` against plain `bean-check` on the same large village ledger.

    python bench/run.py [--sizes 10000 100000] [--repeat 1] [--seed 7]

For each size it generates the bench village once (cached under bench/data/, git-ignored; the
cache key includes a hash of the generator, so a changed generator writes fresh books), then in
one run and in fresh subprocesses:

- `bean-check -C MAIN` (Beancount alone: parse, book, validate; no plugins in the file);
- `village-ledger check MAIN --jobs 1 --format json --no-cache` (Beancount with the stricter validations,
  then the model and every rule family);
- the phases of the check inside one process: load (Beancount), build_model, run_rules (and
  the cross-village collect), and the slowest rules, with the garbage collector paused over
  them as the audit service pauses it over a village.

Wall time comes from the clock around each subprocess, CPU time (user + system) and peak memory
from the child's own resource usage (`os.wait4`), so one run never hides another. CPU time is
the steadier figure on a busy machine: other processes stretch wall time, not CPU time. With
`--repeat N` the two commands run alternately N times each and the fastest run of each is
shown; the phases are CPU seconds inside one process. Time should grow linearly with size: the
table shows CPU seconds per 1,000 transactions.

`--instructions` counts instead the instructions each command executes under valgrind's
callgrind (one run each, about 50 times slower than a plain run): the count is the same whatever
else the machine is doing, so a change of a few percent shows on a busy machine, where CPU
seconds of two runs differ by 20%. With `--phases` it also counts, inside one process, the
instructions of each phase (start-up and imports, Beancount's load, the model, each rule, the
collect, freeing the books, the interpreter's exit): the script marks the boundaries with a call callgrind is told to
dump its counters before (`--dump-before`), so a phase's count is exactly what ran between two
marks, and a rule's count includes any shared structure it is the first to build.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "data"
BIN = Path(sys.executable).parent

PHASES = r"""
import json, sys, time
clock = time.process_time
t0 = clock()
from village_ledger.loading import load_ledger
from village_ledger.model import build_model
from village_ledger.engine import run_rules, collect
from village_ledger.registry import all_rules
rules = all_rules()
t1 = clock()
import gc
gc.disable()  # as the audit service has it over a whole village
loaded = load_ledger(sys.argv[1])
t2 = clock()
model = build_model(loaded.entries, loaded.options)
t3 = clock()
per_rule = {}
findings = []
for rule in rules:
    s = clock()
    findings += run_rules(model, [rule])
    per_rule[rule.code] = clock() - s
t4 = clock()
collect(model, rules)
t5 = clock()
print(json.dumps({
    "import": t1 - t0, "load": t2 - t1, "model": t3 - t2, "rules": t4 - t3, "collect": t5 - t4,
    "per_rule": per_rule, "findings": len(findings), "entries": len(loaded.entries),
}))
"""

# The same phases, marked for callgrind: each os.getppid() call dumps the counters so far.
MARKED = r"""
import json, os, sys
labels = []
def mark(name):
    labels.append(name)
    os.getppid()
mark("interpreter")
from village_ledger.loading import load_ledger
from village_ledger.model import build_model
from village_ledger.engine import run_rules, collect
from village_ledger.registry import all_rules
rules = all_rules()
mark("import")
import gc
gc.disable()
loaded = load_ledger(sys.argv[1])
mark("load")
model = build_model(loaded.entries, loaded.options)
mark("model")
for rule in rules:
    run_rules(model, [rule])
    mark(rule.code)
collect(model, rules)
mark("collect")
del model, loaded  # as the command drops its village before the interpreter's teardown
mark("free")
with open(sys.argv[2], "w") as out:
    json.dump(labels, out)
"""


@dataclass
class Timing:
    seconds: float
    cpu: float
    peak_mb: float
    returncode: int
    stdout: str


def run(command: list[str], env: dict[str, str]) -> Timing:
    """Run a command; its wall time and its own peak RSS (not any earlier child's)."""
    start = time.perf_counter()
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    ) as process:
        out = process.stdout.read() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    # Linux reports ru_maxrss in KiB
    cpu = usage.ru_utime + usage.ru_stime
    return Timing(seconds, cpu, usage.ru_maxrss / 1024, process.returncode, out)


def fastest(timings: list[Timing]) -> Timing:
    """The fastest run: least wall time, and least CPU time (they may be different runs)."""
    quick = min(timings, key=lambda t: t.seconds)
    return Timing(
        quick.seconds,
        min(t.cpu for t in timings),
        max(t.peak_mb for t in timings),
        quick.returncode,
        quick.stdout,
    )


def generator_hash() -> str:
    digest = hashlib.sha256()
    for name in ("villagegen.py", "generate.py"):
        digest.update((BENCH / name).read_bytes())
    # the seals' digests follow the canonical form of the installed village-ledger
    shared_files = (
        "ledgers/township/chart.beancount",
        "village_ledger/canonical.py",
        "village_ledger/sealing.py",
    )
    for shared in shared_files:
        path = BENCH.parent / shared
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def books(size: int, seed: int) -> tuple[Path, dict[str, object]]:
    """The bench village of `size` transactions, generated once and cached."""
    folder = DATA / f"n{size}-s{seed}-{generator_hash()}"
    manifest_file = folder / "manifest.json"
    if not manifest_file.exists():
        print(f"generating {size:,} transactions into {folder} …", file=sys.stderr, flush=True)
        subprocess.run(
            [sys.executable, str(BENCH / "generate.py"), "-n", str(size), "--out", str(folder),
             "--seed", str(seed)],
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    manifest = json.loads(manifest_file.read_text())
    return folder / str(manifest["main"]), manifest


def measure(size: int, seed: int, repeat: int) -> dict[str, object]:
    main, manifest = books(size, seed)
    env = {**os.environ, "VILLAGE_LEDGER_TODAY": str(manifest["as_of"])}
    bean_command = [str(BIN / "bean-check"), "-C", str(main)]
    check_command = [
        str(BIN / "village-ledger"), "check", str(main), "--jobs", "1", "--format", "json",
        "--no-cache",
    ]  # fmt: skip
    beans, checks = [], []
    for _ in range(repeat):  # alternately, so a busy spell of the machine hits both
        beans.append(run(bean_command, env))
        checks.append(run(check_command, env))
    bean, check = fastest(beans), fastest(checks)
    findings = json.loads(check.stdout or "[]")
    phases_runs = [run([sys.executable, "-c", PHASES, str(main)], env) for _ in range(repeat)]
    phases_run = min(phases_runs, key=lambda t: t.cpu)
    phases = json.loads(phases_run.stdout)
    return {
        "size": size,
        "transactions": manifest["transactions"],
        "bean_check_s": bean.seconds,
        "bean_check_cpu": bean.cpu,
        "bean_check_mb": bean.peak_mb,
        "bean_check_rc": bean.returncode,
        "check_s": check.seconds,
        "check_cpu": check.cpu,
        "check_mb": check.peak_mb,
        "check_rc": check.returncode,
        "findings": sorted({f["rule"] for f in findings}),
        "finding_count": len(findings),
        "phases": phases,
    }


def report(results: list[dict[str, object]]) -> str:
    head = (
        f"{'size':>7} {'txns':>7} | {'wall s':>6} {'wall s':>6} {'ratio':>5} | "
        f"{'cpu s':>6} {'cpu s':>6} {'ratio':>5} | {'MB':>5} {'MB':>5} | "
        f"{'load':>6} {'model':>5} {'rules':>7} | {'cpu s per 1k txns':>24}"
    )
    over = (
        f"{'':>7} {'':>7} | {'bean':>6} {'check':>6} {'':>5} | {'bean':>6} {'check':>6} {'':>5} | "
        f"{'bean':>5} {'check':>5} | {'check phases cpu s':>20} | "
        f"{'bean':>6} {'check':>6} {'rules':>8}"
    )
    lines = [head, over, "-" * len(over)]
    for r in results:
        p = r["phases"]
        assert isinstance(p, dict)
        k = int(r["transactions"]) / 1000  # type: ignore[arg-type]
        bean, check = float(r["bean_check_s"]), float(r["check_s"])  # type: ignore[arg-type]
        bean_cpu, check_cpu = float(r["bean_check_cpu"]), float(r["check_cpu"])  # type: ignore[arg-type]
        rules = p["model"] + p["rules"] + p["collect"]
        lines.append(
            f"{r['size']:>7} {r['transactions']:>7} | {bean:>6.2f} {check:>6.2f} "
            f"{check / bean:>5.2f} | {bean_cpu:>6.2f} {check_cpu:>6.2f} {check_cpu / bean_cpu:>5.2f} | "
            f"{r['bean_check_mb']:>5.0f} {r['check_mb']:>5.0f} | "
            f"{p['load']:>6.2f} {p['model']:>5.2f} {p['rules'] + p['collect']:>7.2f} | "
            f"{bean_cpu / k:>6.3f} {check_cpu / k:>6.3f} {rules / k:>8.4f}"
        )
    lines.append("")
    for r in results:
        p = r["phases"]
        assert isinstance(p, dict)
        slow = sorted(p["per_rule"].items(), key=lambda kv: -kv[1])[:5]
        shown = ", ".join(f"{code} {s:.2f}s" for code, s in slow)
        lines.append(
            f"{r['size']:>8}: findings {r['finding_count']} {r['findings']}; "
            f"bean-check rc {r['bean_check_rc']}, check rc {r['check_rc']}; slowest rules: {shown}"
        )
    return "\n".join(lines)


def instructions(command: list[str], env: dict[str, str]) -> int:
    """Instructions `command` executes, counted by callgrind (its children are not followed)."""
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    match = re.search(r"Collected : (\d+)", out.stderr)
    if match is None:
        raise SystemExit(f"callgrind gave no count for {command}: {out.stderr[-400:]}")
    return int(match.group(1))


def count_instructions(size: int, seed: int) -> str:
    main, manifest = books(size, seed)
    env = {**os.environ, "VILLAGE_LEDGER_TODAY": str(manifest["as_of"])}
    bean = instructions([str(BIN / "bean-check"), "-C", str(main)], env)
    check = instructions(
        [str(BIN / "village-ledger"), "check", str(main), "--jobs", "1", "--format", "json",
         "--no-cache"], env,
    )  # fmt: skip
    return (
        f"{size:>7} {manifest['transactions']:>7} | {bean / 1e9:>8.3f} {check / 1e9:>8.3f} "
        f"{check / bean:>6.3f}"
    )


def count_phases(size: int, seed: int, shown: int = 12) -> str:
    """Instructions of each phase of one check, from callgrind's dumps at the marks."""
    import tempfile

    main, manifest = books(size, seed)
    env = {**os.environ, "VILLAGE_LEDGER_TODAY": str(manifest["as_of"])}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--dump-before=os_getppid",
             f"--callgrind-out-file={out / 'cg.out'}", sys.executable, "-c", MARKED, str(main),
             str(out / "labels.json")],
            env=env, capture_output=True, check=True,
        )  # fmt: skip
        labels = [*json.loads((out / "labels.json").read_text()), "exit"]
        counts = {label: dumped_total(out, number) for number, label in enumerate(labels, 1)}
    rules = {label: n for label, n in counts.items() if label.startswith("VL")}
    slow = sorted(rules.items(), key=lambda kv: -kv[1])[:shown]
    head = " ".join(
        f"{k} {counts[k] / 1e6:.0f}" for k in ("interpreter", "import", "load", "model")
    )
    return (
        f"{size:>7}: M instr {head} rules {sum(rules.values()) / 1e6:.0f} "
        f"collect {counts['collect'] / 1e6:.0f} free {counts['free'] / 1e6:.0f} "
        f"exit {counts['exit'] / 1e6:.0f}\n"
        f"{'':>9}slowest rules: " + ", ".join(f"{k} {n / 1e6:.1f}" for k, n in slow)
    )


def dumped_total(folder: Path, number: int) -> int:
    """Instructions in callgrind's `number`-th dump (the last one, at exit, has no suffix)."""
    numbered = folder / f"cg.out.{number}"
    text = (numbered if numbered.exists() else folder / "cg.out").read_text()
    match = re.search(r"^totals: (\d+)", text, re.M)
    if match is None:
        raise SystemExit(f"callgrind dump {number} has no totals")
    return int(match.group(1))


def compile_bytecode() -> None:
    """Write the bytecode of village-ledger's own modules first, as installing it does.

    Where PYTHONDONTWRITEBYTECODE is set (the development container sets it), a module changed
    since its last bytecode was written is compiled again by every run: on a 1k village that
    was a tenth of a second of each check's CPU, which no installed copy pays (Beancount's
    modules, which bean-check imports, were compiled when pip installed them)."""
    import compileall

    for folder in ("village_ledger", "plugins"):
        compileall.compile_dir(str(BENCH.parent / folder), quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    parser.add_argument(
        "--instructions", action="store_true",
        help="count instructions under callgrind instead of timing (steady on a busy machine)",
    )  # fmt: skip
    parser.add_argument(
        "--phases", action="store_true",
        help="with --instructions: also count each phase and rule inside one check",
    )  # fmt: skip
    args = parser.parse_args(argv)
    compile_bytecode()
    if args.instructions:
        print(f"{'size':>7} {'txns':>7} | {'G instr':>8} {'G instr':>8} {'ratio':>6}")
        print(f"{'':>7} {'':>7} | {'bean':>8} {'check':>8} {'':>6}")
        for size in args.sizes:
            print(count_instructions(size, args.seed), flush=True)
        for size in args.sizes if args.phases else []:
            print(count_phases(size, args.seed), flush=True)
        return 0
    results = [measure(size, args.seed, max(1, args.repeat)) for size in args.sizes]
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
