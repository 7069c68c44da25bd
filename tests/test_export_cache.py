"""`export` and `check` share the per-village result cache, and an export made through the cache
(cold, warm, incremental after edits) is byte for byte the export made without it."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import REPO
from tests.test_cache import DAYS, EDITS, Edit, json_of, township
from village_ledger import audit as service
from village_ledger.audit import audit
from village_ledger.cache import ResultCache
from village_ledger.export import PRODUCT, export

DAY = date(2026, 11, 30)


def tree(out: Path) -> dict[str, bytes]:
    """Every file of an export folder by its path in the folder, with its bytes."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def judged(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The villages whose books the rules judge."""
    seen: list[str] = []
    real = service.run_rules

    def counting(model: Any, rules: Any) -> Any:
        seen.append(model.village)
        return real(model, rules)

    monkeypatch.setattr(service, "run_rules", counting)
    yield seen


@pytest.fixture
def ledgers(tmp_path: Path) -> Path:
    copy = tmp_path / "ledgers"
    shutil.copytree(REPO / "ledgers", copy)
    return copy


def test_an_export_after_check_judges_nothing_again_and_the_files_are_the_same(
    ledgers: Path, tmp_path: Path, loads: list[str], judged: list[str]
) -> None:
    cache = ResultCache(tmp_path / "cache")
    checked = audit([ledgers], as_of=DAY, keep_models=False, cache=cache)
    loads.clear()
    judged.clear()
    # the tables need the books; the findings are check's
    export([ledgers], tmp_path / "a", county="梅川县", cache=cache, as_of=DAY)
    assert sorted(loads) == ["huangmei", "taibai"] and judged == []
    assert len(list(cache.folder.rglob(f"*.{PRODUCT}.pickle"))) == 2
    # into another folder, the tables are the cache's: nothing loaded
    loads.clear()
    export([ledgers], tmp_path / "b", county="梅川县", cache=cache, as_of=DAY)
    assert loads == []
    export([ledgers], tmp_path / "plain", county="梅川县", as_of=DAY)
    plain = tree(tmp_path / "plain")
    assert tree(tmp_path / "a") == tree(tmp_path / "b") == plain
    assert any(name.startswith("findings/") for name in plain)
    # the other way round: an export fills the cache a check reads
    other = ResultCache(tmp_path / "other")
    export([ledgers], tmp_path / "c", county="梅川县", cache=other, as_of=DAY)
    loads.clear()
    warm = audit([ledgers], as_of=DAY, keep_models=False, cache=other)
    assert loads == []
    assert json_of(warm) == json_of(checked)
    assert tree(tmp_path / "c") == plain


def test_an_incremental_export_after_an_edit_is_a_fresh_export(
    ledgers: Path, tmp_path: Path, loads: list[str]
) -> None:
    cache = ResultCache(tmp_path / "cache")
    export([ledgers], tmp_path / "out", cache=cache, as_of=DAY)
    # taibai books one of huangmei's invoices again (VL303): one village's books changed
    year_file = ledgers / "taibai" / "2026.beancount"
    text = year_file.read_text(encoding="utf-8")
    invoice = next(
        line.split('"')[1]
        for line in (ledgers / "huangmei" / "2025.beancount").read_text("utf-8").splitlines()
        if line.strip().startswith("invoice:")
    )
    start = text.index('invoice: "') + len('invoice: "')
    year_file.write_text(text[:start] + invoice + text[text.index('"', start) :], "utf-8")
    loads.clear()
    done = export([ledgers], tmp_path / "out", cache=cache, as_of=DAY)
    assert loads == ["taibai"] and done.written == ["taibai"]
    assert done.findings_written == ["taibai"]  # VL303 sits on the later booking
    export([ledgers], tmp_path / "fresh", as_of=DAY)
    assert tree(tmp_path / "out") == tree(tmp_path / "fresh")


@settings(max_examples=6)
@given(
    edits=st.lists(st.sampled_from(EDITS), min_size=1, max_size=3),
    days=st.lists(st.sampled_from(DAYS), min_size=4, max_size=4),
)
def test_a_cached_incremental_export_is_the_uncached_one_byte_for_byte(
    edits: list[Edit], days: list[date]
) -> None:
    root = Path(tempfile.mkdtemp(prefix="export-cache-"))
    try:
        mains = township(root)
        cache = ResultCache(root / "cache")
        export(mains, root / "out", cache=cache, as_of=days[0])
        for number, (edit, day) in enumerate(zip(edits, days[1:], strict=False)):
            edit(root)
            export(mains, root / "out", cache=cache, as_of=day)
            fresh = root / f"fresh{number}"
            export(mains, fresh, as_of=day)
            assert tree(root / "out") == tree(fresh)
            # a check on the same cache after the export: the uncached findings
            cached = audit(mains, as_of=day, keep_models=False, cache=cache)
            assert json_of(cached) == json_of(audit(mains, as_of=day, keep_models=False))
    finally:
        shutil.rmtree(root)
