"""Tamper campaign: every edit of a sealed quarter is caught, no reformatting is.

On a copy of the sample township (`ledgers/`, seen as of 2026-10-31, 2025Q1–2026Q3 sealed), each
case applies one random edit to huangmei's books, in its own files, in a file it includes from
outside its folder, or in the township's files, and runs VL601 and VL602:

- an *edit* changes what a sealed quarter means (an amount, a date, an account, a payee, a
  metadata value, a voucher added or removed, a backdated appointment, resolution or policy
  item, a balance, …): it must give VL601 or VL602, else it is a *miss*;
- a *reformatting* changes only layout (indentation, comments, blank lines, the order of postings,
  of metadata and of a day's vouchers, trailing zeros, line endings, a voucher moved to another
  file of the village, a township item for a later quarter, a new account in the chart): it must
  give neither, else it is a *false alarm*.

    .venv/bin/python bench/tamper.py --edits 300 --reformats 100 [--seed 11] [--jobs 2]

prints the counts per kind and exits 1 on any miss or false alarm.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from multiprocessing import Pool
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-10-31"
VILLAGE = "huangmei"
SEALED_LAST = "2026-09-30"  # 2025Q1 to 2026Q3 are sealed

VOUCHER = re.compile(r"^(\d{4}-\d{2}-\d{2}) \* .*?(?=^\S|\Z)", re.M | re.S)
AMOUNT = re.compile(r"(-?\d+\.\d\d) CNY")
META = re.compile(r"^  ([a-z-]+): (.*)$", re.M)


@dataclass
class Books:
    """The files of the copied township an edit may touch, as text."""

    root: Path

    @property
    def village(self) -> Path:
        return self.root / VILLAGE

    def read(self, name: str) -> str:
        return (self.root / name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        (self.root / name).write_text(text, encoding="utf-8")

    def include(self, relative: str) -> None:
        main = f"{VILLAGE}/main.beancount"
        self.write(main, self.read(main) + f'\ninclude "{relative}"\n')


def sealed_vouchers(text: str) -> list[re.Match[str]]:
    return [m for m in VOUCHER.finditer(text) if m.group(1) <= SEALED_LAST]


def year_file(rng: random.Random) -> str:
    return f"{VILLAGE}/{rng.choice(('2025', '2026'))}.beancount"


def pick(books: Books, rng: random.Random) -> tuple[str, str, re.Match[str]]:
    name = year_file(rng)
    text = books.read(name)
    return name, text, rng.choice(sealed_vouchers(text))


def replace_block(books: Books, name: str, text: str, match: re.Match[str], new: str) -> None:
    books.write(name, text[: match.start()] + new + text[match.end() :])


def sealed_day(rng: random.Random) -> str:
    month = rng.randint(1, 21)  # 2025-01 .. 2026-09
    year, month = 2025 + (month - 1) // 12, (month - 1) % 12 + 1
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def new_voucher(day: str, number: str, amount: str) -> str:
    return (
        f'{day} * "城关文具店" "办公用品"\n  voucher: "{number}"\n  handler: "方丽娟"\n'
        f"  Expenses:513-管理费用:51302-办公费  {amount} CNY\n"
        f"  Assets:102-银行存款:10201-农商行\n"
    )


# --- edits: each changes a sealed quarter's meaning ---------------------------------------


def edit_amount(books: Books, rng: random.Random) -> None:
    name, text, match = pick(books, rng)
    block = match.group(0)
    found = AMOUNT.search(block)
    assert found is not None, block
    old = found.group(1).lstrip("-")
    new = f"{Decimal(old) + Decimal(rng.choice(('0.01', '0.10', '1.00', '123.45'))):.2f}"
    block = block.replace(f" {old} CNY", f" {new} CNY").replace(f"-{old} CNY", f"-{new} CNY")
    replace_block(books, name, text, match, block)


def edit_date(books: Books, rng: random.Random) -> None:
    name, text, match = pick(books, rng)
    day = match.group(1)
    moved = day[:8] + f"{(int(day[8:]) % 28) + 1:02d}"
    if moved == day:
        moved = day[:8] + "01" if day[8:] != "01" else day[:8] + "02"
    replace_block(books, name, text, match, moved + match.group(0)[10:])


def edit_narration(books: Books, rng: random.Random) -> None:
    name, text, match = pick(books, rng)
    block = match.group(0)
    quote = block.index('"', block.index('"') + 1)  # the end of the first string
    new = block[:quote] + rng.choice(("。", "x", " ", "（补）")) + block[quote:]
    replace_block(books, name, text, match, new)


def edit_metadata(books: Books, rng: random.Random) -> None:
    name, text, match = pick(books, rng)
    block = match.group(0)
    metas = list(META.finditer(block))
    chosen = rng.choice(metas)
    value = chosen.group(2)
    changed = value[:-1] + "甲" + value[-1] if value.endswith('"') else value + "1"
    new = block[: chosen.start(2)] + changed + block[chosen.end(2) :]
    replace_block(books, name, text, match, new)


def add_metadata(books: Books, rng: random.Random) -> None:
    name, text, match = pick(books, rng)
    block = match.group(0)
    line = block.index("\n") + 1
    new = block[:line] + f'  witness: "{rng.choice(("郑国庆", "王五"))}"\n' + block[line:]
    replace_block(books, name, text, match, new)


def add_tag(books: Books, rng: random.Random) -> None:
    name, text, match = pick(books, rng)
    block = match.group(0)
    line = block.index("\n")
    new = block[:line] + rng.choice((" #补记", " ^link-1")) + block[line:]
    replace_block(books, name, text, match, new)


def swap_account(books: Books, rng: random.Random) -> None:
    name, text, match = pick(books, rng)
    block = match.group(0)
    for old, new in (
        ("Assets:102-银行存款:10201-农商行", "Assets:102-银行存款:10202-邮储银行"),
        ("Assets:101-库存现金", "Assets:102-银行存款:10201-农商行"),
        ("51305-水电费", "51302-办公费"),
    ):
        if old in block:
            replace_block(books, name, text, match, block.replace(old, new, 1))
            return
    edit_narration(books, rng)


def delete_voucher(books: Books, rng: random.Random) -> None:
    name, text, match = pick(books, rng)
    replace_block(books, name, text, match, "")


def add_voucher_in_year_file(books: Books, rng: random.Random) -> None:
    name = year_file(rng)
    day = sealed_day(rng)
    number = f"{day[:7]}-{rng.choice(('005', '099'))}"
    books.write(name, books.read(name) + "\n" + new_voucher(day, number, "950.00"))


def add_voucher_in_village_subfolder(books: Books, rng: random.Random) -> None:
    (books.village / "extra").mkdir(exist_ok=True)
    day = sealed_day(rng)
    books.write(f"{VILLAGE}/extra/x.beancount", new_voucher(day, f"{day[:7]}-003", "12.00"))
    books.include("extra/x.beancount")


def add_voucher_outside_folder(books: Books, rng: random.Random) -> None:
    day = sealed_day(rng)
    books.write("extra.beancount", new_voucher(day, f"{day[:7]}-005", "950.00"))
    books.include("../extra.beancount")


def add_entry_in_outside_folder_file(books: Books, rng: random.Random) -> None:
    day = sealed_day(rng)
    entry = rng.choice(CONTRACT).format(day=day)
    (books.root / "shared").mkdir(exist_ok=True)
    books.write("shared/people.beancount", entry)
    books.include("../shared/people.beancount")


CONTRACT = (
    '{day} custom "任职" "孙二" "副主任"\n',
    '{day} custom "离任" "黄德明" "主任"\n',
    '{day} custom "亲属" "孙二" "黄德明" "表兄弟"\n',
    '{day} custom "会议决议" "补-1" "两委联席会议" "修路" 3000.00 CNY\n',
    '{day} custom "财务制度" "现金支付限额" 500.00 CNY\n',
)


def backdate_in_village(books: Books, rng: random.Random) -> None:
    name = f"{VILLAGE}/main.beancount"
    day = rng.choice((sealed_day(rng), "2024-12-15"))  # inside a sealed quarter, or before all
    books.write(name, books.read(name) + "\n" + rng.choice(CONTRACT).format(day=day))


def backdate_in_township(books: Books, rng: random.Random) -> None:
    name = "township/policy.beancount"
    day = rng.choice((sealed_day(rng), "2024-06-01"))
    books.write(name, books.read(name) + "\n" + rng.choice(CONTRACT).format(day=day))


def change_township_policy(books: Books, rng: random.Random) -> None:
    name = "township/policy.beancount"
    text = books.read(name)
    new = rng.choice((("1000.00 CNY", "900.00 CNY"), ('"现金存行天数" 3', '"现金存行天数" 2')))
    books.write(name, text.replace(*new, 1))


def change_balance(books: Books, rng: random.Random) -> None:
    name = year_file(rng)
    text = books.read(name)
    lines = [m for m in re.finditer(r"^(\d{4}-\d{2}-\d{2}) balance .*?(\d+\.\d\d) CNY", text, re.M)]
    match = rng.choice([m for m in lines if m.group(1) <= SEALED_LAST])
    number = f"{float(match.group(2)) + 0.01:.2f}"
    books.write(name, text[: match.start(2)] + number + text[match.end(2) :])


EDITS: dict[str, Callable[[Books, random.Random], None]] = {
    "amount": edit_amount,
    "date": edit_date,
    "narration": edit_narration,
    "metadata value": edit_metadata,
    "metadata added": add_metadata,
    "tag or link": add_tag,
    "account": swap_account,
    "voucher deleted": delete_voucher,
    "voucher added (year file)": add_voucher_in_year_file,
    "voucher added (village subfolder)": add_voucher_in_village_subfolder,
    "voucher added (outside the folder)": add_voucher_outside_folder,
    "directive added (outside the folder)": add_entry_in_outside_folder_file,
    "directive backdated (village)": backdate_in_village,
    "directive backdated (township)": backdate_in_township,
    "township policy changed": change_township_policy,
    "balance": change_balance,
}


# --- reformattings: layout only ---------------------------------------------------------


def reindent(books: Books, rng: random.Random) -> None:
    name, text, match = pick(books, rng)
    replace_block(books, name, text, match, match.group(0).replace("\n  ", "\n    "))


def comments(books: Books, rng: random.Random) -> None:
    name, text, match = pick(books, rng)
    block = match.group(0)
    line = block.index("\n")
    new = "; 已核对\n" + block[:line] + " ; 附件 2 张" + block[line:] + "\n\n"
    replace_block(books, name, text, match, new)


def reorder_postings(books: Books, rng: random.Random) -> None:
    """The postings in reverse order, each with its own metadata lines (`    asset: …` under a
    depreciation posting): moving those away from their posting would change what they
    describe, which is an edit, not a reformatting."""
    name, text, match = pick(books, rng)
    lines = match.group(0).rstrip("\n").split("\n")
    first = next(i for i, line in enumerate(lines) if re.match(r"^  [A-Z]", line))
    postings: list[list[str]] = []
    for line in lines[first:]:
        if re.match(r"^  [A-Z]", line) or not postings:
            postings.append([line])
        else:
            postings[-1].append(line)  # the posting's metadata (or a comment) stays with it
    tail = match.group(0)[len(match.group(0).rstrip("\n")) :]
    reordered = [line for posting in postings[::-1] for line in posting]
    replace_block(books, name, text, match, "\n".join(lines[:first] + reordered) + tail)


def reorder_metadata(books: Books, rng: random.Random) -> None:
    name, text, match = pick(books, rng)
    lines = match.group(0).rstrip("\n").split("\n")
    metas = [line for line in lines if META.match(line)]
    others = [line for line in lines[1:] if line not in metas]
    tail = match.group(0)[len(match.group(0).rstrip("\n")) :]
    replace_block(books, name, text, match, "\n".join([lines[0], *metas[::-1], *others]) + tail)


def trailing_zeros(books: Books, rng: random.Random) -> None:
    name, text, match = pick(books, rng)
    if rng.random() < 0.5:  # 800.00 -> 800.0000

        def written(m: re.Match[str]) -> str:
            return f"{m.group(1)}00 CNY"
    else:  # 800.00 -> 800, 1315.90 -> 1315.9

        def written(m: re.Match[str]) -> str:
            return f"{m.group(1).rstrip('0').rstrip('.')} CNY"

    replace_block(books, name, text, match, AMOUNT.sub(written, match.group(0)))


def move_to_other_file(books: Books, rng: random.Random) -> None:
    name, text, match = pick(books, rng)
    replace_block(books, name, text, match, "")
    books.write(f"{VILLAGE}/moved.beancount", match.group(0))
    books.include("moved.beancount")


def reorder_day(books: Books, rng: random.Random) -> None:
    name = year_file(rng)
    text = books.read(name)
    vouchers = sealed_vouchers(text)
    pairs = [(a, b) for a, b in itertools.pairwise(vouchers) if a.group(1) == b.group(1)]
    if not pairs:
        return comments(books, rng)
    first, second = rng.choice(pairs)
    swapped = (
        text[: first.start()]
        + second.group(0)
        + text[first.end() : second.start()]
        + first.group(0)
        + text[second.end() :]
    )
    books.write(name, swapped)


def crlf(books: Books, rng: random.Random) -> None:
    name = year_file(rng)
    (books.root / name).write_bytes(books.read(name).replace("\n", "\r\n").encode("utf-8"))


def township_later_item(books: Books, rng: random.Random) -> None:
    name = "township/policy.beancount"
    day = f"2026-{rng.randint(10, 12)}-{rng.randint(1, 28):02d}"
    item = f'{day} custom "财务制度" "现金支付限额" 800.00 CNY ; 新制度\n'
    books.write(name, books.read(name) + "\n; 乡镇新规\n" + item)


def township_new_account(books: Books, rng: random.Random) -> None:
    name = "township/chart.beancount"
    code = rng.randint(90, 99)
    books.write(
        name,
        books.read(name)
        + f'\n2000-01-01 open Expenses:513-管理费用:513{code}-杂项{code} CNY\n  code: "513{code}"\n',
    )


REFORMATS: dict[str, Callable[[Books, random.Random], None]] = {
    "indentation": reindent,
    "comments and blank lines": comments,
    "posting order": reorder_postings,
    "metadata order": reorder_metadata,
    "trailing zeros": trailing_zeros,
    "voucher moved to another village file": move_to_other_file,
    "order within a day": reorder_day,
    "CRLF line endings": crlf,
    "township item for a later quarter": township_later_item,
    "township chart: new account": township_new_account,
}


# --- running ------------------------------------------------------------------------------


def seal_findings(main: Path) -> set[str]:
    from village_ledger.engine import run_rules
    from village_ledger.loading import load_ledger
    from village_ledger.model import build_model
    from village_ledger.registry import get_rule

    loaded = load_ledger(main)
    model = build_model(loaded.entries, loaded.options)
    rules = [get_rule("VL601"), get_rule("VL602")]
    return {f.rule for f in run_rules(model, [r for r in rules if r is not None])}


def run_case(case: tuple[str, str, int]) -> tuple[str, str, bool]:
    """(edit or reformat, kind, whether VL601/VL602 fired)."""
    group, kind, seed = case
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="vl-tamper-") as folder:
        root = Path(folder) / "ledgers"
        shutil.copytree(REPO / "ledgers", root)
        books = Books(root)
        (EDITS if group == "edit" else REFORMATS)[kind](books, rng)
        fired = bool(seal_findings(root / VILLAGE / "main.beancount"))
    return group, kind, fired


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--reformats", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    os.environ["VILLAGE_LEDGER_TODAY"] = AS_OF
    if seal_findings(REPO / "ledgers" / VILLAGE / "main.beancount"):
        print("the sample village's seals do not hold before any edit", file=sys.stderr)
        return 1
    rng = random.Random(args.seed)
    cases = [("edit", k, rng.randrange(2**32)) for k in cycle(EDITS, args.edits)]
    cases += [("reformat", k, rng.randrange(2**32)) for k in cycle(REFORMATS, args.reformats)]
    rng.shuffle(cases)  # a campaign cut short has tried both
    results = []
    with Pool(args.jobs) as pool:
        for result in pool.imap_unordered(run_case, cases):
            results.append(result)
            if len(results) % 50 == 0:  # a long campaign shows where it stands
                wrong = sum(fired != (group == "edit") for group, _, fired in results)
                print(f"... {len(results)} of {len(cases)} cases, {wrong} wrong", flush=True)
    return report(results)


def cycle(kinds: dict[str, object], count: int) -> list[str]:
    names = list(kinds)
    return [names[i % len(names)] for i in range(count)]


def report(results: list[tuple[str, str, bool]]) -> int:
    tried: Counter[tuple[str, str]] = Counter()
    wrong: Counter[tuple[str, str]] = Counter()
    for group, kind, fired in results:
        tried[group, kind] += 1
        if fired != (group == "edit"):
            wrong[group, kind] += 1
    for group, label in (("edit", "missed"), ("reformat", "false alarms")):
        print(f"{group}s:")
        for (g, kind), count in sorted(tried.items()):
            if g == group:
                print(f"  {kind:40} {count:4}   {label}: {wrong[g, kind]}")
    edits = sum(c for (g, _), c in tried.items() if g == "edit")
    reformats = sum(c for (g, _), c in tried.items() if g == "reformat")
    misses = sum(c for (g, _), c in wrong.items() if g == "edit")
    alarms = sum(c for (g, _), c in wrong.items() if g == "reformat")
    print(f"edits {edits}, missed {misses}; reformattings {reformats}, false alarms {alarms}")
    return 1 if misses or alarms else 0


if __name__ == "__main__":
    sys.exit(main())
