"""Building small village ledgers in a temporary township for tests.

`make_village(tmp_path, body)` writes `<tmp>/township/` (the real chart and policy of
`ledgers/township/`) and `<tmp>/<name>/main.beancount` holding a compliant preamble (a bank
account with an opening balance, a cash float, a full roster) followed by `body`. `check(main)`
runs the same code path as `village-ledger check` and returns the findings.
"""

from __future__ import annotations

import contextlib
import shutil
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path

from village_ledger import registry
from village_ledger.audit import audit
from village_ledger.catalogue import EXAMPLE_ROSTER
from village_ledger.engine import Selector
from village_ledger.findings import Finding, Hit, Severity
from village_ledger.registry import CheckFn

REPO = Path(__file__).resolve().parent.parent
TOWNSHIP = REPO / "ledgers" / "township"

# Everyone a compliant payment needs, in office from 2024-01-01: the example village of the
# rules' explanations, so their examples run on exactly what `village-ledger rule` describes.
ROSTER = EXAMPLE_ROSTER

PREAMBLE = """\
option "title" "测试乡测试村股份经济合作社"
option "operating_currency" "CNY"
{plugin}
include "../township/chart.beancount"
include "../township/policy.beancount"

2023-01-01 open Assets:102-银行存款:10201-农商行 CNY
  code: "10201"
{roster}

2023-12-31 pad Assets:102-银行存款:10201-农商行 Equity:301-资本
2024-01-01 balance Assets:102-银行存款:10201-农商行 500000.00 CNY
2023-12-31 pad Assets:101-库存现金 Equity:301-资本
2024-01-01 balance Assets:101-库存现金 2000.00 CNY
"""


def preamble(plugin: str | None = None) -> str:
    roster = "\n".join(
        f'2024-01-01 custom "任职" "{person}" "{role}"' for role, person in ROSTER.items()
    )
    line = f'plugin "{plugin}"' if plugin else ""
    return PREAMBLE.format(plugin=line, roster=roster)


def make_township(root: Path) -> Path:
    township = root / "township"
    if not township.exists():
        township.mkdir(parents=True)
        for name in ("chart.beancount", "policy.beancount"):
            shutil.copy(TOWNSHIP / name, township / name)
    return township


def make_village(
    root: Path,
    body: str = "",
    *,
    name: str = "testcun",
    plugin: str | None = None,
    with_preamble: bool = True,
) -> Path:
    """Write a village ledger below `root` and return its main file."""
    make_township(root)
    village = root / name
    village.mkdir(parents=True, exist_ok=True)
    text = (preamble(plugin) if with_preamble else "") + "\n" + textwrap.dedent(body)
    main = village / "main.beancount"
    main.write_text(text, encoding="utf-8")
    return main


def check(*mains: Path, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Finding]:
    return audit(list(mains), Selector.parse(select, ignore)).findings


def codes(findings: Iterable[Finding]) -> list[str]:
    return sorted(f.rule for f in findings)


def line_of(main: Path, needle: str) -> int:
    """The 1-based line of the first line of `main` containing `needle`."""
    for number, line in enumerate(main.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {main}")


@contextlib.contextmanager
def temporary_rule(
    code: str, check_fn: CheckFn, severity: Severity = Severity.ERROR
) -> Iterator[str]:
    """A rule registered for the length of a test, in this process only (use `--jobs 1` paths)."""
    registry.rule(code, f"测试规则 {code}", severity)(check_fn)
    try:
        yield code
    finally:
        registry._RULES.pop(code)


def warn_on_every_voucher(model):  # type: ignore[no-untyped-def]
    for entry in model.vouchers:
        yield Hit(entry.meta, "测试预警：请核对", entry.date)
