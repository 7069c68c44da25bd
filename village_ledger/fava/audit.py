"""What the dashboard says about a village's books: its findings and whether its seals hold.

`village-ledger serve` computes this from the *original* ledgers and hands it to the extension
as a JSON sidecar, because the public copies it serves are masked: masking changes payees and
narrations, so rules run over a copy would report broken seals and other problems that exist
only in the copy. The messages are masked before they are written, like every public text.

Without a sidecar (the extension enabled in a ledger and run with plain `fava`), the extension
asks the audit service (`village_ledger.audit`) about the ledger's main file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from village_ledger import sealing
from village_ledger.findings import Finding, Rectification, Severity
from village_ledger.model import LedgerModel, Quarter
from village_ledger.verification import RecordedSeal

FORMAT = 1


@dataclass(frozen=True)
class SealState:
    quarter: Quarter
    digest: str
    day: date
    intact: bool  # the books of the quarter still match the digest
    deadline: date | None = None  # the last day to publish and seal it

    def recorded(self) -> RecordedSeal:
        return RecordedSeal(self.digest, self.day, self.intact, self.deadline)


@dataclass
class Audit:
    """Findings and seal states of one village, with file paths as the served ledger has them."""

    ledger: str  # the main file whose folder is the village (what the model is built from)
    findings: list[Finding] = field(default_factory=list)
    seals: dict[Quarter, SealState] = field(default_factory=dict)

    def seal(self, quarter: Quarter) -> SealState | None:
        return self.seals.get(quarter)


def seal_states(model: LedgerModel) -> dict[Quarter, SealState]:
    """Each seal in the books and whether it holds, as `village_ledger.sealing` answers it."""
    return {
        state.quarter: SealState(
            state.quarter, seal.digest, seal.day, not state.broken, state.deadline
        )
        for state in sealing.checked_seals(model)
        if (seal := state.seal) is not None
    }


def audit_in_process(main_file: str) -> tuple[Audit, LedgerModel | None]:
    """The audit of a ledger served as it is (no sidecar): the audit service's over its main
    file, the same findings `village-ledger check` reports, and the model it built."""
    from village_ledger.audit import audit

    village = audit([main_file]).villages[0]
    model = village.model
    seals = seal_states(model) if model is not None else {}
    return Audit(village.main_file, village.findings, seals), model


# --- the sidecar ------------------------------------------------------------------------


def finding_record(finding: Finding) -> dict[str, Any]:
    return {
        "file": finding.file,
        "line": finding.line,
        "date": finding.date.isoformat() if finding.date else None,
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "amount": str(finding.amount) if finding.amount is not None else None,
        "policy": finding.policy,
        "subject": finding.subject,
        "rectified": rectification_record(finding.rectified) if finding.rectified else None,
    }


def rectification_record(record: Rectification) -> dict[str, Any]:
    return {
        "code": record.code,
        "subject": record.subject,
        "day": record.day.isoformat(),
        "way": record.way,
        "accepted_by": record.accepted_by,
        "evidence": record.evidence,
        "file": record.file,
        "line": record.line,
    }


def rectification_of(record: dict[str, Any]) -> Rectification:
    return Rectification(
        code=str(record["code"]),
        subject=str(record["subject"]),
        day=date.fromisoformat(record["day"]),
        way=str(record["way"]),
        accepted_by=str(record["accepted_by"]),
        evidence=str(record.get("evidence") or ""),
        file=str(record.get("file") or ""),
        line=int(record.get("line") or 0),
    )


def finding_of(village: str, record: dict[str, Any]) -> Finding:
    return Finding(
        village=village,
        file=str(record["file"]),
        line=int(record["line"]),
        date=date.fromisoformat(record["date"]) if record.get("date") else None,
        rule=str(record["rule"]),
        severity=Severity(record["severity"]),
        message=str(record["message"]),
        amount=Decimal(record["amount"]) if record.get("amount") is not None else None,
        policy=record.get("policy"),
        subject=str(record.get("subject") or ""),
        rectified=rectification_of(record["rectified"]) if record.get("rectified") else None,
    )


def to_json(audit: Audit, village: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "village": village,
        "ledger": audit.ledger,
        "findings": [finding_record(f) for f in audit.findings],
        "seals": [
            {
                "period": str(s.quarter),
                "digest": s.digest,
                "day": s.day.isoformat(),
                "intact": s.intact,
                "deadline": s.deadline.isoformat() if s.deadline else None,
            }
            for s in audit.seals.values()
        ],
    }


def from_json(document: dict[str, Any]) -> Audit:
    village = str(document.get("village", ""))
    seals = {}
    for record in document.get("seals", []):
        quarter = Quarter.parse(record["period"])
        if quarter is not None:
            deadline = record.get("deadline")
            seals[quarter] = SealState(
                quarter,
                record["digest"],
                date.fromisoformat(record["day"]),
                record["intact"],
                date.fromisoformat(deadline) if deadline else None,
            )
    return Audit(
        ledger=str(document["ledger"]),
        findings=[finding_of(village, r) for r in document.get("findings", [])],
        seals=seals,
    )


def write_sidecar(path: Path, audit: Audit, village: str) -> None:
    """Replace the sidecar in one step, so the extension never reads half of it."""
    text = json.dumps(to_json(audit, village), ensure_ascii=False)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


def read_sidecar(path: Path) -> Audit:
    return from_json(json.loads(path.read_text(encoding="utf-8")))
