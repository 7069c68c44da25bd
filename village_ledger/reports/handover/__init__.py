"""The handover audit (换届/离任交接审计): one village, one handover date, three signatories.

`resolve_parties(model, day, outgoing, incoming, supervisor)` checks the three names against
the roster and finds the roles handed over (`parties`); `build_handover(model, parties)`
computes every table once (`report`, from the tables of `inventory`, `term` and `findings`);
`render.render` masks it and lays it out with the renderers of `handover.render`.

The cut-off is the start of the handover day D: book figures are the balances at the end of
D−1, the outgoing term runs to D−1, and a verified figure is a `balance` assertion dated D.
This matches the roster, where a `离任` dated D is the first day the outgoing person no longer
holds the role. Where each figure comes from is written in docs/handover.md.
"""

from village_ledger.reports.handover.parties import (
    HandoverError,
    Parties,
    resolve_parties,
)
from village_ledger.reports.handover.report import Handover, build_handover

__all__ = [
    "Handover",
    "HandoverError",
    "Parties",
    "build_handover",
    "resolve_parties",
]
