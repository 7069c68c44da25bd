"""`village-ledger serve`: masked public copies, findings from the originals, a closed surface.

The server tests start the real command on a free 127.0.0.1 port and talk HTTP to Fava.
"""

from __future__ import annotations

import html
import os
import queue
import re
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest
from fava.util import slugify

from tests.hostile import CATASTROPHIC, HOSTS, Answer, Probe, Tally, probes, send, slow_clients
from tests.support import make_village
from village_ledger.audit import audit as audit_run
from village_ledger.fava.audit import read_sidecar
from village_ledger.loading import load_ledger
from village_ledger.model import Quarter, build_model
from village_ledger.public_copy import PublicCopier
from village_ledger.reports.masking import Masker
from village_ledger.sealing import quarter_books, seal_lines
from village_ledger.serve import FOLDER_PREFIX, THREADS, Publisher, remove_stale_folders

IDENTITY = "110101199003074514"
PHONE = "13812345678"
CARD = "6222021234567890123"
RELIEF_PAYEE = "张秀兰"
PLANTED = (IDENTITY, PHONE, CARD, "6222 0212 3456 7890 123", "秀兰")
MASKED = ("110101********4514", "138****5678", "***************0123")

PLANTED_BODY = f"""
2025-01-01 open Expenses:514-公益支出:51401-救助:5140101-{RELIEF_PAYEE} CNY
  code: "5140101"

; 报销人身份证 {IDENTITY}
2025-02-10 * "李大明 {IDENTITY}" "报销办公用品，联系电话 {PHONE}，卡号 {CARD}"
  voucher: "2025-02-001"
  handler: "吴志强"
  approver: "李红梅"
  reviewer: "赵德明"
  receipt: "内部凭证"
  idcard: "{IDENTITY}"
  phone: {PHONE}
  card: "6222 0212 3456 7890 123"
  Expenses:513-管理费用:51302-办公费  300.00 CNY
  Assets:102-银行存款:10201-农商行

2025-02-20 * "{RELIEF_PAYEE}" "发放{RELIEF_PAYEE}临时救助金"
  voucher: "2025-02-002"
  handler: "吴志强"
  approver: "李红梅"
  reviewer: "赵德明"
  receipt: "内部凭证"
  Expenses:514-公益支出:51401-救助:5140101-{RELIEF_PAYEE}  500.00 CNY
  Assets:102-银行存款:10201-农商行

2025-01-05 event "监督电话" "0571-88881234"
"""


def planted_village(root: Path, name: str = "plantcun", plugin: str | None = None) -> Path:
    return make_village(root, PLANTED_BODY, name=name, plugin=plugin)


def seal_quarter(main: Path, quarter: Quarter, day: str) -> None:
    """Seal a quarter as `village-ledger seal --write` does (its digest over the books)."""
    loaded = load_ledger(main)
    model = build_model(loaded.entries, loaded.options)
    books = quarter_books(model.entries, [quarter], model.is_township_file)[quarter]
    from datetime import date

    lines = seal_lines(books, date.fromisoformat(day))
    with open(main, "a", encoding="utf-8") as handle:
        handle.write("\n" + "\n".join(lines) + "\n")


# --- masking a file -----------------------------------------------------------------------


def copy_text(tmp_path: Path, text: str, names: frozenset[str] = frozenset()) -> str:
    original = tmp_path / "original.beancount"
    original.write_text(text, encoding="utf-8")
    copier = PublicCopier(Masker(names), {original: tmp_path / "copy" / "main.beancount"})
    return copier.copy(original).text


def test_copy_masks_every_field_comments_go(tmp_path: Path) -> None:
    copy = copy_text(tmp_path, PLANTED_BODY, frozenset({RELIEF_PAYEE}))
    for value in PLANTED:
        assert value not in copy
    assert "报销人身份证" not in copy  # comments are not entries: they are left out
    assert "110101********4514" in copy
    assert 'phone: "138****5678"' in copy  # a bare number became a string
    assert "5140101-张某某" in copy  # an account keeps a valid name
    assert '"发放张**临时救助金"' in copy


