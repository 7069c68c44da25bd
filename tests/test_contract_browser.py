"""The 合同与资产 page in headless Chromium at a phone's width (390 px), served by
`village-ledger serve` from a village with contracts: each timeline fits the screen, the
tables scroll inside their own box, nothing is fetched from outside and no person's name
shows. A screenshot is saved as /tmp/village-ledger-contracts-390.png."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fava.util import slugify

from tests import contract_ledger
from tests.test_browser import ARGS, CHROMIUM, SHOTS, WAIT
from tests.test_serve import Server, serving

PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("township")
    contract_ledger.write(root, "shiqiao")
    with serving(root, env={"TMPDIR": str(tmp_path_factory.mktemp("tmp"))}) as running:
        yield running


def test_the_contracts_page_reads_on_a_phone(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = chromium.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
            context.set_default_timeout(WAIT)
            tab = context.new_page()
            outside: list[str] = []
            tab.on(
                "request",
                lambda r: (
                    None if r.url.startswith((server.url, "data:")) else outside.append(r.url)
                ),
            )
            ledger = slugify("测试乡测试村股份经济合作社")
            tab.goto(server.page(ledger, "extension/VillageContracts/"), timeout=WAIT)
            tab.wait_for_selector(".vl-contracts", timeout=WAIT)
            tab.wait_for_load_state("networkidle", timeout=WAIT)
            tab.screenshot(path=str(SHOTS / "village-ledger-contracts-390.png"), full_page=True)
            check_phone_layout(tab)
            text = tab.inner_text(".vl-contracts")
            assert "合同台账" in text and "资产台账" in text and "各合同收付进度" in text
            for person in contract_ledger.PEOPLE:
                assert person not in tab.content() and person[-2:] not in text
            assert outside == []
        finally:
            chromium.close()


def check_phone_layout(tab) -> None:  # type: ignore[no-untyped-def]
    width = PHONE["width"]
    timelines = tab.locator("svg.vl-timeline")
    assert timelines.count() == 4  # one per contract
    for index in range(timelines.count()):
        box = timelines.nth(index).bounding_box()
        assert box is not None
        # within the screen, and wide enough to read (not shrunk to a stamp)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
        assert box["width"] >= 0.6 * width, box
    # the page itself does not scroll sideways: wide tables scroll inside their own box
    page_width = tab.evaluate("document.querySelector('.vl-contracts').scrollWidth")
    box_width = tab.evaluate("document.querySelector('.vl-contracts').clientWidth")
    assert page_width <= box_width, (page_width, box_width)
    # the overdue period is drawn and coloured as such
    owed = tab.locator('[data-contract="HT-2024-002"] rect[data-state="欠收"]')
    assert owed.count() == 1 and owed.get_attribute("fill") == "#c8372d"
