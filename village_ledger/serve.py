"""`village-ledger serve`: Fava for villagers, on masked public copies of the ledgers.

What is served (docs/dashboard.md has the whole story):

- **Public copies.** Every file a village loads (its own and the township's) is parsed,
  masked entry by entry and printed again (`village_ledger.public_copy`) into a private
  temporary folder (mode 0700); Fava reads only those copies, in read-only mode. The originals
  are only ever opened for reading. Masking is the report layer's (`reports.masking.Masker`):
  identity, phone and card numbers however written, and every relief (救助) recipient and every
  contract counterparty who is a person of every served village, wherever they appear. The copies carry no original file name or path, no
  comment and no document; each copy is loaded again and must hold exactly its original's
  vouchers (`PublicCopyError` otherwise). Left as they are: seal digests (a hash, no person in
  it) and the 监督电话 event (printed on every sheet for villagers to call).
- **Findings from the originals.** Masking changes payees and narrations, so the copy would no
  longer match a sealed quarter's digest and the rules would report problems that exist only in
  the copy. The rules therefore run on the originals (all families, as `village-ledger check`);
  their findings, masked, and each seal's state go to a JSON sidecar for the extension
  (`village_ledger.fava.audit`), each finding's file and line those of the same entry in the
  copy, and the village-ledger plugin lines are dropped from the copies.
- **Following changes.** Before a request, at most once per `check_interval` seconds, the files
  and folders of the originals are checked (size and modification time); a village that changed
  is loaded and checked again and its copies rewritten, so Fava reloads them.
- **A closed surface.** Only reading pages and APIs are routed (`ALLOWED`); everything else —
  the editor, source and context views, queries, import, upload, documents, every write — answers
  403. Links and buttons to them are hidden by a style sheet (and a three-line script that
  turns the journal's links to the context view into plain dates) that the server writes into
  the head of each Fava page (`GUARD_STYLE`), so they are hidden from the first paint.

- **Hostile requests.** Filters are plain searches, never regular expressions
  (`LiteralMatch`), parameters are short (`LONGEST_PARAMETER`), bad ones answer 400 in Chinese,
  `/jump` and every redirect stay on this host whatever the Host header says, HEAD answers as
  GET, paths are short (`LONGEST_PATH`), several threads answer and slow clients hold no
  thread (waitress, `make_server`); SIGTERM stops promptly and removes the temporary folder,
  and a folder a SIGKILLed server left is removed at the next start.

`--private` serves the originals themselves, unmasked, with the same closed surface but for one
thing: each village is opened through a small wrapper file in the temporary folder that
includes the original main file and enables the extension, which then offers the 录入凭证 form
(`village_ledger.fava.entry`): its page, script and two POST endpoints are the only writing
routes, and only there (`allowed`). Fava's own editor and forms stay refused.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from village_ledger.audit import ALL, VillageAudit, audit_village, combine
from village_ledger.fava.audit import Audit, seal_states, write_sidecar
from village_ledger.findings import Finding
from village_ledger.loading import load_ledger
from village_ledger.model import Quarter, village_of, vocab
from village_ledger.public_copy import PublicCopier, Vouchers, escape, vouchers
from village_ledger.reports.masking import Masker, officers, private_names
from village_ledger.sealing import today
from village_ledger.verification import VERIFY

EXTENSION = "village_ledger.fava"
DEFAULT_PAGE = "extension/VillageDisclosure/"
VILLAGES, SHARED = "villages", "shared"

# --- the audit of the originals -----------------------------------------------------------


@dataclass
class Original:
    """One village as its accountant keeps it, and what was last read of it."""

    main: Path
    village: str
    files: list[Path] = field(default_factory=list)
    watched: dict[Path, tuple[int, int]] = field(default_factory=dict)
    result: VillageAudit | None = None  # its audit, without the ledger and model
    names: frozenset[str] = frozenset()
    officers: frozenset[str] = frozenset()  # the roster's: their names are public
    vouchers: Vouchers | None = None
    title: str = ""
    audit: Audit | None = None
    first_day: date = date(2000, 1, 1)

    def read(self) -> None:
        """Load and audit the original (`village_ledger.audit`), as `village-ledger check` does;
        what the copies need is read from the same load."""
        result = audit_village(self.main)
        loaded, model = result.ledger, result.model
        assert loaded is not None
        if model is None:
            crash = next((f.message for f in result.findings if f.rule == "VL900"), "")
            raise PublicCopyError(f"{self.main}：无法读取账簿：{crash}")
        # without the books: only the findings and summaries are kept
        self.result = VillageAudit(
            result.village,
            result.main_file,
            result.title,
            result.findings,
            result.summaries,
            result.rectifications,
        )
        self.names = private_names(model)
        self.officers = officers(model)
        self.vouchers = vouchers(loaded.entries)
        self.title = str(loaded.options.get("title") or "")
        self.files = sorted({Path(p).resolve() for p in loaded.options["include"]} | {self.main})
        self.watched = signatures(self.files)
        self.first_day = min((e.date for e in loaded.entries), default=self.first_day)
        self.audit = Audit(str(self.main), [], seal_states(model))

    def changed(self) -> bool:
        return signatures(self.files) != self.watched


def signatures(files: Iterable[Path]) -> dict[Path, tuple[int, int]]:
    """Size and modification time of each file and of the folders holding them (a file added
    to a folder an `include` glob reads changes the folder)."""
    paths = set(files) | {f.parent for f in files}
    found = {}
    for path in sorted(paths):
        try:
            stat = path.stat()
            found[path] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            found[path] = (-1, -1)
    return found


# Fava's balance sheet carries the result not yet closed into equity on accounts Beancount
# names itself (`Equity:Earnings:Current`). On the public server they get Chinese names; Beancount
# takes a non-Latin name only after a digit, as the chart's own (`321-本年收益`), and the villagers'
# pages show an account without its code.
EARNINGS_ACCOUNTS = {
    "account_current_earnings": "399-本期未结转收益",
    "account_previous_earnings": "398-以前期间未结转收益",
    "account_previous_balances": "397-期初余额",
    "account_current_conversions": "396-本期折算差额",
    "account_previous_conversions": "395-以前期间折算差额",
}


def extension_lines(
    day: date,
    sidecar: Path,
    with_extension: bool = True,
    public: bool = True,
    entry: Path | None = None,
) -> list[str]:
    """Fava's options and the extension, appended to each served main file.

    Income, liabilities and equity are shown with their signs inverted, so that income and
    收益 read as on the printed sheet (Fava's 净利润 of a loss is negative, as the sheet's 收益
    is). The public server leaves out the metadata chips (two Latin letters of each key) and
    tells the extension that its readers are villagers (`public`). With `entry` (the original
    main file, `--private` only) the extension offers its 录入凭证 form."""
    settings: dict[str, Any] = {"audit": str(sidecar), "public": public}
    if entry is not None:
        settings["entry"] = str(entry)
    config = repr(settings).replace("\\", "\\\\").replace('"', '\\"')
    options = {
        "language": "zh",
        "locale": "zh_CN",  # amounts grouped by thousands (243,873.25), as the printed sheet
        "default-page": DEFAULT_PAGE,
        "invert-income-liabilities-equity": "true",
    }
    if public:
        options["show-metadata-indicators"] = "false"
    lines = ["; --- added by village-ledger serve ---"]
    if public:
        lines += [f'option "{key}" "{name}"' for key, name in EARNINGS_ACCOUNTS.items()]
    lines += [f'{day} custom "fava-option" "{key}" "{value}"' for key, value in options.items()]
    if with_extension:
        lines.append(f'{day} custom "fava-extension" "{EXTENSION}" "{config}"')
    return lines


# --- the copies ---------------------------------------------------------------------------


def neighbours_relief_names(mains: Sequence[Path]) -> frozenset[str]:
    """Relief recipients of the township's villages that are not served: serving one village
    of a township hides the others' recipients too, as its 财务公开 does. Read once at start
    (the served villages' own names follow their edits; a neighbour's new recipient needs a
    restart of the server)."""
    from village_ledger.reports.disclosure import township_relief_names

    names: set[str] = set()
    for main in mains:
        names |= township_relief_names(main, besides=mains)
    return frozenset(names)


class Publisher:
    """The served ledgers in a private temporary folder, kept in step with the originals."""

    def __init__(
        self, mains: Sequence[Path], *, private: bool = False, check_interval: float = 1.0
    ):
        self.private = private
        self.check_interval = check_interval
        self.originals = [Original(Path(m).resolve(), village_of(m)) for m in mains]
        remove_stale_folders()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        os.chmod(self.folder, 0o700)
        self.books = self.folder / ("private" if private else "books")
        self.audits = self.folder / "audit"
        for folder in (self.books, self.audits):
            folder.mkdir(mode=0o700)
        self.copies: dict[Path, Path] = {}  # original file -> its public copy
        self.lines: dict[Path, list[tuple[int, int]]] = {}  # entry lines: original, copy
        self.accounts: dict[str, str] = {}  # original account -> the copy's
        self._lock = threading.Lock()
        self._checked = 0.0
        for original in self.originals:
            original.read()
        self.neighbours = neighbours_relief_names([o.main for o in self.originals])
        self._publish()

    @property
    def served(self) -> list[Path]:
        """The main files Fava is given, one per village, in the order of the command line."""
        return [self.served_main(o) for o in self.originals]

    def served_main(self, original: Original) -> Path:
        if self.private:
            return self.books / original.village / "main.beancount"
        return self.books / VILLAGES / original.village / "main.beancount"

    def sidecar(self, original: Original) -> Path:
        return self.audits / f"{original.village}.json"

    def refresh(self, force: bool = False) -> bool:
        """Re-read the villages whose files changed; True when something was republished."""
        with self._lock:
            now = time.monotonic()
            if not force and now - self._checked < self.check_interval:
                return False
            self._checked = now
            stale = [o for o in self.originals if o.changed()]
            for original in stale:
                original.read()
            if stale:
                try:
                    self._publish()
                except PublicCopyError as exc:
                    # the villages concerned are withdrawn; the others are served as they are
                    print(exc, file=sys.stderr)
            return bool(stale)

    def _publish(self) -> None:
        try:
            if self.private:
                for original in self.originals:
                    self._write_wrapper(original)
            else:
                self._write_copies()
        finally:
            self._write_audits()

    def _write_audits(self) -> None:
        run = combine([o.result for o in self.originals if o.result is not None], ALL, today())
        masker = self.masker()
        for original in self.originals:
            assert original.audit is not None
            findings = run.village(original.village).findings
            audit = Audit(
                ledger=str(original.main if self.private else self.served_main(original)),
                findings=[self._served_finding(f, masker) for f in findings],
                seals=original.audit.seals,
            )
            write_sidecar(self.sidecar(original), audit, original.village)

    def masker(self) -> Masker:
        """One masker for every file: a relief recipient of one village stays hidden where
        another village's books (or the township's) mention them."""
        hidden = self.neighbours.union(*(o.names for o in self.originals))
        return Masker(hidden, frozenset().union(*(o.officers for o in self.originals)))

    def _served_finding(self, finding: Finding, masker: Masker) -> Finding:
        """A finding as the copy has it: its file and line those of the same entry in the copy
        (the served ledger's own), its message masked and without the originals' paths."""
        if self.private:
            return finding._replace(message=masker.text(finding.message))
        file, line, message = finding.file, finding.line, finding.message
        for original, copy in self.copies.items():
            message = message.replace(str(original), copy.name)
        if file and not file.startswith("<"):
            path = Path(file).resolve()
            copied = self.copies.get(path)
            file = str(copied) if copied else ""
            line = copy_line(self.lines.get(path, []), line) if copied else 0
        return finding._replace(file=file, line=line, message=masker.text(message))

    def _write_copies(self) -> None:
        self.copies = copy_names(self.originals, self.books)
        copier = PublicCopier(self.masker(), self.copies)
        self.accounts = copier.accounts
        mains = {o.main: o for o in self.originals}
        for path, target in self.copies.items():
            copied = copier.copy(path)
            text = copied.text
            if path in mains:
                original = mains[path]
                lines = extension_lines(original.first_day, self.sidecar(original))
                text += "\n".join(lines) + "\n"
            self.lines[path] = sorted(copied.lines.items())
            write_if_changed(target, text)
        broken = [o for o in self.originals if not self._copy_holds_the_vouchers(o)]
        for original in broken:
            self._withdraw(original)
        if broken:
            raise PublicCopyError(
                "；".join(f"{o.main}：公开副本与原账簿的凭证不一致" for o in broken)
                + "。为免公开错误的数字，这些村暂不发布；请将账簿报告给 village-ledger 的维护者。"
            )

    def _copy_holds_the_vouchers(self, original: Original) -> bool:
        """The copy must hold exactly the original's vouchers: never serve one that does not."""
        copy = load_ledger(self.served_main(original))
        assert original.vouchers is not None
        return vouchers(copy.entries) == original.vouchers.renamed(self.accounts)

    def _withdraw(self, original: Original) -> None:
        """A copy that failed the check is replaced by an empty ledger of the same title."""
        title = escape(original.title or original.village)
        lines = [
            f'option "title" "{title}"',
            *extension_lines(original.first_day, self.sidecar(original)),
        ]
        write_if_changed(self.served_main(original), "\n".join(lines) + "\n")

    def _write_wrapper(self, original: Original) -> None:
        title = ""
        for match in re.finditer(r'^option\s+"title"[^\n]*', read_text(original.main), re.M):
            title = match.group(0)
        enabled = any(
            re.search(rf'custom\s+"fava-extension"\s+"{re.escape(EXTENSION)}"', read_text(f))
            for f in original.files
        )
        lines = [
            "; village-ledger serve --private: the village's own books, read-only",
            title,
            f'include "{original.main}"',
            *extension_lines(
                original.first_day,
                self.sidecar(original),
                not enabled,
                public=False,
                entry=original.main,
            ),
        ]
        target = self.served_main(original)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_if_changed(target, "\n".join(lines) + "\n")

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class PublicCopyError(Exception):
    """A public copy that would not show the original's vouchers; the message is for the user."""


def copy_names(originals: Sequence[Original], books: Path) -> dict[Path, Path]:
    """Where each original file's copy goes: `villages/<village>/main.beancount` and numbered
    files beside it for the files of the village's folder, `shared/<n>.beancount` for the
    others (the township's). No original name or path is carried over."""
    names: dict[Path, Path] = {}
    for original in originals:
        names[original.main] = books / VILLAGES / original.village / "main.beancount"
    counts: dict[Path, int] = {}
    for original in originals:
        for path in sorted(original.files):
            if path in names:
                continue
            owner = next((o for o in originals if path.is_relative_to(o.main.parent)), None)
            folder = books / VILLAGES / owner.village if owner else books / SHARED
            counts[folder] = counts.get(folder, 0) + 1
            names[path] = folder / f"{counts[folder]}.beancount"
    return names


def copy_line(lines: list[tuple[int, int]], line: int) -> int:
    """The line in the copy of the entry an original line belongs to (the last entry that
    starts at or before it)."""
    index = bisect.bisect_right(lines, (line, sys.maxsize)) - 1
    return lines[index][1] if index >= 0 else 1


FOLDER_PREFIX = "village-ledger-serve-"
_OWNED_FOLDER = re.compile(re.escape(FOLDER_PREFIX) + r"(\d+)-")


def remove_stale_folders(parent: Path | None = None) -> list[Path]:
    """Remove the temporary folders of this user's servers that are no longer running.

    A server stopped by SIGKILL (or a power cut) cannot remove its own folder; its process id
    is in the folder's name, so the next server to start removes it."""
    parent = Path(parent or tempfile.gettempdir())
    removed = []
    for folder in parent.glob(FOLDER_PREFIX + "*"):
        match = _OWNED_FOLDER.match(folder.name)
        with contextlib.suppress(OSError):
            if match and folder.stat().st_uid == os.getuid() and not _alive(int(match[1])):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, and not ours to judge
        return True
    return True


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()


def write_if_changed(path: Path, text: str) -> None:
    """Write a copy in one step, and only when it changed, so Fava reloads only what changed."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        if path.read_text(encoding="utf-8") == text:
            return
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".copy-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


# --- the Fava application -----------------------------------------------------------------

# Fava's reading pages and the APIs they call; everything else is refused.
PAGES = frozenset(
    {"income_statement", "balance_sheet", "trial_balance", "journal", "events", "errors"}
)
# Beancount's error list is English and adds nothing for villagers: the 审计发现 page reports the
# same problems (rule BEANCOUNT) in Chinese. The public copies are loaded without errors anyway.
PUBLIC_PAGES = PAGES - {"errors"}
APIS = frozenset(
    {
        "get_changed",
        "get_errors",
        "get_journal",
        "get_journal_page",
        "get_events",
        "get_income_statement",
        "get_balance_sheet",
        "get_trial_balance",
        "get_account_report",
    }
)
ENDPOINTS = frozenset({"static", "index", "account", "jump", "verify"})
EXTENSION_PAGES = frozenset(
    {
        "VillageDisclosure",
        "VillageEntertainment",
        "VillageExpenditure",
        "VillageFindings",
        "VillageVerify",
        "VillageContracts",
    }
)
REFUSED = "村账公开服务只提供查阅，不提供此功能。"

# Hides, from the first paint, every link and button that leads to a refused route, and every
# dialog (entry form, context and source view, export, upload: all lead to refused routes).
GUARD_STYLE = """<style id="village-ledger-guard">
aside li:has(> a[href$="/editor/"]), aside li:has(> a[href$="/import/"]),
aside li:has(> a[href*="/query/"]), aside li:has(> a[href$="/options/"]),
aside li:has(> a[href*="/help/"]), aside li:has(> a[href$="/holdings/"]),
aside li:has(> a[href$="/commodities/"]), aside li:has(> a[href$="/documents/"]),
aside li:has(> a[href$="/statistics/"]),
a[href$="/editor/"], a[href*="/editor/?"], a[href$="/import/"], a[href*="/query/"],
a[href*="download-query"], a[href*="download-journal"], a[href*="/document/"],
a[href*="/statement/"], a[href="#add-transaction"], a[href="#export"], .add-transaction,
.aside-buttons .button, a.filename, dialog,
html.vl-no-filter header .flex-row:has(input[data-key^="f "])
{ display: none !important; }
</style>
<script id="village-ledger-guard-script">
new MutationObserver(() => {
  // the journal's dates link to the entry's context and source view: make them plain text
  for (const a of document.querySelectorAll('a[href^="#context-"]')) a.removeAttribute("href");
  // the village pages ignore Fava's time, account and filter fields: none where they do nothing
  const page = location.pathname.includes("/extension/");
  document.documentElement.classList.toggle("vl-no-filter", page);
}).observe(document.documentElement, { childList: true, subtree: true });
</script>"""

# On the public server, Fava's own pages speak to villagers (village_ledger/fava/villagers.js):
# accounts by their Chinese names, metadata keys, the journal's entry types and the charts' months
# in Chinese. Fava's labels left untranslated, by where they appear:
JOURNAL_TYPES = {
    "balance": "余额",
    "custom": "记录",
    "pad": "补差",
    "note": "备注",
    "open": "开户",
    "close": "销户",
    "event": "事件",
    "price": "价格",
}
FAVA_WORDS = {
    "Open": "开户",
    "Close": "销户",
    "Transaction": "凭证",
    "x": "其他",
    "Balance": "余额核对",
    "Note": "备注",
    "Pad": "补差",
    "Custom": "其他记录",
    "F": "类型",
    "from": "来自",
    "accumulated": "实际累计",
    "True": "是",
    "False": "否",
    "(Last entry:": "（最近一笔：",
}
# What a villager has no use for: the journal's rows of serve's own Fava settings, its toggles
# for documents (never published), queries (refused) and budgets, and the link to Beancount's
# error list (its messages are English; the 审计发现 page reports the same problems in Chinese).
VILLAGER_STYLE = """<style id="village-ledger-plain-style">
.journal li.custom.fava-option, .journal li.custom.fava-extension,
article form button[data-key="s d"], article form button[data-key="d d"],
article form button[data-key="d l"], article form button[data-key="s q"],
article form button[data-key="s B"], aside a[href$="/errors/"]
{ display: none !important; }
</style>"""


# Fava's own pages at a phone's width: side-by-side tree tables stacked, each fitting the screen
# (or scrolling inside its block), a journal row's amounts given the room they need.
PHONE_STYLE = """<style id="village-ledger-phone">
@media (max-width: 640px) {
  article .row { margin-left: 0; margin-right: 0; flex-wrap: wrap; }
  article .row > .column { min-width: 0; max-width: 100%; flex: 1 1 100%; }
  article ol.tree-table-new, article .tree-table { max-width: 100%; overflow-x: auto; }
  /* account names take the room left by one amount column; the column of amounts in other
     units stays empty in Fava's default view (at cost, in CNY) and is left out on a phone */
  .tree-table-new p > span:first-child, .tree-table .account-cell { min-width: 0 !important; }
  .tree-table-new .num, .tree-table .num { width: 8em; }
  .tree-table-new p > .other, .tree-table p > .other { display: none; }
  .journal p > .num { width: auto; flex: 1 1 40%; white-space: nowrap; }
}
</style>"""


def villager_script() -> str:
    labels = {
        "roots": vocab.ROOT_LABELS,
        "keys": vocab.META_LABELS,
        "types": JOURNAL_TYPES,
        "words": FAVA_WORDS,
    }
    code = (Path(__file__).parent / "fava" / "villagers.js").read_text(encoding="utf-8")
    constants = f"const LABELS = {json.dumps(labels, ensure_ascii=False)};\n"
    return f'{VILLAGER_STYLE}<script id="village-ledger-plain">\n{constants}{code}</script>'


# --- requests an attacker sends -----------------------------------------------------------

# Longest value of a query parameter: a villager's filter is a few words; a longer one is no
# search but an attempt to make the server work.
LONGEST_PARAMETER = 200
# Longest path, in characters: a page's path is a village's and an account's name; a longer one
# was answered by a redirect that repeated it three times (a 100 kB path, a 300 kB answer).
LONGEST_PATH = 1000
TOO_LONG = "网址过长（不能超过 {} 个字符）。请从页面上的链接重新打开。"
BAD_REQUEST = "请求有误：{}。请从页面上的链接和筛选栏重新打开。"


class LiteralMatch:
    """Fava's filter text matched as written, ignoring case — never as a regular expression.

    Fava compiles a filter's text (`payee:"…"`, `narration:"…"`, a bare "…", the account
    filter) with Python's `re`, and a pattern such as `(.*.*)*Q` backtracks for ever while
    holding the interpreter: no other request, not even SIGTERM, gets through. Villagers search
    for words, so on `serve` a filter is a plain search, done in time linear in the text."""

    __slots__ = ("needle",)

    def __init__(self, search: str) -> None:
        self.needle = search.casefold()

    def __call__(self, obj: Any) -> bool:
        return self.needle in str(obj).casefold()


def plain_text_filters() -> None:
    """Every filter of this process's Fava as `LiteralMatch` (Fava looks `Match` up by name)."""
    from fava.core import filters

    filters.Match = LiteralMatch  # type: ignore[misc,assignment]


