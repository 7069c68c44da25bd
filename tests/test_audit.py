"""The audit service: one run over several villages, what it keeps and what it hands back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.support import make_village
from village_ledger import audit as service
from village_ledger.audit import ALL, BEANCOUNT_ONLY, VillageAudit, audit, audit_village, combine
from village_ledger.engine import Selector
from village_ledger.paths import PathError

INVOICE = "25320000000012345678"
AS_OF = date(2025, 6, 30)


def payment(day: str, voucher: str, invoice: str, amount: str = "350.00") -> str:
    return f"""
{day} * "城关文具店" "购买办公用品"
  voucher: "{voucher}"
  handler: "吴志强"
  approver: "李红梅"
  invoice: "{invoice}"
  Expenses:541-管理费用:54101-办公费  {amount} CNY
  Assets:102-银行存款:10201-农商行  -{amount} CNY
"""


@pytest.fixture
def township(tmp_path: Path) -> list[Path]:
    """Two villages that booked the same invoice, the second also paying cash over the limit."""
    first = make_village(tmp_path, payment("2025-03-05", "2025-03-001", INVOICE), name="aaa")
    second = make_village(
        tmp_path,
        payment("2025-03-09", "2025-03-001", INVOICE)
        + payment("2025-03-10", "2025-03-002", "25320000000012345679", "1500.00").replace(
            "Assets:102-银行存款:10201-农商行", "Assets:101-库存现金"
        ),
        name="bbb",
    )
    return [first, second]


def village_title(result: VillageAudit) -> str:
    assert result.model is not None
    return f"{result.model.title} ({len(result.model.vouchers)})"


def test_one_run_holds_each_village_and_the_cross_village_findings(township: list[Path]) -> None:
    run = audit([township[0].parent.parent], as_of=AS_OF)
    assert [v.village for v in run.villages] == ["aaa", "bbb"]
    assert run.as_of == AS_OF
    second = run.village("bbb")
    assert "VL303" in {f.rule for f in second.findings}
    assert run.findings == [f for v in run.villages for f in v.findings]
    assert run.has_errors and second.has_errors


def test_findings_are_sorted_and_selected(township: list[Path]) -> None:
    run = audit(township, Selector.parse(["VL3"]), as_of=AS_OF)
    assert {f.rule for f in run.findings} == {"VL303"}
    keys = [(f.village, f.file, f.line, f.rule) for f in run.findings]
    assert keys == sorted(keys)


def test_in_one_process_the_ledger_and_model_are_kept(township: list[Path]) -> None:
    kept = audit(township, as_of=AS_OF)
    assert all(v.model is not None and v.ledger is not None for v in kept.villages)
    assert kept.village("aaa").model.as_of == AS_OF  # type: ignore[union-attr]
    dropped = audit(township, as_of=AS_OF, keep_models=False)
    assert all(v.model is None and v.ledger is None for v in dropped.villages)
    assert dropped.findings == kept.findings


def test_workers_send_back_findings_and_what_derive_answered(township: list[Path]) -> None:
    serial = audit(township, as_of=AS_OF, keep_models=False)
    parallel = audit(township, as_of=AS_OF, jobs=2, keep_models=False, derive=village_title)
    assert parallel.findings == serial.findings
    assert [v.derived for v in parallel.villages] == [
        "测试乡测试村股份经济合作社 (1)",
        "测试乡测试村股份经济合作社 (2)",
    ]
    assert all(v.model is None for v in parallel.villages)


def test_models_do_not_come_back_from_workers(township: list[Path]) -> None:
    with pytest.raises(ValueError, match="keep_models=False"):
        audit(township, as_of=AS_OF, jobs=2)


def test_re_auditing_one_village_and_combining_gives_the_whole_run(
    township: list[Path],
) -> None:
    whole = audit(township, as_of=AS_OF)
    parts = [audit_village(main, ALL, AS_OF) for main in township]
    assert combine(parts, ALL, AS_OF).findings == whole.findings


def test_beancount_only_runs_no_rule(tmp_path: Path) -> None:
    main = make_village(tmp_path, payment("2025-03-10", "2025-03-001", "x", "1500.00"))
    main.write_text(main.read_text(encoding="utf-8").replace("-1500.00", "-1400.00"), "utf-8")
    run = audit([main], BEANCOUNT_ONLY, as_of=AS_OF)
    assert {f.rule for f in run.findings} == {"BEANCOUNT"}
    assert run.villages[0].beancount_errors


def test_a_model_that_cannot_be_built_is_a_crash_finding_of_its_village(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = make_village(tmp_path)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "build_model", broken)
    run = audit([main], as_of=AS_OF)
    [finding] = run.findings
    assert (finding.rule, finding.village) == ("VL900", "testcun")
    assert "boom" in finding.message
    assert run.villages[0].model is None


def test_a_path_without_ledgers_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PathError):
        audit([tmp_path], as_of=AS_OF)


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_is_told_of_every_village_once(township: list[Path], jobs: int) -> None:
    done: list[str] = []
    run = audit(
        township,
        as_of=AS_OF,
        jobs=jobs,
        keep_models=False,
        progress=lambda v: done.append(v.village),
    )
    assert sorted(done) == ["aaa", "bbb"]
    assert [v.village for v in run.villages] == ["aaa", "bbb"]


def test_a_model_not_kept_is_freed_at_once(
    township: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over many villages in one process, no earlier village's model waits for a collection."""
    import gc
    import weakref

    built: list[weakref.ref[object]] = []
    real = service.build_model

    def spying(*args: object, **kwargs: object) -> object:
        model = real(*args, **kwargs)  # type: ignore[arg-type]
        built.append(weakref.ref(model))
        return model

    monkeypatch.setattr(service, "build_model", spying)
    gc.disable()
    try:
        audit(township, as_of=AS_OF, keep_models=False)
        assert len(built) == 2
        assert [ref() for ref in built] == [None, None]
    finally:
        gc.enable()


def test_each_village_of_a_process_runs_the_hardcore_validations_once(
    township: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beancount adds a load's extra validations to its own list in place; the 40th village of
    a process must not run them 40 times (nor report their errors 40 times)."""
    from beancount.ops import validation

    calls: list[int] = []

    def counted(entries: object, options_map: object) -> list[object]:
        calls.append(1)
        return []

    monkeypatch.setattr(validation, "HARDCORE_VALIDATIONS", [counted])
    before = list(validation.VALIDATIONS)
    for _ in range(3):
        audit(township, BEANCOUNT_ONLY, as_of=AS_OF, keep_models=False)
    assert len(calls) == 3 * len(township)
    assert list(validation.VALIDATIONS) == before
