"""Careless and hostile edits of a township's ledgers, for the fuzz test and `bench/fuzz.py`.

Each mutation takes the text of one ledger file and a `Draw` (hypothesis's data in the test, a
seeded `random.Random` in the campaign) and returns the edited text (or bytes, when the edit
writes something that is not UTF-8). What every command must then do is the same: a report, a
finding, or a Chinese message with exit code 2 — never a traceback.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

T = TypeVar("T")


class Draw(Protocol):
    def integer(self, low: int, high: int) -> int:
        """A whole number from low to high, both included."""
        ...


class RandomDraw(random.Random):
    def integer(self, low: int, high: int) -> int:
        return self.randint(low, high)


def pick(draw: Draw, choices: Sequence[T]) -> T:
    return choices[draw.integer(0, len(choices) - 1)]


AMOUNT = re.compile(r"-?\d+\.\d{2}(?= CNY)")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}", re.M)
META_NUMBER = re.compile(r"^(\s+(?:guests|hosts|vouchers|total): ).*$", re.M)

ABSURD_AMOUNTS = (
    "1234567890123456789012345678901234567890.00",
    "999999999999.99",
    "1000000000000.00",
    "0.00",
    "-0.00",
    "0.000000001",
    "00000000000000000000000001.00",
    "1,000.00",
    "１２３.00",
    "1e5",
)
INCLUDES = (
    "",
    ".",
    "..",
    "../township",
    "/",
    "/dev/null",
    "/dev/zero",
    "missing.beancount",
    "main.beancount",
    "*.beancount",
    "../*/main.beancount",
    "**/*",
    "../township/policy.beancount",
    "2025.beancount",
)
NOISE = (
    '"',
    ";",
    "\\",
    "{",
    "\x00",
    "\ufeff",
    "\u202e",
    "é",
    "\t\t\t",
    '2025-13-45 * "x"',
    "  Assets:101-库存现金  1.00 CNY",
    'option "operating_currency" "USD"',
    'option "title" ""',
    'option "booking_method" "FIFO"',
    'plugin "no.such.module"',
    'plugin "village_ledger.plugins.all" "bogus"',
    'plugin "beancount.plugins.auto_accounts"',
    '2025-01-01 custom "任职" 1 2 3',
    '2025-01-01 custom "公开封存" "2025Q1" "sha256:00"',
    '2025-04-10 custom "公开封存" "9999Q9" "sha256:' + "0" * 64 + '"',
    '2025-01-01 custom "财务制度" "现金支付限额" -1.00 CNY',
    '2025-01-01 custom "财务制度" "招待费预警比例" 1E400',
    '2025-01-01 custom "会议决议" "" "" "" 0.00 CNY',
    "2025-01-01 open Assets:101-库存现金 CNY",
    "2025-01-01 close Assets:102-银行存款:10201-农商行",
    "2025-03-01 balance Assets:101-库存现金  -5.00 CNY",
    "2025-03-01 price CNY 1000000000000000000000 USD",
    '2025-03-01 * "" ""\n  Assets:101-库存现金  1.00 CNY\n  Income:501-经营收入  -1.00 CNY',
    "pushtag #x",
    "poptag #never-pushed",
    "  guests: 100000000000000000000000000000000",
    '  voucher: "2025-99-999"',
    '2025-05-05 event "监督电话" ""',
    '2025-05-05 document Assets:101-库存现金 "/etc/passwd"',
)
DATES = ("0001-01-01", "9999-12-31", "2025-02-29", "2024-02-29", "1970-01-01", "2025-00-10")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def absurd_amount(text: str, draw: Draw) -> str:
    spots = list(AMOUNT.finditer(text))
    if not spots:
        return text
    spot = pick(draw, spots)
    return text[: spot.start()] + pick(draw, ABSURD_AMOUNTS) + text[spot.end() :]


def odd_include(text: str, draw: Draw) -> str:
    lines = _lines(text)
    lines.insert(draw.integer(0, len(lines)), f'include "{pick(draw, INCLUDES)}"')
    return "\n".join(lines)


def delete_line(text: str, draw: Draw) -> str:
    lines = _lines(text)
    del lines[draw.integer(0, len(lines) - 1)]
    return "\n".join(lines)


def duplicate_line(text: str, draw: Draw) -> str:
    lines = _lines(text)
    where = draw.integer(0, len(lines) - 1)
    lines.insert(draw.integer(0, len(lines)), lines[where])
    return "\n".join(lines)


def noise(text: str, draw: Draw) -> str:
    where = draw.integer(0, len(text))
    glue = pick(draw, ("", "\n"))
    return text[:where] + glue + pick(draw, NOISE) + glue + text[where:]


def truncate(text: str, draw: Draw) -> str:
    return text[: draw.integer(0, len(text))]


def empty(text: str, draw: Draw) -> str:
    return ""


def odd_date(text: str, draw: Draw) -> str:
    spots = list(DATE.finditer(text))
    if not spots:
        return text
    spot = pick(draw, spots)
    return text[: spot.start()] + pick(draw, DATES) + text[spot.end() :]


def odd_metadata(text: str, draw: Draw) -> str:
    spots = list(META_NUMBER.finditer(text))
    if not spots:
        return noise(text, draw)
    spot = pick(draw, spots)
    value = pick(draw, ("-1", "1" * 40, '""', "0.5", "TRUE", "2025-01-01", "NULL"))
    return text[: spot.start()] + spot.group(1) + value + text[spot.end() :]


def not_utf8(text: str, draw: Draw) -> bytes:
    data = text.encode("utf-8")
    where = draw.integer(0, len(data))
    return data[:where] + pick(draw, (b"\xff\xfe", b"\xc3", "村".encode("gbk"))) + data[where:]


Mutation = Callable[[str, Draw], str | bytes]
MUTATIONS: tuple[Mutation, ...] = (
    absurd_amount,
    odd_include,
    delete_line,
    duplicate_line,
    noise,
    truncate,
    empty,
    odd_date,
    odd_metadata,
    not_utf8,
)


@dataclass
class Edit:
    file: str  # relative to the township folder
    mutation: str


def mutate_township(root: Path, draw: Draw, edits: int) -> list[Edit]:
    """Apply `edits` random mutations to random ledger files below `root`, in place."""
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.beancount"))
    done = []
    for _ in range(edits):
        name = pick(draw, files)
        mutation = pick(draw, MUTATIONS)
        path = root / name
        text = path.read_bytes().decode("utf-8", errors="replace")
        result = mutation(text, draw)
        if isinstance(result, bytes):
            path.write_bytes(result)
        else:
            path.write_text(result, encoding="utf-8")
        done.append(Edit(name, mutation.__name__))
    return done


def copy_township(
    source: Path, target: Path, villages: Sequence[str], keep: int | None = None
) -> Path:
    """The township's files and the named villages of `source`, copied below `target`; with
    `keep`, each year's file of a village is cut after about `keep` lines (at an empty line), so
    a test runs on a small ledger of the same shape."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("township", *villages):
        shutil.copytree(source / name, target / name)
    if keep is not None:
        for village in villages:
            for year in (target / village).glob("20*.beancount"):
                year.write_text(_cut(year.read_text(encoding="utf-8"), keep), encoding="utf-8")
    return target


def _cut(text: str, keep: int) -> str:
    lines = _lines(text)
    end = keep
    while end < len(lines) and lines[end].strip():
        end += 1
    return "\n".join(lines[:end]) + "\n"
