"""The one way out of a report model: `render(report, fmt)` masks it, then lays it out.

Each report type owns a `Renderers` registry (its class attribute `renderers`), filled by the
module that lays that report out, one function per format (html, pdf, xlsx, json, csv …):

    @Handover.renderers.register("json")
    def handover_json(public: Public[Handover], paper: str = "a4") -> bytes: ...

The report type names that module and it is imported the first time the report is rendered:
building a report never loads jinja2, WeasyPrint or openpyxl, and a renderer module imports
its report type without an import cycle. Every registered renderer refuses anything but a
`Public` (masked) report, so no renderer can forget masking.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from village_ledger.reports.masking import Public, publish, require_public

R = TypeVar("R")
Renderer = Callable[[Public[R], str], bytes]

PAPERS = ("a4", "a3")


class Renderers(Generic[R]):
    """The formats one report type is laid out in, registered by the module named `module`."""

    def __init__(self, module: str) -> None:
        self.module = module
        self._by_format: dict[str, Renderer[R]] = {}

    def register(self, fmt: str) -> Callable[[Renderer[R]], Renderer[R]]:
        def add(renderer: Renderer[R]) -> Renderer[R]:
            if fmt in self._by_format:
                raise ValueError(f"{self.module}: format {fmt!r} registered twice")

            @functools.wraps(renderer)
            def public_only(public: Public[R], paper: str = "a4") -> bytes:
                require_public(public, renderer)
                return renderer(public, paper)

            self._by_format[fmt] = public_only
            return public_only

        return add

    def formats(self) -> tuple[str, ...]:
        self._load()
        return tuple(self._by_format)

    def __getitem__(self, fmt: str) -> Renderer[R]:
        self._load()
        try:
            return self._by_format[fmt]
        except KeyError:
            known = "、".join(self._by_format)
            raise ValueError(f"不支持的输出格式 {fmt}（可用：{known}）") from None

    def _load(self) -> None:
        importlib.import_module(self.module)  # a dictionary lookup once it is loaded


class Report(Protocol):
    """What `render` accepts: a report type with its registry of renderers."""

    renderers: ClassVar[Renderers[Any]]


def render(report: Report, fmt: str, paper: str = "a4") -> bytes:
    """Mask the report, then lay it out; the one path from a report model to a public output."""
    renderer = type(report).renderers[fmt]
    return renderer(publish(report), paper)
