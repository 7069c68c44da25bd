"""The per-village result cache: a village whose files did not change is not loaded again.

A village's result is what the audit service keeps of it once its books are judged: its
findings, the summaries the cross-village rules (VL303) read, its `整改` records, its title, and
the day-free state of the rules judged as of a day (VL603, `registry.Dated`). It is stored under
a *slot* named by the village's main file, the tool and the selected rules, together with the
*key* of its input: the hash of the bytes of every file the village loads (the main file, every
include, the township's chart, policy and staff files). A later run walks the same includes
again, hashes the files, and when the key matches takes the stored result instead of loading
the books; the rules judged as of a day are judged again on the run's day, the cross-village
rules run over every village's summary and the `整改` settle every finding, cached or not, so a
cached run gives exactly the findings of an uncached one.

Beside a village's result, a caller may keep a *product* of its books under a name (the
export's tables, `village_ledger.export`): one more file in the slot's folder, under the same
key, so a command that needs more than findings reuses what another command derived from the
same files. A product must depend on nothing but those files and the tool.

What is "the tool": its version, a hash of its own source (the `village_ledger` package and its
rule plugins) and Beancount's version, so editing a rule or upgrading never serves an old result.
What the key does not see: Python plugins of the ledger's own (a `plugin` line naming a module
outside village-ledger) and documents folders; run with `--no-cache` when those change.

Where: `VILLAGE_LEDGER_CACHE_DIR` when set, else `$XDG_CACHE_HOME/village-ledger`, else
`.village-ledger-cache/` in the working directory. An entry is one file per slot, written
atomically; an entry that cannot be read (cut short, another version's, not a cache entry at
all) is a miss and is written anew, never an error. The entries are pickles: the folder must be
writable by no one the user does not trust to run code as him (as the tool's own installation).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from typing import Any

from village_ledger.findings import Finding, Rectification
from village_ledger.registry import Rule

FORMAT = 1  # of the entries; a change makes every old entry a miss
ENV_DIR = "VILLAGE_LEDGER_CACHE_DIR"
FOLDER_NAME = ".village-ledger-cache"

# what Beancount reads as an include: the directive, its quoted path (escapes allowed)
# (after the byte order mark Notepad writes at the start of a UTF-8 file, which the loader skips)
_INCLUDE = re.compile(rb'^(?:\xef\xbb\xbf)?[ \t]*include[ \t]+"((?:[^"\\\n]|\\.)*)"', re.MULTILINE)
_MISSING = "missing"
_PRODUCT_NAME = re.compile(r"[a-z][a-z0-9-]*")


def default_folder() -> Path:
    """Where the cache lives when the caller names no folder (see the module's docstring)."""
    named = os.environ.get(ENV_DIR, "").strip()
    if named:
        return Path(named).resolve()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg:
        return (Path(xdg) / "village-ledger").resolve()
    return Path(FOLDER_NAME).resolve()


@dataclass(frozen=True)
class CachedVillage:
    """What a village's audit leaves once its books are judged, whatever the day."""

    village: str
    main_file: str
    title: str
    findings: list[Finding]  # every finding but those of rules judged as of a day
    summaries: dict[str, Any]
    rectifications: list[Rectification]
    dated: dict[str, Any]  # code -> the state `registry.Dated.judge` reads


@dataclass(frozen=True)
class Lookup:
    """A village's slot and key in this run, and the stored result if the key matched."""

    slot: str
    key: str
    hashed: dict[str, str]  # path -> digest of the files hashed to make the key
    found: CachedVillage | None


@dataclass(frozen=True)
class ResultCache:
    """The cache in `folder` (see the module's docstring); picklable, so a worker process or a
    cluster's worker uses the same folder (on the path they share)."""

    folder: Path

    @classmethod
    def default(cls) -> ResultCache:
        return cls(default_folder())

    def lookup(self, main_file: str | os.PathLike[str], rules: Sequence[Rule]) -> Lookup:
        slot, key, hashed = _slot_and_key(main_file, rules)
        return Lookup(slot, key, hashed, self._lookup_found(slot, key, hashed))

    def store(self, lookup: Lookup, loaded_files: Iterable[str], result: CachedVillage) -> None:
        """Keep `result` under the lookup's slot. `loaded_files` are the files the loader really
        read; each is checked again on a hit (they are normally the walked ones)."""
        self._keep(self._path(lookup.slot), lookup, loaded_files, result)

    def product(self, lookup: Lookup, name: str) -> Any:
        """The product kept under `name` for the lookup's key; None when there is none."""
        return self._read(self._path(lookup.slot, name), lookup.key, lookup.hashed)

    def store_product(
        self, lookup: Lookup, name: str, loaded_files: Iterable[str], value: Any
    ) -> None:
        """Keep `value` (not None, picklable) as the product `name` of the lookup's files."""
        self._keep(self._path(lookup.slot, name), lookup, loaded_files, value)

    def _keep(self, target: Path, lookup: Lookup, loaded_files: Iterable[str], value: Any) -> None:
        files = {f: lookup.hashed.get(f) or file_digest(f) for f in loaded_files}
        entry = (FORMAT, lookup.key, files, value)
        # a cache that cannot be written only costs the next run its time
        with contextlib.suppress(OSError):
            self._write(target, pickle.dumps(entry, pickle.HIGHEST_PROTOCOL))

    def _path(self, slot: str, product: str | None = None) -> Path:
        if product is not None and not _PRODUCT_NAME.fullmatch(product):
            raise ValueError(f"not a product name: {product!r}")
        name = slot if product is None else f"{slot}.{product}"
        return self.folder / f"v{FORMAT}" / slot[:2] / f"{name}.pickle"

    def _lookup_found(self, slot: str, key: str, hashed: dict[str, str]) -> CachedVillage | None:
        result = self._read(self._path(slot), key, hashed)
        return result if isinstance(result, CachedVillage) else None

    @staticmethod
    def _read(target: Path, key: str, hashed: dict[str, str]) -> Any:
        """What is kept at `target` for `key`, its files unchanged; None for anything else."""
        try:
            raw = target.read_bytes()
        except OSError:
            return None
        try:
            form, stored_key, files, value = pickle.loads(raw)
        except Exception:  # cut short, overwritten, not ours: a miss
            return None
        if form != FORMAT or stored_key != key or not isinstance(files, dict):
            return None
        for path, digest in files.items():
            if (hashed.get(path) or file_digest(path)) != digest:
                return None
        return value

    @staticmethod
    def _write(target: Path, data: bytes) -> None:
        import tempfile  # here, not at the top: a run that finds every village stored writes none

        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".entry-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def village_key(main_file: str | os.PathLike[str], rules: Sequence[Rule]) -> str:
    """One hash of what a village's result depends on, whatever the day: the tool, the main
    file's path, the selected rules and the bytes of every file it loads (an export's key)."""
    slot, key, _ = _slot_and_key(main_file, rules)
    return _digest([slot, key])


def _slot_and_key(
    main_file: str | os.PathLike[str], rules: Sequence[Rule]
) -> tuple[str, str, dict[str, str]]:
    main = str(Path(main_file).resolve())  # as the loader names it
    slot = _digest([tool_fingerprint(), main, *rule_fingerprints(rules)])
    hashed = input_files(main)
    return slot, _key(hashed), hashed


def input_files(main_file: str) -> dict[str, str]:
    """Every file a village loads, by following its `include` lines from the main file as
    Beancount does (paths relative to the including file, globs expanded), each with the
    digest of its bytes ("missing" for a path that is no readable file)."""
    found: dict[str, str] = {}
    pending = [main_file]
    while pending:
        path = os.path.normpath(pending.pop())
        if path in found:
            continue
        data = _read_regular(path)
        if data is None:
            found[path] = _MISSING
            continue
        found[path] = hashlib.sha256(data).hexdigest()
        if b"include" not in data:  # a year's file: no line-by-line scan of its megabytes
            continue
        folder = os.path.dirname(path)
        for match in _INCLUDE.finditer(data):
            name = _unescape(match.group(1))
            pattern = name if os.path.isabs(name) else os.path.join(folder, name)
            matched = glob(pattern, recursive=True)
            pending.extend(matched or [pattern])
    return found


def file_digest(path: str) -> str:
    data = _read_regular(path)
    return _MISSING if data is None else hashlib.sha256(data).hexdigest()


def _read_regular(path: str) -> bytes | None:
    """A regular file's bytes; None for anything else (a folder, a device or a pipe the
    loader refuses too, a missing or unreadable file)."""
    if not os.path.isfile(path):
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="surrogateescape")
    return re.sub(r"\\(.)", r"\1", text)


def _key(hashed: dict[str, str]) -> str:
    return _digest(f"{path}\x00{digest}" for path, digest in sorted(hashed.items()))


def _digest(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", errors="surrogateescape"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def rule_fingerprints(rules: Sequence[Rule]) -> list[str]:
    """The selected rules, each by code, severity and the function that checks it."""
    return [
        f"{r.code}:{r.severity}:{r.check.__module__}.{r.check.__qualname__}"
        for r in sorted(rules, key=lambda r: r.code)
    ]


@functools.cache
def tool_fingerprint() -> str:
    """The version, the source of village-ledger's package and rule plugins, Beancount's
    version: a change to any of them is another tool."""
    import importlib

    import beancount

    import village_ledger
    from village_ledger import __version__

    plugins = importlib.import_module("village_ledger.plugins")

    parts = [__version__, str(getattr(beancount, "__version__", ""))]
    roots = [Path(village_ledger.__file__).parent, Path(str(plugins.__file__)).parent]
    for root in roots:
        for source in sorted(root.rglob("*.py")):
            parts.append(str(source.relative_to(root)))
            parts.append(hashlib.sha256(source.read_bytes()).hexdigest())
    return _digest(parts)
