"""The model of one village's books, built once from a loaded ledger; every rule reads it.

`build_model(entries, options_map)` classifies accounts from the chart, reads the roster,
resolutions, policy and seals from the custom directives, and lists the payments. Directives
that are malformed become VL901 hits (`model.config_hits`); village policy looser than the
township's becomes VL902 hits (`model.policy.looser`).
"""

from __future__ import annotations

import functools
import os
from datetime import date
from pathlib import Path
from typing import Any

from beancount.core import data, flags

from village_ledger.findings import Hit
from village_ledger.gcpause import without_gc
from village_ledger.model import vocab
from village_ledger.model.accounts import AccountInfo, Chart
from village_ledger.model.contracts import Assets, Contracts
from village_ledger.model.directives import Directive, is_ours, read_directive
from village_ledger.model.figures import Figures
from village_ledger.model.meetings import Meeting, Meetings
from village_ledger.model.payments import Payment, find_payments
from village_ledger.model.period import Period
from village_ledger.model.policy import Policy
from village_ledger.model.publication import PublicUrls
from village_ledger.model.rectifications import Rectifications
from village_ledger.model.roster import Roster
from village_ledger.model.seals import Quarter, Seals

__all__ = [
    "AccountInfo",
    "LedgerModel",
    "Meeting",
    "Payment",
    "Period",
    "Quarter",
    "build_model",
    "village_of",
]


def village_of(main_file: str | os.PathLike[str]) -> str:
    """A village is named by the folder that holds its main file."""
    return Path(main_file).resolve().parent.name


class LedgerModel:
    """A village's books as the rules and reports read them. (A plain class, not a dataclass:
    `check` imports it, and a dataclass compiles its methods' source at import.)"""

    def __init__(
        self,
        village: str,
        title: str,
        main_file: str,
        village_dir: str,
        entries: list[data.Directive],
        transactions: list[data.Transaction],
        vouchers: list[data.Transaction],
        chart: Chart,
        roster: Roster,
        meetings: Meetings,
        policy: Policy,
        seals: Seals,
        payments: list[Payment],
        rectifications: Rectifications,
        contracts: Contracts,
        assets: Assets,
        options: dict[str, Any],
        config_hits: list[Hit] | None = None,
        as_of: date | None = None,
        township_dir: str = "",
        public_urls: PublicUrls | None = None,
    ) -> None:
        self.village = village
        self.title = title
        self.main_file = main_file
        self.village_dir = village_dir
        self.entries = entries
        self.transactions = transactions  # every transaction, padding included
        self.vouchers = vouchers  # transactions the accountant booked (not pad-generated)
        self.chart = chart
        self.roster = roster
        self.meetings = meetings
        self.policy = policy
        self.seals = seals
        self.payments = payments
        self.rectifications = rectifications
        self.contracts = contracts
        self.assets = assets
        self.options = options
        self.config_hits = config_hits if config_hits is not None else []
        # the day today-dependent rules (VL603) judge by; None: `sealing.today()` when they run
        self.as_of = as_of
        # where the township's chart comes from; "" when it has none
        self.township_dir = township_dir
        # the township's public server (`公开网址`) on each day, where a sheet's QR code leads
        self.public_urls = (
            public_urls if public_urls is not None else PublicUrls((), lambda d: True)
        )

    def __repr__(self) -> str:
        return f"LedgerModel(village={self.village!r}, main_file={self.main_file!r})"

    @functools.cached_property
    def figures(self) -> Figures:
        """The figures rules judge by and reports print, computed on first use and kept."""
        return Figures(self)

    def account(self, name: str) -> AccountInfo:
        return self.chart.get(name)

    def release(self) -> None:
        """Forget the figures, for a caller done with the model. The figures refer back to the
        model, and that cycle would keep the model, its books and every `per_model` result
        alive until Python's next full collection: over many villages in one process, that
        collection walks every earlier village still waiting (the audit service calls this)."""
        self.__dict__.pop("figures", None)

    def is_township_file(self, filename: str) -> bool:
        return is_township_file(filename, self.village_dir, self.township_dir)

    def is_foreign_file(self, filename: str) -> bool:
        """A file of the books that is neither the village's own nor the township's."""
        return is_foreign_file(filename, self.village_dir, self.township_dir)


def is_in_folder(filename: str, folder: str) -> bool:
    return bool(folder) and os.path.abspath(filename).startswith(folder + os.sep)


def is_township_file(filename: str, village_dir: str, township_dir: str) -> bool:
    """The township's own files: those in the folder its chart comes from, or below it.

    When that folder holds the village folders themselves (a chart at the top of the tree),
    only the files directly in it are the township's: the folders below are villages'.
    """
    if not township_dir or not filename or filename.startswith("<"):
        return False
    if is_in_folder(filename, village_dir):
        return False
    if is_in_folder(village_dir, township_dir):
        return os.path.dirname(os.path.abspath(filename)) == township_dir
    return is_in_folder(filename, township_dir)


def is_foreign_file(filename: str, village_dir: str, township_dir: str) -> bool:
    if not village_dir or not filename or filename.startswith("<"):
        return False
    return not is_in_folder(filename, village_dir) and not is_township_file(
        filename, village_dir, township_dir
    )


