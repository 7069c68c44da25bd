"""Hostile requests against `village-ledger serve`, for its test and `bench/serve_probe.py`.

Every reading route of the public server with parameters an attacker (or a mistyped link)
sends: impossible dates and pages, regular expressions that backtrack forever, filters too long
or unbalanced, foreign or missing Referers on `/jump`, every write method, paths that climb out
of the ledger. What the server must do is the same for all: answer (no hang), answer below 500,
accept no write, redirect only to itself.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

ROUTES = (
    "",
    "income_statement/",
    "balance_sheet/",
    "trial_balance/",
    "journal/",
    "events/",
    "errors/",
    "account/Assets:102-银行存款/",
    "account/Expenses/",
    "account/No:Such:Account/",
    "extension/VillageDisclosure/",
    "extension/VillageEntertainment/",
    "extension/VillageExpenditure/",
    "extension/VillageFindings/",
    "extension/VillageContracts/",
    "api/journal",
    "api/journal_page",
    "api/income_statement",
    "api/balance_sheet",
    "api/trial_balance",
    "api/errors",
    "api/events",
    "api/account_report",
    "api/changed",
    "jump",
)
# routes refused on the public server: they must stay refused whatever they are sent
REFUSED = (
    "editor/",
    "query/",
    "import/",
    "options/",
    "documents/",
    "help/",
    "api/source",
    "api/query",
    "api/context",
    "api/documents",
    "api/add_entries",
    "download-journal/",
    "document/",
)
# backtracks for ever in Python's `re`
CATASTROPHIC = ('narration:"(.*.*)*Q"', '"(a+)+$"', 'payee:"(x|x|xx)*y"', "(.*){1,32000}[bc]")
VALUES = {
    "time": (
        "2026-13",
        "2025-02-30",
        "9999-99",
        "0000",
        "-1",
        "year-100000",
        "2025Q9",
        "day - day",
        "2026 - 2025",
        "fy2025",
        "a" * 5000,
        "2025-01-01 - 2024-01-01",
        "month+999999999",
        "",
    ),
    "account": ("[", "(", ".*", "(a+)+$", "Assets:102-银行存款", "x" * 5000, "\\"),
    "filter": (
        *CATASTROPHIC,
        "(",
        '"',
        'narration:"',
        "any(",
        "all(account:",
        "#",
        "^",
        "-" * 500 + "x",
        "(" * 500,
        "payee:" + "a" * 20000,
        "amount:>1e999999",
        "amount:<-",
        "meta:\u0000",
        "\ud7ff\ue000",
        '"救助"',
    ),
    "conversion": ("x", "at_value", "units", "USD", "at_cost", "\u0000"),
    "interval": ("x", "day", "year", "" * 3),
    "page": ("-1", "0", "1", "999999999999999999999", "x", "1.5", ""),
    "order": ("x", "asc", "desc", ""),
    "r": ("x", "journal", "changes", "balances", ""),
    "a": ("", "Assets", "No:Such", "(", "x" * 5000),
    "period": ("2025Q1", "2025Q9", "9999Q4", "0001Q1", "x", "2025q1", "2025Q1" * 1000),
    "family": ("x", "VL1", "", "<script>"),
    "severity": ("x", "error", "warning", ""),
}
REFERERS = (
    None,
    "http://evil.example/steal",
    "//evil.example/x",
    "https://evil.example/{slug}/income_statement/?time=2025",
    "javascript:alert(1)",
    "http://127.0.0.1:1/{slug}/journal/",
    "/{slug}/journal/",
    "///evil.example",
    "http:/\\evil.example",
    "not a url at all",
)
WRITES = ("POST", "PUT", "DELETE", "PATCH")
ODD_PATHS = (
    "/../../../../etc/passwd",
    "/static/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/{slug}/../../etc/passwd",
    "/no-such-village/income_statement/",
    "/{slug}/" + "a" * 3000,
    "/{slug}/extension/../editor/",
    "/{slug}/extension/NoSuchExtension/",
    "/{slug}/extension/VillageDisclosure/x",
    "/{slug}",  # no trailing slash: werkzeug redirects, once to the Host header's host
    "/{slug}/editor",
    "/static//app.css",
    "/{slug}/%2e%2e/editor/",
    "/{slug}/extension/..%2f..%2feditor/",
    "/static/..%252f..%252fetc%252fpasswd",
    "/static/%c0%ae%c0%ae/etc/passwd",
    "/static/%EF%BC%8E%EF%BC%8E/etc/passwd",  # full-width dots
    "/{slug}/" + "b" * 1200,
)
# Host headers that once made werkzeug's own redirects point at another server
HOSTS = ("evil.example", "evil.example:80", "127.0.0.1@evil.example", "[::1]:1", "x" * 300)


@dataclass(frozen=True)
class Probe:
    method: str
    path: str  # from the server's root, already quoted
    headers: tuple[tuple[str, str], ...] = ()
    slow: bool = False  # a request that once held the server

    @property
    def is_write(self) -> bool:
        return self.method not in ("GET", "HEAD")


@dataclass
class Answer:
    probe: Probe
    status: int  # 0: no answer within the time allowed
    location: str = ""
    body: bytes = b""
    seconds: float = 0.0
    error: str = ""


@dataclass
class Tally:
    answers: list[Answer] = field(default_factory=list)

    @property
    def server_errors(self) -> list[Answer]:
        return [a for a in self.answers if a.status >= 500]

    @property
    def hangs(self) -> list[Answer]:
        return [a for a in self.answers if a.status == 0]

    @property
    def writes_accepted(self) -> list[Answer]:
        return [a for a in self.answers if a.probe.is_write and 200 <= a.status < 400]

    def foreign_redirects(self, host: str) -> list[Answer]:
        return [a for a in self.answers if a.location and not stays_on(a.location, host)]

    @property
    def tracebacks(self) -> list[Answer]:
        return [a for a in self.answers if b"Traceback (most recent call last)" in a.body]


def stays_on(location: str, host: str) -> bool:
    """A redirect that a browser follows to `host` (a path, or an absolute URL on it)."""
    parsed = urllib.parse.urlsplit(location)
    if not parsed.scheme and not parsed.netloc:
        return location.startswith("/") and not location.startswith(("//", "/\\"))
    return parsed.scheme in ("http", "https") and parsed.netloc == host


def _query(pairs: list[tuple[str, str]]) -> str:
    return urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote) if pairs else ""


def probes(slug: str, count: int, seed: int = 0) -> Iterator[Probe]:
    """`count` requests: every route with hostile parameters, writes, odd paths, jumps."""
    rng = random.Random(seed)
    base = "/" + urllib.parse.quote(slug) + "/"
    names = list(VALUES)
    for number in range(count):
        kind = number % 10
        if kind == 0:
            method = rng.choice(WRITES)
            route = rng.choice(ROUTES + REFUSED)
            yield Probe(method, base + urllib.parse.quote(route, safe="/:"))
        elif kind == 1:
            path = rng.choice(ODD_PATHS).replace("{slug}", urllib.parse.quote(slug))
            host = rng.choice((None, *HOSTS))
            headers = () if host is None else (("Host", host),)
            yield Probe(rng.choice(("GET", "GET", "HEAD")), path, headers)
        elif kind == 2:
            referer = rng.choice(REFERERS)
            quoted = urllib.parse.quote(slug)
            headers = () if referer is None else (("Referer", referer.replace("{slug}", quoted)),)
            name = rng.choice(("time", "account", "filter", "conversion", "interval"))
            query = _query([(name, rng.choice(VALUES[name]))])
            yield Probe("GET", "/jump?" + query, headers)
        elif kind == 3:
            route = rng.choice(REFUSED)
            query = _query([("filename", "/etc/passwd"), ("query_string", "SELECT *")])
            yield Probe("GET", base + urllib.parse.quote(route, safe="/") + "?" + query)
        else:
            route = rng.choice(ROUTES[:-1])
            chosen = rng.sample(names, rng.randint(1, 3))
            pairs = [(name, rng.choice(VALUES[name])) for name in chosen]
            slow = any(value in CATASTROPHIC for _, value in pairs)
            path = base + urllib.parse.quote(route, safe="/:")
            yield Probe("GET", path + ("?" + _query(pairs) if pairs else ""), slow=slow)


@contextmanager
def slow_clients(host: str, port: int, count: int) -> Iterator[list[socket.socket]]:
    """`count` connections that send their request's headers a line every two seconds and never
    finish them (slowloris): a server that gives each connection a worker thread while it
    reads the request has none left for anyone else."""
    clients = [socket.create_connection((host, port), timeout=10) for _ in range(count)]
    stop = threading.Event()

    def drip() -> None:
        while not stop.wait(2):
            for client in clients:
                with contextlib.suppress(OSError):
                    client.sendall(b"X-Slow: 1\r\n")

    for client in clients:
        client.sendall(b"GET /static/app.css HTTP/1.1\r\nHost: x\r\n")
    dripping = threading.Thread(target=drip, daemon=True)
    dripping.start()
    try:
        yield clients
    finally:
        stop.set()
        dripping.join()
        for client in clients:
            client.close()


def send(host: str, port: int, probe: Probe, timeout: float) -> Answer:
    """One request on its own connection; status 0 when nothing came back within `timeout`."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        body = b"{}" if probe.is_write else None
        headers = dict(probe.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        connection.request(probe.method, probe.path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return Answer(
            probe,
            response.status,
            response.getheader("Location") or "",
            data,
            time.monotonic() - started,
        )
    except (TimeoutError, OSError, http.client.HTTPException) as exc:
        return Answer(probe, 0, seconds=time.monotonic() - started, error=repr(exc))
    finally:
        connection.close()
