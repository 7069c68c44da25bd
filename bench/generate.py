"""Write one large, compliant village of a chosen size for the benchmark.

    python bench/generate.py --transactions 100000 --out bench/data/n100000 [--seed 7]

writes OUT/township/ (a copy of ledgers/township) and OUT/dahe/main.beancount with one file per
year. The village is the sample township's generator (bench/villagegen.py) turned up: the
repeating monthly activity (purchases, repairs, sanitation, travel, leases, land contracts,
works under resolutions) happens `scale` times a month and the years extend as needed, about
12,000 transactions a year. The main file has no plugin line, so `bean-check` is plain
Beancount; `village-ledger check` runs every rule family on it regardless.

Unless `--no-seal`, every quarter is sealed (`公开封存`) the way `village-ledger seal` does it,
so the check also verifies the digests of published quarters. OUT/manifest.json records the
size, the seed and the day the books are seen as of (`VILLAGE_LEDGER_TODAY` for the run).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import villagegen as vg

SLUG = "dahe"
PER_YEAR = 12000  # transactions a year the bench village aims at
PER_UNIT_MONTH = 5.1  # transactions a unit of `scale` adds to a month (measured)

BENCH_ROSTER = vg.Roster(
    terms=[
        vg.Term("韦振华", "书记", date(2021, 3, 16)),
        vg.Term("邹光明", "主任", date(2021, 3, 16), date(2026, 3, 20)),
        vg.Term("龚宏亮", "主任", date(2026, 3, 20)),
        vg.Term("龚宏亮", "副主任", date(2021, 3, 16), date(2026, 3, 20)),
        vg.Term("熊雪梅", "副主任", date(2026, 3, 20)),
        vg.Term("覃少华", "委员", date(2021, 3, 16)),
        vg.Term("熊雪梅", "委员", date(2021, 3, 16), date(2026, 3, 20)),
        vg.Term("段德全", "监委会主任", date(2021, 3, 16)),
        vg.Term("孟彩霞", "监委会委员", date(2021, 3, 16)),
        vg.Term("史新民", "监委会委员", date(2026, 3, 20)),
        vg.Term("尹月娥", "理财小组", date(2021, 3, 16)),
        vg.Term("陶宝山", "理财小组", date(2021, 3, 16)),
        vg.Term("贺冬梅", "会计", date(2022, 1, 1)),
        vg.Term("覃少华", "出纳", date(2021, 3, 16)),
        vg.Term("覃少华", "报账员", date(2021, 3, 16)),
    ],
    relatives=[("陶宝山", "覃少华", "舅甥")],
)


def bench_spec(transactions: int, seed: int, target: int | None = None) -> vg.VillageSpec:
    years = max(1, math.ceil(transactions / PER_YEAR))
    months = 12 * years
    scale = max(1, round((transactions / months - 12) / PER_UNIT_MONTH))
    start = date(2025, 1, 1)
    end = date(start.year + years + 1, 12, 31)  # room to reach the target
    spec = vg.huangmei_spec()
    return replace(
        spec,
        slug=SLUG,
        title="九池乡大河村股份经济合作社",
        short="大河村",
        seed=seed,
        roster=BENCH_ROSTER,
        start=start,
        end=end,
        scale=scale,
        plugin=False,
        opening_bank=vg.yuan("1286450.00"),
        advancers=("龚宏亮", "熊雪梅", "覃少华"),
        planted=(),
        target_transactions=target or transactions,
    )


def generate(transactions: int, out: Path, seed: int = 7, seal: bool = True) -> dict[str, object]:
    """Write the bench village below `out`; returns the manifest."""
    gen = vg.generate_village(bench_spec(transactions, seed))
    planned = gen.spec.target_transactions or transactions
    if abs(len(gen.txns) - transactions) > 0.03 * transactions:
        # the cash float's withdrawals and deposits come on top of the planned activity
        target = max(1, round(planned * transactions / len(gen.txns)))
        gen = vg.generate_village(bench_spec(transactions, seed, target))
    vg.copy_township(out)
    folder = out / SLUG
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.beancount"):
        old.unlink()
    vg.write_village(gen, folder)
    as_of = gen.spec.end + timedelta(days=20)
    sealed = seal_all(folder / "main.beancount", gen.spec.end) if seal else []
    manifest: dict[str, object] = {
        "village": SLUG,
        "main": str((folder / "main.beancount").relative_to(out)),
        "transactions": len(gen.txns),
        "requested": transactions,
        "seed": seed,
        "scale": gen.spec.scale,
        "first_day": gen.spec.start.isoformat(),
        "last_day": gen.spec.end.isoformat(),
        "as_of": as_of.isoformat(),
        "sealed_quarters": sealed,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def seal_all(main: Path, last_day: date) -> list[str]:
    """Seal every quarter that ended by `last_day`, in one load (what `seal --write` appends)."""
    try:
        from village_ledger.loading import load_ledger
        from village_ledger.model import Quarter, build_model
        from village_ledger.sealing import quarter_books, seal_lines
    except ImportError as exc:  # an older village-ledger: leave the quarters unsealed
        print(f"not sealing: {exc}", file=sys.stderr)
        return []
    loaded = load_ledger(main)
    model = build_model(loaded.entries, loaded.options)
    quarters = []
    quarter = Quarter.of(model.vouchers[0].date)
    while quarter.last_day <= last_day:
        quarters.append(quarter)
        quarter = quarter.next()
    books = quarter_books(model.entries, quarters, model.is_township_file)
    lines = ["", "; ==== 财务公开封存 ===="]
    for quarter in quarters:
        day = vg.VillageGenerator.workday(quarter.last_day + timedelta(days=10))
        lines += ["", *seal_lines(books[quarter], day)]
    with main.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return [str(q) for q in quarters]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", "-n", type=int, required=True, metavar="N")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-seal", action="store_true", help="leave the quarters unsealed")
    args = parser.parse_args(argv)
    manifest = generate(args.transactions, args.out, args.seed, seal=not args.no_seal)
    print(json.dumps(manifest, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
