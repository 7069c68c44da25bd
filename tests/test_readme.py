"""The README's examples of a payment, a special fund and a reception pass every rule."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support import REPO, check, make_village


def readme_examples() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### What a payment needs", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```beancount\n(.*?)```", section, re.S)
    assert len(blocks) == 3
    return "\n".join(blocks)


def test_readme_examples_pass_every_rule(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, readme_examples())
    # quarters of 2025 are long over and, in a test ledger, never sealed
    assert [f"{f.rule} {f.message}" for f in check(main_file, ignore=["VL603"])] == []


def test_readme_example_fails_without_its_resolution(tmp_path: Path) -> None:
    body = readme_examples().replace('  meeting: "2025-03-两委-1"\n', "")
    findings = check(make_village(tmp_path, body), ignore=["VL603"])
    assert [f.rule for f in findings] == ["VL104"]
