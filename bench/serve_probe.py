"""Probe `village-ledger serve` as an attacker would, and count what broke.

    .venv/bin/python bench/serve_probe.py                   # 1,100 requests on ledgers/
    .venv/bin/python bench/serve_probe.py --requests 3000 --json out/probe.json

Starts the real command on a free port (its temporary folder in a private TMPDIR), sends the
hostile requests of `tests/hostile.py` from a few threads at once, and reports: answers by
status, server errors (5xx), requests not answered in time (hangs), writes accepted, redirects
off the server's host (Host headers included), tracebacks in a body, whether a plain page still
answered while the catastrophic filters were in flight and while 50 slowloris connections dripped
their headers, whether the originals changed, how long SIGTERM took to stop the server and
whether it left its temporary folder behind — and after a SIGKILL, whether the next start
removed the folder the killed server left.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.hostile import (  # noqa: E402
    CATASTROPHIC,
    Answer,
    Probe,
    Tally,
    probes,
    send,
    slow_clients,
)

EXECUTABLE = str(Path(sys.executable).with_name("village-ledger"))
FOLDER_PREFIX = "village-ledger-serve-"


class Running:
    """`village-ledger serve` on a free port of 127.0.0.1, its temporary files under `tmp`."""

    def __init__(self, ledgers: Path, tmp: Path) -> None:
        self.tmp = tmp
        self.process = subprocess.Popen(
            [EXECUTABLE, "serve", str(ledgers), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "TMPDIR": str(tmp)},
        )
        self.log: list[str] = []
        self.url = self._wait_for_url()
        parsed = urllib.parse.urlsplit(self.url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80

    def _wait_for_url(self) -> str:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)
            if "http://" in line:
                threading.Thread(target=self._drain, daemon=True).start()
                return line[line.index("http://") :].split()[0]
        raise SystemExit(f"serve did not start:\n{''.join(self.log)}")

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)

    def slug(self) -> str:
        answer = send(self.host, self.port, Probe("GET", "/"), 60)
        return urllib.parse.unquote(answer.location.lstrip("/").split("/")[0]) or "ledger"

    def stop(self, how: int = signal.SIGTERM, patience: float = 30) -> float | None:
        """Seconds the server took to exit after the signal, None if it did not."""
        started = time.monotonic()
        self.process.send_signal(how)
        try:
            self.process.wait(timeout=patience)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None
        return time.monotonic() - started

    def folders(self) -> list[Path]:
        return sorted(self.tmp.glob(FOLDER_PREFIX + "*"))


def digest(folder: Path) -> str:
    hashed = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hashed.update(str(path).encode() + path.read_bytes())
    return hashed.hexdigest()


def under_load(server: Running, slug: str, timeout: float) -> dict[str, Any]:
    """A plain page asked while the catastrophic filters are in flight."""
    slow = [
        Probe(
            "GET",
            f"/{urllib.parse.quote(slug)}/api/journal?" + urllib.parse.urlencode({"filter": f}),
        )
        for f in CATASTROPHIC
    ]
    with ThreadPoolExecutor(len(slow) + 1) as pool:
        pending = [pool.submit(send, server.host, server.port, p, timeout) for p in slow]
        time.sleep(0.5)
        plain = send(
            server.host,
            server.port,
            Probe("GET", f"/{urllib.parse.quote(slug)}/api/changed"),
            timeout,
        )
        slow_answers = [f.result() for f in pending]
    return {
        "plain_status": plain.status,
        "plain_seconds": round(plain.seconds, 3),
        "slow_statuses": [a.status for a in slow_answers],
        "slow_seconds": [round(a.seconds, 3) for a in slow_answers],
    }


# slowloris connections held open while a plain page is asked: many more than worker threads
SLOW_CLIENTS = 50


def under_slowloris(server: Running, timeout: float) -> dict[str, Any]:
    """A plain page asked while SLOW_CLIENTS connections drip their headers and never finish."""
    with slow_clients(server.host, server.port, SLOW_CLIENTS):
        time.sleep(1)
        plain = send(server.host, server.port, Probe("GET", "/static/app.css"), timeout)
    return {"slow_clients": SLOW_CLIENTS, "plain_status": plain.status}


def campaign(ledgers: Path, count: int, workers: int, timeout: float, seed: int) -> dict[str, Any]:
    before = digest(ledgers)
    with tempfile.TemporaryDirectory(prefix="serve-probe-") as scratch:
        tmp = Path(scratch)
        server = Running(ledgers, tmp)
        slug = server.slug()
        load = under_load(server, slug, timeout)
        slowloris = under_slowloris(server, timeout)
        tally = Tally()
        started = time.monotonic()
        with ThreadPoolExecutor(workers) as pool:
            requests = list(probes(slug, count, seed))
            tally.answers = list(
                pool.map(lambda p: send(server.host, server.port, p, timeout), requests)
            )
        elapsed = time.monotonic() - started
        host = f"{server.host}:{server.port}"
        folders_while_running = len(server.folders())
        term_seconds = server.stop(signal.SIGTERM)
        left_after_term = len(server.folders())

        killed = Running(ledgers, tmp)
        killed.stop(signal.SIGKILL)
        left_after_kill = len(killed.folders())
        restarted = Running(ledgers, tmp)
        left_after_restart = len(restarted.folders())  # its own folder only
        restarted.stop(signal.SIGTERM)
        left_at_end = len(restarted.folders())

    statuses = collections.Counter(a.status for a in tally.answers)
    return {
        "requests": len(tally.answers),
        "seconds": round(elapsed, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": len(tally.server_errors),
        "hangs": len(tally.hangs),
        "writes_sent": sum(a.probe.is_write for a in tally.answers),
        "writes_accepted": len(tally.writes_accepted),
        "foreign_redirects": len(tally.foreign_redirects(host)),
        "tracebacks": len(tally.tracebacks),
        "slowest_seconds": round(max(a.seconds for a in tally.answers), 3),
        "under_load": load,
        "under_slowloris": slowloris,
        "originals_unchanged": digest(ledgers) == before,
        "temporary_folders_while_running": folders_while_running,
        "sigterm_seconds": None if term_seconds is None else round(term_seconds, 2),
        "left_after_sigterm": left_after_term,
        "left_after_sigkill": left_after_kill,
        "left_after_next_start": left_after_restart - 1,
        "left_at_end": left_at_end,
        "examples": {
            "server_errors": [_shown(a) for a in tally.server_errors[:15]],
            "hangs": [_shown(a) for a in tally.hangs[:15]],
            "foreign_redirects": [_shown(a) for a in tally.foreign_redirects(host)[:15]],
            "writes_accepted": [_shown(a) for a in tally.writes_accepted[:15]],
        },
    }


def _shown(answer: Answer) -> str:
    probe = answer.probe
    extra = f" {dict(probe.headers)}" if probe.headers else ""
    where = f" -> {answer.location}" if answer.location else ""
    return f"{answer.status} {probe.method} {urllib.parse.unquote(probe.path)[:160]}{extra}{where}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ledgers", type=Path, default=REPO / "ledgers")
    parser.add_argument("--requests", type=int, default=1100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a hang")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()
    result = campaign(args.ledgers.resolve(), args.requests, args.workers, args.timeout, args.seed)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
