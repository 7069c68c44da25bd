"""The one type every rule, Beancount error and report speaks: a finding.

A finding names what it is about (`subject`: the voucher number, or the identity of the
directive or entry, never a line number) so that a 整改 in the books and a baseline file can
point at it however the files are edited. A finding that a 整改 put right keeps its place in
history: it is reported as 已整改 with its `Rectification`, and no longer fails a check.
"""

from __future__ import annotations

import hashlib
import os
from collections import namedtuple
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from village_ledger.money import to_cents

BEANCOUNT = "BEANCOUNT"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


SEVERITY_ZH = {"error": "错误", "warning": "预警"}


class Hit(NamedTuple):
    """What a rule reports: where and what. The engine adds code, severity and village."""

    meta: dict[str, Any]
    message: str
    day: date | None = None
    amount: Decimal | None = None
    policy: str | None = None
    # what the finding is about, when the rule names it itself (a rule judged without the
    # model, as of a day, cannot look up the entry at `meta`)
    subject: str | None = None


class Rectification(NamedTuple):
    """A `整改` directive: the finding it puts right (code and subject), when, how and who
    accepted it. `standing` says why the acceptor may not accept it (None when he may)."""

    code: str
    subject: str
    day: date
    way: str
    accepted_by: str
    evidence: str = ""  # the correcting voucher or the resolution, when given
    file: str = ""
    line: int = 0
    standing: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "way": self.way,
            "accepted_by": self.accepted_by,
            "evidence": self.evidence or None,
            "file": display_file(self.file),
            "line": self.line,
        }


class Finding(NamedTuple):
    village: str
    file: str
    line: int
    date: date | None
    rule: str
    severity: Severity
    message: str
    amount: Decimal | None = None
    policy: str | None = None
    subject: str = ""  # what it is about: a voucher number or a directive's identity
    rectified: Rectification | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_open(self) -> bool:
        return self.rectified is None

    @property
    def fails(self) -> bool:
        """An open error fails a check; a rectified one no longer does."""
        return self.is_open and self.is_error

    @property
    def status(self) -> str:
        return "open" if self.is_open else "rectified"

    @property
    def identity(self) -> tuple[str, str, str]:
        """What the finding is, whatever line it sits on: code, village and subject (its
        message when it is about no entry)."""
        return (self.rule, self.village, self.subject or self.message)

    @property
    def fingerprint(self) -> str:
        text = "\x1f".join(self.identity)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def display_file(self, base: str | None = None) -> str:
        """The file relative to the working directory when it lies below it."""
        return display_file(self.file, base)

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
        record["subject"] = self.subject
        record["fingerprint"] = self.fingerprint
        record["status"] = self.status
        if self.rectified is not None:
            record["rectification"] = self.rectified.to_json()
        return record


STATUS_ZH = {"open": "未整改", "rectified": "已整改"}


def display_file(file: str, base: str | None = None) -> str:
    """A file relative to the working directory when it lies below it."""
    if not file or file.startswith("<"):
        return file
    base = base or os.getcwd()
    try:
        rel = os.path.relpath(file, base)
    except ValueError:
        return file
    return file if rel.startswith("..") else rel


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
