"""A printed sheet's QR code verifies: the township's public address, the verification page on
`village-ledger serve`, and `village-ledger verify` offline.

The round trip is the villager's: the A4 PDF is printed (rendered), its QR code read back from
the page image, its address opened on a real server on 127.0.0.1, which says the books are
intact; after a sealed voucher is edited, the same address says they are broken.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
from pathlib import Path

from tests.support import make_village
from tests.test_serve import VILLAGE_LEDGER, fetch, seal_quarter, serving
from village_ledger.model import Quarter
from village_ledger.verification import RecordedSeal, find_digest, judge, offline_text, verify_url

AS_OF = "2025-04-30"
SEALED = Quarter(2025, 1)
VOUCHERS = """
2025-02-10 * "城关文具店" "打印纸"
  voucher: "2025-02-001"
  handler: "吴志强"
  approver: "李红梅"
  reviewer: "赵德明"
  receipt: "内部凭证"
  Expenses:513-管理费用:51302-办公费  300.00 CNY
  Assets:102-银行存款:10201-农商行
"""


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [VILLAGE_LEDGER, *args],
        capture_output=True,
        text=True,
        env={"VILLAGE_LEDGER_TODAY": AS_OF, "PATH": str(Path(VILLAGE_LEDGER).parent)},
        timeout=300,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def sealed_village(root: Path, base_url: str | None = None) -> Path:
    """A village whose 2025Q1 is sealed, under a township whose policy file sets the public
    address (or none)."""
    main = make_village(root, VOUCHERS, name="shiqiao")
    if base_url:
        with open(root / "township" / "policy.beancount", "a", encoding="utf-8") as handle:
            handle.write(f'\n2025-01-01 custom "公开网址" "{base_url}"\n')
    seal_quarter(main, SEALED, "2025-04-10")
    return main


def printed_qr(main: Path, tmp_path: Path) -> str:
    """The QR code of the printed A4 sheet, read back from the image of its pages."""
    import zxingcpp
    from PIL import Image

    pdf = tmp_path / "sheet.pdf"
    done = cli("disclose", str(main), "--period", str(SEALED), "--format", "pdf", "-o", str(pdf))
    assert done.returncode in (0, 1), done.stderr
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    found = [
        barcode.text
        for page in sorted(tmp_path.glob("page*.png"))
        for barcode in zxingcpp.read_barcodes(Image.open(page))
        if barcode.format == zxingcpp.BarcodeFormat.QRCode
    ]
    assert len(found) == 1, found
    return found[0]


def edit_sealed_voucher(main: Path) -> None:
    """Change one word of the sealed voucher: nothing a check of the amounts would see."""
    text = main.read_text(encoding="utf-8")
    assert '"打印纸"' in text
    main.write_text(text.replace('"打印纸"', '"打印纸及墨盒"'), encoding="utf-8")


def verdict_of(page: str) -> str:
    found = re.search(r'class="vl-verdict" data-verdict="(\w+)"', page)
    assert found is not None, page[:2000]
    return found.group(1)


def test_the_printed_qr_code_opens_the_verification_page(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    main = sealed_village(tmp_path / "ledgers", base)
    url = printed_qr(main, tmp_path)
    digest = find_digest(url)
    assert digest is not None and url == verify_url(base, "shiqiao", SEALED, digest)
    env = {"VILLAGE_LEDGER_TODAY": AS_OF, "TMPDIR": str(tmp_path)}
    with serving(main.parent, env=env, port=port):
        status, page = fetch(url)
        assert status == 200
        assert verdict_of(page) == "intact" and digest in page and "账目未改动" in page
        assert "纸面上应有的主要数字" in page and "300.00" in page
        edit_sealed_voucher(main)
        deadline = time.monotonic() + 60
        while verdict_of(page) == "intact" and time.monotonic() < deadline:
            time.sleep(1.2)  # the server looks at the originals at most once a second
            status, page = fetch(url)
        assert status == 200 and verdict_of(page) == "broken"
        assert "账目已被改动" in page
        other = url.replace(digest, "sha256:" + "0" * 64)
        assert verdict_of(fetch(other)[1]) == "mismatch"
        assert fetch(f"{base}verify/nosuchvillage/2025Q1")[0] == 404


def test_without_an_address_the_qr_code_carries_the_digest(tmp_path: Path) -> None:
    main = sealed_village(tmp_path / "ledgers")
    text = printed_qr(main, tmp_path)
    digest = find_digest(text)
    assert digest is not None and text == offline_text("shiqiao", SEALED, digest)
    done = cli("verify", str(main.parent), "--period", str(SEALED), "--digest", text)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "一致：账目未改动" in done.stdout and digest in done.stdout
    done = cli("verify", str(main.parent), "--period", str(SEALED), "--format", "json")
    document = json.loads(done.stdout)
    assert document["status"] == "intact" and document["late"] is False
    other = "sha256:" + "1" * 64
    done = cli("verify", str(main.parent), "--period", str(SEALED), "--digest", other)
    assert done.returncode == 1 and "摘要对不上" in done.stdout
    edit_sealed_voucher(main)
    done = cli("verify", str(main.parent), "--period", str(SEALED), "--digest", digest)
    assert done.returncode == 1 and "不符：账目已被改动" in done.stdout


def test_verify_refuses_what_it_cannot_check(tmp_path: Path) -> None:
    main = make_village(tmp_path, VOUCHERS)
    done = cli("verify", str(main), "--period", "2025Q1")
    assert done.returncode == 1 and "没有封存记录" in done.stdout  # never sealed
    for bad in (["--digest", "sha256:xyz"], ["--period", "2025Q5"]):
        done = cli("verify", str(main), "--period", "2025Q1", *bad)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    done = cli("verify", str(tmp_path / "nowhere"), "--period", "2025Q1")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_judge() -> None:
    from datetime import date

    digest = "sha256:" + "a" * 64
    seal = RecordedSeal(digest, date(2026, 10, 20), True, date(2026, 10, 15))
    assert (
        judge(digest, seal).status == "intact" and "晚于公开期限" in judge(None, seal).explanation
    )
    assert judge(digest, RecordedSeal(digest, date(2026, 10, 1), False)).status == "broken"
    assert judge("sha256:" + "b" * 64, seal).status == "mismatch"
    assert judge(digest, None).status == "unsealed"
    assert find_digest(f"财务公开封存 huangmei 2026Q3 {digest}") == digest
    assert find_digest(f"{digest} sha256:{'c' * 64}") is None


def test_only_the_township_sets_the_public_address(tmp_path: Path) -> None:
    main = make_village(tmp_path, VOUCHERS)
    with open(main, "a", encoding="utf-8") as handle:
        handle.write('\n2025-01-01 custom "公开网址" "https://example.org/"\n')
    done = cli("check", str(main), "--select", "VL901")
    assert done.returncode == 1 and "只能写在乡镇共用文件中" in done.stdout
    bad = 'custom "公开网址" "cunzhang.example.org?x=1"'
    with open(tmp_path / "township" / "policy.beancount", "a", encoding="utf-8") as handle:
        handle.write(f"\n2025-01-01 {bad}\n")
    done = cli("check", str(main), "--select", "VL901")
    assert "不是网址" in done.stdout
