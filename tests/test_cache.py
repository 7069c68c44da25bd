"""The per-village result cache gives exactly the findings of an uncached run, loading only the
villages whose files changed (village_ledger.cache)."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import REPO, make_village
from village_ledger import audit as service
from village_ledger.audit import ALL, audit
from village_ledger.cache import ResultCache, input_files
from village_ledger.cli.main import main as cli
from village_ledger.cli.output import write_json
from village_ledger.engine import Selector
from village_ledger.model import LedgerModel, build_model
from village_ledger.sealing import SealCalendar, seal_states

INVOICE = "25320000000012345678"


def payment(day: str, voucher: str, invoice: str, amount: str = "350.00") -> str:
    return f"""
{day} * "城关文具店" "购买办公用品"
  voucher: "{voucher}"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "{invoice}"
  Expenses:513-管理费用:51302-办公费  {amount} CNY
  Assets:102-银行存款:10201-农商行  -{amount} CNY
"""


def township(root: Path) -> list[Path]:
    """Two villages; the second books the first's invoice (VL303) and pays 800 in cash."""
    first = make_village(root, payment("2025-03-05", "2025-03-001", INVOICE), name="aaa")
    cash = payment("2025-04-10", "2025-04-001", "25320000000012345679", "800.00")
    second = make_village(
        root,
        payment("2025-03-09", "2025-03-001", INVOICE)
        + cash.replace("Assets:102-银行存款:10201-农商行", "Assets:101-库存现金"),
        name="bbb",
    )
    return [first, second]


def json_of(run: service.Audit) -> str:
    out = io.StringIO()
    write_json(run, out)
    return out.getvalue()


# ---- the edits: each changes the files and says which villages' inputs it changed ----

Edit = Callable[[Path], set[str]]


def touch(root: Path) -> set[str]:
    os.utime(root / "aaa" / "main.beancount", (1, 1))
    return set()


def add_include(root: Path) -> set[str]:
    """A file of the village's own, now included: its voucher reuses an invoice (VL303)."""
    extra = root / "aaa" / "extra.beancount"
    main = root / "aaa" / "main.beancount"
    if 'include "extra.beancount"' in main.read_text(encoding="utf-8"):
        with extra.open("a", encoding="utf-8") as handle:
            handle.write(payment("2025-05-06", "2025-05-002", "25320000000012345679"))
        return {"aaa"}
    extra.write_text(payment("2025-05-05", "2025-05-001", "25320000000012345679"), "utf-8")
    with main.open("a", encoding="utf-8") as handle:
        handle.write('\ninclude "extra.beancount"\n')
    return {"aaa"}


def stray_file(root: Path) -> set[str]:
    """A file in the folder that nothing includes changes no village."""
    (root / "bbb" / "notes.beancount").write_text(
        payment("2025-06-01", "2025-06-001", "25320000000099999999"), "utf-8"
    )
    return set()


def tighten_cash_limit(root: Path) -> set[str]:
    with (root / "township" / "policy.beancount").open("a", encoding="utf-8") as handle:
        handle.write('\n2025-01-01 custom "财务制度" "现金支付限额" 500.00 CNY\n')
    return {"aaa", "bbb"}


def shorten_deadline(root: Path) -> set[str]:
    """公开期限天数 decides VL603, the rule judged as of the day."""
    with (root / "township" / "policy.beancount").open("a", encoding="utf-8") as handle:
        handle.write('\n2025-06-01 custom "财务制度" "公开期限天数" 5\n')
    return {"aaa", "bbb"}


def seal_a_quarter(root: Path) -> set[str]:
    """A seal whose digest does not match (VL601), dated on 2025-04-20: before some days the
    run is judged as of, after others."""
    main = root / "bbb" / "main.beancount"
    text = main.read_text(encoding="utf-8")
    digest = "sha256:" + ("0" * 63) + str(text.count("公开封存"))
    with main.open("a", encoding="utf-8") as handle:
        handle.write(f'\n2025-04-20 custom "公开封存" "2025Q1" "{digest}"\n')
    return {"bbb"}


def corrupt_the_cache(root: Path) -> set[str]:
    """Entries cut short, or not entries at all: misses, never errors."""
    for number, entry in enumerate(sorted((root / "cache").rglob("*.pickle"))):
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] if number % 2 else b"not a pickle")
    return {"aaa", "bbb"}


EDITS: list[Edit] = [
    touch,
    add_include,
    stray_file,
    tighten_cash_limit,
    shorten_deadline,
    seal_a_quarter,
    corrupt_the_cache,
]
DAYS = [date(2025, 4, 10), date(2025, 4, 20), date(2025, 7, 1), date(2025, 8, 1)]


