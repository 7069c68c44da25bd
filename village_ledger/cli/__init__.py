"""The `village-ledger` command line: argument parsing, paths and output formats only."""

from __future__ import annotations

import gc


def run() -> None:
    """The `village-ledger` executable: `cli.main` imported with the garbage collector paused,
    and what the imports made then frozen out of its sight.

    The command line, Beancount and the rules make a few hundred thousand objects that live as
    long as the process; the collector's passes over them, while they are made and in every
    later collection, cost about 0.05 s of a 1k village's check (a tenth of it). They are never
    garbage, so `gc.freeze()` leaves them out of every collection."""
    gc.disable()
    try:
        from village_ledger.cli.main import main
    finally:
        gc.freeze()
        gc.enable()
    main()