def township_folder(opens: list[data.Open], village_dir: str) -> str:
    """The township's folder: where its chart comes from (`beside_the_villages`); "" when no
    chart is outside the village folder.

    The chart's folder is, outside the village folder, the folder whose files open the most
    first-level accounts (`Assets:101-库存现金`). Only one file can open an account, so a file a
    village adds outside its folder cannot take the chart's place without the township's chart
    losing its accounts.
    """
    if not village_dir:
        return ""
    counts: dict[str, int] = {}
    for entry in opens:
        filename = str((entry.meta or {}).get("filename", ""))
        if entry.account.count(":") != 1 or not filename or filename.startswith("<"):
            continue
        if is_in_folder(filename, village_dir):
            continue
        folder = os.path.dirname(os.path.abspath(filename))
        counts[folder] = counts.get(folder, 0) + 1
    if not counts:
        return ""
    chart_dir = min(counts, key=lambda folder: (-counts[folder], folder))
    return beside_the_villages(chart_dir, village_dir)


def beside_the_villages(chart_dir: str, village_dir: str) -> str:
    """The township's folder given its chart's: the chart may sit in a sub-folder of it
    (`乡镇/科目表/资产类.beancount` beside `乡镇/财务制度.beancount`). From the chart's folder,
    climb to the parent while the parent is the township's too: not above the village folder,
    holding no village (`main.beancount`), and holding ledger files of its own beside the
    folder climbed from (its own files, or those one folder down). A chart at the top of the
    tree (the village folder is below it) keeps its own folder.
    """
    folder = chart_dir
    while True:
        parent = os.path.dirname(folder)
        if (
            parent == folder
            or is_in_folder(village_dir, parent)
            or not _township_above(parent, folder)
        ):
            return folder
        folder = parent


def _township_above(parent: str, below: str) -> bool:
    """`parent` holds no village and has ledger files of its own outside `below`."""
    root = Path(parent)
    try:
        if (root / "main.beancount").exists() or any(root.glob("*/main.beancount")):
            return False
        files = [*root.glob("*.beancount"), *root.glob("*/*.beancount")]
    except OSError:
        return False
    return any(not is_in_folder(str(f), below) for f in files)


def is_opening(entry: data.Transaction) -> bool:
    """The 期初余额 of a new village's books (`opening: TRUE`): the old books' balances carried
    in, not a 记账凭证 of these books, so it is no voucher and no payment."""
    return entry.meta.get("opening") is True


@without_gc
def build_model(
    entries: list[data.Directive], options_map: dict[str, Any], as_of: date | None = None
) -> LedgerModel:
    main_file = str(options_map.get("filename") or "<string>")
    village_dir = (
        os.path.dirname(os.path.abspath(main_file)) if not main_file.startswith("<") else ""
    )
    opens: list[data.Open] = []
    transactions: list[data.Transaction] = []
    by_kind: dict[str, list[Directive]] = {kind: [] for kind in vocab.DIRECTIVES}
    config_hits: list[Hit] = []
    for entry in entries:
        if isinstance(entry, data.Transaction):
            transactions.append(entry)
        elif isinstance(entry, data.Open):
            opens.append(entry)
        elif isinstance(entry, data.Custom) and is_ours(entry):
            read = read_directive(entry)
            if isinstance(read, Hit):
                config_hits.append(read)
            else:
                by_kind[read.kind].append(read)

    chart = Chart(opens)
    township_dir = township_folder(opens, village_dir)

    def from_township(d: Directive) -> bool:
        return is_township_file(str(d.meta.get("filename", "")), village_dir, township_dir)

    people = by_kind[vocab.APPOINT] + by_kind[vocab.LEAVE] + by_kind[vocab.RELATIVE]
    roster = Roster(people, from_township)
    meetings = Meetings(by_kind[vocab.RESOLUTION])
    seals = Seals(by_kind[vocab.SEAL])
    policy = Policy(by_kind[vocab.POLICY], from_township)
    public_urls = PublicUrls(by_kind[vocab.PUBLIC_URL], from_township)
    vouchers = [t for t in transactions if t.flag != flags.FLAG_PADDING and not is_opening(t)]
    payments = find_payments(vouchers, chart)
    rectifications = Rectifications(by_kind[vocab.RECTIFY], roster, meetings, vouchers, people)
    config_hits += chart.hits + roster.hits + meetings.hits + policy.hits + seals.hits
    contracts = Contracts(by_kind[vocab.CONTRACT], by_kind[vocab.CONTRACT_CHANGE])
    assets = Assets(by_kind[vocab.ASSET], by_kind[vocab.DISPOSAL], chart)
    config_hits += rectifications.hits + contracts.hits + assets.hits
    config_hits += public_urls.hits
    return LedgerModel(
        village=village_of(main_file) if village_dir else "",
        title=str(options_map.get("title") or ""),
        main_file=main_file,
        village_dir=village_dir,
        entries=entries,
        transactions=transactions,
        vouchers=vouchers,
        chart=chart,
        roster=roster,
        meetings=meetings,
        policy=policy,
        seals=seals,
        payments=payments,
        rectifications=rectifications,
        contracts=contracts,
        assets=assets,
        options=options_map,
        config_hits=config_hits,
        as_of=as_of,
        township_dir=township_dir,
        public_urls=public_urls,
    )
