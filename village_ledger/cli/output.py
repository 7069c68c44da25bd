"""Check output formats: text for people, json for scripts, github annotations, junit for CI
(SARIF and GitLab code quality are in `cli.scanning`).

A finding put right by a 整改 (已整改) is shown in text, json and junit with its 整改, and fails
nothing; github annotations leave it out.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from village_ledger.audit import Audit
from village_ledger.findings import BEANCOUNT, SEVERITY_ZH, Finding, Rectification
from village_ledger.registry import FAMILIES, family_label

if TYPE_CHECKING:  # rich is imported by the text output alone: JSON and CI formats skip it
    from rich.console import Console


def write_json(run: Audit, out: TextIO) -> None:
    json.dump([f.to_json() for f in run.findings], out, ensure_ascii=False, indent=2)
    out.write("\n")


def _escape_property(text: str) -> str:
    return (
        text.replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace(":", "%3A")
        .replace(",", "%2C")
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def write_github(run: Audit, out: TextIO) -> None:
    for f in run.findings:
        if not f.is_open:
            continue
        level = "error" if f.is_error else "warning"
        props = f"file={_escape_property(f.display_file())},line={f.line},title={f.rule}"
        out.write(f"::{level} {props}::{_escape_data(f'[{f.village}] {f.message}')}\n")


def write_junit(run: Audit, out: TextIO) -> None:
    import xml.etree.ElementTree as ET  # for this format only: the others do not pay for it

    root = ET.Element("testsuites", name="village-ledger check")
    codes = [BEANCOUNT, *(family.prefix for family in FAMILIES)]
    for village in run.villages:
        mine = [f for f in run.findings if f.village == village.village]
        suite = ET.SubElement(root, "testsuite", name=village.village)
        failures = 0
        for code in codes:
            group = [f for f in mine if f.rule.startswith(code)]
            case = ET.SubElement(
                suite, "testcase", classname=village.village, name=family_label(code)
            )
            errors = [f for f in group if f.fails]
            if errors:
                failures += 1
                failure = ET.SubElement(
                    case, "failure", message=f"{len(errors)} 条错误", type="village-ledger"
                )
                failure.text = "\n".join(_line(f) for f in errors)
            warnings = [f for f in group if not f.fails]
            if warnings:
                ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in warnings)
        suite.set("tests", str(len(codes)))
        suite.set("failures", str(failures))
    ET.indent(root)
    out.write(ET.tostring(root, encoding="unicode", xml_declaration=True))
    out.write("\n")


def _line(f: Finding) -> str:
    done = f"（{rectified_text(f.rectified)}）" if f.rectified else ""
    return f"{f.display_file()}:{f.line} {f.date or ''} {f.rule} {f.message}{done}"


def rectified_text(record: Rectification) -> str:
    evidence = f"，整改凭证 {record.evidence}" if record.evidence else ""
    return f"已整改：{record.day} {record.way}，{record.accepted_by}验收{evidence}"


def write_text(run: Audit, console: Console) -> None:
    from rich.markup import escape

    titles = {v.village: v.title for v in run.villages}
    for village in run.villages:
        mine = [f for f in run.findings if f.village == village.village]
        header = f"{titles.get(village.village) or village.village}（{village.village}）"
        if not mine:
            console.print(f"[bold green]✓[/] {escape(header)}：未发现问题")
            continue
        console.print(f"[bold]{escape(header)}[/]：{_count_line(mine)}")
        for f in mine:
            where = f"{f.display_file()}:{f.line}"
            day = f.date.isoformat() if f.date else "          "
            if f.rectified is not None:
                console.print(
                    f"  [dim]{escape(where)}  {day}  {f.rule} 已整改  {escape(f.message)}"
                    f"（{escape(rectified_text(f.rectified))}）[/]"
                )
                continue
            style = "red" if f.is_error else "yellow"
            console.print(
                f"  [dim]{escape(where)}[/]  {day}  [{style}]{f.rule} "
                f"{SEVERITY_ZH[str(f.severity)]}[/]  {escape(f.message)}"
            )
        console.print()
    write_summary(run.findings, len(run.villages), console)


def _status(f: Finding) -> str:
    return str(f.severity) if f.is_open else "rectified"


def _count_line(findings: Iterable[Finding]) -> str:
    counts = Counter(_status(f) for f in findings)
    done = f"，已整改 {counts['rectified']} 条" if counts["rectified"] else ""
    return f"错误 {counts['error']} 条，预警 {counts['warning']} 条{done}"


def write_summary(findings: list[Finding], villages: int, console: Console) -> None:
    from rich.markup import escape

    console.print(f"[bold]汇总[/]：检查 {villages} 个村，{_count_line(findings)}")
    by_family: dict[str, Counter[str]] = {}
    for f in findings:
        by_family.setdefault(family_label(f.rule), Counter())[_status(f)] += 1
    for label in sorted(by_family):
        counts = by_family[label]
        done = f"，已整改 {counts['rectified']}" if counts["rectified"] else ""
        console.print(f"  {escape(label)}：错误 {counts['error']}，预警 {counts['warning']}{done}")