@settings(max_examples=10)
@given(
    edits=st.lists(st.sampled_from(EDITS), min_size=1, max_size=3),
    days=st.lists(st.sampled_from(DAYS), min_size=4, max_size=4),
)
def test_a_cached_run_gives_exactly_the_uncached_findings(
    loads: list[str], edits: list[Edit], days: list[date]
) -> None:
    root = Path(tempfile.mkdtemp(prefix="cache-"))
    try:
        mains = township(root)
        cache = ResultCache(root / "cache")
        loads.clear()
        first = audit(mains, as_of=days[0], keep_models=False, cache=cache)
        assert sorted(loads) == ["aaa", "bbb"]
        for edit, day in zip([touch, *edits], days[1:] + days, strict=False):
            changed = edit(root)
            loads.clear()
            cached = audit(mains, as_of=day, keep_models=False, cache=cache)
            assert sorted(loads) == sorted(changed)
            plain = audit(mains, as_of=day, keep_models=False)
            assert cached.findings == plain.findings
            assert [(v.village, v.title) for v in cached.villages] == [
                (v.village, v.title) for v in plain.villages
            ]
            assert json_of(cached) == json_of(plain)
        assert first.findings  # the township is not trivially clean
    finally:
        shutil.rmtree(root)


def test_the_day_is_judged_again_on_a_cached_village(tmp_path: Path, loads: list[str]) -> None:
    mains = township(tmp_path)
    cache = ResultCache(tmp_path / "cache")
    early = audit(mains, as_of=date(2025, 4, 10), keep_models=False, cache=cache)
    loads.clear()
    late = audit(mains, as_of=date(2025, 8, 1), keep_models=False, cache=cache)
    assert loads == []
    assert "VL603" not in {f.rule for f in early.findings}
    assert {f.rule for f in late.findings} >= {"VL603"}


def test_the_selected_rules_are_part_of_the_key(tmp_path: Path, loads: list[str]) -> None:
    mains = township(tmp_path)
    cache = ResultCache(tmp_path / "cache")
    day = date(2025, 8, 1)
    everything = audit(mains, ALL, as_of=day, keep_models=False, cache=cache)
    loads.clear()
    receipts = audit(mains, Selector.parse(["VL3"]), as_of=day, keep_models=False, cache=cache)
    assert sorted(loads) == ["aaa", "bbb"]
    assert {f.rule for f in receipts.findings} == {"VL303"}
    assert {f.rule for f in everything.findings} > {"VL303"}


def test_the_walk_finds_every_file_the_loader_reads() -> None:
    main = REPO / "ledgers" / "huangmei" / "main.beancount"
    loaded = service.load_ledger(main)
    assert set(input_files(str(main.resolve()))) == set(loaded.options["include"])


def test_check_on_the_sample_township_is_the_same_cached_and_not(tmp_path: Path) -> None:
    ledgers = tmp_path / "ledgers"
    shutil.copytree(REPO / "ledgers", ledgers)
    runner = CliRunner()
    env = {"VILLAGE_LEDGER_TODAY": "2026-11-30", "VILLAGE_LEDGER_CACHE_DIR": str(tmp_path / "c")}
    args = ["check", str(ledgers), "--format", "json", "--jobs", "1"]
    plain = runner.invoke(cli, [*args, "--no-cache"], env=env)
    cold = runner.invoke(cli, args, env=env)
    warm = runner.invoke(cli, args, env=env)
    assert plain.exit_code == cold.exit_code == warm.exit_code == 1
    assert plain.stdout == cold.stdout == warm.stdout
    assert len(list((tmp_path / "c").rglob("*.pickle"))) == 2  # one entry a village


@pytest.fixture(scope="module")
def huangmei_model() -> LedgerModel:
    loaded = service.load_ledger(REPO / "ledgers" / "huangmei" / "main.beancount")
    return build_model(loaded.entries, loaded.options)


@settings(max_examples=40)
@given(as_of=st.dates(min_value=date(2024, 6, 1), max_value=date(2028, 1, 1)))
def test_the_seal_calendar_answers_as_the_seal_states(
    huangmei_model: LedgerModel, as_of: date
) -> None:
    """VL603 judged from the cached calendar is VL603 judged from the model's seal states."""
    states = seal_states(huangmei_model, as_of)
    expected = [(q, s.deadline) for q, s in sorted(states.items()) if s.overdue]
    assert SealCalendar.of(huangmei_model).overdue(as_of) == expected


def test_a_warm_run_in_processes_takes_the_cache_here_and_audits_one_change_here(
    tmp_path: Path, loads: list[str]
) -> None:
    """With --jobs 2 the cached villages are read in this process and a single changed village
    is audited here too (no worker processes to start): loaded here, the uncached findings."""
    mains = township(tmp_path)
    cache = ResultCache(tmp_path / "cache")
    day = date(2025, 8, 1)
    audit(mains, as_of=day, jobs=2, keep_models=False, cache=cache)
    loads.clear()
    unchanged = audit(mains, as_of=day, jobs=2, keep_models=False, cache=cache)
    assert loads == []
    assert add_include(tmp_path) == {"aaa"}
    warm = audit(mains, as_of=day, jobs=2, keep_models=False, cache=cache)
    assert loads == ["aaa"]
    plain = audit(mains, as_of=day, keep_models=False)
    assert json_of(warm) == json_of(plain) != json_of(unchanged)
