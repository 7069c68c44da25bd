"""The one type every rule, Beancount error and report speaks: a finding."""

from __future__ import annotations

import os
from collections import namedtuple
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from village_ledger.money import to_cents

BEANCOUNT = "BEANCOUNT"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


SEVERITY_ZH = {"error": "错误", "warning": "预警"}


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule reports: where and what. The engine adds code, severity and village."""

    meta: dict[str, Any]
    message: str
    day: date | None = None
    amount: Decimal | None = None
    policy: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    village: str
    file: str
    line: int
    date: date | None
    rule: str
    severity: Severity
    message: str
    amount: Decimal | None = None
    policy: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def display_file(self, base: str | None = None) -> str:
        """The file relative to the working directory when it lies below it."""
        if not self.file or self.file.startswith("<"):
            return self.file
        base = base or os.getcwd()
        try:
            rel = os.path.relpath(self.file, base)
        except ValueError:
            return self.file
        return self.file if rel.startswith("..") else rel

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "village": self.village,
            "file": self.display_file(),
            "line": self.line,
            "date": self.date.isoformat() if self.date else None,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "amount": f"{to_cents(self.amount):.2f}" if self.amount is not None else None,
        }
        if self.policy:
            record["policy"] = self.policy
        return record


# Beancount's own error shape: (source, message, entry), as its plugins define them.
VillageLedgerError = namedtuple("VillageLedgerError", "source message entry")


def to_beancount_error(finding: Finding, entry: Any = None) -> VillageLedgerError:
    label = "" if finding.is_error else "[预警] "
    source = {"filename": finding.file, "lineno": finding.line}
    return VillageLedgerError(source, f"{finding.rule} {label}{finding.message}", entry)


def meta_location(meta: dict[str, Any] | None) -> tuple[str, int]:
    if not meta:
        return "<unknown>", 0
    return str(meta.get("filename", "<unknown>")), int(meta.get("lineno", 0) or 0)
