"""Beancount's common errors reach the accountant in Chinese, with file, line and figures, and the
English original in brackets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support import TOWNSHIP
from village_ledger.beancount_messages import in_chinese
from village_ledger.cli.main import main
from village_ledger.findings import BEANCOUNT

HEAD = """\
option "title" "测试村"
option "operating_currency" "CNY"
include "../township/chart.beancount"
include "../township/policy.beancount"
"""

CASES = [
    (
        """2024-02-01 * "不平"
  Assets:101-库存现金  100.00 CNY
  Equity:301-资本  -99.99 CNY
""",
        ["凭证借贷不平衡", "差额 0.01 CNY", "（Transaction does not balance"],
    ),
    (
        """2024-02-01 * "现金"
  Assets:101-库存现金  100.00 CNY
  Equity:301-资本  -100.00 CNY
2024-04-01 balance Assets:101-库存现金 50.00 CNY
""",
        [
            "余额核对不符",
            "应为 50.00 CNY",
            "账面余额为 100.00 CNY",
            "账面多 50.00",
            "Balance failed",
        ],
    ),
    (
        """2024-02-02 * "未开"
  Assets:102-银行存款:10299-某行  100.00 CNY
  Equity:301-资本  -100.00 CNY
""",
        ["科目 Assets:102-银行存款:10299-某行 未开设", "unknown account"],
    ),
    (
        """2000-01-01 open Assets:101-库存现金 CNY
""",
        ["重复开设", "Duplicate open"],
    ),
    (
        """2024-03-02 * "币种"
  Assets:101-库存现金  100.00 USD
  Equity:301-资本  -100.00 USD
""",
        ["币种 USD", "人民币 CNY", "Invalid currency"],
    ),
    (
        """2024-05-01 * "语法"
  Assets:101-库存现金  abc CNY
""",
        ["无法识别“abc”", "Invalid token"],
    ),
    # what a Chinese input method types in place of ASCII: each is named
    (
        """2024-05-01 * "中文引号"
  voucher: “2024-05-001”
  Assets:101-库存现金  1.00 CNY
  Equity:301-资本
""",
        ["无法识别““2024-05-001””", "引号应为英文双引号", "请切换到英文输入法"],
    ),
    (
        """2024-05-01 * "中文冒号"
  voucher："2024-05-001"
  Assets:101-库存现金  1.00 CNY
  Equity:301-资本
""",
        ["冒号应为英文冒号"],
    ),
    (
        """2024-05-01 * "全角空格"
\u3000\u3000Assets:101-库存现金  1.00 CNY
  Equity:301-资本
""",
        ["不能用全角空格"],
    ),
    (
        """2024-05-01 * "中文标签" "工资" #工资
  Assets:101-库存现金  1.00 CNY
  Equity:301-资本
""",
        ["标签和链接", "“#工资”不行", "#gongzi"],
    ),
    (
        """2024-05-01 * "全角数字"
  Assets:101-库存现金  ３１２.４０ CNY
  Equity:301-资本
""",
        ["金额应为半角数字"],
    ),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_check_shows_beancount_errors_in_chinese(tmp_path: Path, body: str, expected: list[str]):
    shutil.copytree(TOWNSHIP, tmp_path / "township")
    village = tmp_path / "cun"
    village.mkdir()
    (village / "main.beancount").write_text(HEAD + body, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(village), "--format", "json"])
    assert result.exit_code == 1, result.output
    errors = [f for f in json.loads(result.stdout) if f["rule"] == BEANCOUNT]
    assert errors, result.stdout
    first = errors[0]
    assert first["file"].endswith(".beancount") and first["line"] > 0
    for text in expected:
        assert text in first["message"], first["message"]


def test_an_unknown_message_is_left_as_beancount_wrote_it():
    assert in_chinese("Something new from Beancount") == "Something new from Beancount"


def test_chinese_quotes_inside_a_narration_are_not_blamed(tmp_path: Path):
    """A syntax error on a line whose quoted narration holds “” gets no full-width hint."""
    shutil.copytree(TOWNSHIP, tmp_path / "township")
    village = tmp_path / "cun"
    village.mkdir()
    body = '2024-05-01 * "收到“三组”租金" "x" "y"\n  Assets:101-库存现金  1.00 CNY\n  Equity:301-资本\n'
    (village / "main.beancount").write_text(HEAD + body, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(village), "--format", "json"])
    errors = [f for f in json.loads(result.stdout) if f["rule"] == BEANCOUNT]
    assert errors, result.stdout
    assert all("中文引号" not in f["message"] for f in errors), errors


PLUGIN_BODY = """2024-02-01 * "现金"
  Assets:101-库存现金  100.00 CNY
  Equity:301-资本  -100.00 CNY
"""


def _check_with_plugin(tmp_path: Path, module: str) -> list[dict[str, object]]:
    shutil.copytree(TOWNSHIP, tmp_path / "township")
    village = tmp_path / "cun"
    village.mkdir()
    (village / "year.beancount").write_text(PLUGIN_BODY, encoding="utf-8")
    main_text = HEAD + f'include "year.beancount"\nplugin "{module}"\n'
    (village / "main.beancount").write_text(main_text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(village), "--format", "json"])
    assert result.exit_code == 1, result.output
    return [f for f in json.loads(result.stdout) if f["rule"] == BEANCOUNT]


def test_a_plugin_that_cannot_be_imported_is_named_at_its_line(tmp_path: Path):
    """Beancount reports it at no line, with a traceback: the accountant gets the plugin line."""
    errors = _check_with_plugin(tmp_path, "no.such.module")
    assert len(errors) == 1, errors
    error = errors[0]
    assert str(error["file"]).endswith("main.beancount") and error["line"] == 6, error
    message = str(error["message"])
    assert "插件“no.such.module”无法导入" in message
    assert "No module named 'no'" in message and "Traceback" not in message


def test_a_plugin_that_raises_is_named_at_its_line(tmp_path: Path, monkeypatch):
    (tmp_path / "raising_plugin_vl.py").write_text(
        "__plugins__ = ['run']\n\ndef run(entries, options):\n    raise ValueError('配置不对')\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    errors = _check_with_plugin(tmp_path, "raising_plugin_vl")
    assert len(errors) == 1, errors
    error = errors[0]
    assert str(error["file"]).endswith("main.beancount") and error["line"] == 6, error
    message = str(error["message"])
    assert "插件“raising_plugin_vl”运行出错" in message
    assert "ValueError: 配置不对" in message and "Traceback" not in message
