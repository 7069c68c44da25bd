"""The public copy of a township's ledger files: every entry parsed, masked and printed again.

`village-ledger serve` gives Fava these copies, never the originals. Each original file is
parsed by Beancount's own parser (no plugins, as written); every entry is masked field by
field with the report layer's `Masker` and printed by Beancount's printer. Working on parsed
entries rather than on the text is what makes masking a guarantee:

- nothing is missed for being written in an unexpected place: payee, narration, every
  metadata key and value (of entries and postings), tags, links, account names, notes,
  events, queries and custom directives are each one field, masked as what they are;
- nothing is broken: a masked tag or link is still a valid one (`#tel139XXXX0010`), a masked
  account is still a valid and distinct account (`5140101-张某某`, `-2` added where two would
  become one), a value whose masking leaves a string is printed as a string;
- what is not an entry does not reach the copy: comments, org-mode headings and any stray
  quote among them are dropped with the text, so no parsing trick of the original carries
  over (a lone `"` in a comment once made the next voucher vanish from a text-level copy);
- no file name or path reaches the copy: files are renamed `main.beancount`, `1.beancount`,
  ... (an include named after a person with an identity number shows neither), includes point
  at those names, `document` directives and the `documents` option are left out (an attached
  scan is never public, and the documents view is refused anyway).

Options and plugin lines are read with Beancount's lexer and written again (the
village-ledger plugin, Fava extensions and Fava's language and default page are left out:
`serve` runs the rules on the originals and enables its own extension). The caller checks
the result with `vouchers`: the copy must hold exactly the original's transactions, the same
number with the same amounts on each (renamed) account.
"""

from __future__ import annotations

import glob
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import account, data
from beancount.parser import lexer, parser, printer

from village_ledger.reports.masking import STAR, Masker, mask_numbers

# what the copy must not carry over from the original's header and directives
OUR_PLUGIN = "village_ledger"
FAVA_OPTIONS_SET_BY_SERVE = frozenset({"language", "default-page"})
LEFT_OUT_OPTIONS = frozenset({"documents"})
# kept as written: a seal digest is a hash (it must still match), the supervision phone is
# printed on every sheet for villagers to call
SEAL = "公开封存"
SUPERVISION = "监督电话"
# an account name cannot hold `*`: a hidden digit is X, a hidden given name 某
ACCOUNT_DIGIT, ACCOUNT_NAME = "X", "某"
# tags and links hold letters, digits and - _ / . only
SYMBOL_STAR = "X"
META_KEY_STAR = "x"


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


@dataclass
class CopiedFile:
    """One original file as printed in the copy, and where each of its entries went."""

    text: str
    lines: dict[int, int] = field(default_factory=dict)  # original line -> line in the copy


