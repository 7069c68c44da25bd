"""The villagers' dashboard: Fava pages for a village's books, in Chinese.

Enable it in a ledger with `custom "fava-extension" "village_ledger.fava"`; `village-ledger
serve` enables it on the copies it serves. Its pages, each a report of the sidebar:

- 财务公开: a quarter's disclosure, every table of the printed sheet, its seal digest and
  whether the books still match it;
- 招待费: entertainment in each year and quarter against the annual cap, as a chart;
- 重点支出: cadre pay, travel, and spending under each resolution against its amount, and
  each such expense as a card that opens onto its 过程公开 chain (who handled, reviewed and
  approved it, their roles that day, the resolution and how much of it was spent);
- 审计发现: the rules' findings, filtered by family, severity and quarter;
- 封存核对: a printed sheet's seal digest (its QR code leads here) against today's books;
- 录入凭证 (only under `serve --private`): the voucher entry form (`village_ledger.fava.entry`);
- 合同与资产: the contract register, each contract's schedule as a timeline (paid, owed and
  overdue periods, drawn as inline SVG on the server) and the asset register.

Every figure comes from the report model of `village_ledger.reports`, masked before it is laid
out, so what is on screen is what is on paper. The pages ignore Fava's time and account
filters: they show the report as it is published.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from fava.ext import extension_endpoint
from flask import request
from markupsafe import Markup

from village_ledger.fava import base
from village_ledger.fava.plain import plain_message
from village_ledger.fava.views import Village, year_quarters
from village_ledger.findings import BEANCOUNT, SEVERITY_ZH, Finding, Rectification
from village_ledger.model import Period, Quarter
from village_ledger.model.schedule import Line as ScheduleLine
from village_ledger.registry import FAMILIES, PLAIN_TITLES, get_rule, plain_title
from village_ledger.reports import contract_tables
from village_ledger.reports.charts import (
    PERIOD_TONES,
    Bar,
    Gauge,
    GaugeChart,
    Line,
    Span,
    column_chart,
    draw,
    gauge_chart,
    timeline_chart,
)
from village_ledger.reports.disclosure_render import A4_ORDER, money_rows, seal_text
from village_ledger.reports.layout import TableView, cell_text, qr_data_uri, table_view
from village_ledger.reports.statements import cents, yuan_display
from village_ledger.reports.tables import Table
from village_ledger.verification import find_digest, judge

QUARTER_NAMES = ("一季度", "二季度", "三季度", "四季度")


class VillageDisclosure(base.VillagePage):
    """财务公开: the quarter's report as printed, with its seal."""

    report_title = "财务公开"
    template = "_disclosure.html"

    def context(self, village: Village, quarter: Quarter | None) -> dict[str, Any]:
        if quarter is None:
            return {"report": None}
        report = village.disclosure(quarter).report
        state = village.audit.seal(quarter)
        return {
            "report": report,
            "quarter": quarter,
            "money": money_rows(report.money),
            "tables": [
                table_view(report.tables[key], blank_zero=key == "detail")
                for key in A4_ORDER
                if key in report.tables
            ],
            "capitals": report.capitals,
            # the sheet's 图示, drawn as on paper
            "charts": [(chart, draw(chart)) for chart in report.charts],
            "entertainment": (
                yuan_display(report.entertainment_ytd),
                yuan_display(report.entertainment_cap),
            ),
            "seal": state,
            "qr": qr_data_uri(seal_text(report)) if state else None,
        }


class VillageEntertainment(base.VillagePage):
    """招待费: each year and quarter against the annual cap."""

    report_title = "招待费"
    template = "_entertainment.html"

    def params(self, village: Village) -> tuple[Any, ...]:
        return ()

    def context(self, village: Village) -> dict[str, Any]:
        years = []
        for year, quarters in sorted(year_quarters(village.quarters).items(), reverse=True):
            last = max(q.number for q in quarters)
            rows = [entertainment_row(village, Quarter(year, n)) for n in range(1, last + 1)]
            cap, warn = rows[-1]["cap"], rows[-1]["warn"]
            bars = [Bar(r["name"], r["ytd"], r["tone"]) for r in rows]
            lines = [Line("年度限额", cap, "#c8372d"), Line("预警线", warn, "#e0a030", True)]
            chart = column_chart(f"{year} 年招待费累计与年度限额", bars, lines)
            years.append({"year": year, "rows": rows, "chart": chart, "last": rows[-1]})
        return {"years": years}


