import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.support import temporary_rule, warn_on_every_voucher
from village_ledger import audit as service
from village_ledger.findings import Severity
from village_ledger.loading import LoadedLedger

# Each example loads a ledger through Beancount: slower than hypothesis expects by default.
settings.register_profile(
    "ledger", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("ledger")


@pytest.fixture
def warning_rule() -> Iterator[str]:
    """A registered warning rule (VL199, family VL1) that warns on every voucher."""
    with temporary_rule("VL199", warn_on_every_voucher, Severity.WARNING) as code:
        yield code


@pytest.fixture(autouse=True)
def own_result_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test's `check` keeps its result cache in a folder of its own, never in the
    working directory (subprocesses inherit the variable)."""
    import os

    saved = os.environ.get("VILLAGE_LEDGER_CACHE_DIR")
    os.environ["VILLAGE_LEDGER_CACHE_DIR"] = str(tmp_path_factory.mktemp("result-cache"))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("VILLAGE_LEDGER_CACHE_DIR", None)
        else:
            os.environ["VILLAGE_LEDGER_CACHE_DIR"] = saved


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The villages the audit service loads from their files."""
    seen: list[str] = []
    real = service.load_ledger

    def counting(main_file: str | os.PathLike[str], **options: Any) -> LoadedLedger:
        seen.append(Path(main_file).parent.name)
        return real(main_file, **options)

    monkeypatch.setattr(service, "load_ledger", counting)
    yield seen


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian chromium driven by Playwright, one per test module; skipped where the
    machine has no chromium."""
    from tests.test_browser import ARGS, CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
