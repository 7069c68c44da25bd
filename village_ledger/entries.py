"""Candidate entries: vouchers a command means to add to a village's books, as Beancount text,
judged together with the books before anything is written, then appended in one atomic write.

Every command that adds entries goes through here: `depreciate` and `close`
(`village_ledger.period_end`), `import-vouchers` (`village_ledger.voucher_sheet`) and the
dashboard's 录入凭证 form.

- `Entry` / `Posting`: an entry as the project writes it (`Entry.text()`); `flag="!"` for a
  draft the accountant is to complete (`import-bank`); `Assertion`: a `balance` directive.
- `next_voucher_numbers(model, month, count, taken)`: the month's next free 记账凭证 numbers.
- `target_file(model, period)`: the file the period's entries go to; `file_for(model, day)`:
  the file one entry goes to (its month's file where the books keep one per month).
- `check_candidate(model, entries, before)`: the books audited as they would be with the entries
  appended (`audit.audit_village` over the files' would-be bytes, nothing written): Beancount's
  errors and every rule. What it reports is what the entries bring: every finding on one of
  them, and each finding elsewhere in the books that was not there before (a balance assertion
  the entries break, a split payment they complete).
- `write_candidate(candidate)`: each target file replaced atomically
  (`writing.write_file`), refused if the file changed since it was read.
"""

from __future__ import annotations

import functools
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from village_ledger.columns import display_width
from village_ledger.findings import BEANCOUNT, Finding
from village_ledger.model import LedgerModel
from village_ledger.model.period import Period
from village_ledger.money import CURRENCY
from village_ledger.writing import WriteRefused, write_file

VOUCHER = re.compile(r"^(\d{4})-(\d{2})-(\d{3,})$")


@dataclass(frozen=True)
class Posting:
    account: str
    amount: Decimal
    meta: tuple[tuple[str, str], ...] = ()  # values as written: quoted strings, numbers


@dataclass(frozen=True)
class Entry:
    day: date
    payee: str
    narration: str
    meta: tuple[tuple[str, str], ...]  # values as written: quoted strings, numbers, TRUE
    postings: tuple[Posting, ...]
    flag: str = "*"

    def text(self) -> str:
        head = (
            f"{quoted(self.payee)} {quoted(self.narration)}"
            if self.payee
            else quoted(self.narration)
        )
        lines = [f"{self.day} {self.flag} {head}"]
        lines += [f"  {key}: {value}" for key, value in self.meta]
        width = max(display_width(p.account) for p in self.postings) + 4
        for p in self.postings:
            pad = " " * (width - display_width(p.account))
            lines.append(f"  {p.account}{pad}{p.amount:>14.2f} {CURRENCY}")
            lines += [f"    {key}: {value}" for key, value in p.meta]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Assertion:
    """A `balance` directive: the account's balance at the start of `day`."""

    day: date
    account: str
    amount: Decimal
    meta: tuple[tuple[str, str], ...] = ()  # values as written

    def text(self) -> str:
        lines = [f"{self.day} balance {self.account}  {self.amount:.2f} {CURRENCY}"]
        lines += [f"  {key}: {value}" for key, value in self.meta]
        return "\n".join(lines) + "\n"


def quoted(text: str) -> str:
    """A Beancount string holding `text`."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- voucher numbers ----


def next_voucher_numbers(
    model: LedgerModel, month: date, count: int, taken: Iterable[str] = ()
) -> list[str]:
    """The next `count` free 记账凭证 numbers of the month of `month`: after the highest the
    books, or `taken` (numbers about to be written), hold in that month."""
    prefix = f"{month.year:04d}-{month.month:02d}"
    numbers = [str(e.meta.get("voucher", "")) for e in model.vouchers]
    highest = 0
    for number in (*numbers, *taken):
        match = VOUCHER.match(number)
        if match and f"{match[1]}-{match[2]}" == prefix:
            highest = max(highest, int(match[3]))
    return [f"{prefix}-{highest + i:03d}" for i in range(1, count + 1)]


# ---- where entries go ----


def target_file(model: LedgerModel, period: Period) -> Path:
    """The file holding the period's last voucher in the village's folder; before the period
    has one, the year's file (`2026.beancount` beside main.beancount) when the books include
    it; else main.beancount."""
    latest = _last_voucher_file(model, period)
    if latest is not None:
        return latest
    year_file = Path(model.main_file).parent / f"{period.first.year}.beancount"
    included = {os.path.realpath(f) for f in model.options.get("include", [])}
    if os.path.realpath(year_file) in included:
        return year_file
    return Path(model.main_file)


def file_for(model: LedgerModel, day: date) -> Path:
    """The file an entry dated `day` goes to: the one holding its month's last voucher (books
    kept a file per month or per quarter get each entry where that month is), else the one
    holding the year's last voucher up to that day, else `target_file` of its year."""
    month = _last_voucher_file(model, Period.month(day.year, day.month))
    if month is not None:
        return month
    named = _month_named_file(model, day)
    if named is not None:
        return named
    earlier = _last_voucher_file(model, Period.span(date(day.year, 1, 1), day))
    return earlier if earlier is not None else target_file(model, Period.year(day.year))


