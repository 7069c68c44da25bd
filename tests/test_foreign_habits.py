"""Habits of other township accounting centres that the loader and the model must take as they
come (found by the ledgers in tests/data/foreign): a UTF-8 BOM, CRLF line endings, and the
township's chart in a sub-folder of the township's folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import REPO, check, codes, make_village
from village_ledger.loading import load_ledger
from village_ledger.model import build_model

BOM = b"\xef\xbb\xbf"


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


def test_a_chart_sharing_only_the_root_with_the_village_keeps_its_own_folder(
    tmp_path: Path,
) -> None:
    from village_ledger.model import beside_the_villages

    assert beside_the_villages("/srv/乡镇/科目表", "/srv/村/qingshi") == "/srv/乡镇"
    assert beside_the_villages("/srv/乡镇/科目表", "/home/村/qingshi") == "/srv/乡镇/科目表"
    assert beside_the_villages("/科目表", "/村/qingshi") == "/科目表"
    assert beside_the_villages(str(tmp_path), str(tmp_path / "qingshi")) == str(tmp_path)
    assert REPO.is_dir()
