"""Every output format of the 财务公开, and the `disclose` command around them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.reporting import pdf_text
from tests.test_disclosure import disclose, sample_village
from village_ledger.cli.main import main as cli
from village_ledger.reports.disclosure import Disclosure
from village_ledger.reports.disclosure_render import CHAIN_COLUMNS
from village_ledger.reports.handover import Handover
from village_ledger.reports.overview import Overview
from village_ledger.reports.render import Renderers, Report, render
from village_ledger.reports.statements import yuan_display, yuan_text


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Disclosure]:
    digest = "sha256:" + "3f" * 32
    root = tmp_path_factory.mktemp("r")
    main = sample_village(root, extra=f'2025-07-09 custom "公开封存" "2025Q2" "{digest}"\n')
    return main, disclose(main)[0]


def pdf_pages(data: bytes) -> list[str]:
    text = pdf_text(data)
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def page_sizes(data: bytes) -> list[str]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [
        line.split("(")[-1].rstrip(")")
        for line in info.splitlines()
        if line.startswith("Page") and " size:" in line
    ]


def key_figures(report: Disclosure) -> list[str]:
    income = {t["kind"]: t for t in report.tables["income"].totals}
    sheet = report.tables["balance"].rows.set_index("item")
    return [
        yuan_display(income["收入合计"]["quarter"]),
        yuan_display(income["支出合计"]["quarter"]),
        yuan_display(report.money.end),
        yuan_display(int(sheet.loc["资产总计", "closing"])),
        report.capitals["本季收入合计"],
        report.capitals["期末货币资金"],
    ]


def test_pdf_a4_holds_the_key_figures_and_the_seal(sample) -> None:
    _, report = sample
    data = render(report, "pdf", "a4")
    assert data.startswith(b"%PDF")
    text = "".join(pdf_pages(data))
    for figure in key_figures(report):
        assert figure in text
    assert report.signature.seal_digest in text.replace("\n", "")
    assert "赵德明" in text and "0571-88886666" in text
    assert set(page_sizes(data)) == {"A4"}


def test_pdf_a3_board_is_one_sheet(sample) -> None:
    _, report = sample
    data = render(report, "pdf", "a3")
    sizes = page_sizes(data)
    assert sizes[0] == "A3" and sizes.count("A3") == 1
    assert all(size == "A4" for size in sizes[1:])
    board = pdf_pages(data)[0]
    assert "资产负债情况" in board and "村务监督委员会审核意见" in board
    for figure in key_figures(report)[:4]:
        assert figure in "".join(pdf_pages(data))


def test_a_long_detail_continues_on_a4_pages(tmp_path: Path) -> None:
    lines = []
    for n in range(1, 121):
        day = f"2025-05-{n % 28 + 1:02d}"
        lines.append(
            f'{day} * "村民{n}" "收取第{n}户卫生费"\n  Assets:101-库存现金  10.00 CNY\n'
            f"  Income:504-其他收入:50402-其他  -10.00 CNY\n"
        )
    report, _ = disclose(sample_village(tmp_path, extra="\n".join(lines)))
    data = render(report, "pdf", "a3")
    sizes = page_sizes(data)
    assert sizes.count("A3") == 1 and len(sizes) > 1
    continued = "".join(pdf_pages(data)[1:])
    assert "收支明细公开表" in continued and "收取第120户卫生费" in continued


def test_html_is_one_self_contained_page(sample) -> None:
    _, report = sample
    html = render(report, "html").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert "data:image/svg+xml" in html  # the seal's QR code, drawn locally
    for table in report.tables.values():
        assert table.title in html
    for figure in key_figures(report):
        assert figure in html


def test_qr_code_encodes_the_digest(sample) -> None:
    import segno

    from village_ledger.verification import offline_text

    _, report = sample
    # no public address in the township's files: the digest as text, for `village-ledger verify`
    text = offline_text("testcun", report.quarter, report.signature.seal_digest)
    expected = segno.make(text, error="m")
    html = render(report, "html").decode("utf-8")
    assert expected.svg_data_uri(scale=4, border=2) in html


def test_json_holds_every_table_with_amounts_as_strings(sample) -> None:
    _, report = sample
    data = json.loads(render(report, "json"))
    assert [t["key"] for t in data["tables"]] == list(report.tables)
    assert data["signature"]["seal"] == report.signature.seal_digest
    income = next(t for t in data["tables"] if t["key"] == "income")
    totals = {t["kind"]: t for t in income["totals"]}
    assert totals["收入合计"]["quarter"] == yuan_text(report.tables["income"].totals[0]["quarter"])
    for table in data["tables"]:
        for record in table["rows"] + table["totals"]:
            for column in table["columns"]:
                value = record[column["key"]]
                if column["kind"] == "amount" and value is not None:
                    assert isinstance(value, str) and Decimal(value).as_tuple().exponent == -2
    assert data["money"]["end"] == yuan_text(report.money.end)


def test_csv_is_the_detail(sample) -> None:
    _, report = sample
    rows = list(csv.reader(io.StringIO(render(report, "csv").decode("utf-8"))))
    detail = [c.title for c in report.tables["detail"].columns]
    # the detail's columns, then the 过程公开 chain of the transactions that have one
    assert rows[0][: len(detail)] == detail
    assert rows[0][len(detail) :] == list(CHAIN_COLUMNS.values())
    assert len(rows) == 1 + len(report.tables["detail"].rows) + 1
    total = rows[-1]
    assert total[3] == "合计" and total[4] == yuan_text(report.money.money_in)


def test_xlsx_has_a_sheet_per_table_with_numbers(sample) -> None:
    _, report = sample
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    assert book.sheetnames[0] == "资金概况"
    assert len(book.sheetnames) == 1 + len(report.tables)
    sheet = book["收支情况公开表"]
    header = next(
        i for i, row in enumerate(sheet.iter_rows(values_only=True), 1) if row[0] == "类别"
    )
    cell = sheet.cell(row=header + 1, column=4)
    assert isinstance(cell.value, int | float) and cell.number_format == "#,##0.00"
    values = [row for row in sheet.iter_rows(min_row=header + 1, values_only=True)]
    total = next(r for r in values if r[0] == "收入合计")
    assert Decimal(str(total[3])) == Decimal(report.tables["income"].totals[0]["quarter"]) / 100


# --- the command ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "pdf", "xlsx", "json", "csv"])
def test_disclose_writes_every_format(sample, tmp_path: Path, fmt: str) -> None:
    main, _ = sample
    out = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(
        cli, ["disclose", str(main.parent), "--period", "2025Q2", "--format", fmt, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_disclose_prints_json_and_csv_without_output_file(sample) -> None:
    main, _ = sample
    runner = CliRunner()
    result = runner.invoke(cli, ["disclose", str(main), "--period", "2025Q2", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["period"] == "2025Q2"
    result = runner.invoke(cli, ["disclose", str(main), "--period", "2025Q2", "--format", "csv"])
    assert result.exit_code == 0 and result.stdout.startswith("日期,凭证号")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2025Q5", "--format", "json"], "不是季度"),
        (["--period", "2025-2", "--format", "json"], "YYYYQn"),
        (["--period", "2025Q2", "--format", "pdf"], "须用 -o"),
        (["--period", "2025Q2", "--format", "html", "-o", "/no/such/dir/x.html"], "输出目录不存在"),
    ],
)
def test_disclose_refuses_bad_arguments_in_chinese(sample, args, message: str) -> None:
    main, _ = sample
    result = CliRunner().invoke(cli, ["disclose", str(main), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_disclose_refuses_a_missing_ledger(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["disclose", str(tmp_path / "nowhere"), "--period", "2025Q2", "--format", "json"]
    )
    assert result.exit_code == 2 and "路径不存在" in result.output


def test_disclose_of_a_broken_ledger_still_writes_and_exits_1(tmp_path: Path) -> None:
    main = sample_village(
        tmp_path,
        extra='2025-05-30 * "某人" "不平衡"\n  Assets:101-库存现金  -1.00 CNY\n'
        "  Expenses:515-其他支出  2.00 CNY\n",
    )
    result = CliRunner().invoke(
        cli, ["disclose", str(main), "--period", "2025Q2", "--format", "json"]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    findings = next(t for t in data["tables"] if t["key"] == "findings")
    assert any(r["rule"] == "记账格式检查" for r in findings["rows"])  # BEANCOUNT, in words
    assert "Beancount 错误" in result.stderr


@pytest.mark.parametrize(
    ("command", "report_type"),
    [("disclose", Disclosure), ("handover", Handover), ("overview", Overview)],
)
def test_each_report_type_renders_the_formats_its_command_offers(
    command: str, report_type: type[Report]
) -> None:
    found = cli.get_command(click.Context(cli), command)
    assert found is not None
    option = next(p for p in found.params if p.name == "fmt")
    assert isinstance(option.type, click.Choice)
    assert sorted(report_type.renderers.formats()) == sorted(option.type.choices)


def test_a_format_is_registered_once_and_an_unknown_one_is_refused() -> None:
    renderers: Renderers[Disclosure] = Renderers("village_ledger.reports.disclosure_render")
    renderers.register("json")(lambda public, paper: b"{}")
    with pytest.raises(ValueError, match="twice"):
        renderers.register("json")(lambda public, paper: b"[]")
    with pytest.raises(ValueError, match="不支持的输出格式 docx"):
        renderers["docx"]