def _month_named_file(model: LedgerModel, day: date) -> Path | None:
    """The one file of the village the books include whose name is the month of `day`
    (`2026-04.beancount`, `202604.beancount`, `2026年4月.beancount`), though it holds no voucher
    yet: where an accountant who keeps a file per month has made next month's."""
    forms = (
        f"{day.year}-{day.month:02d}",
        f"{day.year}{day.month:02d}",
        f"{day.year}年{day.month}月",
    )
    found = [
        Path(f)
        for f in model.options.get("include", [])
        if not model.is_township_file(f) and any(form in Path(f).name for form in forms)
    ]
    return found[0] if len(found) == 1 else None


def _last_voucher_file(model: LedgerModel, period: Period) -> Path | None:
    inside = [
        e
        for e in model.vouchers
        if period.contains(e.date) and not model.is_township_file(str(e.meta.get("filename", "")))
    ]
    if not inside:
        return None
    latest = max(inside, key=lambda e: (e.date, e.meta.get("lineno", 0)))
    return Path(str(latest.meta["filename"]))


@dataclass(frozen=True)
class Placed:
    """An entry and the lines it would take in the file it is appended to."""

    entry: Entry | Assertion
    file: Path
    first: int
    last: int

    def holds(self, finding: Finding) -> bool:
        return _same(finding.file, self.file) and self.first <= finding.line <= self.last


@dataclass
class Candidate:
    """Entries placed at the end of their files, and what the books would say with them."""

    placed: list[Placed]
    originals: dict[Path, bytes]
    contents: dict[Path, bytes]  # each file as it would be written
    findings: list[Finding] = field(default_factory=list)  # what the entries bring

    @property
    def refused(self) -> list[Finding]:
        """Open errors on the entries, and any new Beancount error: the entries are not written
        while there is one. A rule's new error elsewhere is shown, not refused: most come from
        the books reaching a later day (a rent now past its grace days, a month now due for
        depreciation), which no voucher of the accountant's can put right."""
        return [
            f
            for f in self.findings
            if f.fails and (f.rule == BEANCOUNT or any(p.holds(f) for p in self.placed))
        ]

    def on(self, placed: Placed) -> list[Finding]:
        return [f for f in self.findings if placed.holds(f)]

    @property
    def elsewhere(self) -> list[Finding]:
        return [f for f in self.findings if not any(p.holds(f) for p in self.placed)]

    @property
    def text(self) -> str:
        return "\n".join(p.entry.text() for p in self.placed)


def place(model: LedgerModel, entries: Sequence[Entry | Assertion]) -> Candidate:
    """Each entry appended to its year's file (`target_file`), in the order given; a blank line
    before the first and between entries."""
    by_file: dict[Path, list[Entry | Assertion]] = {}
    for entry in entries:
        target = file_for(model, entry.day)
        by_file.setdefault(target, []).append(entry)
    placed: list[Placed] = []
    originals: dict[Path, bytes] = {}
    contents: dict[Path, bytes] = {}
    for target, group in by_file.items():
        try:
            original = target.read_bytes()
        except OSError as exc:
            raise WriteRefused(f"无法读取 {target}：{exc.strerror or exc}") from None
        # a file saved on Windows (CRLF) keeps its line ends
        newline = b"\r\n" if b"\r\n" in original else b"\n"
        lead = b"" if not original or original.endswith(b"\n") else newline
        head = original + lead + newline
        line = head.count(b"\n") + 1
        texts = []
        for entry in group:
            text = entry.text()
            lines = text.count("\n")
            placed.append(Placed(entry, target, line, line + lines - 1))
            line += lines + 1
            texts.append(text)
        originals[target] = original
        contents[target] = head + "\n".join(texts).encode("utf-8").replace(b"\n", newline)
    return Candidate(placed, originals, contents)


def check_candidate(
    model: LedgerModel,
    entries: Sequence[Entry | Assertion],
    before: Sequence[Finding],
    as_of: date | None = None,
) -> Candidate:
    """The entries placed and judged with the books (every rule, Beancount's checks, the
    books' 整改 applied); `before` are the books' own findings, as `audit` gave them."""
    from village_ledger.audit import ALL, audit_village, combine
    from village_ledger.sealing import today

    candidate = place(model, entries)
    day = as_of or model.as_of or today()
    village = audit_village(
        model.main_file,
        ALL,
        day,
        keep_model=False,
        replaced={str(p): b for p, b in candidate.contents.items()},
    )
    after = combine([village], ALL, day).findings
    old = Counter(_key(f) for f in before)
    brought = []
    for finding in after:
        if any(p.holds(finding) for p in candidate.placed):
            brought.append(finding)
        elif old[_key(finding)] > 0:
            old[_key(finding)] -= 1
        else:
            brought.append(finding)
    candidate.findings = brought
    return candidate


def _key(finding: Finding) -> tuple[str, str, int, str, bool]:
    # entries are appended, so no line of the books moves
    return (
        finding.rule,
        _real(finding.file),
        finding.line,
        finding.message,
        finding.is_open,
    )


def _same(file: str, path: Path) -> bool:
    return bool(file) and _real(file) == _real(str(path))


@functools.lru_cache(maxsize=256)
def _real(path: str) -> str:
    """The file a path names; asked for each finding and entry, so remembered."""
    return os.path.realpath(path) if path else path


def write_candidate(candidate: Candidate) -> list[Path]:
    """Each file replaced by its new contents in one atomic write; refused (`WriteRefused`) if
    one changed since `place` read it. The files written."""
    written = []
    for target, content in candidate.contents.items():
        write_file(target, content, expected=candidate.originals[target])
        written.append(target)
    return written
