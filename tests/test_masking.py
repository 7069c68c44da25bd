"""Masking: no identity, phone or card number and no relief payee's given name in any output."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.reporting import pdf_text
from tests.support import make_village
from tests.test_disclosure import Q2, disclose, sample_village
from village_ledger.cli.main import main as cli
from village_ledger.findings import Rectification
from village_ledger.reports.disclosure import Disclosure
from village_ledger.reports.masking import (
    Masker,
    Public,
    is_identity_number,
    mask_name,
    mask_numbers,
    person_names,
    publish,
    relief_texts,
)
from village_ledger.reports.render import render

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_checksum(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


birthdays = st.dates(min_value=date(1930, 1, 1), max_value=date(2012, 12, 31))
regions = st.integers(min_value=110000, max_value=659999).map(str)
identity18 = st.builds(
    lambda r, b, s: with_checksum(f"{r}{b:%Y%m%d}{s:03d}"),
    regions,
    birthdays,
    st.integers(0, 999),
)
identity15 = st.builds(
    lambda r, b, s: f"{r}{b:%y%m%d}{s:03d}", regions, birthdays, st.integers(0, 999)
)
mobiles = st.builds(
    lambda second, rest: f"1{second}{rest:09d}", st.integers(3, 9), st.integers(0, 10**9 - 1)
)
cards = st.integers(16, 19).flatmap(
    lambda n: st.integers(0, 10 ** (n - 2) - 1).map(lambda v, n=n: f"62{v:0{n - 2}d}")
)
secrets = st.one_of(identity18, identity15, mobiles, cards)


# --- the rules, one by one --------------------------------------------------------------


@given(identity18)
def test_identity_numbers_keep_first_six_and_last_four(number: str) -> None:
    assert is_identity_number(number)
    masked = mask_numbers(f"身份证号{number}。")
    assert masked == f"身份证号{number[:6]}{'*' * 8}{number[-4:]}。"


def mobile_middles(digits: str) -> set[int]:
    """Where a mobile number's own mask hides digits, for each one within `digits`."""
    found: set[int] = set()
    for start in range(len(digits) - 10):
        window = digits[start : start + 11]
        if window[0] == "1" and window[1] in "3456789":
            found.update(range(start + 3, start + 7))
    return found


@given(identity15)
def test_old_fifteen_digit_identity_numbers(number: str) -> None:
    # first 6 and last 4 kept, unless some of them may be the middle of a mobile number (a
    # mobile glued to four digits is 15 digits too): those are hidden as well
    hidden = set(range(6, 11)) | mobile_middles(number)
    expected = "".join("*" if i in hidden else d for i, d in enumerate(number))
    assert mask_numbers(f"证件 {number}") == f"证件 {expected}"
    if not mobile_middles(number):
        assert expected == f"{number[:6]}{'*' * 5}{number[-4:]}"


@given(mobiles, st.sampled_from(["{}", "{0}-{1}-{2}", "{0} {1} {2}", "+86 {}", "+86{}"]))
def test_mobile_numbers_keep_first_three_and_last_four(number: str, form: str) -> None:
    parts = (number[:3], number[3:7], number[7:])
    written = form.format(*parts) if "{0}" in form else form.format(number)
    masked = mask_numbers(f"电话：{written}，")
    digits = re.sub(r"\D", "", masked.removeprefix("电话：").removesuffix("，"))
    assert number not in re.sub(r"[\s-]", "", masked)
    assert digits.endswith(number[:3] + number[-4:])
    assert masked.count("*") == 4


@given(cards)
def test_card_numbers_keep_the_last_four(number: str) -> None:
    masked = mask_numbers(f"卡号{number}转入")
    assert number not in masked
    if not is_identity_number(number):
        assert masked == f"卡号{'*' * (len(number) - 4)}{number[-4:]}转入"


@given(cards)
def test_card_numbers_in_groups_of_four(number: str) -> None:
    grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    masked = mask_numbers(f"卡号 {grouped} 转入")
    assert re.sub(r"\D", "", masked) == number[-4:]