def entertainment_row(village: Village, quarter: Quarter) -> dict[str, Any]:
    """A quarter's entertainment and the year's to its end, as the rules count them."""
    period = Period.quarter(quarter)
    year = village.model.figures.entertainment(quarter.year, period.last)
    receptions = year.within(period)
    ytd, cap = cents(year.total), cents(year.cap)
    if year.over:
        tone, status = "over", "超出年度限额"
    elif year.warned:
        tone, status = "warn", "达到预警线"
    else:
        tone, status = "ok", "限额以内"
    return {
        "quarter": quarter,
        "name": QUARTER_NAMES[quarter.number - 1],
        "spent": cents(sum((r.reception.amount for r in receptions), Decimal(0))),
        "ytd": ytd,
        "cap": cap,
        "warn": cents(year.mark),
        "share": f"{ytd * 100 / cap:.1f}%" if cap else "—",
        "tone": tone,
        "status": status,
        "receptions": len(receptions),
    }


class VillageExpenditure(base.VillagePage):
    """重点支出: cadre pay, travel and vehicles, and spending under each resolution."""

    report_title = "重点支出"
    template = "_expenditure.html"

    def context(self, village: Village, quarter: Quarter | None) -> dict[str, Any]:
        if quarter is None:
            return {"report": None}
        report = village.disclosure(quarter).report
        tables = [
            table_view(report.tables[k]) for k in ("cadre_pay", "cadre", "travel", "meetings")
        ]
        meetings = report.tables["meetings"]
        gauges = tuple(
            Gauge(
                f"{r['id']} {r['subject']}",
                int(r["spent"] or 0),
                int(r["approved"] or 0),
                spent_name="累计支出",
                limit_name="批准金额",
            )
            for r in meetings.records()
        )
        title = "会议决议批准金额与累计支出"
        chart = gauge_chart(GaugeChart("meetings", title, gauges, "")) if gauges else None
        process = report.tables["process"]
        return {
            "report": report,
            "quarter": quarter,
            "tables": tables,
            "chart": chart,
            "process": process,
            "chains": [chain_card(process, record) for record in process.records()],
        }


def chain_card(table: Table, record: dict[str, Any]) -> dict[str, Any]:
    """One row of the 过程公开 table as the page's expandable card: every cell as printed, by
    its column title, and the share of the resolution spent up to this voucher."""
    shown = {c.key: cell_text(c, record[c.key]) for c in table.columns}
    titles = {c.key: c.title for c in table.columns}
    approved, through = record["approved"], record["through"]
    share = f"{through * 100 / approved:.1f}%" if approved and through is not None else ""
    return {
        "shown": shown,
        "titles": titles,
        "share": share,
        "width": min(100.0, through * 100 / approved) if share else 0.0,
        "over": bool(share) and through > approved,
    }


class VillageVerify(base.VillagePage):
    """封存核对: a printed sheet's digest against the books as they are today.

    The QR code of a sheet leads here (`village_ledger.verification`); the page says whether
    the paper's digest is the seal the books record and whether the books still match it, and
    shows the key totals the paper should show. Without a digest it shows every sealed quarter.
    """

    report_title = "封存核对"
    template = "_verify.html"

    def params(self, village: Village) -> tuple[Any, ...]:
        period = Quarter.parse(request.args.get("period", "") or "")
        digest = request.args.get("digest", "")
        return (period, find_digest(digest) if digest else None, bool(digest))

    def content(self) -> Markup:
        # the digest is the requester's: laid out each time, not kept (nor a page per digest)
        village = self.village()
        return self.render(village, self.params(village))

    def context(
        self, village: Village, quarter: Quarter | None, paper: str | None, asked: bool
    ) -> dict[str, Any]:
        seals = sorted(village.audit.seals.values(), key=lambda s: s.quarter, reverse=True)
        listed = [(s, judge(None, s.recorded())) for s in seals]
        if quarter is None:
            return {"quarter": None, "listed": listed}
        state = village.audit.seal(quarter)
        verdict = judge(paper, state.recorded() if state else None)
        report = village.disclosure(quarter).report if quarter in village.quarters else None
        return {
            "quarter": quarter,
            "listed": listed,
            "verdict": verdict,
            "unreadable": asked and paper is None,
            "report": report,
            "money": money_rows(report.money) if report else [],
            "totals": quarter_totals(table_view(report.tables["income"])) if report else [],
        }


def quarter_totals(view: TableView) -> list[tuple[str, str]]:
    """The 收支情况 table's totals (收入合计, 支出合计, 收益) for the quarter itself."""
    column = next((i for i, (title, _) in enumerate(view.headers) if title == "本季"), None)
    if column is None:
        return []
    return [(row[0][0], row[column][0]) for row in view.totals]


