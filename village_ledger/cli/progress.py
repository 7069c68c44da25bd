"""Progress bars (rich) for the long runs: many villages checked, exported, generated.

A bar is drawn on standard error and only when it is a terminal, so output piped to a file or
read by CI stays exactly the findings.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any


@contextlib.contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[Any], None] | None]:
    """A callback that advances a bar of `total` steps by one, or None where no bar is shown
    (standard error is no terminal, or there is a single step)."""
    if total < 2 or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda _done: bar.advance(task)