@pytest.mark.parametrize(
    "text",
    [
        "发票号码 25332000000012345678",  # 全电发票: 20 digits
        "发票 044001900111-12345678",  # 发票代码-发票号码
        "凭证号 2025-04-003",
        "2025-04-03 收到 1,234,567.89 元",
        "收据 0000123，合同 HT-2025-0001",
        "面积 12345678901 平方米的说法不是电话",  # 11 digits not starting 1[3-9]
    ],
)
def test_invoice_voucher_and_other_numbers_are_left_alone(text: str) -> None:
    assert mask_numbers(text) == text


def test_numbers_inside_longer_runs_are_not_phones() -> None:
    assert mask_numbers("25332000013812345678") == "25332000013812345678"


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三丰", "张**"), ("李四", "李*"), ("欧阳明", "欧阳*"), ("诸葛", "诸*"), ("王", "王")],
)
def test_relief_payee_given_names(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_renderers_accept_only_the_masked_copy(tmp_path: Path) -> None:
    report, _ = disclose(sample_village(tmp_path))
    renderers = Disclosure.renderers
    for fmt in renderers.formats():
        with pytest.raises(TypeError):
            renderers[fmt](report)  # type: ignore[arg-type]  # the unmasked report, on purpose
    assert isinstance(publish(report), Public)
    data = json.loads(renderers["json"](publish(report), "a4"))
    assert data["period"] == "2025Q2"


def test_the_supervision_phone_is_published_in_full(tmp_path: Path) -> None:
    main = sample_village(tmp_path, extra='2025-07-01 event "监督电话" "13905710000"\n')
    report, _ = disclose(main)
    assert json.loads(render(report, "json"))["signature"]["phone"] == "13905710000"


def test_relief_payee_is_masked_everywhere_it_appears(tmp_path: Path) -> None:
    report, _ = disclose(sample_village(tmp_path))
    for fmt in ("html", "json", "csv", "xlsx"):
        text = output_text(render(report, fmt), fmt)
        assert "王秀兰" not in text, fmt
        assert "王**" in text, fmt


# --- planted numbers never reach an output -----------------------------------------------


def output_text(data: bytes, fmt: str) -> str:
    """What a reader of the output can see, whitespace removed so nothing hides in a line break."""
    if fmt == "pdf":
        text = pdf_text(data)
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(data))
        text = "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    else:
        text = data.decode("utf-8")
    return re.sub(r"\s", "", text)


def planted_village(root: Path, numbers: list[str]) -> tuple[Disclosure, list[str]]:
    """A sample village whose payees, narrations, metadata and a counterparty carry `numbers`."""
    a, b, c, d, e = (numbers * 5)[:5]
    extra = f"""
2024-01-01 open Assets:112-应收款:11201-个人借支:1120102-李四{e} CNY
2025-05-15 * "赵六{a}" "退还押金，联系人电话{b}，卡号{c}"
  voucher: "2025-05-006"
  handler: "吴志强{d}"
  reviewer: "钱秀英"
  approver: "李红梅"
  receipt: "收款收据"
  Assets:102-银行存款:10201-农商行  -100.00 CNY
  Expenses:515-其他支出  100.00 CNY
2025-05-16 * "县某局" "接待，对方证件{e}"
  voucher: "2025-05-007"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "李红梅"
  guests: 2
  hosts: 1
  guest-org: "县某局{a}"
  letter: "函{b}"
  invoice: "25332000000011119999"
  Assets:101-库存现金  -90.00 CNY
  Expenses:513-管理费用:51303-招待费  90.00 CNY
2025-05-17 * "李四{e}" "借支{d}"
  voucher: "2025-05-008"
  handler: "李四"
  reviewer: "钱秀英"
  approver: "李红梅"
  receipt: "内部凭证"
  Assets:101-库存现金  -50.00 CNY
  Assets:112-应收款:11201-个人借支:1120102-李四{e}  50.00 CNY
"""
    report, _ = disclose(sample_village(root, extra=extra))
    return report, numbers


