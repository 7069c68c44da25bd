"""The pre-commit hook of `.pre-commit-hooks.yaml`, run by pre-commit itself in a temporary
township repository: it installs village-ledger from this repository (at its committed HEAD)
into the hook's own environment, and refuses a commit that brings an open error.

The hook's environment takes village-ledger's dependencies from this test environment
(`PYTHONPATH` and `PIP_NO_DEPS`, so that it installs in seconds; pip still fetches the build
backend from the package index as it would for a user); the package, its entry point and the
hook's definition are the real ones.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.support import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")

CONFIG = """\
repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: village-ledger-check
        args: [ledgers, --baseline, findings.json]
"""
# a payment nobody approved, after the baseline was recorded
UNAPPROVED = """
2026-11-25 * "梅川县五金店" "购买水泵配件"
  voucher: "2026-11-001"
  handler: "郑立军"
  reviewer: "褚国栋"
  invoice: "26367336875980199999"
  Expenses:513-管理费用:51302-办公费     320.00 CNY
  Assets:102-银行存款:10201-农商行      -320.00 CNY
"""


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, timeout=120
    )
    return done.stdout.strip()


def hook_environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "cache"),
        PIP_NO_DEPS="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PYTHONPATH=sysconfig.get_paths()["purelib"],
        VILLAGE_LEDGER_TODAY="2026-11-30",
        GIT_CONFIG_GLOBAL=os.devnull,
    )
    # pre-commit and its virtualenv from this environment come first
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def pre_commit(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_the_hook_refuses_a_new_error_and_passes_the_baseline(tmp_path: Path) -> None:
    rev = git(REPO, "rev-parse", "HEAD")
    if "village-ledger-check" not in git(REPO, "show", f"{rev}:.pre-commit-hooks.yaml"):
        pytest.fail("the committed .pre-commit-hooks.yaml has no village-ledger-check hook")
    township = tmp_path / "township-repo"
    shutil.copytree(REPO / "ledgers", township / "ledgers")
    env = hook_environment(tmp_path)
    subprocess.run(
        [Path(sys.executable).parent / "village-ledger", "check", "ledgers",
         "--write-baseline", "findings.json"],
        cwd=township, env={**os.environ, "VILLAGE_LEDGER_TODAY": "2026-11-30"}, check=True,
        capture_output=True,
    )  # fmt: skip
    (township / ".pre-commit-config.yaml").write_text(
        CONFIG.format(repo=REPO, rev=rev), encoding="utf-8"
    )
    git(township, "init", "-q")
    git(township, "add", "-A")

    passed = pre_commit(township, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "village-ledger check" in passed.stdout and "Passed" in passed.stdout

    ledger = township / "ledgers" / "taibai" / "2026.beancount"
    ledger.write_text(ledger.read_text(encoding="utf-8") + UNAPPROVED, encoding="utf-8")
    git(township, "add", "-A")
    failed = pre_commit(township, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert "VL101" in failed.stdout and "梅川县五金店" in failed.stdout