class PublicCopier:
    """Masks the files of one or more villages into their public copies.

    `names` maps each original file to its copy's path; every include that names a file of
    `names` points at that file's copy, relative to the including copy.
    """

    def __init__(self, masker: Masker, names: Mapping[Path, Path]) -> None:
        self.masker = masker
        self.names = dict(names)
        self.parsed = {path: parser.parse_file(str(path)) for path in self.names}
        self.accounts = self._account_names()

    # --- accounts ---------------------------------------------------------------------------

    def _account_names(self) -> dict[str, str]:
        """Original account -> the copy's, one to one: an account whose masked name another
        account already has gets `-2`, `-3`, ... on its last component."""
        found: set[str] = set()
        for entries, _, _ in self.parsed.values():
            for entry in entries:
                found.update(accounts_of(entry))
        public: dict[str, str] = {}
        taken: set[str] = set()
        masked = {name: self.account_form(name) for name in sorted(found)}
        for name in sorted(found, key=lambda n: (masked[n] != n, n)):  # unmasked names first
            candidate, number = masked[name], 1
            while candidate in taken:
                number += 1
                candidate = f"{masked[name]}-{number}"
            public[name] = candidate
            taken.add(candidate)
        return public

    def account_form(self, name: str) -> str:
        masked = mask_numbers(name).replace(STAR, ACCOUNT_DIGIT)
        return self.masker.hide_names(masked, star=ACCOUNT_NAME)

    def account(self, name: str) -> str:
        return self.accounts.get(name, name)

    # --- one file -----------------------------------------------------------------------------

    def copy(self, path: Path) -> CopiedFile:
        entries, _, options = self.parsed[path]
        header = self.header(path, options)
        out = CopiedFile("")
        chunks = [header]
        line = header.count("\n") + 1
        for entry in entries:
            public = self.entry(entry)
            if public is None:
                continue
            text = printer.format_entry(public) + "\n"
            lineno = (entry.meta or {}).get("lineno")
            if isinstance(lineno, int):
                out.lines[lineno] = line
            chunks.append(text)
            line += text.count("\n")
        out.text = "".join(chunks)
        return out

    def header(self, path: Path, options: dict[str, Any]) -> str:
        lines = [
            f'option "{escape(k)}" "{escape(self.masker.text(v))}"' for k, v in options_of(path)
        ]
        for name, config in options.get("plugin", []):
            if name.split(".")[0] != OUR_PLUGIN:
                config_text = f' "{escape(self.masker.text(config))}"' if config is not None else ""
                lines.append(f'plugin "{escape(name)}"{config_text}')
        here = self.names[path].parent
        for target in included(path, options.get("include", [])):
            if target in self.names:
                lines.append(f'include "{escape(os.path.relpath(self.names[target], here))}"')
        return "\n".join(lines) + "\n\n"

    # --- one entry ----------------------------------------------------------------------------

    def entry(self, entry: data.Directive) -> data.Directive | None:
        if isinstance(entry, data.Document):
            return None
        if isinstance(entry, data.Custom) and not self.keep_custom(entry):
            return None
        if isinstance(entry, data.Custom) and entry.type == SEAL:
            return entry._replace(meta=self.meta(entry.meta))
        if isinstance(entry, data.Event) and entry.type == SUPERVISION:
            return entry._replace(
                meta=self.meta(entry.meta),
                type=escape(entry.type),
                description=escape(entry.description),
            )
        changes: dict[str, Any] = {"meta": self.meta(entry.meta)}
        for name in ("account", "source_account"):
            if hasattr(entry, name):
                changes[name] = self.account(getattr(entry, name))
        for name in ("payee", "narration"):  # the printer escapes these itself
            value = getattr(entry, name, None)
            if isinstance(value, str):
                changes[name] = self.masker.text(value)
        for name in ("comment", "description", "query_string", "name", "type"):
            value = getattr(entry, name, None)
            if isinstance(value, str):  # printed as they are: escaped here
                changes[name] = escape(self.masker.text(value))
        for name in ("tags", "links"):
            value = getattr(entry, name, None)
            if value:
                changes[name] = frozenset(self.symbol(v) for v in value)
        if isinstance(entry, data.Transaction):
            changes["postings"] = [self.posting(p) for p in entry.postings]
        if isinstance(entry, data.Custom):
            changes["values"] = [self.custom_value(v) for v in entry.values]
        return entry._replace(**changes)

    @staticmethod
    def keep_custom(entry: data.Custom) -> bool:
        """Fava's extension lines and the options serve sets itself are left out."""
        if entry.type == "fava-extension":
            return False
        if entry.type == "fava-option" and entry.values:
            return str(entry.values[0].value) not in FAVA_OPTIONS_SET_BY_SERVE
        return True

    def posting(self, posting: data.Posting) -> data.Posting:
        public = posting._replace(
            account=self.account(posting.account), meta=self.meta(posting.meta)
        )
        label = getattr(posting.cost, "label", None)
        if isinstance(label, str) and posting.cost is not None:  # a lot's label: printed as is
            public = public._replace(
                cost=posting.cost._replace(label=escape(self.masker.text(label)))
            )
        return public

    def symbol(self, value: str) -> str:
        """A tag or link, masked and still valid."""
        return self.masker.text(value).replace(STAR, SYMBOL_STAR)

    def meta(self, meta: dict[str, Any] | None) -> dict[str, Any]:
        public: dict[str, Any] = {}
        for key, value in (meta or {}).items():
            if key in ("filename", "lineno"):
                public[key] = value
                continue
            public[mask_numbers(key).replace(STAR, META_KEY_STAR)] = self.value(value)
        return public

    def value(self, value: Any) -> Any:
        """A metadata value: text masked; a number or account that masking changes."""
        if isinstance(value, str):
            if value in self.accounts:
                return self.account(value)
            return self.masker.text(value)
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            masked = mask_numbers(str(value))
            return value if masked == str(value) else masked
        return value

    def custom_value(self, value: Any) -> Any:
        if value.dtype == account.TYPE:
            return value._replace(value=self.account(value.value))
        if isinstance(value.value, str):
            return value._replace(value=escape(self.masker.text(value.value)))
        masked = self.value(value.value)
        if isinstance(masked, str):
            return value._replace(value=escape(masked), dtype=str)
        return value