def assert_nothing_leaks(report: Disclosure, numbers: list[str], formats: tuple[str, ...]) -> None:
    for fmt in formats:
        for paper in ("a4", "a3") if fmt == "pdf" else ("a4",):
            text = output_text(render(report, fmt, paper), fmt)
            for number in numbers:
                assert number not in text, (fmt, paper, number)
            assert "王秀兰" not in text


@settings(max_examples=25)
@given(st.lists(secrets, min_size=1, max_size=5))
def test_no_planted_number_survives_in_text_outputs(tmp_path_factory, numbers) -> None:
    report, numbers = planted_village(tmp_path_factory.mktemp("m"), numbers)
    assert_nothing_leaks(report, numbers, ("html", "xlsx", "json", "csv"))


@settings(max_examples=4)
@given(st.lists(secrets, min_size=5, max_size=5))
def test_no_planted_number_survives_in_the_pdf(tmp_path_factory, numbers) -> None:
    report, numbers = planted_village(tmp_path_factory.mktemp("p"), numbers)
    assert_nothing_leaks(report, numbers, ("pdf",))


def test_planted_numbers_reach_the_report_model_unmasked(tmp_path: Path) -> None:
    """The test above is only honest if the numbers are really in the report before masking."""
    numbers = [
        "11010119900307663X",
        "13812345678",
        "6222021234567890123",
        "110101900307123",
        "6217001234567890",
    ]
    report, _ = planted_village(tmp_path, numbers)
    raw = json.dumps(
        [list(t.records()) for t in report.tables.values()], ensure_ascii=False, default=str
    )
    for number in numbers:
        assert number in raw
    assert Q2.contains(date(2025, 5, 15)) and date(2025, 5, 15) + timedelta(0)


# --- every way of writing a number (issue reproductions) ----------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("电话 139.1234.0010 联系", "13912340010"),
        ("身份证 340827 19660606 1107", "340827196606061107"),
        ("电话１３９１２３４００１１", "13912340011"),
        ("电话 １３９ １２３４ ００１１", "13912340011"),
        ("身份证３４０８２７１９５５１０１０１０６９", "340827195510101069"),
        ("卡号 6222/0212/3456/7890/123", "6222021234567890123"),
        ("电话 139 - 1234 - 0010", "13912340010"),
        ("电话 +86 139 1234 0010", "13912340010"),
        ("#tel13912340010", "13912340010"),
        ("^hz-340827194404041096", "340827194404041096"),
    ],
)
def test_numbers_are_masked_however_they_are_written(text: str, number: str) -> None:
    masked = mask_numbers(text)
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", masked))
    assert number not in digits
    assert "*" in masked


def test_a_number_next_to_a_date_is_masked_and_the_date_kept() -> None:
    assert mask_numbers("电话13912340010 2025-04-01") == "电话139****0010 2025-04-01"
    assert mask_numbers("计提2025.01.01-2025.03.31利息") == "计提2025.01.01-2025.03.31利息"


@given(
    st.one_of(identity18, mobiles, cards),
    st.lists(st.sampled_from([" ", "-", ".", "  ", " - ", "/"]), min_size=1, max_size=1),
    st.booleans(),
    st.integers(3, 4),
)
def test_grouped_and_full_width_numbers_never_survive(
    number: str, separator: list[str], full_width: bool, group: int
) -> None:
    written = separator[0].join(number[i : i + group] for i in range(0, len(number), group))
    if full_width:
        written = written.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    masked = mask_numbers(f"号码{written}。")
    assert number not in re.sub(r"\D", "", unicodedata.normalize("NFKC", masked))


@given(
    st.lists(st.one_of(identity18, mobiles, cards), min_size=2, max_size=3),
    st.sampled_from([".", "-", " "]),
    st.integers(3, 4),
)
def test_numbers_written_back_to_back_never_survive(
    numbers: list[str], separator: str, group: int
) -> None:
    # each written in groups, the next one glued to the last group of the one before
    written = "".join(
        separator.join(n[i : i + group] for i in range(0, len(n), group)) for n in numbers
    )
    flat = re.sub(r"\D", "", unicodedata.normalize("NFKC", mask_numbers(f"印务{written}")))
    for number in numbers:
        assert number not in flat