def test_copy_keeps_what_is_published_and_drops_our_plugin_and_fava_lines(tmp_path: Path) -> None:
    digest = "sha256:" + "1" * 64  # long digit runs a mask would otherwise hide
    text = (
        'plugin "village_ledger.plugins.all"\n'
        'plugin "beancount.plugins.auto_accounts"\n'
        '2025-01-01 custom "fava-extension" "fava.ext.auto_commit"\n'
        f'2025-04-10 custom "公开封存" "2025Q1" "{digest}"\n'
        '2025-01-05 event "监督电话" "13912345678"\n'
        '2025-01-06 event "其他" "13912345678"\n'
    )
    copy = copy_text(tmp_path, text)
    assert "village_ledger" not in copy and "fava-extension" not in copy
    assert 'plugin "beancount.plugins.auto_accounts"' in copy
    assert digest in copy
    assert 'event "监督电话" "13912345678"' in copy  # printed on the sheet for villagers to call
    assert 'event "其他" "139****5678"' in copy


# --- the public copies --------------------------------------------------------------------


@pytest.fixture
def publisher(tmp_path: Path) -> Iterator[Publisher]:
    main = planted_village(tmp_path / "books", plugin="village_ledger.plugins.all")
    published = Publisher([main], check_interval=0)
    yield published
    published.close()


def all_copies(publisher: Publisher) -> list[Path]:
    return [p for p in publisher.folder.rglob("*") if p.is_file()]


def test_copies_are_private_masked_and_hold_the_same_vouchers(publisher: Publisher) -> None:
    assert stat.S_IMODE(publisher.folder.stat().st_mode) == 0o700
    copies = all_copies(publisher)
    assert len(copies) == 4  # main, chart, policy, and the audit sidecar
    for copy in copies:
        text = copy.read_text(encoding="utf-8")
        assert not any(value in text for value in PLANTED), copy
    original = publisher.originals[0]
    served = publisher.served[0]
    assert served != original.main
    loaded = load_ledger(served, run_plugins=True)
    assert loaded.errors == []
    assert str(original.main.parent.parent) not in served.read_text(encoding="utf-8")
    assert "village_ledger.plugins" not in served.read_text(encoding="utf-8")
    phone = [
        line
        for line in original.main.read_text(encoding="utf-8").splitlines()
        if "监督电话" in line
    ]
    assert phone and phone[0] in served.read_text(encoding="utf-8")


def test_serving_one_village_hides_the_neighbours_relief_recipients(tmp_path: Path) -> None:
    """Served alone, a village that mentions a relief recipient of another village of its
    township hides her name as its 财务公开 does; a served village's own books do not say
    she had relief, so only the neighbour's books can tell the server to hide her."""
    planted_village(tmp_path / "books")
    served = make_village(
        tmp_path / "books",
        f"""
2025-03-02 * "供销社" "{RELIEF_PAYEE}代购化肥"
  voucher: "2025-03-001"
  handler: "吴志强"
  approver: "李红梅"
  reviewer: "赵德明"
  receipt: "内部凭证"
  Expenses:515-其他支出  10.00 CNY
  Assets:101-库存现金
""",
        name="secondcun",
    )
    published = Publisher([served], check_interval=0)
    try:
        text = published.served[0].read_text(encoding="utf-8")
    finally:
        published.close()
    assert "代购化肥" in text
    assert "秀兰" not in text and "张**代购化肥" in text


SAMPLE = Path(__file__).resolve().parent.parent / "ledgers"


@pytest.fixture(scope="module")
def sample_publisher() -> Iterator[Publisher]:
    mains = [SAMPLE / "huangmei" / "main.beancount", SAMPLE / "taibai" / "main.beancount"]
    published = Publisher(mains, check_interval=0)
    yield published
    published.close()


def entry_at(lines: list[str], line: int) -> tuple[str, str]:
    """The date and voucher number of the entry starting at a 1-based line."""
    entry = lines[line - 1 :]
    voucher = next((v for v in entry[1:12] if v.strip().startswith("voucher:")), "")
    return entry[0][:10], voucher.strip()


