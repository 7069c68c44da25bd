"""录入凭证, the private dashboard's voucher entry form: what the public server refuses, what
the endpoints accept, and the form in a real browser (Debian chromium) at phone and desktop
widths, a refused save among them."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fava.util import slugify

from tests.support import REPO
from tests.test_browser import SHOTS, WAIT
from tests.test_serve import Server, serving
from village_ledger.serve import allowed

TODAY = "2026-10-31"
TITLE = slugify("九池乡黄梅村股份经济合作社")
ENTRY = "extension/VillageEntry/"


# ---- which routes each server answers ----


@pytest.mark.parametrize(
    ("endpoint", "args", "method"),
    [
        ("extension_report", {"extension_name": "VillageEntry"}, "GET"),
        ("extension_js_module", {"extension_name": "VillageEntry"}, "GET"),
        ("extension_endpoint", {"extension_name": "VillageEntry", "endpoint": "save"}, "POST"),
        ("extension_endpoint", {"extension_name": "VillageEntry", "endpoint": "check"}, "POST"),
    ],
)
def test_the_form_is_private_only(endpoint: str, args: dict[str, str], method: str) -> None:
    assert allowed(endpoint, args, method, private=True)
    assert not allowed(endpoint, args, method, private=False)


@pytest.mark.parametrize(
    ("endpoint", "args", "method"),
    [
        ("json_api.put_add_entries", {}, "PUT"),
        ("json_api.put_source", {}, "PUT"),
        ("report", {"report_name": "editor"}, "GET"),
        ("report", {"report_name": "import"}, "GET"),
        ("extension_endpoint", {"extension_name": "VillageEntry", "endpoint": "save"}, "GET"),
        ("extension_endpoint", {"extension_name": "VillageEntry", "endpoint": "other"}, "POST"),
        ("extension_endpoint", {"extension_name": "VillageFindings", "endpoint": "save"}, "POST"),
        ("journal", {}, "POST"),
    ],
)
def test_private_still_refuses_every_other_write(
    endpoint: str, args: dict[str, str], method: str
) -> None:
    assert not allowed(endpoint, args, method, private=True)
    assert not allowed(endpoint, args, method, private=False)


# ---- the servers ----


@pytest.fixture(scope="module")
def township(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("entry")
    shutil.copytree(REPO / "ledgers", root, dirs_exist_ok=True)
    return root


@pytest.fixture(scope="module")
def private(township: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {"TMPDIR": str(tmp_path_factory.mktemp("tmp")), "VILLAGE_LEDGER_TODAY": TODAY}
    with serving(township / "huangmei", private=True, env=env) as running:
        yield running


def year_file(township: Path) -> Path:
    return township / "huangmei" / "2026.beancount"


def post(
    server: Server, endpoint: str, body: Any, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(
        server.page(TITLE, f"{ENTRY}{endpoint}"),
        data=data,
        method="POST",
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, json.loads(text) if text.startswith("{") else {"text": text}


def payment(nonce: str, **fields: str) -> dict[str, Any]:
    voucher = {
        "day": "2026-10-08",
        "narration": "缴纳10月份村部电费",
        "payee": "国网梅川县供电公司",
        "handler": "方丽娟",
        "reviewer": "李桂芳",
        "approver": "黄德明",
        "document": "26365114940023119901",
    }
    voucher.update(fields)
    lines = [{"account": "51305", "debit": "702.15"}, {"account": "10201", "credit": "702.15"}]
    return {"fields": {k: v for k, v in voucher.items() if v}, "lines": lines, "nonce": nonce}


def test_the_public_server_refuses_the_form(township: Path, tmp_path: Path) -> None:
    with serving(township / "huangmei", env={"TMPDIR": str(tmp_path)}) as public:
        for path in (ENTRY, "extension_js_module/VillageEntry.js"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(public.page(TITLE, path), timeout=120)
            assert refused.value.code == 403
        status, _ = post(public, "save", payment("public"))
        assert status == 403
        page = urllib.request.urlopen(public.page(TITLE, "extension/VillageFindings/"), timeout=120)
        assert "录入凭证" not in page.read().decode()


def test_the_endpoints_check_save_once_and_refuse(private: Server, township: Path) -> None:
    before = year_file(township).read_bytes()
    status, checked = post(private, "check", payment("n1"))
    assert status == 200 and checked["ok"] and not checked["saved"]
    number = checked["number"]
    assert number.startswith("2026-10-") and f'voucher: "{number}"' in checked["text"]
    assert year_file(township).read_bytes() == before
    # a page of another site cannot save, nor a post that is not JSON
    status, _ = post(private, "save", payment("n1"), {"Origin": "http://example.org"})
    assert status == 403
    # a refused save: no approver is VL101, nothing written
    status, refused = post(private, "save", payment("n2", approver=""))
    assert status == 409 and not refused["saved"]
    assert [f["rule"] for f in refused["findings"] if f["error"]] == ["VL101"]
    assert year_file(township).read_bytes() == before
    # a line the form cannot read
    status, unread = post(private, "save", payment("n3", day="2026-13-01"))
    assert status == 400 and unread["errors"] == [
        "日期“2026-13-01”不是日期，应写作 2026-10-08 这样的日期"
    ]
    status, saved = post(private, "save", payment("n4"))
    assert status == 200 and saved["saved"] and saved["number"] == number
    after = year_file(township).read_bytes()
    assert after.count("缴纳10月份村部电费".encode()) == 1
    status, again = post(private, "save", payment("n4"))
    assert status == 200 and again["duplicate"] and not again.get("saved")
    assert year_file(township).read_bytes() == after


# ---- the form in the browser ----


def open_form(browser: Any, server: Server, width: int) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", is_mobile=width < 500
    )
    context.set_default_timeout(WAIT)
    tab = context.new_page()
    tab.goto(server.page(TITLE, ENTRY))
    tab.wait_for_selector("#vl-entry-form[data-wired]")
    return tab


def fill_payment(tab: Any, day: str, amount: str, narration: str, invoice: str) -> None:
    tab.fill('input[name="day"]', day)
    tab.fill('input[name="narration"]', narration)
    tab.fill('input[name="payee"]', "九池乡红星五金店")
    lines = tab.locator(".vl-line:not(.vl-line-head)")
    lines.nth(0).locator('[name="account"]').fill("51302 管理费用—办公费")
    lines.nth(0).locator('[name="debit"]').fill(amount)
    lines.nth(1).locator('[name="account"]').fill("10201")
    lines.nth(1).locator('[name="credit"]').fill(amount)
    tab.fill('input[name="handler"]', "方丽娟")
    tab.select_option('select[name="reviewer"]', "李桂芳")
    tab.fill('input[name="document"]', invoice)


def options(tab: Any, name: str) -> list[str]:
    return [
        o for o in tab.locator(f'select[name="{name}"] option').all_inner_texts() if o != "（不填）"
    ]


@pytest.mark.parametrize("width", [390, 1400], ids=["phone", "desktop"])
def test_the_form_in_the_browser(browser: Any, private: Server, township: Path, width: int) -> None:
    tab = open_form(browser, private, width)
    try:
        # roster lists as of the voucher's date: 陈国华 was 主任 until the 换届 of 2026-03-20
        tab.fill('input[name="day"]', "2026-03-19")
        assert "陈国华" in options(tab, "approver")
        tab.fill('input[name="day"]', "2026-10-09")
        assert options(tab, "approver") == ["黄德明", "黄志远"]
        assert "陈国华" not in options(tab, "approver")
        fill_payment(
            tab, "2026-10-09", "150.00", f"购买村部办公用品（{width}）", f"2636511494002{width:07d}"
        )
        assert tab.inner_text("#vl-number").startswith("2026-10-")
        assert tab.locator("#vl-meeting-field").is_hidden()
        # a refused save: no approver
        before = year_file(township).read_bytes()
        tab.click("#vl-save")
        tab.wait_for_selector(".vl-message.error")
        assert "不能保存" in tab.inner_text("#vl-result") or "未保存" in tab.inner_text(
            "#vl-result"
        )
        assert "VL101" in tab.inner_text("#vl-result")
        assert year_file(township).read_bytes() == before
        # the resolution list once the amount reaches the 两委联席会议 tier
        tab.locator(".vl-line:not(.vl-line-head)").nth(0).locator('[name="debit"]').fill("2500.00")
        assert tab.locator("#vl-meeting-field").is_visible()
        assert any(o.startswith("2026-08-联席-1") for o in options(tab, "meeting"))
        tab.locator(".vl-line:not(.vl-line-head)").nth(0).locator('[name="debit"]').fill("150.00")
        assert tab.locator("#vl-meeting-field").is_hidden()
        # check, then save
        tab.select_option('select[name="approver"]', "黄德明")
        number = tab.inner_text("#vl-number")
        tab.click("#vl-check")
        tab.wait_for_selector("#vl-result .vl-text")
        assert f'voucher: "{number}"' in tab.inner_text("#vl-result .vl-text")
        tab.screenshot(path=str(SHOTS / f"village-ledger-entry-{width}.png"), full_page=True)
        tab.click("#vl-save")
        tab.wait_for_selector(".vl-message.ok >> text=已保存凭证")
        assert f"已保存凭证 {number}" in tab.inner_text("#vl-result")
        text = year_file(township).read_text(encoding="utf-8")
        assert f"购买村部办公用品（{width}）" in text and f'voucher: "{number}"' in text
        # the page follows the books once Fava has reloaded them (a request that arrives while
        # another is reloading is answered from the books as they were: ask again)
        month, count = number.rsplit("-", 1)
        following = f"{month}-{int(count) + 1:03d}"
        shown = []
        for _ in range(10):
            tab.goto(private.page(TITLE, ENTRY))
            tab.wait_for_selector("#vl-entry-form[data-wired]")
            tab.fill('input[name="day"]', "2026-10-20")
            shown.append(tab.inner_text("#vl-number"))
            if shown[-1] == following:
                break
            tab.wait_for_timeout(1000)
        assert shown[-1] == following, shown
        # nothing overflows the phone's width
        scroll = tab.evaluate("document.querySelector('.vl-entry').scrollWidth")
        client = tab.evaluate("document.querySelector('.vl-entry').clientWidth")
        wide = tab.evaluate(
            """() => { const box = document.querySelector('.vl-entry').getBoundingClientRect();
            return [...document.querySelectorAll('.vl-entry *')]
              .filter(e => e.getBoundingClientRect().right > box.right + 1)
              .map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right); }"""
        )
        assert scroll <= client + 1, wide[:8]
    finally:
        tab.context.close()