def test_two_mobiles_glued_in_dotted_groups_are_masked() -> None:
    # found by the public-copy test: the first number was served in full
    masked = mask_numbers("印务1305.3857.1731700.0000.102")
    assert "13053857173" not in masked.replace(".", "")
    assert masked.endswith("0.102")


# --- relief recipients however written (issue reproductions) ------------------------------


@pytest.mark.parametrize(
    ("payee", "narration", "text", "hidden"),
    [
        ("李桂芝（五保户）", "", "李桂芝领取物资", ("李桂芝", "桂芝")),
        ("刘凤英、陈春花", "", "陈春花、刘凤英签字", ("刘凤英", "陈春花")),
        ("", "发放王淑珍临时救助金", "发放王淑珍临时救助金", ("王淑珍", "淑珍")),
        ("张秀兰", "", "秀兰家的房屋维修", ("秀兰",)),
        ("", "2026年1月五保户李桂芝生活补助", "李桂芝", ("李桂芝",)),
    ],
)
def test_relief_recipients_are_masked_however_written(
    payee: str, narration: str, text: str, hidden: tuple[str, ...]
) -> None:
    masker = Masker(relief_texts(payee, narration))
    masked = masker.text(text)
    for name in hidden:
        assert name not in masked
    assert "*" in masked and len(masked) == len(text)


def test_relief_words_are_not_taken_for_names() -> None:
    assert person_names("支付2025年一季度五保户生活补助") == []
    assert person_names("发放临时救助金") == []


OTHER_VILLAGE_COMMANDS = {
    "disclose": ["--period", "2025Q2", "--format", "json"],
    "handover": [
        *("--date", "2025-06-30", "--outgoing", "郑国庆", "--incoming", "冯晓东"),
        *("--supervisor", "林为民", "--format", "json"),
    ],
}


@pytest.mark.parametrize("command", sorted(OTHER_VILLAGE_COMMANDS))
def test_a_relief_payee_of_another_village_is_masked(tmp_path: Path, command: str) -> None:
    """The sample village pays 王秀兰 relief; a second village of the township mentions her."""
    sample_village(tmp_path)
    other = make_village(
        tmp_path,
        """
2025-06-20 * "供销社" "王秀兰代购化肥，秀兰签收"
  voucher: "2025-06-099"
  handler: "吴志强"
  reviewer: "钱秀英"
  approver: "李红梅"
  Assets:101-库存现金  -10.00 CNY
  Expenses:515-其他支出  10.00 CNY

2025-06-30 custom "离任" "郑国庆" "委员"
2025-06-30 custom "任职" "冯晓东" "委员"
""",
        name="secondcun",
    )
    result = CliRunner().invoke(cli, [command, str(other), *OTHER_VILLAGE_COMMANDS[command]])
    assert result.exit_code in (0, 1), result.output
    assert "代购化肥" in result.output
    assert "王秀兰" not in result.output and "秀兰" not in result.output
    assert "王**代购化肥，**签收" in result.output


# --- officers' names are public ---------------------------------------------------------------

TENANT = "个体户程永福（村部门面一号）"


def test_an_officers_name_stays_whole_beside_a_hidden_given_name() -> None:
    """The tenant 程永福 is hidden, and his given name 永福 alone; the 监委会主任 朱永福 is an
    officer of the roster, whose name is public, and stays whole."""
    masker = Masker([TENANT], ["朱永福", "黄德明"])
    assert masker.text("审核人朱永福，审批人黄德明") == "审核人朱永福，审批人黄德明"
    assert masker.text("收到程永福门面租金") == "收到程**门面租金"
    assert masker.text("永福交来") == "**交来"
    assert Masker([TENANT]).text("朱永福") == "朱**"  # without the roster: errs towards hiding


def test_an_officer_who_is_also_a_hidden_person_stays_hidden() -> None:
    masker = Masker(["王淑珍"], ["王淑珍", "王淑"])
    assert masker.text("发放王淑珍临时救助金") == "发放王**临时救助金"


