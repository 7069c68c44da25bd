"""Every malformed thing a user can write gets a finding naming the file, the line and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import check, line_of, make_village

CASES = [
    # (ledger text, the line to point at, words the message must contain)
    ('2024-02-01 custom "任职" "张三"\n', "张三", ["应有 2 个值", "<姓名> <职务>", "实有 1 个"]),
    ('2024-02-01 custom "任职" "张三" "主任" "多余"\n', "多余", ["实有 3 个"]),
    ('2024-02-01 custom "任职" "张三" "村长"\n', "村长", ["职务“村长”不在规定范围内"]),
    ('2024-02-01 custom "任职" 123 "主任"\n', "123", ["应为带引号的文字"]),
    ('2024-02-01 custom "离任" "张三" "主任"\n', "离任", ["并未担任主任"]),
    ('2024-02-01 custom "亲属" "张三" "张三" "兄弟"\n', "兄弟", ["同一人"]),
    (
        '2024-02-01 custom "会议决议" "X-1" "村委会" "修路" 100.00 CNY\n',
        "X-1",
        ["会议类型“村委会”不在规定范围内"],
    ),
    ('2024-02-01 custom "会议决议" "X-1" "村民代表会议" "修路" 100\n', "X-1", ["应为 CNY 金额"]),
    (
        '2024-02-01 custom "会议决议" "X-1" "村民代表会议" "修路" 100.00 CNY\n'
        '2024-03-01 custom "会议决议" "X-1" "两委联席会议" "修桥" 50.00 CNY\n',
        "修桥",
        ["决议编号“X-1”重复"],
    ),
    (
        '2024-02-01 custom "财务制度" "现金限额" 1000.00 CNY\n',
        "现金限额",
        ["未知的财务制度项目“现金限额”"],
    ),
    ('2024-02-01 custom "财务制度" "现金支付限额" 800\n', "800", ["应为 CNY 金额"]),
    ('2024-02-01 custom "财务制度" "现金存行天数" 2.5\n', "2.5", ["应为整数天数"]),
    ('2024-02-01 custom "财务制度" "招待需公函" "是"\n', "招待需公函", ["应为 TRUE 或 FALSE"]),
    ('2024-02-01 custom "财务制度" "招待费预警比例" 1.5\n', "1.5", ["比例应在 0 与 1 之间"]),
    ('2024-02-01 custom "财务制度" "禁止招待项目" ""\n', "禁止招待项目", ["关键词列表为空"]),
    ('2024-05-01 custom "公开封存" "2024-Q1" "sha256:00"\n', "2024-Q1", ["应写作 YYYYQn"]),
    ('2024-05-01 custom "公开封存" "2024Q1" "abc"\n', "abc", ["sha256"]),
    ('2024-03-01 custom "公开封存" "2024Q1" "sha256:' + "0" * 64 + '"\n', "2024Q1", ["尚未结束"]),
    ('2024-02-01 custom "任命" "张三"\n', "任命", ["未知的指令类型“任命”"]),
    ("2024-01-01 open Assets:102-银行存款:建行 CNY\n", "建行", ["没有科目代码"]),
    ('2024-01-01 open Assets:102-银行存款:10299-建行 CNY\n  code: "10288"\n', "10299", ["不一致"]),
    (
        "2024-01-01 open Assets:102-银行存款:20101-建行 CNY\n",
        "20101",
        ["未以上级科目代码 102 开头"],
    ),
]


@pytest.mark.fires("VL901")
@pytest.mark.parametrize(("text", "needle", "words"), CASES)
def test_malformed_directive_is_vl901_at_its_line(
    tmp_path: Path, text: str, needle: str, words: list[str]
) -> None:
    main_file = make_village(tmp_path, text)
    findings = [f for f in check(main_file) if f.rule == "VL901"]
    assert len(findings) == 1, findings
    (finding,) = findings
    assert finding.file == str(main_file)
    assert finding.line == line_of(main_file, needle)
    for word in words:
        assert word in finding.message


@pytest.mark.near_miss("VL901")
@pytest.mark.parametrize(
    "text",
    [
        '2024-02-01 custom "任职" "张三" "委员"\n',
        '2024-02-01 custom "亲属" "张三" "王建国" "兄弟"\n',
        '2024-02-01 custom "会议决议" "X-1" "两委联席会议" "修路" 100.00 CNY\n',
        '2024-02-01 custom "财务制度" "招待需公函" TRUE\n',
    ],
)
def test_well_formed_directive_is_not_vl901(tmp_path: Path, text: str) -> None:
    assert check(make_village(tmp_path, text)) == []


def test_fava_and_other_ascii_custom_directives_are_left_alone(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, '2024-01-01 custom "fava-option" "language" "zh"\n')
    assert check(main_file) == []


@pytest.mark.fires("VL902")
def test_looser_village_policy_is_vl902(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, '2024-02-01 custom "财务制度" "现金支付限额" 1500.00 CNY\n')
    (finding,) = check(main_file)
    assert finding.rule == "VL902"
    assert finding.line == line_of(main_file, "1500.00")
    assert "1,500.00 元" in finding.message and "1,000.00 元" in finding.message
    assert finding.policy == "现金支付限额"


@pytest.mark.near_miss("VL902")
@pytest.mark.parametrize("limit", ["1000.00", "999.99"])
def test_village_policy_as_strict_as_the_township_or_stricter_is_fine(
    tmp_path: Path, limit: str
) -> None:
    text = f'2024-02-01 custom "财务制度" "现金支付限额" {limit} CNY\n'
    assert check(make_village(tmp_path, text)) == []


def test_non_utf8_file_names_file_and_line(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, 'include "gbk.beancount"\n')
    gbk = main_file.parent / "gbk.beancount"
    gbk.write_bytes("; 注释\n2024-03-01 open Assets:102-银行存款:10202-信用社 CNY\n".encode("gbk"))
    findings = [f for f in check(main_file) if f.rule == "BEANCOUNT"]
    assert findings
    assert all(f.file == str(gbk) for f in findings)
    assert findings[0].line == 1
    assert "不是 UTF-8 编码" in findings[0].message


def test_missing_include_names_the_include_line(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, 'include "2025.beancount"\n')
    (finding,) = check(main_file)
    assert finding.rule == "BEANCOUNT"
    assert finding.file == str(main_file)
    assert finding.line == line_of(main_file, "2025.beancount")
    assert "include 的文件不存在" in finding.message


def test_a_windows_path_in_an_include_is_explained_at_its_line(tmp_path: Path) -> None:
    """`2025\\01.beancount`: Beancount reads the backslash as an escape (`\\0` is `0`)."""
    main_file = make_village(tmp_path, 'include "2025\\01.beancount"\n')
    (main_file.parent / "2025").mkdir()
    (main_file.parent / "2025" / "01.beancount").write_text("", encoding="utf-8")
    (finding,) = check(main_file)
    assert (finding.rule, finding.file) == ("BEANCOUNT", str(main_file))
    assert finding.line == line_of(main_file, "2025\\01.beancount")
    assert "反斜杠“\\”被 Beancount 当作转义符，读成了“202501.beancount”" in finding.message
    assert 'include "2025/01.beancount"' in finding.message


def test_a_missing_include_in_an_included_file_names_that_file(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, 'include "2025/*.beancount"\n')
    (main_file.parent / "2025").mkdir()
    year = main_file.parent / "2025" / "index.beancount"
    year.write_text('; 各月\ninclude "03.beancount"\n', encoding="utf-8")
    (finding,) = check(main_file)
    assert (finding.rule, finding.file, finding.line) == ("BEANCOUNT", str(year), 2)
    assert "include 的文件不存在" in finding.message


@pytest.mark.fires("BEANCOUNT")
def test_syntax_error_is_a_beancount_finding(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, "2024-02-30 open Assets:101-库存现金:10101-备用金 CNY\n")
    findings = check(main_file)
    assert [f.rule for f in findings] == ["BEANCOUNT"]
    assert findings[0].line == line_of(main_file, "2024-02-30")


BALANCE = """
2024-03-01 * "城关文具店" "购买村部办公用品"
  voucher: "2024-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25320000000012345678"
  Expenses:513-管理费用:51302-办公费  360.00 CNY
  Assets:102-银行存款:10201-农商行
2024-03-02 balance Assets:102-银行存款:10201-农商行 {amount} CNY
"""


@pytest.mark.fires("BEANCOUNT")
def test_balance_assertion_off_by_a_yuan_is_a_beancount_finding(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, BALANCE.format(amount="499641.00"))
    findings = check(main_file, ignore=["VL603"])
    assert [f.rule for f in findings] == ["BEANCOUNT"]
    assert findings[0].line == line_of(main_file, "balance Assets:102-银行存款:10201-农商行 4996")


@pytest.mark.near_miss("BEANCOUNT")
def test_balance_assertion_to_the_cent_passes(tmp_path: Path) -> None:
    main_file = make_village(tmp_path, BALANCE.format(amount="499640.00"))
    assert check(main_file, ignore=["VL603"]) == []