def test_findings_point_at_the_same_voucher_in_the_copy(sample_publisher: Publisher) -> None:
    taibai = sample_publisher.originals[1]
    original = {
        (f.rule, f.date, f.amount): (f.file, f.line)
        for f in audit_run([taibai.main]).findings
        if f.line > 1
    }
    served = read_sidecar(sample_publisher.sidecar(taibai)).findings
    compared = 0
    for finding in served:
        if (finding.rule, finding.date, finding.amount) not in original or not finding.file:
            continue
        file, line = original[(finding.rule, finding.date, finding.amount)]
        before = entry_at(Path(file).read_text(encoding="utf-8").splitlines(), line)
        after = entry_at(Path(finding.file).read_text(encoding="utf-8").splitlines(), finding.line)
        assert before == after, (finding, before, after)
        assert str(SAMPLE) not in finding.file
        # a contract's or an asset's finding sits on its directive, which has no voucher number
        compared += bool(after[1])
    assert compared >= 5


def test_originals_are_only_read(tmp_path: Path) -> None:
    main = planted_village(tmp_path / "books")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*.beancount")}
    published = Publisher([main])
    published.refresh(force=True)
    published.close()
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*.beancount")}
    assert after == before
    assert not published.folder.exists()


def test_findings_come_from_the_originals_masked(publisher: Publisher) -> None:
    original = publisher.originals[0]
    expected = audit_run([original.main]).findings
    audit = read_sidecar(publisher.sidecar(original))
    assert expected, "the planted village should have findings to compare"
    assert sorted((f.rule, f.line) for f in audit.findings) == sorted(
        (f.rule, f.line) for f in expected
    )
    served = str(publisher.served[0])
    assert {f.file for f in audit.findings if f.file.endswith("main.beancount")} == {served}
    assert not any(v in f.message for f in audit.findings for v in PLANTED)


def test_a_sealed_quarter_stays_intact_in_the_copy(tmp_path: Path) -> None:
    main = planted_village(tmp_path / "books")
    seal_quarter(main, Quarter(2025, 1), "2025-04-10")
    published = Publisher([main])
    try:
        audit = read_sidecar(published.sidecar(published.originals[0]))
        assert audit.seals[Quarter(2025, 1)].intact
        assert "VL601" not in {f.rule for f in audit.findings}
        # what the decision avoids: checked on the masked copy, the seal would look broken
        on_copy = audit_run(published.served).findings
        assert "VL601" in {f.rule for f in on_copy}
    finally:
        published.close()


def test_a_seal_broken_in_the_originals_is_reported(tmp_path: Path) -> None:
    main = planted_village(tmp_path / "books")
    seal_quarter(main, Quarter(2025, 1), "2025-04-10")
    text = main.read_text(encoding="utf-8").replace("300.00 CNY", "320.00 CNY")
    main.write_text(text, encoding="utf-8")
    published = Publisher([main])
    try:
        audit = read_sidecar(published.sidecar(published.originals[0]))
        assert not audit.seals[Quarter(2025, 1)].intact
    finally:
        published.close()


def test_refresh_follows_changes_and_only_then(publisher: Publisher) -> None:
    original = publisher.originals[0]
    assert publisher.refresh(force=True) is False
    with open(original.main, "a", encoding="utf-8") as handle:
        handle.write('\n2025-03-01 note Assets:101-库存现金 "盘点 电话 13912345678"\n')
    assert publisher.refresh(force=True) is True
    copy = publisher.served[0].read_text(encoding="utf-8")
    assert '"盘点 电话 139****5678"' in copy and "13912345678" not in copy
    assert publisher.refresh(force=True) is False


# --- the server ---------------------------------------------------------------------------

VILLAGE_LEDGER = str(Path(sys.executable).with_name("village-ledger"))
START_TIMEOUT = 180


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    log: list[str]

    def page(self, ledger: str, path: str = "") -> str:
        return f"{self.url}{urllib.parse.quote(ledger)}/{urllib.parse.quote(path, safe='/?=&:%')}"


