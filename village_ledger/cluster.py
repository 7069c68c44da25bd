"""Villages as tasks on an existing Dask distributed cluster (`check --scheduler ADDRESS`).

The audit service hands each village to the cluster as one task, `audit.audit_village` on its
main file, and gets back what the local worker processes give back: findings, the summaries of
the cross-village rules, the `整改` records (never a model). The cross-village rules and the
settling of every finding against the `整改` run on the client, in `audit.combine`, exactly as
in a local run, so the output is the same.

The workers read the villages' files themselves, at the paths the client found them: the
ledgers must be at the same path on the client and on every worker (an NFS or object-store
mount). A result cache (`village_ledger.cache`) is used by the workers at the folder the client
names, so it too belongs on the shared path. Dask is imported only when a scheduler is named.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from village_ledger.audit import Derive, Progress, VillageAudit
    from village_ledger.cache import ResultCache
    from village_ledger.engine import Selector


class ClusterError(Exception):
    """The scheduler cannot be reached; the message is for the user."""


def audit_on_cluster(
    address: str,
    mains: Sequence[os.PathLike[str]],
    selector: Selector,
    day: date,
    derive: Derive | None,
    cache: ResultCache | None,
    progress: Progress | None,
) -> list[VillageAudit]:
    """Each village audited as a task on the cluster at `address`, in the order of `mains`."""
    from distributed import Client, as_completed

    from village_ledger.audit import audit_village

    try:
        # how long to try is Dask's own setting (distributed.comm.timeouts.connect, 30 s)
        client = Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"无法连接 Dask 调度器 {address}：{exc}") from None
    with client:
        # pure=False: a village is audited again on every run (the cache decides what is reused)
        futures = client.map(
            audit_village,
            [str(main) for main in mains],
            selector=selector,
            as_of=day,
            keep_model=False,
            derive=derive,
            cache=cache,
            pure=False,
        )
        if progress is not None:
            for done in as_completed(futures):
                progress(done.result())
        results: list[VillageAudit] = client.gather(futures)
    return results
