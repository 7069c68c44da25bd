"""The README's examples of a payment, a special fund and a reception pass every rule."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
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
    # quarters of 2025 are long over and, in a test ledger, never sealed; the examples show
    # vouchers, not the monthly cash count and bank statement (VL209)
    assert [f"{f.rule} {f.message}" for f in check(main_file, ignore=["VL603", "VL209"])] == []


def test_readme_example_fails_without_its_resolution(tmp_path: Path) -> None:
    body = readme_examples().replace('  meeting: "2025-03-两委-1"\n', "")
    findings = check(make_village(tmp_path, body), ignore=["VL603", "VL209"])
    assert [f.rule for f in findings] == ["VL104"]


def readme_block(heading: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(blocks) == 1
    return blocks[0]


def run_readme_block(
    heading: str,
    tmp_path: Path,
    today: str,
    replace: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
) -> tuple[str, list[str], Path]:
    """The README's commands under `heading`, as written, from the repository's folder (on a
    copy of the sample township in a temporary folder, as the README makes it): what they
    printed, each command's exit code, and the folder the block names `$demo`. `replace`
    changes a word of the block (a port another run may hold); `env` adds to the environment.
    Whatever the block leaves running in the background is ended with it."""
    import os
    import signal
    import subprocess
    import sys

    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "TMPDIR": str(tmp_path),
        "VILLAGE_LEDGER_TODAY": today,
        **(env or {}),
    }
    steps = readme_block(heading).replace("\nvillage-ledger", "\nrun village-ledger")
    for old, new in (replace or {}).items():
        steps = steps.replace(old, new)
    wrapped = (
        # a command's failure is recorded, not the end of the block (set -e reaches into run)
        'set -e\nrun() { local code=0; "$@" >>"$TMPDIR/out.txt" 2>&1 || code=$?; '
        'echo "$code" >>"$TMPDIR/codes.txt"; }\n' + steps + 'echo "$demo"\n'
    )
    with subprocess.Popen(
        ["bash", "-c", wrapped],
        cwd=REPO,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as done:
        try:
            stdout, stderr = done.communicate(timeout=600)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(done.pid, signal.SIGTERM)
    output = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert done.returncode == 0, output + stderr
    codes = (tmp_path / "codes.txt").read_text().split()
    return output, codes, Path(stdout.strip().splitlines()[-1])


def test_a_quarter_entered_through_the_sheet_runs_as_the_readme_says(tmp_path: Path) -> None:
    """The README's sheet commands, as written, on a copy of the sample township."""
    output, codes, demo = run_readme_block(
        "记账凭证录入表: a quarter entered through the sheet", tmp_path, "2026-12-31"
    )
    assert codes == ["0"] * 7, output
    assert (demo / "凭证.xlsx").is_file()
    year = (demo / "ledgers" / "huangmei" / "2026.beancount").read_text(encoding="utf-8")
    assert year.count("entry-digest") == 29
    for number in ("2026-10-001", "2026-10-008", "2026-10-009", "2026-11-009", "2026-12-009"):
        assert f'voucher: "{number}"' in year
    assert "已导入（凭证号 2026-10-001），跳过" in output
    assert "错误 0 条" in output


def test_a_bank_month_reconciled_runs_as_the_readme_says(tmp_path: Path) -> None:
    """The README's bank commands, as written, on a copy of the sample township."""
    output, codes, demo = run_readme_block(
        "银行对账: a bank month reconciled", tmp_path, "2026-10-31"
    )
    assert codes == ["0"] * 5, output
    assert "银行存款余额调节表" in (demo / "调节表.html").read_text(encoding="utf-8")
    year = (demo / "ledgers" / "huangmei" / "2026.beancount").read_text(encoding="utf-8")
    assert year.count("bank-ref:") == 2 and year.count("bank-statement: 703936.99 CNY") == 1
    assert "无需写入" in output and "VL207" not in output


def readme_contract_example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Contracts, resources and assets", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```beancount\n(.*?)```", section, re.S)
    assert len(blocks) == 1
    return blocks[0]


LATER = """
2024-04-15 * "城关文具店" "购买村部办公用品"
  voucher: "2024-04-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "24320000000012345678"
  Expenses:513-管理费用:51302-办公费  120.00 CNY
  Assets:102-银行存款:10201-农商行
"""


def test_readme_contract_and_asset_pass_every_rule(tmp_path: Path) -> None:
    # the books run past the rent's due day, its grace days and a quarter's end; the monthly
    # depreciation vouchers of the shop (VL506) and the bank statements of those months (VL209)
    # are left out of the example
    main_file = make_village(tmp_path, readme_contract_example() + LATER)
    findings = check(main_file, ignore=["VL603", "VL506", "VL209"])
    assert [f"{f.rule} {f.message}" for f in findings] == []


def test_readme_contract_unpaid_is_vl701(tmp_path: Path) -> None:
    body = readme_contract_example().split('2024-03-05 * "梅川县好运超市"')[0] + LATER
    findings = check(make_village(tmp_path, body), ignore=["VL603", "VL506", "VL209"])
    assert [f.rule for f in findings] == ["VL701"]


def free_port() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


def test_a_county_on_a_dask_cluster_runs_as_the_readme_says(tmp_path: Path) -> None:
    """The README's county: a scheduler and two workers, the villages checked on them, checked
    again from the cache, exported and queried (on a port of this run's own)."""
    import json

    output, codes, demo = run_readme_block(
        "A county: villages on a Dask cluster", tmp_path, "2026-11-30", {"8786": free_port()}
    )
    assert codes == ["1", "1", "0", "0"], output  # the sample township's planted findings
    assert (demo / "county" / ".village-ledger-cache").is_dir()
    assert len(list((demo / "export" / "vouchers").rglob("part.parquet"))) == 2
    decoder = json.JSONDecoder()
    first, end = decoder.raw_decode(output)
    second, _ = decoder.raw_decode(output[end:].lstrip())
    assert first == second and any(f["rule"] == "VL303" for f in first)


def test_an_export_and_its_queries_run_as_the_readme_says(tmp_path: Path) -> None:
    """The README's export: the sample township exported, one village edited and exported
    again (it alone rewritten), the shipped queries over the folder."""
    cache = {"VILLAGE_LEDGER_CACHE_DIR": str(tmp_path / "cache")}
    output, codes, demo = run_readme_block(
        "Export for county and province analysis: Parquet and DuckDB",
        tmp_path,
        "2026-11-30",
        env=cache,
    )
    assert codes == ["0"] * 5, output
    assert "已导出 2 个村" in output and "2 个村重新写入，0 个村账簿未变" in output
    assert "1 个村重新写入，1 个村账簿未变未重写" in output
    assert "duplicate-invoices" in output and "凭证数" in output
    assert (demo / "export" / "_manifest.json").is_file()
