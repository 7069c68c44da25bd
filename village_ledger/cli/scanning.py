"""Check output for code scanning: SARIF 2.1.0 (GitHub code scanning and any SARIF viewer) and
GitLab's code quality report.

SARIF carries one rule object per code with its Chinese title and explanation (the catalogue's,
as `village-ledger rule CODE` shows it), and one result per finding at its file and line. A finding put right by a `整改` is a result with an in-source
suppression (status `accepted`, the 整改's date, way and acceptor as its justification), so code
scanning closes it rather than forgetting it. GitLab's code quality format has no such notion:
rectified findings are left out of it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from village_ledger import __version__
from village_ledger.catalogue import Entry, entries, explanation_markdown
from village_ledger.findings import Finding, Rectification

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "villageLedger/v1"


def explanation(entry: Entry) -> str:
    """The code's Chinese explanation, as `village-ledger rule CODE` gives it: what it checks and
    why."""
    ex = entry.explanation
    return f"{ex.checks}\n\n{ex.why}" if ex else entry.title


def rule_objects() -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One SARIF reportingDescriptor per code of the catalogue (every rule, Beancount's own
    checks and VL900), and each code's index among them."""
    objects = [descriptor(entry) for entry in entries()]
    return objects, {o["id"]: i for i, o in enumerate(objects)}


def descriptor(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.code,
        "name": entry.code,
        "shortDescription": {"text": entry.title},
        "fullDescription": {"text": explanation(entry)},
        "help": {"text": explanation_markdown(entry), "markdown": explanation_markdown(entry)},
        "defaultConfiguration": {"level": str(entry.severity)},
        "properties": {"family": entry.label, "tags": [entry.label]},
    }


def artifact(file: str) -> dict[str, Any]:
    """Where a file is: relative to the working directory (%SRCROOT%) when below it."""
    if not file or file.startswith("<"):
        return {"uri": quote(file or "unknown")}
    path = Path(file)
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        relative = absolute.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return {"uri": absolute.resolve().as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


def location(finding: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact(finding.file)}
    if finding.line >= 1:
        physical["region"] = {"startLine": finding.line}
    return {"physicalLocation": physical}


def suppression(record: Rectification) -> dict[str, Any]:
    evidence = f"，整改凭证或决议 {record.evidence}" if record.evidence else ""
    return {
        "kind": "inSource",
        "status": "accepted",
        "justification": f"已整改：{record.day} {record.way}，{record.accepted_by}验收{evidence}",
        "location": {
            "physicalLocation": {
                "artifactLocation": artifact(record.file),
                "region": {"startLine": max(record.line, 1)},
            }
        },
    }


def result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "village": finding.village,
        "subject": finding.subject,
        "status": finding.status,
    }
    if finding.date is not None:
        properties["date"] = finding.date.isoformat()
    if finding.amount is not None:
        properties["amount"] = str(finding.amount)
    record: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": "error" if finding.is_error else "warning",
        "message": {"text": f"[{finding.village}] {finding.message}"},
        "locations": [location(finding)],
        "partialFingerprints": {FINGERPRINT: finding.fingerprint},
        "properties": properties,
    }
    if finding.rule in index:
        record["ruleIndex"] = index[finding.rule]
    if finding.rectified is not None:
        record["suppressions"] = [suppression(finding.rectified)]
    return record


def sarif_document(findings: Iterable[Finding]) -> dict[str, Any]:
    rules, index = rule_objects()
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "village-ledger",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "language": "zh-CN",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().resolve().as_uri() + "/"}},
                "results": [result(f, index) for f in findings],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def write_sarif(findings: Sequence[Finding], out: TextIO) -> None:
    json.dump(sarif_document(findings), out, ensure_ascii=False, indent=2)
    out.write("\n")


# --- GitLab code quality ----------------------------------------------------------------

GITLAB_SEVERITY = {"error": "major", "warning": "minor"}


def unique_fingerprints(findings: Sequence[Finding]) -> list[str]:
    """Each finding's fingerprint, the second and later ones sharing it told apart by their
    order (GitLab keeps one issue per fingerprint)."""
    seen: Counter[str] = Counter()
    unique = []
    for finding in findings:
        fingerprint = finding.fingerprint
        seen[fingerprint] += 1
        if seen[fingerprint] > 1:
            text = f"{fingerprint}:{seen[fingerprint]}"
            fingerprint = hashlib.sha256(text.encode()).hexdigest()[:32]
        unique.append(fingerprint)
    return unique


def gitlab_issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    path = finding.display_file()
    return {
        "type": "issue",
        "check_name": finding.rule,
        "description": f"{finding.rule} [{finding.village}] {finding.message}",
        "categories": ["Bug Risk"],
        "severity": GITLAB_SEVERITY[str(finding.severity)],
        "fingerprint": fingerprint,
        "location": {
            "path": path.replace(os.sep, "/"),
            "lines": {"begin": max(finding.line, 1)},
        },
    }


def write_gitlab(findings: Sequence[Finding], out: TextIO) -> None:
    shown = [f for f in findings if f.is_open]
    issues = [gitlab_issue(f, p) for f, p in zip(shown, unique_fingerprints(shown), strict=True)]
    json.dump(issues, out, ensure_ascii=False, indent=2)
    out.write("\n")