def bad_parameter(args: Any) -> str | None:
    """What is wrong with a request's parameters before Fava reads them, or None."""
    for name, value in args.items(multi=True):
        if len(value) > LONGEST_PARAMETER or len(name) > LONGEST_PARAMETER:
            return f"参数 {name[:20]} 过长（不能超过 {LONGEST_PARAMETER} 个字符）"
        if "\x00" in value:
            return f"参数 {name[:20]} 含有不可见的控制字符"
    return None


def jump_target(referrer: str | None, host: str, fallback: str, args: Any) -> str:
    """Where `/jump` goes: the page it was clicked on, on this server only, with the jump's
    parameters replacing that page's. Fava follows any Referer, to any host."""
    page = urlsplit(referrer or "")
    on_this_host = page.netloc in ("", host) and page.scheme in ("", "http", "https")
    path = page.path
    if not on_this_host or not path.startswith("/") or path.startswith("//") or "\\" in path:
        page, path = urlsplit(fallback), fallback.split("?")[0]
    query = [pair for pair in parse_qsl(page.query) if pair[0] not in args]
    for key, values in args.lists():
        query += [(key, value) for value in values if value != ""]
    return urlunsplit(("", "", path, urlencode(query), ""))


# The voucher entry form of `--private`: its page, its script and its two POST endpoints. The
# public server refuses all three, and every POST.
ENTRY_PAGE = "VillageEntry"
ENTRY_ENDPOINTS = frozenset({"check", "save"})