def accounts_of(entry: data.Directive) -> Iterable[str]:
    for name in ("account", "source_account"):
        value = getattr(entry, name, None)
        if isinstance(value, str):
            yield value
    if isinstance(entry, data.Transaction):
        yield from (p.account for p in entry.postings)
    if isinstance(entry, data.Custom):
        yield from (v.value for v in entry.values if v.dtype == account.TYPE)


def options_of(path: Path) -> list[tuple[str, str]]:
    """The `option` lines of a file, read with Beancount's lexer, less those never public."""
    # Beancount's lexer has no annotations
    tokens = lexer.lex_iter_string(read_text(path))  # type: ignore[no-untyped-call]
    found: list[tuple[str, str]] = []
    pending: list[str] | None = None
    for kind, _, _, value in tokens:
        if kind == "OPTION":
            pending = []
        elif pending is not None and kind == "STRING":
            pending.append(value)
        elif pending is not None:
            if len(pending) == 2 and pending[0] not in LEFT_OUT_OPTIONS:
                found.append((pending[0], pending[1]))
            pending = None
    if pending is not None and len(pending) == 2 and pending[0] not in LEFT_OUT_OPTIONS:
        found.append((pending[0], pending[1]))
    return found


def included(path: Path, includes: Iterable[str]) -> list[Path]:
    """The files an include line names, as Beancount's loader finds them (globs too)."""
    found: list[Path] = []
    for name in includes:
        pattern = name if os.path.isabs(name) else os.path.join(path.parent, name)
        for match in sorted(glob.glob(pattern, recursive=True)):
            resolved = Path(match).resolve()
            if resolved not in found:
                found.append(resolved)
    return found


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        return handle.read()


# --- the check: the copy holds exactly the original's vouchers ------------------------------


@dataclass(frozen=True)
class Vouchers:
    """What a ledger's transactions amount to: how many, and the sum on each account."""

    count: int
    sums: Counter[tuple[str, str]]

    def renamed(self, accounts: Mapping[str, str]) -> Vouchers:
        sums: Counter[tuple[str, str]] = Counter()
        for (name, currency), number in self.sums.items():
            sums[(accounts.get(name, name), currency)] += number
        return Vouchers(self.count, sums)


def vouchers(entries: Iterable[data.Directive]) -> Vouchers:
    count = 0
    sums: Counter[tuple[str, str]] = Counter()
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        count += 1
        for posting in entry.postings:
            units = posting.units
            if units is not None and isinstance(units.number, Decimal):
                # Counter adds Decimals as it adds ints; typeshed types its counts as int
                sums[(posting.account, units.currency)] += units.number  # type: ignore[assignment]
    return Vouchers(count, Counter({k: v for k, v in sums.items() if v}))
