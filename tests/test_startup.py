"""What `village-ledger` imports when it starts: nothing a check does not need (start-up is
most of the difference to bean-check on a village of a thousand vouchers)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "openpyxl", "weasyprint", "dask", "distributed", "pyarrow", "duckdb",
         "markdown_it", "jinja2", "playwright", "fava")  # fmt: skip


def test_the_entry_point_imports_no_heavy_library() -> None:
    code = (
        "import sys, village_ledger.cli.main\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
