"""Where the township publishes its villages' books (`公开网址`): the public server's address.

The printed 财务公开's QR code leads there, to the quarter's verification page. Only the
township's own files may set it: an address a village could set itself would let whoever keeps
a village's books send its villagers to a page of their own that calls any books "intact".
The address is not part of the books, so no seal covers it (`canonical.is_contract_directive`):
a township that moves its server breaks no village's seals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from urllib.parse import urlsplit

from village_ledger.findings import Hit
from village_ledger.model import vocab
from village_ledger.model.directives import Directive, bad, require_text
from village_ledger.model.policy import Setting, Timeline


def url_problem(text: str) -> str | None:
    """What is wrong with a public address, or None: http(s), a host, no query or fragment
    (the verification path and its parameters are appended to it)."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"“{text}”不是网址，应写作 https://主机名/ 或 https://主机名/路径/"
    if parts.query or parts.fragment or any(c.isspace() for c in text):
        return f"“{text}”不能含空白、“?”或“#”：核对页面的路径和参数会接在它后面"
    return None


class PublicUrls:
    """The township's public address in force on each day (the latest `公开网址` on or before it)."""

    def __init__(
        self, directives: Iterable[Directive], is_township: Callable[[Directive], bool]
    ) -> None:
        self.hits: list[Hit] = []
        settings = []
        for d in directives:
            problem = require_text(d, (0,))
            if problem is None and not is_township(d):
                problem = bad(
                    d.entry,
                    f"“{vocab.PUBLIC_URL}”只能写在乡镇共用文件中（如 ledgers/township/"
                    "policy.beancount）：财务公开二维码指向的核对网站由乡镇统一设置，村里不能自行指定",
                )
            text = str(d.values[0]).strip()
            if problem is None and (complaint := url_problem(text)) is not None:
                problem = bad(d.entry, complaint)
            if problem is not None:
                self.hits.append(problem)
                continue
            settings.append(Setting(d.day, text.rstrip("/") + "/", d))
        self._timeline = Timeline(settings)

    def at(self, day: date) -> str | None:
        """The address in force on `day`, ending in "/", or None where the township set none."""
        setting = self._timeline.at(day)
        return None if setting is None else str(setting.value)