class VillageContracts(base.VillagePage):
    """合同与资产: the contract register, each contract's schedule as a timeline of paid,
    owed and overdue periods, and the asset register, as of the books' last day."""

    report_title = "合同与资产"
    template = "_contracts.html"

    def params(self, village: Village) -> tuple[Any, ...]:
        return ()

    def context(self, village: Village) -> dict[str, Any]:
        model = village.model
        as_of = model.figures.books_end
        if as_of is None:
            return {"as_of": None}
        mask = village.masker.walk
        year = Period.span(date(as_of.year, 1, 1), as_of)
        contracts = []
        for contract in contract_tables.signed_by(model, as_of):
            schedule = model.figures.contracts.schedule(contract, as_of)
            heading = f"{contract.id} {contract.kind} {contract.counterparty} {contract.subject}"
            contracts.append(
                {
                    "id": contract.id,
                    "heading": village.masker.text(heading),
                    "term": contract_tables.term_text(contract, as_of),
                    "state": contract_tables.contract_state(schedule),
                    "arrears": yuan_display(cents(schedule.arrears)),
                    "overdue": schedule.overdue > 0,
                    "timeline": timeline_chart(
                        village.masker.text(f"{contract.id} 收付进度"),
                        [period_span(line) for line in schedule.lines],
                        as_of,
                    ),
                    "table": table_view(mask(contract_tables.schedule_table(schedule))),
                }
            )
        return {
            "as_of": as_of,
            "register": table_view(mask(contract_tables.register_table(model, year))),
            "contracts": contracts,
            "assets": table_view(mask(contract_tables.assets_table(model, as_of))),
            "gaps": table_view(mask(contract_tables.asset_gaps_table(model, as_of))),
            "tones": PERIOD_TONES,
            "arrears_rule": arrears_rule_title(),
        }


def arrears_rule_title() -> str:
    """The rule that judges arrears, named in words for villagers (its code stays private)."""
    rule = get_rule("VL701")
    assert rule is not None  # a rule of the registry's own families
    return rule.title


def period_span(line: ScheduleLine) -> Span:
    """A period of a schedule as the timeline draws it."""
    tip = (
        f"{line.label}（{line.instalment.first} 至 {line.instalment.last}）："
        f"{line.due} 到期，应收付 {yuan_display(cents(line.amount))} 元，"
        f"已收付 {yuan_display(cents(line.received))} 元，{line.state}"
    )
    return Span(line.label, line.instalment.first, line.instalment.last, line.due, line.state, tip)


SEVERITIES = {"error": "错误", "warning": "预警"}


class VillageFindings(base.VillagePage):
    """审计发现: every finding of the rules, filtered by family, severity and quarter."""

    report_title = "审计发现"
    template = "_findings.html"

    def params(self, village: Village) -> tuple[Any, ...]:
        family = request.args.get("family", "")
        severity = request.args.get("severity", "")
        period = Quarter.parse(request.args.get("period", "") or "")
        return (
            family if family in family_labels() else "",
            severity if severity in SEVERITIES else "",
            period if period in village.quarters else None,
        )

    def context(
        self, village: Village, family: str, severity: str, period: Quarter | None
    ) -> dict[str, Any]:
        findings = village.audit.findings
        shown = [
            f
            for f in findings
            if (not family or family_key(f.rule) == family)
            and (not severity or str(f.severity) == severity)
            and (period is None or (f.date is not None and period.contains(f.date)))
        ]
        shown.sort(key=lambda f: (f.date or date.min, f.rule, f.line), reverse=True)
        vouchers = vouchers_by_place(village)
        public = self.public
        return {
            "public": public,
            "families": family_labels(public),
            "severities": SEVERITIES,
            "family": family,
            "severity": severity,
            "period": period,
            "counts": family_counts(findings, public),
            "total": len(findings),
            "rectified_total": sum(not f.is_open for f in findings),
            # open problems first; those put right are shown apart, never dropped
            "rows": [finding_row(self, village, f, vouchers) for f in shown if f.is_open],
            "rectified": [finding_row(self, village, f, vouchers) for f in shown if not f.is_open],
        }


def family_key(code: str) -> str:
    if code == BEANCOUNT:
        return BEANCOUNT
    return code[:3]


def family_labels(public: bool = False) -> dict[str, str]:
    """Each family of rules by its name; the accountant's also by its codes."""
    labels = {f.prefix: f.title if public else f"{f.prefix}xx {f.title}" for f in FAMILIES}
    labels[BEANCOUNT] = BEANCOUNT_PLAIN if public else BEANCOUNT_TITLE
    return labels


