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


def imported_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    script = f"import sys\n{code}\nprint('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"VILLAGE_LEDGER_TODAY": "2026-10-31", "PATH": "", **(env or {})},
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
    assert modules & set(UNUSED_BY_A_CHECK) == set()
    assert "village_ledger.audit" in modules  # it did check


# what a `--no-cache` JSON check without a baseline uses none of: the result cache (and the
# tempfile, shutil, bz2 and lzma it would bring for its writes), the baseline and the writing of
# files, the JUnit format's XML library; and no dataclass (each compiles its methods' source at
# import: the check path's records are NamedTuples and plain classes)
UNUSED_BY_A_CHECK = ("village_ledger.cache", "village_ledger.baseline", "village_ledger.writing",
                     "tempfile", "shutil", "xml.etree.ElementTree", "dataclasses")  # fmt: skip


def test_what_a_check_leaves_unimported_is_imported_by_the_options_that_use_it(
    tmp_path: Path,
) -> None:
    """The modules left out above are imported when a run needs them (a check with the cache,
    writing a baseline, the JUnit format), and still do their work there."""
    baseline = tmp_path / "baseline.json"
    modules = imported_after(
        "from village_ledger.cli.main import main\n"
        f"for args in (['--format', 'junit', '--write-baseline', {str(baseline)!r}], []):\n"
        "    try:\n"
        f"        main(['check', {str(SAMPLE)!r}, '--jobs', '1', '--format', 'json', *args])\n"
        "    except SystemExit:\n"
        "        pass",
        {"VILLAGE_LEDGER_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert set(UNUSED_BY_A_CHECK) <= modules
    assert baseline.exists() and any((tmp_path / "cache").iterdir())


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
