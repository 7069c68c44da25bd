"""录入凭证: the voucher entry form of the private dashboard (`serve --private`, never public).

The page (`VillageEntry` in the package's `__init__`) shows the form with what its lists need
(`form_data`): the accounts by code and name, every term of office (the browser keeps to the
people who hold the role on the voucher's date), the resolutions with what is left of them, the
policy's tiers (the resolution list appears when the amount reaches one) and each month's next
voucher number. Its script (`VillageEntry.js`) posts the form as JSON to two endpoints:

- `check`: the voucher read as a sheet's row is (`voucher_sheet.read_form`), numbered, and
  judged with the books by Beancount and every rule (`entries.check_candidate`); answers the
  entry's text and its findings;
- `save`: the same, then the atomic append (`entries.write_candidate`) unless an error finding
  refuses it. A form saved twice (the same `nonce`) adds its voucher once.

Both audit the original books afresh (`audit.audit`): the served ledger is a wrapper, and a
voucher saved a moment ago must count. Only JSON posts from this server's own pages are
accepted (`same_origin`): a page of another site cannot make a browser save a voucher.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from village_ledger.findings import SEVERITY_ZH, Finding
from village_ledger.model import LedgerModel, vocab
from village_ledger.model.policy import ITEMS

TIERS = {
    "两委联席会议限额": 1,
    "村民代表会议限额": 2,
}  # policy item -> rank of the body it calls for
LONGEST_TEXT = 200
MOST_LINES = 40
_saving = threading.Lock()


def form_data(model: LedgerModel) -> dict[str, Any]:
    """What the form's lists and hints need, as JSON for its script."""
    from village_ledger.entries import VOUCHER
    from village_ledger.voucher_sheet import account_name, open_accounts

    highest: dict[str, int] = {}
    for entry in model.vouchers:
        match = VOUCHER.match(str(entry.meta.get("voucher", "")))
        if match:
            month = f"{match[1]}-{match[2]}"
            highest[month] = max(highest.get(month, 0), int(match[3]))
    spent = model.figures.resolutions
    return {
        "accounts": [[code, account_name(a)] for code, a in open_accounts(model).items()],
        "terms": [
            [t.person, t.role, t.start.isoformat(), t.end.isoformat() if t.end else None]
            for t in model.roster.terms
            if t.role not in vocab.TOWNSHIP_ROLES
        ],
        "approving": sorted(vocab.APPROVING_ROLES),
        "reviewing": sorted(vocab.REVIEWING_ROLES),
        "meetings": [
            [
                m.id,
                m.day.isoformat(),
                m.body,
                m.subject,
                str(m.amount),
                str(spent.spent(m.id)),
                vocab.BODY_RANK[m.body],
            ]
            for m in sorted(model.meetings, key=lambda m: (m.day, m.id))
        ],
        "tiers": {
            key: {
                "rank": rank,
                "default": str(ITEMS[key].default),
                "changes": [[d.isoformat(), str(v)] for d, v in model.policy.changes(key)],
            }
            for key, rank in TIERS.items()
        },
        "highest": highest,
        "receipts": [*vocab.ACCEPTED_RECEIPTS],
        "projects": sorted(model.figures.funds.projects),
    }


def same_origin(origin: str | None, host: str) -> bool:
    """A request from this server's own pages: no Origin (a same-origin GET), or this host."""
    if not origin:
        return True
    from urllib.parse import urlsplit

    return urlsplit(origin).netloc == host


def answer(main_file: str, payload: Any, save: bool) -> tuple[dict[str, Any], int]:
    """The check (or the save) of the form's voucher; the JSON answer and its status."""
    problem = _malformed(payload)
    if problem:
        return {"ok": False, "errors": [problem]}, 400
    if not save:
        return _judge(main_file, payload, save=False)
    with _saving:  # one save at a time: each judges the books the one before it wrote
        return _judge(main_file, payload, save=True)


def _malformed(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return "请求格式有误"
    fields, lines = payload.get("fields"), payload.get("lines")
    if not isinstance(fields, dict) or not isinstance(lines, list) or len(lines) > MOST_LINES:
        return "请求格式有误"
    if not isinstance(payload.get("nonce"), str) or not payload["nonce"]:
        return "请求格式有误（缺少表单编号），请刷新页面后重试"
    values = [
        *fields.values(),
        *(v for line in lines if isinstance(line, dict) for v in line.values()),
    ]
    if any(not isinstance(line, dict) for line in lines):
        return "请求格式有误"
    for value in values:
        if value is not None and not isinstance(value, str | int | float):
            return "请求格式有误"
        if isinstance(value, str) and len(value) > LONGEST_TEXT:
            return f"填写的内容过长（每栏不超过 {LONGEST_TEXT} 个字）"
    return None


def _judge(main_file: str, payload: dict[str, Any], save: bool) -> tuple[dict[str, Any], int]:
    from village_ledger.audit import audit
    from village_ledger.entries import check_candidate, write_candidate
    from village_ledger.voucher_sheet import FORM_UNIT, digests_in_books, entries, read_form
    from village_ledger.writing import WriteRefused

    village = audit([main_file]).villages[0]
    model = village.model
    if model is None:
        return {"ok": False, "errors": ["账簿无法读取，请先改正账簿的错误"]}, 409
    read = read_form(payload["fields"], payload["lines"], model, payload["nonce"][:64])
    if read.errors:
        errors = [
            f"第 {e.row} {FORM_UNIT}：{e.message}" if e.row > 1 else e.message for e in read.errors
        ]
        return {"ok": False, "errors": errors}, 400 if save else 200
    voucher = read.vouchers[0]
    known = digests_in_books(model).get(voucher.digest)
    if known is not None:
        number = known.meta.get("voucher", "")
        return {"ok": True, "saved": False, "duplicate": True, "number": number,
                "message": f"这张凭证已经保存过（凭证号 {number}），没有重复保存"}, 200  # fmt: skip
    [entry] = entries(model, read.vouchers)
    candidate = check_candidate(model, [entry], village.findings)
    number = dict(entry.meta)["voucher"].strip('"')
    result: dict[str, Any] = {
        "ok": not candidate.refused,
        "number": number,
        "text": candidate.text,
        "findings": [_finding(f, candidate.on(candidate.placed[0])) for f in candidate.findings],
        "saved": False,
    }
    if not save:
        return result, 200
    if candidate.refused:
        result["message"] = f"有 {len(candidate.refused)} 处错误，凭证未保存；改正后再保存"
        return result, 409
    try:
        written = write_candidate(candidate)
    except WriteRefused as exc:
        result["message"] = str(exc)
        return result, 409
    result["saved"] = True
    result["file"] = Path(written[0]).name
    result["message"] = f"已保存凭证 {number}（{Path(written[0]).name}）"
    return result, 200


def _finding(finding: Finding, on_entry: list[Finding]) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": SEVERITY_ZH.get(str(finding.severity), str(finding.severity)),
        "error": finding.fails,
        "message": finding.message,
        "on_entry": finding in on_entry,
    }