def test_a_record_of_the_model_is_masked_field_by_field_like_a_dataclass() -> None:
    """The model's small records are `typing.NamedTuple`s (cheaper to define than dataclasses):
    the masker walks their fields as it walks a dataclass's, and hands back the same type."""
    record = Rectification(
        "VL201", "2025-03-002", date(2025, 4, 1), "发放王淑珍临时救助金", "王淑珍"
    )
    masked = Masker(["王淑珍"]).walk({"records": [record]})["records"][0]
    assert type(masked) is Rectification
    assert masked == record._replace(way="发放王**临时救助金", accepted_by="王**")


# --- numbers and names written to slip past the masker (the public server's red team) -------

# invisible between digits: zero-width space, joiner and non-joiner, word joiner, soft hyphen,
# byte-order mark, left-to-right mark
INVISIBLES = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\u200e")
# written between digit groups as a dash or a space is: en and em dash, minus, hyphen, tildes,
# thin, narrow and en spaces, a line break, the closing bracket of (139)1234-0010
SEPARATORS = ("\u2013", "\u2014", "\u2212", "\u2010", "~", "～", "\u2009", "\u202f", "\u2002", "\n")


def shown_digits(masked: str) -> str:
    """The digits a reader sees, however written."""
    return "".join(str(unicodedata.digit(ch)) for ch in masked if ch.isdigit())


@given(st.one_of(identity18, mobiles, cards), st.sampled_from(INVISIBLES), st.booleans())
def test_invisible_characters_between_digits_hide_no_number(
    number: str, invisible: str, every_digit: bool
) -> None:
    step = 1 if every_digit else 4
    written = invisible.join(number[i : i + step] for i in range(0, len(number), step))
    masked = mask_numbers(f"联系{written}。")
    assert invisible not in masked
    assert number not in shown_digits(masked)
    assert "*" in masked


@given(mobiles, st.sampled_from(SEPARATORS))
def test_any_dash_or_space_between_groups_is_a_separator(number: str, separator: str) -> None:
    written = separator.join((number[:3], number[3:7], number[7:]))
    masked = mask_numbers(f"电话{written}")
    assert shown_digits(masked) == number[:3] + number[-4:]


def test_a_bracketed_prefix_and_a_line_break_join_the_number() -> None:
    assert mask_numbers("电话(139)1234-0010") == "电话(139)****-0010"
    assert mask_numbers("电话（139）1234 0010") == "电话（139）**** 0010"


@given(
    mobiles,
    st.text("0123456789", max_size=9),
    st.text("0123456789", max_size=9),
)
def test_a_mobile_glued_to_other_digits_never_shows_its_middle(
    number: str, before: str, after: str
) -> None:
    """Whatever the run it is glued into (a 15-digit run reads as an old 身份证号 keeping its
    first 6; 12 to 14 digits match no rule of length), the four digits its own mask hides stay
    hidden, so the two masks of it together never show more than 7 of its 11 digits."""
    run = before + number + after
    assume(len(before) + len(after) <= 9)
    assume(not (len(run) == 20 and "20" <= run[:2] <= "39"))  # a 全电发票 number's shape
    assume(not is_identity_number(run))
    masked = mask_numbers(f"联系{run}转")[2:-1]
    assert len(masked) == len(run)
    middle = masked[len(before) + 3 : len(before) + 7]
    assert middle == "****", (run, masked)


def test_the_glued_mobile_of_the_brief_shows_three_digits_of_it() -> None:
    # 13912340010 glued to 2026: once shown as 139123*****2026
    assert mask_numbers("139123400102026") == "139********2026"
    assert mask_numbers("202613912340010") == "202613*****0010"


def test_a_twenty_digit_run_is_an_invoice_only_if_it_starts_with_a_year() -> None:
    assert mask_numbers("13912340010123456789") == "*" * 16 + "6789"  # a glued mobile
    assert mask_numbers("62220212345678901234") == "*" * 16 + "1234"  # a glued card
    assert mask_numbers("25332000013812345678") == "25332000013812345678"  # an invoice
    assert mask_numbers("39332000013812345678") == "39332000013812345678"
    assert mask_numbers("40332000013812345678") == "*" * 16 + "5678"


