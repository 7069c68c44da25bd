"""What `village-ledger` imports when it starts and when it checks: nothing a check does not
need (start-up is most of the difference to bean-check on a village of a thousand vouchers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from village_ledger.cli.main import ELSEWHERE, main

HEAVY = ("pandas", "openpyxl", "weasyprint", "dask", "distributed", "pyarrow", "duckdb",
         "markdown_it", "jinja2", "playwright", "fava")  # fmt: skip
SAMPLE = Path(__file__).resolve().parents[1] / "ledgers" / "huangmei"


def imported_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    script = f"import sys\n{code}\nprint('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"VILLAGE_LEDGER_TODAY": "2026-10-31", "PATH": ""},
    )
    return set(out.stdout.split())


def test_the_entry_point_imports_no_heavy_library() -> None:
    modules = imported_after("import village_ledger.cli.main")
    assert {m.split(".")[0] for m in modules} & set(HEAVY) == set()


def test_a_check_imports_neither_heavy_libraries_nor_other_commands() -> None:
    """`check --format json` on a village: not rich (text output and progress bars only), not
    the modules of the other commands."""
    modules = imported_after(
        "from village_ledger.cli.main import main\n"
        "try:\n"
        f"    main(['check', {str(SAMPLE)!r}, '--format', 'json', '--jobs', '1', '--no-cache'])\n"
        "except SystemExit:\n"
        "    pass"
    )
    assert {m.split(".")[0] for m in modules} & {*HEAVY, "rich"} == set()
    others = {f"village_ledger.cli.{module}" for module in ELSEWHERE.values()}
    assert modules & others == set()
    assert "village_ledger.audit" in modules  # it did check


def test_every_command_is_found_in_the_module_that_names_it() -> None:
    with click.Context(main) as ctx:
        for name in main.list_commands(ctx):
            command = main.get_command(ctx, name)
            assert command is not None and command.name == name


def test_the_executable_imports_with_the_collector_paused_and_resumes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc
    import tomllib

    from village_ledger.cli import run

    pyproject = tomllib.loads((SAMPLE.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"]["village-ledger"] == "village_ledger.cli:run"
    monkeypatch.setattr(sys, "argv", ["village-ledger", "--version"])
    try:
        with pytest.raises(SystemExit) as done:
            run()
        assert done.value.code == 0
        assert gc.isenabled()
    finally:
        gc.unfreeze()  # what the test process held is not the executable's to freeze
