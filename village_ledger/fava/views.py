"""The extension's view of one Fava ledger: its model, the report frames and the quarters'
disclosures, built once per load of the ledger and shared by every page.

The numbers are those of the printed 财务公开: each quarter's report is
`reports.disclosure.build_disclosure` over the same model, masked by `reports.masking.publish`,
and its tables are laid out by the same `reports.layout.table_view`.

A built village is kept until Fava reloads the ledger (a new entries list) or the audit sidecar
changes; each quarter's masked report is kept with it, so a page asked for again is only laid
out, never recomputed.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from village_ledger.fava.audit import Audit, audit_in_process, read_sidecar
from village_ledger.model import LedgerModel, Quarter, build_model
from village_ledger.reports.disclosure import Disclosure, build_disclosure
from village_ledger.reports.masking import Masker, Public, officers, private_names, publish
from village_ledger.reports.statements import Books

if TYPE_CHECKING:
    from fava.core import FavaLedger

T = TypeVar("T")


@dataclass
class Village:
    model: LedgerModel
    books: Books
    audit: Audit
    masker: Masker
    quarters: list[Quarter]  # quarters with transactions, latest first
    _memo: dict[Any, Any] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def memo(self, key: Any, build: Callable[[], T]) -> T:
        """Compute once per load; concurrent requests for the same key wait for the first."""
        with self._lock:
            if key not in self._memo:
                self._memo[key] = build()
            return cast(T, self._memo[key])  # what `build` returned for this key

    def quarter(self, text: str | None) -> Quarter | None:
        """The quarter asked for, if the books have it; else the latest."""
        asked = Quarter.parse(text) if text else None
        if asked in self.quarters:
            return asked
        return self.quarters[0] if self.quarters else None

    def disclosure(self, quarter: Quarter) -> Public[Disclosure]:
        return self.memo(("disclosure", quarter), lambda: self._disclose(quarter))

    def _disclose(self, quarter: Quarter) -> Public[Disclosure]:
        state = self.audit.seal(quarter)
        # as `village-ledger disclose` dates it: the sealing day, or today while unsealed
        published = state.day if state else date.today()
        report = build_disclosure(
            self.model, quarter, published=published, findings=self.audit.findings, books=self.books
        )
        if state is not None:
            # the digest the originals were sealed with, whatever the served copy says
            report.signature = dataclasses.replace(
                report.signature, seal_digest=state.digest, seal_day=state.day
            )
        # the names as given, not the masker's forms of them: a given name alone (永福 of
        # 程永福) taken for a whole name would be masked otherwise than on paper (永* for **)
        names = report.relief_payees | self.masker.names
        return publish(report, names, report.public_names | self.masker.public)


def quarters_of(model: LedgerModel) -> list[Quarter]:
    return sorted({Quarter.of(t.date) for t in model.vouchers}, reverse=True)


def load_village(ledger: FavaLedger, sidecar: Path | None) -> Village:
    audit = read_sidecar(sidecar) if sidecar is not None else None
    options = dict(ledger.options)
    if audit is not None:
        # a served copy or wrapper stands in for the village's main file: the model must know
        # which folder is the village (its policy may only tighten the township's)
        options["filename"] = audit.ledger
    model: LedgerModel | None = None
    if audit is None:
        audit, model = audit_in_process(ledger.beancount_file_path)
    if model is None:
        # fava types its entries with its own protocol classes; they are Beancount's directives
        model = build_model(list(ledger.all_entries), options)  # type: ignore[arg-type]
    return Village(
        model=model,
        books=Books.of(model),
        audit=audit,
        masker=Masker(private_names(model), officers(model)),
        quarters=quarters_of(model),
    )


_villages: dict[str, tuple[tuple[int, int], Village]] = {}
_loading = threading.Lock()


def village_for(ledger: FavaLedger, sidecar: Path | None) -> Village:
    """The ledger's village as loaded now; rebuilt after Fava reloads it or the sidecar changes.

    The cached village holds the entries list it was built from, so the list's id cannot be
    reused by a later load while the cache entry lives.
    """
    key = (id(ledger.all_entries), _mtime(sidecar))
    path = ledger.beancount_file_path
    with _loading:
        cached = _villages.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        village = load_village(ledger, sidecar)
        _villages[path] = (key, village)
        return village


def forget(ledger: FavaLedger) -> None:
    with _loading:
        _villages.pop(ledger.beancount_file_path, None)


def _mtime(path: Path | None) -> int:
    if path is None:
        return 0
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def year_quarters(quarters: Sequence[Quarter]) -> dict[int, list[Quarter]]:
    """Quarters grouped by year, both in calendar order."""
    years: dict[int, list[Quarter]] = {}
    for quarter in sorted(quarters):
        years.setdefault(quarter.year, []).append(quarter)
    return years
