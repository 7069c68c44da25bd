"""What every page of the extension shares: the village it shows and how a page is laid out.

Kept apart from the package's `__init__`, where Fava looks for extension classes: a class
imported there would be loaded as one more extension.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fava.ext import FavaExtensionBase
from flask import request
from markupsafe import Markup

from village_ledger.fava.views import Village, forget, village_for
from village_ledger.reports.statements import yuan_display


class VillagePage(FavaExtensionBase):
    """One page of the villagers' dashboard.

    The optional config, `{'audit': '/path/to/sidecar.json'}`, names the audit that
    `village-ledger serve` computed from the original ledger (see `village_ledger.fava.audit`).
    """

    template: str = ""
    yuan = staticmethod(yuan_display)  # integer 分 as printed: 1,234.56

    @property
    def sidecar(self) -> Path | None:
        if isinstance(self.config, dict) and self.config.get("audit"):
            return Path(self.config["audit"])
        return None

    @property
    def public(self) -> bool:
        """Read by villagers (`village-ledger serve` without `--private`): plain words, no rule
        codes or file locations."""
        return isinstance(self.config, dict) and self.config.get("public") is True

    def village(self) -> Village:
        return village_for(self.ledger, self.sidecar)

    def after_load_file(self) -> None:
        forget(self.ledger)

    def content(self) -> Markup:
        """The page's body, laid out once per load of the ledger and choice of parameters."""
        village = self.village()
        params = self.params(village)
        return village.memo((self.name, params), lambda: self.render(village, params))

    def render(self, village: Village, params: tuple[Any, ...]) -> Markup:
        context = self.context(village, *params)
        template = self.jinja_env.get_template(self.template)
        return Markup(template.render(extension=self, village=village, **context))

    def params(self, village: Village) -> tuple[Any, ...]:
        """The request's parameters, checked against what the books hold (so they are few)."""
        return (village.quarter(request.args.get("period")),)

    def context(self, village: Village, *params: Any) -> dict[str, Any]:
        raise NotImplementedError

    def link(self, page: str, **params: str) -> str:
        from fava.application import url_for

        return url_for("extension_report", extension_name=page, **params)

    @staticmethod
    def where(village: Village, file: str, line: int) -> str:
        """A finding's place as the township keeps its books: `huangmei/2025.beancount:120`."""
        root = os.path.dirname(village.model.village_dir)
        if not file or file.startswith("<") or not root:
            return file
        return f"{os.path.relpath(file, root)}:{line}"
