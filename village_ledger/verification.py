"""Checking a printed 财务公开 against today's books: what its QR code carries and what it says.

The sheet prints the quarter's seal digest and a QR code. Where the township has set its public
server's address (`公开网址`, `LedgerModel.public_urls`), the code is the address of the
quarter's verification page on it (`verify_url`): `village-ledger serve` answers
`verify/<village>/<quarter>?digest=…` with the page, which compares the paper's digest with the
seal recorded in the books and with the books as they are today. Without an address the code
carries the digest as text (`offline_text`), and `village-ledger verify` checks it offline.

`judge` is the one verdict both give, from a seal's state as `village_ledger.sealing` computes
it (the server reads it from the audit of the original books, the command from the books).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from village_ledger.model import Quarter

DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
VERIFY = "verify"  # the server's route: verify/<village>/<quarter>


def verify_path(village: str, quarter: Quarter, digest: str) -> str:
    """The verification page's path and query, relative to the public address."""
    return f"{VERIFY}/{quote(village, safe='')}/{quarter}?digest={quote(digest, safe=':')}"


def verify_url(base: str, village: str, quarter: Quarter, digest: str) -> str:
    return base.rstrip("/") + "/" + verify_path(village, quarter, digest)


def offline_text(village: str, quarter: Quarter, digest: str) -> str:
    """What the QR code says where no public address is set: enough to run `verify` with."""
    return f"财务公开封存 {village} {quarter} {digest}"


def qr_content(base: str | None, village: str, quarter: Quarter, digest: str) -> str:
    if base:
        return verify_url(base, village, quarter, digest)
    return offline_text(village, quarter, digest)


def find_digest(text: str) -> str | None:
    """The digest in what a person typed or a scanner read: the bare digest, the QR's text or
    its address all do."""
    found = DIGEST.findall(text.strip().lower())
    return found[0] if len(set(found)) == 1 else None


@dataclass(frozen=True)
class RecordedSeal:
    """A quarter's seal as the books record it and whether today's books still match it."""

    digest: str
    day: date
    intact: bool
    deadline: date | None = None

    @property
    def late(self) -> bool:
        return self.deadline is not None and self.day > self.deadline


@dataclass(frozen=True)
class Verdict:
    """`status`: `intact` (the paper's digest is the seal's and the books still match it),
    `broken` (the seal is the paper's, but the books were changed after it), `mismatch` (the
    books record another digest for the quarter), `unsealed` (the books record no seal)."""

    status: str
    paper: str | None
    seal: RecordedSeal | None

    @property
    def ok(self) -> bool:
        return self.status == "intact"

    @property
    def headline(self) -> str:
        return HEADLINES[self.status]

    @property
    def explanation(self) -> str:
        text = EXPLANATIONS[self.status]
        if self.seal is not None and self.seal.late:
            text += f"这一季度封存于 {self.seal.day}，晚于公开期限 {self.seal.deadline}。"
        return text


HEADLINES = {
    "intact": "一致：账目未改动",
    "broken": "不符：账目已被改动",
    "mismatch": "不符：摘要对不上",
    "unsealed": "账簿中没有封存记录",
}
EXPLANATIONS = {
    "intact": "今天的账簿与公开封存时完全一致：公开以后，这一季度的账没有被改动过。",
    "broken": (
        "纸面上的摘要就是账簿中记录的封存摘要，但这一季度的账在封存以后被改动过，"
        "今天的账簿已与公开时不同。请向村务监督委员会或乡镇农经站反映。"
    ),
    "mismatch": (
        "纸面上的摘要与账簿中记录的这一季度封存摘要不同：这张纸可能不是这一季度正式公开的那一份，"
        "或者账簿中的封存记录被改过。请向村务监督委员会或乡镇农经站反映。"
    ),
    "unsealed": (
        "账簿中没有这一季度的公开封存记录：这一季度还没有公开封存，或者封存记录已被删除。"
        "纸面上印有摘要时，请向村务监督委员会或乡镇农经站反映。"
    ),
}


def judge(paper: str | None, seal: RecordedSeal | None) -> Verdict:
    """The verdict on a sheet's digest (None: no digest given, judge the books' own seal)."""
    if seal is None:
        return Verdict("unsealed", paper, None)
    if paper is not None and paper != seal.digest:
        return Verdict("mismatch", paper, seal)
    return Verdict("intact" if seal.intact else "broken", paper, seal)
