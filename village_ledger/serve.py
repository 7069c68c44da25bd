"""`village-ledger serve`: Fava for villagers, on masked public copies of the ledgers.

What is served (docs/dashboard.md has the whole story):

- **Public copies.** Every file a village loads (its own and the township's) is read, masked
  and written to a private temporary folder (mode 0700); Fava reads only those copies, in
  read-only mode. The originals are only ever opened for reading. Masking is the report
  layer's (`reports.masking.Masker`): identity, phone and card numbers in any text, and the
  given name of every payee of a relief (救助) payment, wherever it appears. Strings and
  comments are masked in place; a masked bare word becomes a string (a metadata value) or, in an
  account name, keeps its place with `X` and `某`, so the copy still parses line for line.
  Left as they are: seal digests (a hash, no person in it) and the 监督电话 event (printed on
  every sheet for villagers to call).
- **Findings from the originals.** Masking changes payees and narrations, so the copy would no
  longer match a sealed quarter's digest and the rules would report problems that exist only in
  the copy. The rules therefore run on the originals (all families, as `village-ledger check`);
  their findings, masked, and each seal's state go to a JSON sidecar for the extension
  (`village_ledger.fava.audit`), and the village-ledger plugin lines are dropped from the copies.
- **Following changes.** Before a request, at most once per `check_interval` seconds, the files
  and folders of the originals are checked (size and modification time); a village that changed
  is loaded and checked again and its copies rewritten, so Fava reloads them.
- **A closed surface.** Only reading pages and APIs are routed (`ALLOWED`); everything else —
  the editor, source and context views, queries, import, upload, documents, every write — answers
  403. Links and buttons to them are hidden by a style sheet (and a three-line script that
  turns the journal's links to the context view into plain dates) that the server writes into
  the head of each Fava page (`GUARD_STYLE`), so they are hidden from the first paint.

`--private` serves the originals themselves, unmasked, still read-only with the same closed
surface: each village is opened through a small wrapper file in the temporary folder that
includes the original main file and enables the extension.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from village_ledger.engine import beancount_finding, collect, run_across, run_rules
from village_ledger.fava.audit import Audit, seal_states, write_sidecar
from village_ledger.findings import Finding
from village_ledger.loading import load_ledger
from village_ledger.model import build_model, village_of
from village_ledger.registry import all_rules
from village_ledger.reports.masking import STAR, Masker, mask_numbers, relief_names

EXTENSION = "village_ledger.fava"
DEFAULT_PAGE = "extension/VillageDisclosure/"

# --- masking a ledger file ----------------------------------------------------------------

TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|;[^\n]*|[^";]+', re.S)
DIGEST = re.compile(r'"sha256:[0-9a-f]{64}"')
SUPERVISION = re.compile(r'\bevent\s+"监督电话"\s+("(?:[^"\\]|\\.)*")')
INCLUDE = re.compile(r'^include\s+("(?:[^"\\]|\\.)*")', re.M)
OUR_PLUGIN = re.compile(r'^plugin\s+"village_ledger\.[^\n]*', re.M)
FAVA_LINE = re.compile(
    r'^\d{4}-\d{2}-\d{2}\s+custom\s+"fava-(?:extension|option"\s+"(?:language|default-page))"[^\n]*',
    re.M,
)
BARE_WORD = re.compile(r"[^\s()\[\]{},]+")
REMOVED = "; (village-ledger serve: line left out of the public copy)"


@dataclass
class CopyMasker:
    """Masks one ledger file's text for the public copy, keeping every line where it was."""

    masker: Masker
    includes: dict[str, str] = field(default_factory=dict)  # original include -> the copy's

    def source(self, text: str) -> str:
        text = OUR_PLUGIN.sub(REMOVED, text)
        text = FAVA_LINE.sub(REMOVED, text)
        kept = {m.start(1) for m in SUPERVISION.finditer(text)}
        kept |= {m.start() for m in DIGEST.finditer(text)}
        includes = {m.start(1) for m in INCLUDE.finditer(text)}
        out = []
        for match in TOKEN.finditer(text):
            token, start = match.group(0), match.start()
            if start in kept:
                out.append(token)
            elif start in includes:
                out.append(self.include(token))
            elif token[0] in '";':
                out.append(self.masker.text(token))
            elif self.masker.text(token) != token:
                out.append(BARE_WORD.sub(self.bare, token))
            else:
                out.append(token)
        return "".join(out)

    def include(self, token: str) -> str:
        path = token[1:-1]
        return f'"{self.includes.get(path, path)}"'

    def bare(self, match: re.Match[str]) -> str:
        """A word outside strings: an account, an amount, a date, a bare metadata value."""
        word = match.group(0)
        masked = self.masker.text(word)
        if masked == word:
            return word
        if ":" in word and word[:1].isupper():
            return self.account(word)
        # a bare number that masking changed can only stand as a string (a metadata value)
        return '"' + masked + '"'

    def account(self, name: str) -> str:
        """An account name cannot hold `*`: hidden digits become X, a hidden given name 某."""
        masked = mask_numbers(name).replace(STAR, "X")
        pattern = self.masker.pattern
        if pattern is None:
            return masked
        return pattern.sub(
            lambda m: self.masker.replacements[m.group(0)].replace(STAR, "某"), masked
        )


