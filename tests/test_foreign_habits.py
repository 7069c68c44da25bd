"""Habits of other township accounting centres that the loader and the model must take as they
come (found by the ledgers in tests/data/foreign): a UTF-8 BOM, CRLF line endings, and the
township's chart in a sub-folder of the township's folder."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.support import REPO, check, codes, line_of, make_village
from village_ledger.loading import load_ledger
from village_ledger.model import build_model

BOM = b"\xef\xbb\xbf"
FOREIGN_TOWNSHIP = REPO / "tests" / "data" / "foreign" / "qingshi" / "乡镇"


@pytest.fixture(autouse=True)
def before_any_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VILLAGE_LEDGER_TODAY", "2025-02-01")


BOOKS = """
2025-01-06 * "国网供电所" "电费"
  voucher: "2025-01-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "王建国"
  invoice: "25320000000012345678"
  Expenses:513-管理费用:51305-水电费   312.40 CNY
  Assets:102-银行存款:10201-农商行
"""


def shapes(main: Path) -> list[tuple[str, str, int]]:
    ledger = load_ledger(main)
    assert [e.message for e in ledger.errors] == []
    return [
        (type(e).__name__, Path(e.meta["filename"]).name, e.meta["lineno"])
        for e in ledger.entries
        if Path(e.meta["filename"]).parent == main.parent
    ]


def with_bom_and_crlf(path: Path) -> None:
    path.write_bytes(BOM + path.read_bytes().replace(b"\n", b"\r\n"))


def test_a_bom_and_crlf_read_as_the_same_books_at_the_same_lines(tmp_path: Path) -> None:
    plain = make_village(tmp_path / "plain", 'include "2025.beancount"\n')
    (plain.parent / "2025.beancount").write_text(BOOKS, encoding="utf-8")
    windows = make_village(tmp_path / "windows", 'include "2025.beancount"\n')
    (windows.parent / "2025.beancount").write_text(BOOKS, encoding="utf-8")
    with_bom_and_crlf(windows)
    with_bom_and_crlf(windows.parent / "2025.beancount")
    assert shapes(windows) == shapes(plain)
    assert check(windows) == [] == check(plain)


def test_a_bom_in_the_bytes_a_command_would_write_is_read_past(tmp_path: Path) -> None:
    """`replaced` (the books as a command would write them) goes through the same path."""
    main = make_village(tmp_path, 'include "2025.beancount"\n')
    year = main.parent / "2025.beancount"
    year.write_text("", encoding="utf-8")
    ledger = load_ledger(main, replaced={str(year): BOM + BOOKS.encode()})
    assert [e.message for e in ledger.errors] == []
    assert any(e.meta.get("voucher") == "2025-01-001" for e in ledger.entries)


def chart_in_a_sub_folder(root: Path) -> Path:
    """乡镇/科目表/chart.beancount beside 乡镇/财务制度.beancount, and a village that uses both."""
    main = make_village(root, BOOKS)
    township = root / "乡镇"
    (township / "科目表").mkdir(parents=True)
    shutil.move(root / "township" / "chart.beancount", township / "科目表" / "chart.beancount")
    shutil.move(root / "township" / "policy.beancount", township / "财务制度.beancount")
    shutil.rmtree(root / "township")
    text = main.read_text(encoding="utf-8")
    text = text.replace("../township/chart.beancount", "../乡镇/科目表/*.beancount")
    text = text.replace("../township/policy.beancount", "../乡镇/财务制度.beancount")
    main.write_text(text, encoding="utf-8")
    return main


def test_the_township_folder_holds_its_chart_folder(tmp_path: Path) -> None:
    main = chart_in_a_sub_folder(tmp_path)
    ledger = load_ledger(main)
    model = build_model(ledger.entries, ledger.options)
    assert model.township_dir == str(tmp_path / "乡镇")
    assert model.is_township_file(str(tmp_path / "乡镇" / "财务制度.beancount"))
    assert model.is_township_file(str(tmp_path / "乡镇" / "科目表" / "chart.beancount"))
    assert not model.is_township_file(str(main))
    assert model.is_foreign_file(str(tmp_path / "other" / "x.beancount"))


@pytest.mark.near_miss("VL905")
def test_a_township_policy_beside_its_chart_folder_is_the_townships(tmp_path: Path) -> None:
    assert codes(check(chart_in_a_sub_folder(tmp_path))) == []


@pytest.mark.fires("VL905")
def test_a_file_outside_the_township_folder_is_still_foreign(tmp_path: Path) -> None:
    main = chart_in_a_sub_folder(tmp_path)
    (tmp_path / "别处").mkdir()
    (tmp_path / "别处" / "extra.beancount").write_text(
        '2025-02-01 custom "任职" "钱多多" "书记"\n', encoding="utf-8"
    )
    with main.open("a", encoding="utf-8") as handle:
        handle.write('include "../别处/extra.beancount"\n')
    assert "VL905" in codes(check(main))


def test_the_township_folder_of_a_chart_far_from_the_villages(tmp_path: Path) -> None:
    """`init --township DIR` may name a township folder anywhere: climbing from the chart's
    sub-folder stops below a folder that holds villages or no ledger files of its own."""
    from village_ledger.model import beside_the_villages

    township = tmp_path / "srv" / "乡镇"
    (township / "科目表").mkdir(parents=True)
    (township / "科目表" / "资产类.beancount").write_text("", encoding="utf-8")
    (township / "财务制度.beancount").write_text("", encoding="utf-8")
    village = tmp_path / "home" / "村" / "qingshi"
    village.mkdir(parents=True)
    chart_dir = str(township / "科目表")
    assert beside_the_villages(chart_dir, str(village)) == str(township)
    # a folder of villages above the township folder stops the climb there too
    (tmp_path / "srv" / "other").mkdir()
    (tmp_path / "srv" / "other" / "main.beancount").write_text("", encoding="utf-8")
    (tmp_path / "srv" / "x.beancount").write_text("", encoding="utf-8")
    assert beside_the_villages(chart_dir, str(village)) == str(township)
    # a chart folder with nothing of the township's beside it keeps its own folder
    (township / "财务制度.beancount").unlink()
    assert beside_the_villages(chart_dir, str(village)) == chart_dir
    assert beside_the_villages(str(tmp_path), str(tmp_path / "qingshi")) == str(tmp_path)
    assert REPO.is_dir()


def test_init_takes_a_township_whose_chart_is_split_into_a_sub_folder(tmp_path: Path) -> None:
    """`init --township` with 乡镇/科目表/*.beancount and 乡镇/财务制度.beancount: the village
    it makes includes them all and checks clean."""
    from click.testing import CliRunner

    from village_ledger.cli.main import main as cli

    township = FOREIGN_TOWNSHIP
    folder = tmp_path / "newcun"
    result = CliRunner().invoke(
        cli,
        ["init", str(folder), "--title", "三溪镇新村股份经济合作社", "--start", "2025-01-01",
         "--township", str(township)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (folder / "main.beancount").read_text(encoding="utf-8")
    assert "科目表/资产类.beancount" in text and "财务制度.beancount" in text
    assert [f.rule for f in check(folder / "main.beancount") if f.rule != "VL603"] == []


FORMAL_ROSTER = """
2024-06-01 custom "任职" "郑光明" "村党支部书记"
2024-06-01 custom "任职" "罗永平" "村委会主任"
2024-06-01 custom "任职" "谢玉兰" "村务监督委员会主任"
2024-06-01 custom "任职" "孔德胜" "民主理财小组成员"
2024-06-01 custom "任职" "蒋丽" "村报账员"
"""


def paid(day: str, voucher: str, approver: str) -> str:
    return f"""
{day} * "国网供电所" "电费"
  voucher: "{voucher}"
  handler: "蒋丽"
  reviewer: "谢玉兰"
  approver: "{approver}"
  invoice: "2532000000001234{voucher[-3:]}0"
  Expenses:513-管理费用:51305-水电费   312.40 CNY
  Assets:102-银行存款:10201-农商行
"""


@pytest.mark.near_miss("VL102")
def test_formal_titles_in_the_roster_are_the_roles(tmp_path: Path) -> None:
    body = FORMAL_ROSTER + paid("2025-01-06", "2025-01-001", "罗永平")
    body += paid("2025-01-08", "2025-01-002", "郑光明")
    main = make_village(tmp_path, body)
    assert codes(check(main)) == []
    ledger = load_ledger(main)
    roster = build_model(ledger.entries, ledger.options).roster
    assert roster.holds("孔德胜", "理财小组", date(2025, 1, 6))


@pytest.mark.fires("VL102")
def test_leaving_under_the_short_name_ends_a_formal_title(tmp_path: Path) -> None:
    body = FORMAL_ROSTER + '2025-01-07 custom "离任" "罗永平" "主任"\n'
    body += paid("2025-01-06", "2025-01-001", "罗永平")
    body += paid("2025-01-08", "2025-01-002", "罗永平")
    main = make_village(tmp_path, body)
    [finding] = check(main)
    assert (finding.rule, finding.line) == ("VL102", line_of(main, "2025-01-08 *"))


@pytest.mark.fires("VL307")
def test_an_unmarked_opening_is_told_how_to_mark_it(tmp_path: Path) -> None:
    main = make_village(
        tmp_path,
        """
2025-01-02 * "期初余额" "手工账转入"
  Assets:112-应收款:11202-单位往来  300.00 CNY
  Equity:301-资本
""",
    )
    [finding] = check(main)
    assert finding.rule == "VL307"
    assert finding.message.endswith("请在其上写 opening: TRUE")


def test_the_result_cache_follows_an_include_on_a_bom_first_line(tmp_path: Path) -> None:
    """A file Notepad saved starts with a BOM; its first-line include is still one of the
    village's input files, so editing the included file invalidates the cached result."""
    from village_ledger.cache import input_files

    main = make_village(tmp_path, 'include "2025/index.beancount"\n')
    (main.parent / "2025").mkdir()
    index = main.parent / "2025" / "index.beancount"
    index.write_bytes(BOM + b'include "01.beancount"\r\n')
    (main.parent / "2025" / "01.beancount").write_text(BOOKS, encoding="utf-8")
    assert str(main.parent / "2025" / "01.beancount") in input_files(str(main))


def test_the_public_copy_reads_the_options_of_a_file_with_a_bom(tmp_path: Path) -> None:
    from village_ledger.public_copy import options_of

    main = tmp_path / "main.beancount"
    main.write_bytes(
        BOM + 'option "title" "测试村"\r\noption "operating_currency" "CNY"\r\n'.encode()
    )
    assert ("title", "测试村") in options_of(main)


def letting(award: str) -> str:
    return f"""
2024-06-18 custom "会议决议" "2024-06-村代会-1" "村民代表会议" "旧厂房出租三年" 72000.00 CNY
2024-06-25 custom "合同" "HT-2024-01" "租赁" "华丰竹木加工厂" "旧厂房" 2024-07-01 2027-06-30 6000.00 CNY "季"
  meeting: "2024-06-村代会-1"
  award: "{award}"
"""


@pytest.mark.near_miss("VL901")
@pytest.mark.parametrize("award", ["公开招租", "公开拍卖", "协议", "公开招标"])
def test_other_words_for_how_a_contract_was_awarded_are_read(tmp_path: Path, award: str) -> None:
    main = make_village(tmp_path, letting(award))
    assert codes(check(main, select=["VL9", "VL7"])) == []
    ledger = load_ledger(main)
    contract = build_model(ledger.entries, ledger.options).contracts.by_id["HT-2024-01"]
    assert contract.award in {"公开招标", "公开竞价", "协商"}


@pytest.mark.fires("VL901")
def test_an_unknown_award_is_still_vl901(tmp_path: Path) -> None:
    [finding] = check(make_village(tmp_path, letting("村里定的")), select=["VL9", "VL7"])
    assert finding.rule == "VL901"
    assert "award“村里定的”不在规定范围内" in finding.message


@pytest.mark.near_miss("VL104")
@pytest.mark.parametrize("body", ["村两委会议", "两委会", "村民代表大会", "村民大会"])
def test_other_names_of_the_meeting_bodies_are_read(tmp_path: Path, body: str) -> None:
    resolution = f'2025-01-03 custom "会议决议" "2025-01-1" "{body}" "修路" 5000.00 CNY\n'
    payment = BOOKS.replace("312.40 CNY", "2500.00 CNY")
    payment = payment.replace("  invoice:", '  meeting: "2025-01-1"\n  invoice:')
    main = make_village(tmp_path, resolution + payment)
    assert codes(check(main)) == []


@pytest.mark.near_miss("VL301")
@pytest.mark.parametrize("receipt", ["收据", "工资单", "回单", "自制凭证"])
def test_other_names_of_the_accepted_receipts_are_read(tmp_path: Path, receipt: str) -> None:
    payment = BOOKS.replace('  invoice: "25320000000012345678"', f'  receipt: "{receipt}"')
    assert codes(check(make_village(tmp_path, payment))) == []
