"""`check --scheduler`: villages as tasks on a Dask distributed cluster, the cross-village rules
on the client; the output is the local run's, byte for byte."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support import REPO
from village_ledger.cli.main import main as cli

TODAY = {"VILLAGE_LEDGER_TODAY": "2026-11-30"}


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A two-worker cluster of processes on this machine, as a county's would be."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield str(cluster.scheduler_address)


def run_check(*args: str, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", *args, "--format", "json"], env={**TODAY, **env})
    return result.exit_code, result.stdout


def test_a_cluster_run_is_the_local_run_byte_for_byte(scheduler: str, tmp_path: Path) -> None:
    ledgers = tmp_path / "ledgers"
    shutil.copytree(REPO / "ledgers", ledgers)
    local = run_check(str(ledgers), "--jobs", "1", "--no-cache")
    on_cluster = run_check(str(ledgers), "--scheduler", scheduler, "--no-cache")
    assert local[0] == 1 and '"VL' in local[1]
    assert on_cluster == local


def test_the_address_may_come_from_the_environment(scheduler: str, tmp_path: Path) -> None:
    ledgers = tmp_path / "ledgers"
    shutil.copytree(REPO / "ledgers", ledgers)
    cache = str(tmp_path / "cache")
    local = run_check(str(ledgers), "--jobs", "1", VILLAGE_LEDGER_CACHE_DIR=cache)
    # the workers keep and reuse the cache at the folder the client names
    cold = run_check(str(ledgers), DASK_SCHEDULER_ADDRESS=scheduler, VILLAGE_LEDGER_CACHE_DIR=cache)
    assert cold == local
    assert len(list(Path(cache).rglob("*.pickle"))) == 2


def test_an_unreachable_scheduler_is_a_message_and_exit_2(tmp_path: Path) -> None:
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = CliRunner().invoke(
            cli, ["check", str(REPO / "ledgers"), "--scheduler", "tcp://127.0.0.1:9"], env=TODAY
        )
    assert result.exit_code == 2
    assert "无法连接 Dask 调度器 tcp://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated county (bench/county.py, on bench/villagegen.py): 6 villages of about
    300 transactions in 2 townships, pairs of villages in different townships booking the same
    invoice."""
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    import county as generator

    root = tmp_path_factory.mktemp("county") / "county"
    plan = generator.plan_county(6, 2, seed=3)
    for task in plan:
        task["size"] = 300
    generator.generate(root, plan, jobs=1)
    return root


def test_a_generated_county_is_the_same_cached_and_on_a_cluster(
    county: Path, scheduler: str, tmp_path: Path
) -> None:
    townships = [str(p) for p in sorted(county.glob("t*"))]
    cache = str(tmp_path / "cache")
    plain = run_check(*townships, "--jobs", "1", "--no-cache")
    cold = run_check(*townships, "--jobs", "2", VILLAGE_LEDGER_CACHE_DIR=cache)
    warm = run_check(*townships, "--jobs", "2", VILLAGE_LEDGER_CACHE_DIR=cache)
    on_cluster = run_check(*townships, "--scheduler", scheduler, VILLAGE_LEDGER_CACHE_DIR=cache)
    assert '"VL303"' in plain[1]  # the planted pair
    assert cold == warm == on_cluster == plain


def test_a_generated_county_exports_the_same_bytes_cached_and_not(
    county: Path, tmp_path: Path
) -> None:
    """The county exported without a cache, and after a check filled one (findings from the
    cache), and into a second folder (tables from the cache): the same files, byte for byte;
    the planted invoices found by the shipped query."""
    import json

    from tests.test_export_cache import tree

    townships = [str(p) for p in sorted(county.glob("t*"))]
    env = {**TODAY, "VILLAGE_LEDGER_CACHE_DIR": str(tmp_path / "cache")}
    runner = CliRunner()

    def export(folder: str, *options: str) -> None:
        done = runner.invoke(cli, ["export", *townships, "-o", folder, *options], env=env)
        assert done.exit_code == 0, done.output

    export(str(tmp_path / "plain"), "--no-cache", "--jobs", "1")
    assert (
        run_check(
            *townships, "--jobs", "2", VILLAGE_LEDGER_CACHE_DIR=env["VILLAGE_LEDGER_CACHE_DIR"]
        )[0]
        == 1
    )
    export(str(tmp_path / "after-check"), "--jobs", "2")
    export(str(tmp_path / "again"), "--jobs", "1")
    plain = tree(tmp_path / "plain")
    assert tree(tmp_path / "after-check") == plain == tree(tmp_path / "again")
    query = runner.invoke(
        cli, ["sql", str(tmp_path / "plain"), "duplicate-invoices", "--format", "json"], env=env
    )
    found = {row["发票号码"] for row in json.loads(query.stdout)}
    manifest = json.loads((county / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["planted"]) <= found