@contextmanager
def serving(*paths: Path, private: bool = False, env: dict[str, str] | None = None, port: int = 0):
    """Run `village-ledger serve` on `port` (default: a free one) until the block ends; always
    stop it."""
    command = [VILLAGE_LEDGER, "serve", *map(str, paths), "--port", str(port)]
    if private:
        command.append("--private")
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    lines: queue.Queue[str] = queue.Queue()
    log: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            log.append(line)
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        url = wait_for_url(lines, process)
        yield Server(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def wait_for_url(lines: queue.Queue[str], process: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if process.poll() is not None:
                raise AssertionError(f"serve exited with {process.returncode}") from None
            continue
        if "http://" in line:
            return line[line.index("http://") :].split()[0]
    raise AssertionError("serve did not start")


def fetch(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def readable(text: str) -> str:
    """JSON (answers, and the data embedded in Fava's pages) escapes Chinese, HTML escapes
    entities: undo both so a name is found as written."""
    text = html.unescape(text)
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


PLANTED_TITLE = "测试乡测试村股份经济合作社"
EXTENSION_PAGES = ("VillageDisclosure", "VillageEntertainment", "VillageExpenditure")
EXTENSION_PAGES += ("VillageFindings", "VillageVerify", "VillageContracts")
PAGES = ("income_statement/", "balance_sheet/", "trial_balance/", "journal/")
PAGES += tuple(f"extension/{p}/" for p in EXTENSION_PAGES)
PAGES += ("extension/VillageDisclosure/?period=2025Q1", "account/Assets:102-银行存款/")
APIS = (
    "api/journal_page?page=1&order=asc",
    "api/income_statement",
    "api/balance_sheet",
    "api/trial_balance",
    "api/errors",
    "api/events",
    "api/account_report?a=Expenses:514-公益支出&r=journal",
)
REFUSED = (
    ("GET", "errors/"),  # Beancount's English error list: the 审计发现 page has them in Chinese
    ("GET", "editor/"),
    ("GET", "query/"),
    ("GET", "import/"),
    ("GET", "options/"),
    ("GET", "documents/"),
    ("GET", "statistics/"),
    ("GET", "holdings/"),
    ("GET", "help/"),
    ("GET", "api/source?filename=main.beancount"),
    ("GET", "api/query?query_string=SELECT%20payee"),
    ("GET", "api/context?entry_hash=x"),
    ("GET", "api/source_slice?entry_hash=x"),
    ("GET", "api/payee_transaction?payee=x"),
    ("GET", "api/narrations"),
    ("GET", "api/options"),
    ("GET", "api/documents"),
    ("GET", "api/imports"),
    ("GET", "download-journal/"),
    ("GET", "download-query/query_result.csv?query_string=SELECT%20payee"),
    ("GET", "document/?filename=main.beancount"),
    ("GET", "extension/AutoCommit/"),
    ("PUT", "api/source"),
    ("PUT", "api/source_slice"),
    ("DELETE", "api/source_slice"),
    ("PUT", "api/add_entries"),
    ("POST", "api/add_entries"),
    ("PUT", "api/upload_import_file"),
    ("PUT", "api/add_document"),
    ("PUT", "api/attach_document"),
    ("PUT", "api/format_source"),
    ("PUT", "api/move"),
    ("DELETE", "api/document"),
    ("POST", "extension/VillageDisclosure/"),
)


@pytest.fixture(scope="module")
def township(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("township")
    planted_village(root, plugin="village_ledger.plugins.all")
    make_village(root, "", name="othercun")
    other = root / "othercun" / "main.beancount"
    other.write_text(
        other.read_text(encoding="utf-8").replace(PLANTED_TITLE, "测试乡另一村股份经济合作社"),
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def server(township: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    temporary = tmp_path_factory.mktemp("serve-tmp")
    with serving(township, env={"TMPDIR": str(temporary)}) as running:
        running.temporary = temporary  # type: ignore[attr-defined]
        yield running


def test_serves_on_localhost_with_a_ledger_per_village(server: Server) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    status, page = fetch(server.page(slugify(PLANTED_TITLE), "income_statement/"))
    assert status == 200
    assert "测试乡另一村股份经济合作社" in readable(page)  # Fava's ledger switcher
    status, _ = fetch(server.url)
    assert status == 200  # redirected to the first village's 财务公开


def test_reading_pages_and_apis_answer(server: Server) -> None:
    ledger = slugify(PLANTED_TITLE)
    for path in PAGES + APIS:
        status, _ = fetch(server.page(ledger, path))
        assert status == 200, path


def test_everything_else_is_refused(server: Server) -> None:
    ledger = slugify(PLANTED_TITLE)
    for method, path in REFUSED:
        body = b"{}" if method != "GET" else None
        status, _ = fetch(server.page(ledger, path), method, body)
        assert status in (403, 404), (method, path, status)
    status, page = fetch(server.page(ledger, "api/source"), "PUT", b"{}")
    assert status == 403 and "只提供查阅" in readable(page)


def test_no_identity_phone_card_or_relief_name_in_any_answer(server: Server) -> None:
    ledger = slugify(PLANTED_TITLE)
    seen = []
    for path in PAGES + APIS:
        status, text = fetch(server.page(ledger, path))
        assert status == 200, path
        text = readable(text)
        seen.append(text)
        for value in PLANTED:
            assert value not in text, (path, value)
    everything = "\n".join(seen)
    for masked in MASKED:
        assert masked in everything  # the planted values are there, masked
    assert "张**" in everything


def test_no_answer_names_the_temporary_folder(server: Server) -> None:
    """Fava's page data names the served files: by their neutral names in the copy, never by
    the server's temporary folder."""
    ledger = slugify(PLANTED_TITLE)
    for path in PAGES + APIS:
        status, text = fetch(server.page(ledger, path))
        assert status == 200, path
        assert FOLDER_PREFIX not in text and str(server.temporary) not in text, path  # type: ignore[attr-defined]
    _, page = fetch(server.page(ledger, "income_statement/"))
    assert "villages/plantcun/main.beancount" in readable(page)


def test_pages_carry_the_style_that_hides_editing_controls(server: Server) -> None:
    status, page = fetch(server.page(slugify(PLANTED_TITLE), "journal/"))
    assert status == 200
    head = page.split("</head>")[0]
    assert 'id="village-ledger-guard"' in head and 'a[href$="/editor/"]' in head


def test_public_copies_follow_the_originals(server: Server, township: Path) -> None:
    main = township / "plantcun" / "main.beancount"
    with open(main, "a", encoding="utf-8") as handle:
        handle.write(
            '\n2025-03-05 * "供销社" "购买扫帚 联系 13698765432"\n'
            '  voucher: "2025-03-001"\n  handler: "吴志强"\n  approver: "李红梅"\n'
            '  reviewer: "赵德明"\n  receipt: "内部凭证"\n'
            "  Expenses:513-管理费用:51302-办公费  40.00 CNY\n"
            "  Assets:101-库存现金\n"
        )
    url = server.page(slugify(PLANTED_TITLE), "api/journal_page?page=1&order=desc")
    deadline = time.monotonic() + 60
    text = ""
    while time.monotonic() < deadline and "购买扫帚" not in text:
        text = readable(fetch(url)[1])
        time.sleep(0.5)
    assert "购买扫帚" in text
    assert "136****5432" in text and "13698765432" not in text


def test_temporary_folder_is_private_and_goes_with_the_server(
    township: Path, tmp_path: Path
) -> None:
    with serving(township / "othercun", env={"TMPDIR": str(tmp_path)}) as running:
        folders = list(tmp_path.iterdir())
        assert len(folders) == 1 and stat.S_IMODE(folders[0].stat().st_mode) == 0o700
        assert running.process.poll() is None
    assert list(tmp_path.iterdir()) == []


def test_private_serves_the_originals_read_only(township: Path, tmp_path: Path) -> None:
    main = township / "plantcun" / "main.beancount"
    before = main.read_bytes()
    with serving(main, private=True, env={"TMPDIR": str(tmp_path)}) as running:
        ledger = slugify(PLANTED_TITLE)
        status, journal = fetch(running.page(ledger, "api/journal_page?page=1&order=asc"))
        assert status == 200 and IDENTITY in journal  # staff see the books as kept
        for method, path in (("GET", "editor/"), ("GET", "api/query?query_string=x")):
            assert fetch(running.page(ledger, path), method)[0] == 403
        assert fetch(running.page(ledger, "api/source"), "PUT", b"{}")[0] == 403
        status, page = fetch(running.page(ledger, "extension/VillageFindings/"))
        article = page.split("<article>")[1].split("</article>")[0]
        assert status == 200 and "审计发现" in article
        # Fava's own data is the staff's, the dashboard's pages are what villagers see
        assert not any(value in article for value in PLANTED)
    assert main.read_bytes() == before


# --- an attacker's requests ---------------------------------------------------------------


def test_hostile_requests_get_an_answer_below_500_and_change_nothing(
    server: Server, township: Path
) -> None:
    """A sample of `bench/serve_probe.py`: every route with hostile parameters, writes, jumps."""
    before = {p: p.read_bytes() for p in township.rglob("*.beancount")}
    parsed = urllib.parse.urlsplit(server.url)
    host, port = parsed.hostname or "", parsed.port or 0
    with ThreadPoolExecutor(4) as pool:
        answers = list(
            pool.map(lambda p: send(host, port, p, 120), probes(slugify(PLANTED_TITLE), 200))
        )
    tally = Tally(answers)
    assert [a.probe for a in tally.hangs] == []
    assert [(a.status, a.probe.path) for a in tally.server_errors] == []
    assert [a.probe for a in tally.writes_accepted] == []
    assert [a.location for a in tally.foreign_redirects(parsed.netloc)] == []
    assert tally.tracebacks == []
    assert {p: p.read_bytes() for p in township.rglob("*.beancount")} == before


def journal(server: Server, query: str) -> tuple[int, str]:
    return fetch(server.page(slugify(PLANTED_TITLE), "api/journal?" + query))


def test_a_filter_is_a_plain_search_never_a_regular_expression(server: Server) -> None:
    status, found = journal(server, urllib.parse.urlencode({"filter": '"临时救助金"'}))
    assert status == 200 and "临时救助金" in readable(found)
    # the pattern that once held the server is text that appears nowhere: nothing found
    for pattern in (*CATASTROPHIC[:3], '"临时救助.*"'):
        status, found = journal(server, urllib.parse.urlencode({"filter": pattern}))
        assert status == 200 and "临时救助金" not in readable(found), pattern


@pytest.mark.parametrize(
    "path",
    [
        "api/balance_sheet?time=2025-02-30",
        "api/income_statement?time=2026-13",
        "api/journal_page?page=-1",
        "api/journal_page?page=x",
        "api/journal?filter=" + urllib.parse.quote('narration:"'),
        "journal/?filter=" + "a" * 201,
    ],
)
def test_bad_parameters_answer_400_in_chinese(server: Server, path: str) -> None:
    status, text = fetch(server.page(slugify(PLANTED_TITLE), path))
    assert status == 400, (path, status, text[:300])
    assert "请求有误" in readable(text)


def jump(server: Server, referrer: str | None) -> tuple[int, str]:
    request = urllib.request.Request(server.url + "jump?time=2025")
    if referrer is not None:
        request.add_header("Referer", referrer)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_jump_stays_on_its_own_host(server: Server) -> None:
    ledger = urllib.parse.quote(slugify(PLANTED_TITLE))
    own = server.url.rstrip("/")
    status, location = jump(server, f"{own}/{ledger}/journal/?time=2024&account=Assets")
    assert status == 302
    assert location == f"/{ledger}/journal/?account=Assets&time=2025"
    for foreign in ("http://evil.example/x?time=1", "//evil.example/x", None, "javascript:x"):
        status, location = jump(server, foreign)
        assert status == 302 and location == "/?time=2025", foreign


def test_a_folder_left_by_a_killed_server_goes_at_the_next_start(
    township: Path, tmp_path: Path
) -> None:
    with serving(township / "othercun", env={"TMPDIR": str(tmp_path)}) as running:
        running.process.kill()
        running.process.wait(timeout=60)
        assert len(list(tmp_path.iterdir())) == 1  # SIGKILL: nothing could remove it
    with serving(township / "othercun", env={"TMPDIR": str(tmp_path)}) as running:
        (folder,) = tmp_path.iterdir()
        assert f"-{running.process.pid}-" in folder.name  # the new server's own
    assert list(tmp_path.iterdir()) == []


def test_stale_folders_of_live_servers_and_other_names_are_kept(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = tmp_path / f"{FOLDER_PREFIX}{done.stdout.strip()}-abc"
    alive = tmp_path / f"{FOLDER_PREFIX}{os.getpid()}-abc"
    other = tmp_path / f"{FOLDER_PREFIX}abc"
    for folder in (dead, alive, other):
        folder.mkdir()
    assert remove_stale_folders(tmp_path) == [dead]
    assert sorted(tmp_path.iterdir()) == sorted([alive, other])


def raw_answer(server: Server, probe: Probe) -> Answer:
    parsed = urllib.parse.urlsplit(server.url)
    return send(parsed.hostname or "", parsed.port or 0, probe, 60)


@pytest.mark.parametrize("host", HOSTS)
def test_a_redirect_never_names_the_requesters_host(server: Server, host: str) -> None:
    """werkzeug's redirect from `/<ledger>` to `/<ledger>/` was `http://<Host header>/...`."""
    slug = urllib.parse.quote(slugify(PLANTED_TITLE))
    for path in (f"/{slug}", f"/{slug}/income_statement", "/static//app.css"):
        answer = raw_answer(server, Probe("GET", path, (("Host", host),)))
        if answer.status == 400:  # a Host werkzeug refuses outright (300 characters)
            continue
        assert answer.status in (301, 302, 308), (path, answer.status)
        assert answer.location.startswith("/") and not answer.location.startswith("//")
        assert "evil" not in answer.location


def test_answers_forbid_sniffing_framing_and_referrers(server: Server) -> None:
    slug = urllib.parse.quote(slugify(PLANTED_TITLE))
    for path in (f"/{slug}/income_statement/", f"/{slug}/editor/", "/static/app.css"):
        answer = send_for_headers(server, path)
        assert answer["X-Content-Type-Options"] == "nosniff", path
        assert answer["X-Frame-Options"] == "SAMEORIGIN", path
        assert answer["Referrer-Policy"] == "same-origin", path


def send_for_headers(server: Server, path: str) -> Message:
    try:
        with urllib.request.urlopen(server.url.rstrip("/") + path, timeout=60) as response:
            return response.headers
    except urllib.error.HTTPError as error:
        return error.headers


def test_head_answers_as_get_does(server: Server) -> None:
    slug = urllib.parse.quote(slugify(PLANTED_TITLE))
    for path in (f"/{slug}/income_statement/", f"/{slug}/extension/VillageDisclosure/"):
        assert raw_answer(server, Probe("HEAD", path)).status == 200, path  # Fava's was 401
    assert raw_answer(server, Probe("HEAD", f"/{slug}/editor/")).status == 403


def test_an_overlong_path_answers_414_in_chinese(server: Server) -> None:
    answer = raw_answer(server, Probe("GET", "/" + "a" * 5000))
    assert answer.status == 414
    assert "网址过长" in answer.body.decode("utf-8")
    assert len(answer.body) < 1000


def test_clients_sending_slowly_do_not_hold_the_others(server: Server) -> None:
    """Three times as many slowloris connections as the server has workers: a plain request
    still gets its answer (under cheroot, Fava's server, it never did)."""
    parsed = urllib.parse.urlsplit(server.url)
    with slow_clients(parsed.hostname or "", parsed.port or 0, 3 * THREADS):
        status, _ = fetch(server.url + "static/app.css")
    assert status == 200
