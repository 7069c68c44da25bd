"""A generated county, and the scale figures measured on it.

    python bench/county.py generate [--villages 300 --townships 10 --seed 7] [--jobs 2]
    python bench/county.py run [--villages 300 --townships 10] [--township-size 40] [--json F]

`generate` writes, under bench/data/ (git-ignored, reused while the generator is unchanged):

- `county-<villages>x<townships>-s<seed>-<hash>/`: a county of VILLAGES villages in TOWNSHIPS
  townships, each township a folder with its own copy of the township files and its villages
  (`t03/v117/main.beancount`), the way a county office mounts its townships' repositories.
  Sizes are drawn from a log-normal spread (median 1,500 transactions, most between 600 and
  4,000, clipped to 300…8,000): a few hundred to a few thousand vouchers a year, as real
  villages keep. PLANTED pairs of villages in different townships book the same invoice
  (what VL303 and the duplicate-invoice query must find). Every quarter is sealed.
- `township-<n>x5000-s<seed>-<hash>/`: one township of N villages of 5,000 transactions each.

`run` measures, in one run each, the figures a county needs (CPU and wall seconds, in fresh
processes, the load average noted since the machine may be shared):

1. the township of 40 checked on 2 cores (`check --jobs 2 --no-cache`) against the serial sum
   of `bean-check` over the same villages;
2. a warm re-check of that township after one village's file changed, against that one
   village's own check;
3. the county on a two-worker Dask `LocalCluster` against `check --jobs 2`: the same JSON, and
   the throughput per worker;
4. the county exported to Parquet (cold, then again with nothing changed) and the
   duplicate-invoice query over it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import generate as bench_village  # noqa: E402
import villagegen as vg  # noqa: E402

DATA = BENCH / "data"
BIN = Path(sys.executable).parent
PLANTED = 5  # pairs of villages sharing an invoice

TOWNSHIPS = ["九池乡", "白石镇", "青山乡", "柳河镇", "南塘乡", "石门镇", "桃源乡", "龙口镇", "北坪乡", "东湖镇",
             "西岭乡", "高桥镇"]  # fmt: skip
SYLLABLES = (
    "黄梅太白东坡杨柳枫林红星新华永安长乐和平石桥李庄王家岭下河湾马头牛角凤凰金鸡银杏荷塘竹园桂花"
)


def tree_hash() -> str:
    digest = hashlib.sha256()
    # what the books are made of; a change to the measuring code keeps them
    for name in ("villagegen.py", "generate.py"):
        digest.update((BENCH / name).read_bytes())
    for shared in ("ledgers/township/chart.beancount", "ledgers/township/policy.beancount"):
        digest.update((BENCH.parent / shared).read_bytes())
    digest.update(repr((PLANTED, TOWNSHIPS, SYLLABLES)).encode())
    return digest.hexdigest()[:10]


def village_name(index: int) -> str:
    pairs = [SYLLABLES[i : i + 2] for i in range(0, len(SYLLABLES) - 1, 2)]
    round_ = index // len(pairs)
    return pairs[index % len(pairs)] + (pairs[round_ % len(pairs)][0] if round_ else "") + "村"


def sizes(count: int, rng: random.Random) -> list[int]:
    """Transactions per village: log-normal, median 1,500, clipped to 300…8,000."""
    return [
        min(8000, max(300, round(rng.lognormvariate(math.log(1500), 0.6)))) for _ in range(count)
    ]


def write_village(task: dict[str, Any]) -> dict[str, Any]:
    """One village of the county: generated, its planted invoice set, written, sealed."""
    spec = bench_village.bench_spec(task["size"], task["seed"])
    spec = replace(spec, slug=task["slug"], title=task["title"], short=task["short"])
    gen = vg.generate_village(spec)
    wanted = task["size"]
    if abs(len(gen.txns) - wanted) > 0.03 * wanted:  # as bench/generate.py: aim again
        target = max(1, round((spec.target_transactions or wanted) * wanted / len(gen.txns)))
        gen = vg.generate_village(replace(spec, target_transactions=target))
    planted = task.get("invoice")
    if planted:
        for txn in gen.txns:
            old = txn.meta.get("invoice")
            if isinstance(old, str) and len(old) == 20:
                txn.meta["invoice"] = planted
                break
    folder = Path(task["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    vg.write_village(gen, folder)
    bench_village.seal_all(folder / "main.beancount", gen.spec.end)
    return {"slug": task["slug"], "transactions": len(gen.txns), "end": gen.spec.end.isoformat()}


def plan_county(villages: int, townships: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    counts = sizes(villages, rng)
    tasks = []
    for index, size in enumerate(counts):
        town = index % townships
        name = village_name(index)
        tasks.append({
            "slug": f"v{index:03d}",
            "township": f"t{town:02d}",
            "title": f"{TOWNSHIPS[town % len(TOWNSHIPS)]}{name}股份经济合作社",
            "short": name,
            "size": size,
            "seed": seed * 1000 + index,
        })  # fmt: skip
    # each planted pair: two villages of different townships book one invoice
    taken: set[int] = set()
    for pair in range(min(PLANTED, villages // 2)):
        free = [i for i in range(villages) if i not in taken]
        first = rng.choice(free)
        others = [i for i in free if tasks[i]["township"] != tasks[first]["township"]]
        if not others:
            break
        second = rng.choice(others)
        taken.update((first, second))
        invoice = f"2532{pair:02d}99{rng.randrange(10**12):012d}"
        for index in (first, second):
            tasks[index]["invoice"] = invoice
    return tasks


def generate(root: Path, tasks: list[dict[str, Any]], jobs: int) -> dict[str, Any]:
    """Write the planned villages below `root` (one folder per township), once."""
    manifest_file = root / "manifest.json"
    if manifest_file.exists():
        return dict(json.loads(manifest_file.read_text()))
    if root.exists():
        shutil.rmtree(root)
    for township in sorted({t["township"] for t in tasks}):
        vg.copy_township(root / township)
    for task in tasks:
        task["folder"] = str(root / task["township"] / task["slug"])
    done = []
    from rich.progress import Progress

    with Progress() as bar, ProcessPoolExecutor(max_workers=jobs) as pool:
        progress = bar.add_task(f"generating {root.name}", total=len(tasks))
        for future in as_completed([pool.submit(write_village, t) for t in tasks]):
            done.append(future.result())
            bar.advance(progress)
    by_slug = {d["slug"]: d for d in done}
    manifest = {
        "villages": [{**t, **by_slug[t["slug"]]} for t in tasks],
        "transactions": sum(d["transactions"] for d in done),
        "as_of": (max(date.fromisoformat(d["end"]) for d in done) + timedelta(days=20)).isoformat(),
        "planted": sorted({t["invoice"] for t in tasks if "invoice" in t}),
    }  # fmt: skip
    manifest_file.write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def county_root(villages: int, townships: int, seed: int) -> Path:
    return DATA / f"county-{villages}x{townships}-s{seed}-{tree_hash()}"


def township_root(count: int, seed: int) -> Path:
    return DATA / f"township-{count}x5000-s{seed}-{tree_hash()}"


def plan_township(count: int, seed: int) -> list[dict[str, Any]]:
    return [
        {
            "slug": f"v{index:03d}",
            "township": "t00",
            "title": f"九池乡{village_name(index)}股份经济合作社",
            "short": village_name(index),
            "size": 5000,
            "seed": seed * 1000 + 500 + index,
        }
        for index in range(count)
    ]


# ---- measuring ---------------------------------------------------------------------------


def cpu_of(command: list[str], env: dict[str, str], what: str = "") -> dict[str, Any]:
    """One run of `command` in a fresh process: wall and CPU seconds (its and its children's),
    exit code and output. With `what`, a rich spinner names it while it runs, and its figures
    are printed when it ends."""
    from rich.console import Console

    console = Console(stderr=True)
    start = time.perf_counter()
    before = os.times()
    if what:
        with console.status(f"{what} (load {load()})"):
            result = subprocess.run(command, capture_output=True, env=env)
    else:
        result = subprocess.run(command, capture_output=True, env=env)
    after = os.times()
    if what:
        spent = (after.children_user - before.children_user) + (
            after.children_system - before.children_system
        )
        console.print(f"{what}: {time.perf_counter() - start:.1f} s wall, {spent:.1f} s CPU")
    return {
        "wall": time.perf_counter() - start,
        "cpu": (after.children_user - before.children_user)
        + (after.children_system - before.children_system),
        "rc": result.returncode,
        "out": result.stdout,
        "err": result.stderr,
    }


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def mains_of(root: Path) -> list[Path]:
    return sorted(root.glob("t*/v*/main.beancount"))


def measure_township(folder: Path, env: dict[str, str]) -> dict[str, Any]:
    from rich.progress import track

    mains = sorted(folder.glob("v*/main.beancount"))
    beans = [cpu_of([str(BIN / "bean-check"), "-C", str(m)], env) for m in
             track(mains, description="bean-check, one village at a time")]  # fmt: skip
    check = cpu_of([str(BIN / "village-ledger"), "check", str(folder), "--jobs", "2",
                    "--no-cache", "--format", "json"], env, "check --jobs 2")  # fmt: skip
    serial = cpu_of([str(BIN / "village-ledger"), "check", str(folder), "--jobs", "1",
                     "--no-cache", "--format", "json"], env, "check --jobs 1")  # fmt: skip
    return {
        "villages": len(mains),
        "bean_serial_wall": sum(b["wall"] for b in beans),
        "bean_serial_cpu": sum(b["cpu"] for b in beans),
        "check_jobs2_wall": check["wall"],
        "check_jobs2_cpu": check["cpu"],
        "check_jobs1_wall": serial["wall"],
        "check_jobs1_cpu": serial["cpu"],
        "same_output": check["out"] == serial["out"],
        "load": load(),
    }


def measure_recheck(folder: Path, env: dict[str, str]) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="recheck-"))
    try:
        shutil.copytree(folder, work / "t00")
        cache_env = {**env, "VILLAGE_LEDGER_CACHE_DIR": str(work / "cache")}
        command = [str(BIN / "village-ledger"), "check", str(work / "t00"), "--jobs", "2",
                   "--format", "json"]  # fmt: skip
        cold = cpu_of(command, cache_env, "check --jobs 2, cold cache")
        villages = sorted((work / "t00").glob("v*/main.beancount"))
        changed = villages[len(villages) // 2]
        with changed.open("a", encoding="utf-8") as handle:
            handle.write("\n; 会计复核后补记的说明\n")
        warm = cpu_of(command, cache_env, "check --jobs 2, warm after one edit")
        one = cpu_of([str(BIN / "village-ledger"), "check", str(changed.parent), "--jobs", "1",
                      "--no-cache", "--format", "json"], env, "check of that village")  # fmt: skip
        return {
            "cold_wall": cold["wall"],
            "warm_wall": warm["wall"],
            "warm_cpu": warm["cpu"],
            "one_village_wall": one["wall"],
            "one_village_cpu": one["cpu"],
            "same_output": warm["out"] == cold["out"],  # a comment changes no finding
            "load": load(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure_cluster(root: Path, env: dict[str, str], townships: int) -> dict[str, Any]:
    from distributed import LocalCluster

    paths = [str(p) for p in sorted(root.glob("t*"))][:townships]
    local = cpu_of([str(BIN / "village-ledger"), "check", *paths, "--jobs", "2", "--no-cache",
                    "--format", "json"], env, "check --jobs 2")  # fmt: skip
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:  # fmt: skip
        address = str(cluster.scheduler_address)
        # the workers are this process's children: their CPU is read from their own clocks
        client = cluster.get_client()
        before = client.run(lambda: time.process_time())
        dask = cpu_of([str(BIN / "village-ledger"), "check", *paths, "--scheduler", address,
                       "--no-cache", "--format", "json"], env, "check on the LocalCluster")  # fmt: skip
        after = client.run(lambda: time.process_time())
        client.close()
    worker_cpu = sum(after[w] - before[w] for w in after)
    findings = json.loads(local["out"] or b"[]")
    return {
        "villages": sum(len(list(Path(p).glob("v*/main.beancount"))) for p in paths),
        "local_jobs2_wall": local["wall"],
        "local_jobs2_cpu": local["cpu"],
        "dask_wall": dask["wall"],
        "dask_client_cpu": dask["cpu"],
        "dask_worker_cpu": worker_cpu,
        "same_output": dask["out"] == local["out"],
        "findings": len(findings),
        "vl303": sum(1 for f in findings if f["rule"] == "VL303"),
        "load": load(),
    }


def replicated(out: Path, target: Path, copies: int) -> Path:
    """The export's files `copies` times over, each copy a county of its own (梅川县1…): as
    many villages as the county for the queries, the data of the exported townships."""
    for table in out.iterdir():
        if not table.is_dir():
            continue
        for county in table.iterdir():
            for number in range(1, copies + 1):
                shutil.copytree(county, target / table.name / f"{county.name}{number}")
    return target


def measure_export(
    root: Path, env: dict[str, str], county_villages: list[dict[str, Any]], townships: int
) -> dict[str, Any]:
    """The county exported cold (an empty cache), again with nothing changed, again after one
    village's file changed; a check after the exports (from the cache they filled); every
    shipped query over the folder, as a command and in one process."""
    work = Path(tempfile.mkdtemp(prefix="export-"))
    try:
        out = work / "export"
        cache_env = {**env, "VILLAGE_LEDGER_CACHE_DIR": str(work / "cache")}
        copy = work / "county"  # edited below, while other measurements may read the county
        for township in sorted(root.glob("t*"))[:townships]:
            shutil.copytree(township, copy / township.name)
        root = copy
        paths = [str(p) for p in sorted(root.glob("t*"))]
        command = [str(BIN / "village-ledger"), "export", *paths, "-o", str(out), "--county",
                   "梅川县", "--jobs", "2"]  # fmt: skip
        cold = cpu_of(command, cache_env, "export: the county, cold")
        unchanged = cpu_of(command, cache_env, "export: again, nothing changed")
        changed = mains_of(root)[len(mains_of(root)) // 2]
        with changed.open("a", encoding="utf-8") as handle:
            handle.write("\n; 会计复核后补记的说明\n")
        edited = cpu_of(command, cache_env, "export: again, one village edited")
        check = cpu_of([str(BIN / "village-ledger"), "check", *paths, "--jobs", "2",
                        "--format", "json"], cache_env, "check after the export (cache)")  # fmt: skip
        queries: dict[str, Any] = {}
        from village_ledger.queries import NAMED, connect

        copies = replicated(out, work / "replicated", math.ceil(300 / len(mains_of(root))))
        for name in NAMED:
            ran = cpu_of([str(BIN / "village-ledger"), "sql", str(copies), name, "--format",
                          "json"], env, f"sql {name}, county-sized copy")  # fmt: skip
            queries[f"{name} (county-sized copy)"] = {
                "command_wall": ran["wall"],
                "command_cpu": ran["cpu"],
                "rows": len(json.loads(ran["out"] or b"[]")),
            }
        for name, named in NAMED.items():
            ran = cpu_of([str(BIN / "village-ledger"), "sql", str(out), name, "--format", "json"],
                         env, f"sql {name}")  # fmt: skip
            start = time.perf_counter()
            rows = (
                connect(out, date.fromisoformat(env["VILLAGE_LEDGER_TODAY"]))
                .execute(named.sql)
                .fetchall()
            )
            queries[name] = {
                "command_wall": ran["wall"],
                "command_cpu": ran["cpu"],
                "in_process_wall": time.perf_counter() - start,
                "rows": len(rows),
            }
            if name == "duplicate-invoices":
                found = {row["发票号码"] for row in json.loads(ran["out"] or b"[]")}
                # the pairs whose both villages are in the exported townships
                villages = {m.parent.name for m in mains_of(root)}
                inside = {t["invoice"] for t in county_villages if t["slug"] in villages
                          and "invoice" in t}  # fmt: skip
                wanted = {i for i in inside if sum(t.get("invoice") == i and t["slug"] in villages
                                                   for t in county_villages) == 2}  # fmt: skip
                queries[name]["planted_in_export"] = len(wanted)
                queries[name]["planted_found"] = wanted <= found
        size = sum(p.stat().st_size for p in out.rglob("*.parquet"))
        return {
            "export_cold_wall": cold["wall"],
            "export_cold_cpu": cold["cpu"],
            "export_unchanged_wall": unchanged["wall"],
            "export_unchanged_cpu": unchanged["cpu"],
            "export_one_edit_wall": edited["wall"],
            "export_one_edit_cpu": edited["cpu"],
            "export_stderr": (edited["err"] or b"").decode("utf-8", "replace")[-300:],
            "check_after_export_wall": check["wall"],
            "check_after_export_cpu": check["cpu"],
            "queries": queries,
            "parquet_mb": size / 2**20,
            "load": load(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["generate", "run"])
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--townships", type=int, default=10)
    parser.add_argument("--township-size", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=["township", "recheck", "cluster", "export"])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--cluster-townships", type=int, default=1000, metavar="N",
                        help="the cluster comparison on the first N townships only")  # fmt: skip
    parser.add_argument("--export-townships", type=int, default=1000, metavar="N",
                        help="the export on the first N townships only")  # fmt: skip
    parser.add_argument(
        "--township-in-county",
        action="store_true",
        help="measure the township figures on the county's first township (mixed sizes)",
    )
    args = parser.parse_args(argv)
    county = county_root(args.villages, args.townships, args.seed)
    township = township_root(args.township_size, args.seed)
    wants_county = args.what == "generate" or {"cluster", "export"} & set(args.only)
    wants_township = args.what == "generate" or {"township", "recheck"} & set(args.only)
    if args.township_in_county and args.what == "run":
        wants_county, wants_township = True, False
    county_manifest: dict[str, Any] = {}
    township_manifest: dict[str, Any] = {}
    if wants_county:
        plan = plan_county(args.villages, args.townships, args.seed)
        county_manifest = generate(county, plan, args.jobs)
        print(f"{county}: {len(county_manifest['villages'])} villages, "
              f"{county_manifest['transactions']:,} transactions", file=sys.stderr)  # fmt: skip
    if wants_township:
        plan = plan_township(args.township_size, args.seed)
        township_manifest = generate(township, plan, args.jobs)
        print(f"{township}: {len(township_manifest['villages'])} villages, "
              f"{township_manifest['transactions']:,} transactions", file=sys.stderr)  # fmt: skip
    if args.what == "generate":
        return 0
    from run import compile_bytecode

    compile_bytecode()
    results: dict[str, Any] = {"load_before": load()}
    county_env = {**os.environ, "VILLAGE_LEDGER_TODAY": str(county_manifest.get("as_of", ""))}
    township_env = {**os.environ, "VILLAGE_LEDGER_TODAY": str(township_manifest.get("as_of", ""))}
    folder, folder_env = township / "t00", township_env
    if args.township_in_county:
        folder, folder_env = county / "t00", county_env
    if "township" in args.only:
        results["township"] = measure_township(folder, folder_env)
    if "recheck" in args.only:
        results["recheck"] = measure_recheck(folder, folder_env)
    if "cluster" in args.only:
        results["cluster"] = measure_cluster(county, county_env, args.cluster_townships)
    if "export" in args.only:
        results["export"] = measure_export(
            county, county_env, county_manifest["villages"], args.export_townships
        )
    results["county_transactions"] = county_manifest.get("transactions")
    results["township_transactions"] = township_manifest.get("transactions")
    text = json.dumps(results, ensure_ascii=False, indent=1, default=str)
    print(text)
    if args.json:
        args.json.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