def allowed(
    endpoint: str, view_args: dict[str, Any] | None, method: str = "GET", private: bool = False
) -> bool:
    """Whether the server answers this route; the public one answers only reading pages."""
    args = view_args or {}
    if private and args.get("extension_name") == ENTRY_PAGE:
        if endpoint == "extension_endpoint":
            return method == "POST" and args.get("endpoint") in ENTRY_ENDPOINTS
        if endpoint in ("extension_report", "extension_js_module"):
            return method in ("GET", "HEAD")
    if method not in ("GET", "HEAD"):
        return False
    if endpoint in ENDPOINTS:
        return True
    if endpoint == "report":
        return args.get("report_name") in (PAGES if private else PUBLIC_PAGES)
    if endpoint == "extension_report":
        return args.get("extension_name") in EXTENSION_PAGES
    return endpoint.startswith("json_api.") and endpoint.split(".", 1)[1] in APIS


def make_app(publisher: Publisher) -> Any:
    """Fava on the served ledgers, read-only, with the closed surface described above."""
    from fava.application import create_app
    from flask import abort, jsonify, redirect, request, url_for
    from werkzeug.exceptions import HTTPException

    plain_text_filters()
    # Fava's read-only mode refuses every POST, the entry form's too: under --private the guard
    # below is what refuses Fava's own writing routes (`allowed`), the public server has both
    app = create_app(
        [str(p) for p in publisher.served],
        load=True,
        read_only=not publisher.private,
        poll_watcher=True,
    )

    def answer(message: str, status: int) -> Any:
        if "/api/" in request.path:
            return jsonify({"error": message}), status
        return message, status, {"Content-Type": "text/plain; charset=utf-8"}

    def guard() -> Any:
        if len(request.path) > LONGEST_PATH:
            return answer(TOO_LONG.format(LONGEST_PATH), 414)
        if request.endpoint is None:
            refused = request.method not in ("GET", "HEAD")
        else:
            refused = not allowed(
                request.endpoint, request.view_args, request.method, publisher.private
            )
        if refused:
            return answer(REFUSED, 403)
        problem = bad_parameter(request.args)
        if problem:
            return answer(BAD_REQUEST.format(problem), 400)
        if request.endpoint == "jump":
            home = url_for("index")
            return redirect(jump_target(request.referrer, request.host, home, request.args))
        publisher.refresh()
        return None

    def bad_request(error: Exception) -> Any:
        """What Fava could not make of a request's parameters (a date such as 2026-13, a page
        -1, a filter it cannot parse): a Chinese answer, 400, never a server error. The cause
        goes to the server's log, not to the requester."""
        if isinstance(error, HTTPException):
            return error
        app.logger.warning("request %s refused: %r", request.full_path, error)
        return answer(BAD_REQUEST.format("无法按这些条件显示"), 400)

    head = GUARD_STYLE + PHONE_STYLE + ("" if publisher.private else villager_script()) + "</head>"
    # Fava's page data names the served files: on the public server those are the copies in the
    # temporary folder; they are shown by their neutral names within it (villages/<v>/1.beancount)
    folders = (
        [] if publisher.private else [f"{publisher.books}{os.sep}", f"{publisher.folder}{os.sep}"]
    )

    def hide_controls(response: Any) -> Any:
        if response.direct_passthrough or response.mimetype not in (
            "text/html",
            "application/json",
        ):
            return response
        page = original = response.get_data(as_text=True)
        if response.mimetype == "text/html" and "</head>" in page:
            page = page.replace("</head>", head, 1)
        for folder in folders:
            page = page.replace(folder, "").replace(json.dumps(folder)[1:-1], "")
        if page != original:
            response.set_data(page)
        return response

    def relative_redirect(response: Any) -> Any:
        """Every redirect's Location as a path on this server. werkzeug writes the requester's
        Host header into the URL of its own redirects (`/x` to `/x/`), so a request with
        `Host: evil.example` got `Location: http://evil.example/...`, which a cache or proxy
        in front could hand to every villager."""
        location = response.headers.get("Location")
        if location:
            parts = urlsplit(location)
            if parts.scheme or parts.netloc or not location.startswith("/"):
                path = "/" + parts.path.lstrip("/\\")
                response.headers["Location"] = urlunsplit(("", "", path, parts.query, ""))
        return response

    def security_headers(response: Any) -> Any:
        """No type sniffing (the Chinese refusals are plain text), no framing by another site,
        and no page address (whose filter may hold what a villager searched for) sent to
        another site."""
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    def reading_only() -> None:
        """Fava's read-only check (it answers 401 to anything but GET), letting HEAD through as
        the GET it is without a body; the guard has refused every other method already."""
        if request.method not in ("GET", "HEAD"):
            abort(401)

    def verify(village: str, period: str) -> Any:
        """Where a printed sheet's QR code leads (`village_ledger.verification.verify_path`):
        the village's 封存核对 page for the quarter and the paper's digest."""
        served = next(
            (publisher.served_main(o) for o in publisher.originals if o.village == village), None
        )
        slug = next(
            (
                slug
                for slug, ledger in app.config["LEDGERS"].ledgers_by_slug.items()
                if served is not None and Path(ledger.beancount_file_path) == served
            ),
            None,
        )
        if slug is None:
            return answer(
                f"这里没有“{village[:40]}”的账簿，请核对二维码是否来自本乡镇的财务公开表。", 404
            )
        query: dict[str, Any] = {"period": period} if Quarter.parse(period) else {}
        if request.args.get("digest"):
            query["digest"] = request.args["digest"]
        return redirect(
            url_for("extension_report", bfile=slug, extension_name="VillageVerify", **query)
        )

    app.add_url_rule(f"/{VERIFY}/<village>/<period>", "verify", verify)
    # before Fava's own hooks: its read-only check answers 401, and its reload must see the
    # copies the refresh has just written
    app.before_request_funcs.setdefault(None, []).insert(0, guard)
    app.after_request(hide_controls)
    app.after_request(relative_redirect)
    app.after_request(security_headers)
    hooks = app.before_request_funcs[None]
    hooks[:] = [reading_only if getattr(f, "__name__", "") == "_read_only" else f for f in hooks]
    app.register_error_handler(Exception, bad_request)
    # Fava answers its own errors (a bad time filter among them) with 500, from handlers on the
    # app and on its API blueprint: ours takes their place at both
    for handlers in app.error_handler_spec.values():
        for by_class in handlers.values():
            for kind in by_class:
                if not issubclass(kind, HTTPException):
                    by_class[kind] = bad_request
    return app