# --- the audit of the originals -----------------------------------------------------------


@dataclass
class Original:
    """One village as its accountant keeps it, and what was last read of it."""

    main: Path
    village: str
    files: list[Path] = field(default_factory=list)
    watched: dict[Path, tuple[int, int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    summaries: dict[str, Any] = field(default_factory=dict)
    names: frozenset[str] = frozenset()
    audit: Audit | None = None
    first_day: date = date(2000, 1, 1)

    def read(self) -> None:
        """Load and check the original, as `village-ledger check` does."""
        loaded = load_ledger(self.main)
        model = build_model(loaded.entries, loaded.options)
        rules = all_rules()
        self.findings = [beancount_finding(self.village, e) for e in loaded.errors]
        self.findings += run_rules(model, rules)
        self.summaries = collect(model, rules)
        self.names = relief_names(model)
        self.files = sorted({Path(p).resolve() for p in loaded.options["include"]} | {self.main})
        self.watched = signatures(self.files)
        self.first_day = min((e.date for e in loaded.entries), default=self.first_day)
        self.audit = Audit(str(self.main), [], seal_states(model, self.findings))

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


def extension_lines(day: date, sidecar: Path, with_extension: bool = True) -> list[str]:
    config = repr({"audit": str(sidecar)}).replace("\\", "\\\\").replace('"', '\\"')
    lines = [
        "; --- added by village-ledger serve ---",
        f'{day} custom "fava-option" "language" "zh"',
        f'{day} custom "fava-option" "default-page" "{DEFAULT_PAGE}"',
    ]
    if with_extension:
        lines.append(f'{day} custom "fava-extension" "{EXTENSION}" "{config}"')
    return lines


# --- the copies ---------------------------------------------------------------------------


class Publisher:
    """The served ledgers in a private temporary folder, kept in step with the originals."""

    def __init__(
        self, mains: Sequence[Path], *, private: bool = False, check_interval: float = 1.0
    ):
        self.private = private
        self.check_interval = check_interval
        self.originals = [Original(Path(m).resolve(), village_of(m)) for m in mains]
        self.folder = Path(tempfile.mkdtemp(prefix="village-ledger-serve-"))
        os.chmod(self.folder, 0o700)
        self.books = self.folder / ("private" if private else "books")
        self.audits = self.folder / "audit"
        for folder in (self.books, self.audits):
            folder.mkdir(mode=0o700)
        self.root = Path("/")
        self._lock = threading.Lock()
        self._checked = 0.0
        for original in self.originals:
            original.read()
        self._publish()

    @property
    def served(self) -> list[Path]:
        """The main files Fava is given, one per village, in the order of the command line."""
        return [self.served_main(o) for o in self.originals]

    def served_main(self, original: Original) -> Path:
        if self.private:
            return self.books / original.village / "main.beancount"
        return self.copy_of(original.main)

    def sidecar(self, original: Original) -> Path:
        return self.audits / f"{original.village}.json"

    def copy_of(self, path: Path) -> Path:
        return self.books / path.relative_to(self.root)

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
                self._publish()
            return bool(stale)

    def _publish(self) -> None:
        files = [f for o in self.originals for f in o.files]
        self.root = Path(os.path.commonpath([str(f.parent) for f in files]))
        self._write_audits()
        if self.private:
            for original in self.originals:
                self._write_wrapper(original)
        else:
            self._write_copies()

    def _write_audits(self) -> None:
        summaries: dict[str, list[tuple[str, Any]]] = {}
        for original in self.originals:
            for code, summary in original.summaries.items():
                summaries.setdefault(code, []).append((original.village, summary))
        across = run_across(all_rules(), summaries)
        for original in self.originals:
            assert original.audit is not None
            findings = original.findings + [f for f in across if f.village == original.village]
            masker = Masker(original.names)
            audit = Audit(
                ledger=str(original.main if self.private else self.served_main(original)),
                findings=[self._served_finding(f, masker) for f in findings],
                seals=original.audit.seals,
            )
            write_sidecar(self.sidecar(original), audit, original.village)

    def _served_finding(self, finding: Finding, masker: Masker) -> Finding:
        file = finding.file
        if not self.private and file and not file.startswith("<"):
            with contextlib.suppress(ValueError):
                file = str(self.copy_of(Path(file).resolve()))
        return replace(finding, file=file, message=masker.text(finding.message))

    def _write_copies(self) -> None:
        owners: dict[Path, list[Original]] = {}
        for original in self.originals:
            for path in original.files:
                owners.setdefault(path, []).append(original)
        for path, villages in owners.items():
            # a file several villages read (the township's) hides every one of their names
            names = frozenset().union(*(o.names for o in villages))
            masker = CopyMasker(Masker(names), self._include_map(path))
            text = masker.source(read_text(path))
            for original in villages:
                if path == original.main:
                    text += (
                        "\n"
                        + "\n".join(extension_lines(original.first_day, self.sidecar(original)))
                        + "\n"
                    )
            write_if_changed(self.copy_of(path), text)

    def _include_map(self, path: Path) -> dict[str, str]:
        """Absolute includes point at the originals: the copy must include the copies."""
        found = {}
        for match in INCLUDE.finditer(read_text(path)):
            target = match.group(1)[1:-1]
            if os.path.isabs(target) and Path(target).resolve().is_relative_to(self.root):
                found[target] = str(self.books / Path(target).resolve().relative_to(self.root))
        return found

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
            *extension_lines(original.first_day, self.sidecar(original), not enabled),
        ]
        target = self.served_main(original)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_if_changed(target, "\n".join(lines) + "\n")

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


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
ENDPOINTS = frozenset({"static", "index", "account", "jump"})
EXTENSION_PAGES = frozenset(
    {"VillageDisclosure", "VillageEntertainment", "VillageExpenditure", "VillageFindings"}
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
.aside-buttons .button, a.filename, dialog
{ display: none !important; }
</style>
<script id="village-ledger-guard-script">
// the journal's dates link to the entry's context and source view: make them plain text
new MutationObserver(() => {
  for (const a of document.querySelectorAll('a[href^="#context-"]')) a.removeAttribute("href");
}).observe(document.documentElement, { childList: true, subtree: true });
</script>"""


def allowed(endpoint: str, view_args: dict[str, Any] | None) -> bool:
    args = view_args or {}
    if endpoint in ENDPOINTS:
        return True
    if endpoint == "report":
        return args.get("report_name") in PAGES
    if endpoint == "extension_report":
        return args.get("extension_name") in EXTENSION_PAGES
    return endpoint.startswith("json_api.") and endpoint.split(".", 1)[1] in APIS


def make_app(publisher: Publisher) -> Any:
    """Fava on the served ledgers, read-only, with the closed surface described above."""
    from fava.application import create_app
    from flask import jsonify, request

    app = create_app(
        [str(p) for p in publisher.served], load=True, read_only=True, poll_watcher=True
    )

    def guard() -> Any:
        refused = request.method not in ("GET", "HEAD") or (
            request.endpoint is not None and not allowed(request.endpoint, request.view_args)
        )
        if not refused:
            publisher.refresh()
            return None
        if "/api/" in request.path:
            return jsonify({"error": REFUSED}), 403
        return REFUSED, 403, {"Content-Type": "text/plain; charset=utf-8"}

    def hide_controls(response: Any) -> Any:
        if response.mimetype == "text/html" and not response.direct_passthrough:
            page = response.get_data(as_text=True)
            if "</head>" in page:
                response.set_data(page.replace("</head>", GUARD_STYLE + "</head>", 1))
        return response

    # before Fava's own hooks: its read-only check answers 401, and its reload must see the
    # copies the refresh has just written
    app.before_request_funcs.setdefault(None, []).insert(0, guard)
    app.after_request(hide_controls)
    return app


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

    from cheroot.wsgi import Server

    # before anything is written: a SIGTERM arriving early must still remove the folder
    signal.signal(signal.SIGTERM, _terminate)
    publisher = server = None
    try:
        publisher = Publisher(mains, private=private)
        server = Server((host, port), make_app(publisher))
        server.prepare()
        bound_host, bound_port = server.bind_addr[:2]
        announce(f"http://{bound_host}:{bound_port}/")
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.stop()
        if publisher is not None:
            publisher.close()


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