BEANCOUNT_TITLE, BEANCOUNT_PLAIN = "Beancount 基本检查", PLAIN_TITLES[BEANCOUNT]


def family_counts(findings: list[Finding], public: bool = False) -> list[dict[str, Any]]:
    """Open errors, open warnings and rectified findings of each family."""
    counts = Counter(
        (family_key(f.rule), str(f.severity) if f.is_open else "rectified") for f in findings
    )
    rows = []
    for key, label in family_labels(public).items():
        errors, warnings = counts[(key, "error")], counts[(key, "warning")]
        rows.append(
            {
                "key": key,
                "label": label,
                "errors": errors,
                "warnings": warnings,
                "rectified": counts[(key, "rectified")],
            }
        )
    return rows


def vouchers_by_place(village: Village) -> dict[tuple[str, int], str]:
    def build() -> dict[tuple[str, int], str]:
        found = {}
        for txn in village.model.vouchers:
            meta = txn.meta or {}
            if meta.get("voucher") is not None:
                found[(str(meta.get("filename")), int(meta.get("lineno") or 0))] = str(
                    meta["voucher"]
                )
        return found

    return village.memo("vouchers", build)


def finding_row(
    page: base.VillagePage, village: Village, finding: Finding, vouchers: dict[tuple[str, int], str]
) -> dict[str, Any]:
    rule = get_rule(finding.rule)
    message = village.masker.text(finding.message)
    if page.public:
        title = plain_title(finding.rule)  # as the printed sheet names it
    elif rule is not None:
        title = rule.title
    else:
        title = BEANCOUNT_TITLE if finding.rule == BEANCOUNT else ""
    return {
        "rule": finding.rule,
        "title": title,
        "severity": SEVERITY_ZH.get(str(finding.severity), str(finding.severity)),
        "is_error": finding.is_error,
        "date": finding.date.isoformat() if finding.date else "",
        "voucher": vouchers.get((finding.file, finding.line), ""),
        "where": "" if page.public else page.where(village, finding.file, finding.line),
        "message": plain_message(message) if page.public else message,
        "amount": yuan_display(cents(finding.amount)) if finding.amount is not None else "",
        "rectification": rectification_row(village, finding.rectified, page.public),
    }


def rectification_row(
    village: Village, record: Rectification | None, public: bool = False
) -> dict[str, str] | None:
    if record is None:
        return None
    way = village.masker.text(record.way)
    return {
        "day": record.day.isoformat(),
        "way": plain_message(way) if public else way,
        "accepted_by": record.accepted_by,
        "evidence": record.evidence,
    }


class VillageEntry(base.VillagePage):
    """录入凭证: the voucher entry form, offered only by `serve --private` (its config names
    the original main file under `entry`); elsewhere it has no page and its endpoints refuse."""

    template = "_entry.html"

    def __init__(self, ledger: Any, config: str | None = None) -> None:
        super().__init__(ledger, config)
        enabled = bool(self.original)
        self.report_title = "录入凭证" if enabled else None
        self.has_js_module = enabled

    @property
    def original(self) -> str | None:
        if isinstance(self.config, dict) and isinstance(self.config.get("entry"), str):
            return str(self.config["entry"])
        return None

    def params(self, village: Village) -> tuple[Any, ...]:
        return ()

    def context(self, village: Village) -> dict[str, Any]:
        from village_ledger.fava.entry import form_data
        from village_ledger.voucher_sheet import COLUMNS

        return {
            "data": form_data(village.model),
            "columns": {c.key: c.header for c in COLUMNS},
        }

    # fava's decorator is typed for its own TypeVar, which mypy cannot bind to a subclass method
    @extension_endpoint("check", ["POST"])  # type: ignore[untyped-decorator,arg-type]
    def check(self) -> Any:
        return self._answer(save=False)

    @extension_endpoint("save", ["POST"])  # type: ignore[untyped-decorator,arg-type]
    def save(self) -> Any:
        return self._answer(save=True)

    def _answer(self, save: bool) -> Any:
        from flask import jsonify

        from village_ledger.fava.entry import answer, same_origin

        if self.original is None:
            return jsonify({"ok": False, "errors": ["本服务不提供录入凭证"]}), 403
        if not request.is_json or not same_origin(request.headers.get("Origin"), request.host):
            return jsonify({"ok": False, "errors": ["只接受本页面提交的凭证"]}), 403
        body, status = answer(self.original, request.get_json(silent=True), save)
        return jsonify(body), status