# The HTTP server is waitress: one thread reads every connection's request whole (line, headers,
# body) before a worker thread sees it, and writes the answers out, so a client that sends its
# request a byte at a time (slowloris) or never reads its answer holds a connection, not one of
# the workers. cheroot, which Fava uses, hands a connection to a worker that then waits on it:
# twelve such clients stopped the whole server.
# Worker threads: a slow request keeps one, the others go on answering.
THREADS = 8
# Connections open at once (idle ones after CHANNEL_SECONDS without traffic are closed); beyond
# this, new connections wait. Polled, not selected: select() fails past 1,024 descriptors.
CONNECTIONS = 1000
CHANNEL_SECONDS = 60
# The public server takes no request body; the private one takes a voucher form's.
LARGEST_BODY = 1 << 20


def make_server(app: Any, host: str, port: int) -> Any:
    from waitress.server import create_server

    server = create_server(
        app,
        host=host,
        port=port,
        threads=THREADS,
        connection_limit=CONNECTIONS,
        channel_timeout=CHANNEL_SECONDS,
        asyncore_use_poll=True,
        max_request_body_size=LARGEST_BODY,
        expose_tracebacks=False,
        ident="village-ledger",
    )
    return server


def run(
    mains: Sequence[Path],
    host: str,
    port: int,
    *,
    private: bool = False,
    announce: Any = print,
) -> None:
    """Serve until interrupted or terminated; the temporary folder goes with the server."""
    import signal

    # before anything is written: a signal arriving early must still remove the folder
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _terminate)
    publisher = server = None
    try:
        publisher = Publisher(mains, private=private)
        server = make_server(make_app(publisher), host, port)
        announce(f"http://{server.effective_host}:{server.effective_port}/")
        server.run()  # returns after an interrupt, once its workers are done (5 s at most)
    except KeyboardInterrupt:
        pass
    finally:
        if publisher is not None:
            publisher.close()
        if server is not None:
            server.close()


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
