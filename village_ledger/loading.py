"""Loading a village's ledger once, with Beancount's own loader and validations.

The pickle cache of Beancount's loader is turned off in this process: it would write files next
to the user's ledger, and a cached result computed while the plugins stepped aside would hide
the rules' errors from a later bean-check.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data
from beancount.ops import validation

from village_ledger.beancount_messages import in_chinese
from village_ledger.beancount_plugin import deferred
from village_ledger.gcpause import paused_gc

_cache_off = False


@dataclass
class LoadedLedger:
    main_file: str
    entries: list[data.Directive]
    errors: list[Any]
    options: dict[str, Any]


def _disable_cache() -> None:
    global _cache_off
    if not _cache_off:
        loader.initialize(use_cache=False)
        _cache_off = True


def load_ledger(main_file: str | os.PathLike[str], *, run_plugins: bool = False) -> LoadedLedger:
    """Parse, book, run the ledger's other plugins and validate, as bean-check does.

    With `run_plugins=False` village-ledger's own plugin lines step aside, for a caller that
    runs the rules itself.
    """
    _disable_cache()
    path = str(Path(main_file).resolve())
    if run_plugins:
        entries, errors, options = _load(path)
    else:
        with deferred():
            entries, errors, options = _load(path)
    return LoadedLedger(path, entries, [explain(e, options) for e in errors], options)


def _load(path: str) -> tuple[list[data.Directive], list[Any], dict[str, Any]]:
    # Beancount's loader leaves no reference cycles to collect (peak memory is the same either
    # way), but the collector's passes over the growing list of entries cost a quarter of the load.
    with paused_gc():
        return loader.load_file(path, extra_validations=validation.HARDCORE_VALIDATIONS)


_GLOB = re.compile(r'File glob "(?P<pattern>[^"]+)" does not match any files')


def explain(error: Any, options: dict[str, Any]) -> Any:
    """Beancount's errors in Chinese, the English kept in brackets; a missing include and a file
    that is not UTF-8 are also pointed at the line to fix."""
    if not hasattr(error, "_replace"):
        return error
    plain = _made_plain(error, options)
    if plain is not None:
        return plain
    return error._replace(message=in_chinese(str(error.message)))


def _made_plain(error: Any, options: dict[str, Any]) -> Any | None:
    source = getattr(error, "source", None) or {}
    filename = str(source.get("filename", ""))
    match = _GLOB.search(str(error.message))
    if match and filename.startswith("<"):
        main = str(options.get("filename", ""))
        line = _line_of(main, match.group("pattern"))
        message = f"include 的文件不存在：{match.group('pattern')}（{error.message}）"
        return error._replace(source={"filename": main, "lineno": line}, message=message)
    if "Invalid token" in str(error.message) and filename and not filename.startswith("<"):
        bad_line = _first_non_utf8_line(filename)
        if bad_line:
            message = f"文件不是 UTF-8 编码（第 {bad_line} 行起无法解码），请以 UTF-8 保存"
            return error._replace(
                source={"filename": filename, "lineno": bad_line}, message=message
            )
    return None


def _line_of(filename: str, needle: str) -> int:
    try:
        with open(filename, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if needle in line:
                    return number
    except OSError:
        pass
    return 0


def _first_non_utf8_line(filename: str) -> int:
    try:
        with open(filename, "rb") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return number
    except OSError:
        pass
    return 0