def test_an_identity_number_needs_a_birth_date() -> None:
    valid = with_checksum("34082719660606110")
    assert is_identity_number(valid)
    no_date = with_checksum("34082719661306110")  # month 13
    assert not is_identity_number(no_date)
    assert mask_numbers(no_date) == "*" * 14 + no_date[-4:]  # an 18-digit run: a card


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("一三九一二三四〇〇一〇", "13912340010"),
        ("幺三九幺二三四零零幺零", "13912340010"),
        ("①③⑨①②③④⓪⓪①⓪", "13912340010"),
        ("¹³⁹¹²³⁴⁰⁰¹⁰", "13912340010"),
        ("𝟏𝟑𝟗𝟏𝟐𝟑𝟒𝟎𝟎𝟏𝟎", "13912340010"),
    ],
)
def test_digits_of_other_kinds_are_read_as_digits(written: str, number: str) -> None:
    masked = mask_numbers(f"电话{written}")
    assert masked.count("*") == 4
    assert number[3:7] not in "".join(ch for ch in masked if ch.isdigit())


def test_chinese_numerals_in_words_stay() -> None:
    text = "一二三四五六七八九十组的第一二三四条"
    assert mask_numbers(text) == text


@pytest.mark.parametrize("written", ["王 芳", "王　芳", "王\u00a0芳", "王\u200b芳", "王\n芳"])
def test_a_hidden_name_written_with_spaces_is_masked(written: str) -> None:
    masker = Masker(["王芳", "张 秀兰"])
    assert masker.text(f"发放{written}救助金") == "发放王*救助金"
    assert masker.text("秀 兰签收") == "**签收"
    assert Masker(["王 芳"]).text("王芳") == "王*"


# each as a careless hand (or a copy from a web page) writes it, and the number it is
HOSTILE_WRITINGS = (
    ("１３９\u200b１２３４\u200b００１１", "13912340011"),  # full-width, zero-width spaces
    ("一三九一二三四〇〇一二", "13912340012"),  # Chinese numerals
    ("6222\u20090212\u20093456\u20097890\u2009123", "6222021234567890123"),  # thin spaces
    ("340827—19660606—1107", "340827196606061107"),  # em dashes
    ("139123400132026", "13912340013"),  # a mobile glued to a year
)


def seen_digits(text: str) -> str:
    """Every digit a reader sees in an output, in order, however it is written."""
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    numerals = str.maketrans("〇零一二三四五六七八九", "00123456789")
    return "".join(str(unicodedata.digit(ch)) for ch in text.translate(numerals) if ch.isdigit())


def test_numbers_written_to_slip_past_the_masker_reach_no_output(tmp_path: Path) -> None:
    report, _ = planted_village(tmp_path, [w for w, _ in HOSTILE_WRITINGS])
    for fmt in ("html", "xlsx", "json", "csv", "pdf"):
        digits = seen_digits(output_text(render(report, fmt), fmt))
        for written, number in HOSTILE_WRITINGS:
            assert number not in digits, (fmt, written)


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("1 3 9 1 2 3 4 0 0 1 0", "1 3 9 * * * * 0 0 1 0"),
        ("13-91-23-40-01-0", "13-9*-**-*0-01-0"),
        ("3 4 0 8 2 7 1 9 6 6 0 6 0 6 1 1 0 7", "3 4 0 8 2 7 * * * * * * * * 1 1 0 7"),
    ],
)
def test_a_number_spelt_out_digit_by_digit_is_one_number(written: str, masked: str) -> None:
    assert mask_numbers(f"电话 {written}。") == f"电话 {masked}。"


def test_short_groups_of_dates_and_lists_stay() -> None:
    for text in ("2025.04.01", "1 2 3 4 5 6 7 8 9", "第 1 2 组 3 4 户", "04-01 05-02 06-03"):
        assert mask_numbers(text) == text
