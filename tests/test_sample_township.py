"""The sample township (ledgers/): huangmei is clean, taibai holds exactly the planted problems.

Each planted problem in taibai is marked by a comment line `; 示例问题：VLxxx …` right above its
transaction or directive; the check must find exactly those (village, rule, subject) triples and
nothing else, in either village. The subject is what a finding is about (`model.subjects`): the
voucher number of a transaction, the id of a 合同 or 资产, the identity of another directive. A planted code whose rule is not implemented yet is an expected failure
(not strict), so the test tightens by itself once the rule lands.

The books are seen as of 2026-10-31 (`VILLAGE_LEDGER_TODAY`): every quarter up to 2026Q3 is
sealed; without a fixed day VL603 would warn about 2026Q4 from 2027-01-16 on.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from beancount.parser.parser import parse_string

from village_ledger.audit import Audit, audit
from village_ledger.findings import BEANCOUNT, Finding
from village_ledger.model.subjects import subject_of
from village_ledger.paths import find_villages
from village_ledger.registry import get_rule

REPO = Path(__file__).resolve().parent.parent
LEDGERS = REPO / "ledgers"
AS_OF = "2026-10-31"

# issue 2, item 6: each problem planted once in taibai; 白酒 at 960 元 breaks two rules;
# issue 14: the contracts, the asset register and the rules the inspections still named
PLANTED = (
    "VL101",
    "VL102",
    "VL104",
    "VL108",
    "VL201",
    "VL206",
    "VL302",
    "VL303",
    "VL402",
    "VL404",
    "VL406",
    "VL407",
    "VL501",
    "VL604",
    "VL701",
    "VL702",
    "VL703",
    "VL704",
    "VL705",
    "VL706",
    "VL707",
)

NOTE = re.compile(r"^;\s*示例问题：(?P<codes>(?:VL\d{3}\s*)+)")

Triple = tuple[str, str, str | None]


def entry_subject(path: str, line: int) -> str | None:
    """The subject of the entry whose first line is `line` of `path` (see `model.subjects`)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    block = [lines[line - 1]]
    for text in lines[line : line + 30]:
        if not text.strip() or not text[0].isspace():
            break
        block.append(text)
    entries, errors, _ = parse_string("\n".join(block) + "\n")
    return subject_of(entries[0]) if entries and not errors else None


def planted_in_books() -> Iterator[Triple]:
    """(village, code, subject) for every `; 示例问题：` comment of taibai's files."""
    for path in sorted((LEDGERS / "taibai").glob("*.beancount")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, text in enumerate(lines, 1):
            match = NOTE.match(text)
            if match:
                subject = entry_subject(str(path), number + 1)
                for code in match.group("codes").split():
                    yield ("taibai", code, subject)


def triple(finding: Finding) -> Triple:
    # a cross-village finding (VL303) may come without its subject: read it from its entry
    subject = finding.subject or entry_subject(finding.file, finding.line)
    return (finding.village, finding.rule, subject)


@pytest.fixture(scope="module")
def run() -> Audit:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VILLAGE_LEDGER_TODAY", AS_OF)
        return audit(find_villages([str(LEDGERS)]))


@pytest.fixture(scope="module")
def found(run: Audit) -> set[Triple]:
    return {triple(f) for f in run.findings}


@pytest.fixture(scope="module")
def expected() -> set[Triple]:
    return set(planted_in_books())


def missing_rules() -> list[str]:
    return [code for code in PLANTED if get_rule(code) is None]


def test_every_planted_problem_is_marked_once(expected: set[Triple]) -> None:
    marked = sorted(code for _, code, _ in planted_in_books())
    assert marked == sorted(PLANTED)
    assert all(subject for _, _, subject in expected)


def test_both_villages_are_checked(run: Audit) -> None:
    assert sorted(v.village for v in run.villages) == ["huangmei", "taibai"]


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(
            code,
            marks=pytest.mark.xfail(
                get_rule(code) is None, reason=f"{code} not implemented yet", strict=False
            ),
        )
        for code in PLANTED
    ],
)
def test_planted_problem_is_found(code: str, expected: set[Triple], found: set[Triple]) -> None:
    wanted = {t for t in expected if t[1] == code}
    assert wanted, f"no `; 示例问题：{code}` comment in ledgers/taibai"
    assert wanted <= found


@pytest.mark.xfail(
    bool(missing_rules()), reason=f"not implemented yet: {missing_rules()}", strict=False
)
def test_findings_are_exactly_the_planted_problems(
    expected: set[Triple], found: set[Triple]
) -> None:
    assert found == expected


def test_nothing_but_planted_problems_is_found(
    run: Audit, expected: set[Triple], found: set[Triple]
) -> None:
    """Whatever rules exist today, none finds anything in the sample beyond what was planted."""
    extra = found - expected
    details = [
        f"{f.village} {f.rule} {f.display_file(str(REPO))}:{f.line} {f.message}"
        for f in run.findings
        if triple(f) in extra
    ]
    assert not details, "\n".join(details)


def test_huangmei_has_no_finding(run: Audit) -> None:
    assert [f for f in run.findings if f.village == "huangmei"] == []


def test_no_beancount_errors(run: Audit) -> None:
    assert [f.message for f in run.findings if f.rule == BEANCOUNT] == []


def bean_check(main: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).with_name("bean-check")
    return subprocess.run(
        [str(tool), "-C", str(main)],
        capture_output=True,
        text=True,
        env={"VILLAGE_LEDGER_TODAY": AS_OF, "PATH": str(tool.parent)},
        check=False,
    )


def test_bean_check_passes_on_huangmei() -> None:
    done = bean_check(LEDGERS / "huangmei" / "main.beancount")
    assert done.returncode == 0, done.stdout + done.stderr


def test_bean_check_of_taibai_reports_only_planted_errors() -> None:
    """With its plugin line, bean-check shows taibai's planted errors and nothing else."""
    done = bean_check(LEDGERS / "taibai" / "main.beancount")
    codes = re.findall(r"\b(VL\d{3}|BEANCOUNT)\b", done.stdout + done.stderr)
    assert set(codes) <= set(PLANTED), done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_bean_check_passes_on_taibai_without_the_rules(tmp_path: Path) -> None:
    """Beancount's own checks (syntax, balances, accounts) pass on taibai."""
    shutil.copytree(LEDGERS / "township", tmp_path / "township")
    shutil.copytree(LEDGERS / "taibai", tmp_path / "taibai")
    main = tmp_path / "taibai" / "main.beancount"
    text = main.read_text(encoding="utf-8")
    main.write_text(re.sub(r"(?m)^plugin .*$", "", text), encoding="utf-8")
    done = bean_check(main)
    assert done.returncode == 0, done.stdout + done.stderr
