"""VL1xx 审批: each rule fires on a ledger that breaks it and stays silent on its near miss."""

from __future__ import annotations

import subprocess
import sys
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support import REPO, check, codes, line_of, make_village
from village_ledger.findings import Finding

BANK = "Assets:102-银行存款:10201-农商行"
CASH = "Assets:101-库存现金"
OFFICE = "Expenses:513-管理费用:51302-办公费"
RENT = "Income:501-经营收入:50102-租赁收入"

# a compliant payment's signatures, from tests.support.ROSTER
SIGNED = {"handler": "吴志强", "reviewer": "赵德明", "approver": "王建国"}


@dataclass
class Book:
    """The body of a test ledger: compliant vouchers unless a test says otherwise.

    Vouchers are numbered per month in the order they are added; invoices are unique. A keyword
    set to None drops that metadata; underscores in keywords become dashes (`invoice_date`).
    """

    lines: list[str] = field(default_factory=list)
    numbers: Counter[str] = field(default_factory=Counter)
    invoices: int = 0
    count: int = 0

    def add(self, text: str) -> None:
        self.lines.append(text)

    def next_voucher(self, day: str) -> str:
        self.numbers[day[:7]] += 1
        return f"{day[:7]}-{self.numbers[day[:7]]:03d}"

    def next_invoice(self) -> str:
        self.invoices += 1
        return f"{25_000_000_000_000_000_000 + self.invoices:020d}"

    def entry(
        self, day: str, payee: str, narration: str | None, meta: dict, postings: list[str]
    ) -> str:
        self.count += 1
        header = f'{day} * "{payee}" "{narration or f"第{self.count}笔"}"'
        if "voucher" not in meta:
            meta = {"voucher": self.next_voucher(day), **meta}
        lines = [header]
        for key, value in meta.items():
            if value is not None:
                shown = value if isinstance(value, Raw) else f'"{value}"'
                lines.append(f"  {key.replace('_', '-')}: {shown}")
        lines += [f"  {p}" for p in postings]
        self.lines.append("\n".join(lines))
        return header

    def pay(
        self,
        day: str,
        amount: str,
        payee: str = "城关文具店",
        narration: str | None = None,
        *,
        account: str = OFFICE,
        source: str = BANK,
        **meta: object,
    ) -> str:
        """A payment signed by SIGNED with an invoice; returns its header line."""
        full = {**SIGNED, "invoice": self.next_invoice(), **meta}
        postings = [f"{account}  {amount} CNY", f"{source}  -{amount} CNY"]
        return self.entry(day, payee, narration, full, postings)

    def receive(self, day: str, amount: str, payer: str = "承租户", **meta: object) -> str:
        """Rent received into the bank."""
        postings = [f"{BANK}  {amount} CNY", f"{RENT}  -{amount} CNY"]
        return self.entry(day, payer, None, {"receipt": "收款收据", **meta}, postings)

    def text(self) -> str:
        return "\n\n".join(self.lines) + "\n"


class Raw(str):
    """A metadata value written as is, without quotes (a number, a date, TRUE)."""


def approval(tmp_path: Path, book: Book) -> tuple[Path, list[Finding]]:
    main = make_village(tmp_path, book.text())
    return main, check(main, select=["VL1"])


def only(findings: list[Finding], code: str) -> Finding:
    assert codes(findings) == [code], [(f.rule, f.message) for f in findings]
    return findings[0]


# ---- VL101 签字 ----


@pytest.mark.fires("VL101")
def test_missing_reviewer_is_vl101(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "350.00", reviewer=None)
    main, findings = approval(tmp_path, book)
    finding = only(findings, "VL101")
    assert finding.line == line_of(main, header)
    assert "付 城关文具店 的支出 350.00 元缺少审核人（reviewer）签字" in finding.message
    assert finding.amount == Decimal("350.00")


def test_missing_every_signature_is_one_vl101(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", handler=None, reviewer=None, approver=None)
    _, findings = approval(tmp_path, book)
    message = only(findings, "VL101").message
    assert "经手人（handler）、审核人（reviewer）、审批人（approver）" in message


def test_blank_signature_counts_as_missing(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", approver="  ")
    _, findings = approval(tmp_path, book)
    assert "审批人（approver）" in only(findings, "VL101").message


@pytest.mark.near_miss("VL101")
def test_bank_to_cash_and_income_need_no_signatures(tmp_path: Path) -> None:
    book = Book()
    book.entry(
        "2025-03-05",
        "农商行",
        "提取备用金",
        {"receipt": "银行回单"},
        [f"{CASH}  800.00 CNY", f"{BANK}  -800.00 CNY"],
    )
    book.receive("2025-03-06", "1200.00")
    _, findings = approval(tmp_path, book)
    assert findings == []


# ---- VL102 审批权 ----


def test_committee_member_cannot_approve(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "350.00", approver="郑国庆")
    main, findings = approval(tmp_path, book)
    finding = only(findings, "VL102")
    assert finding.line == line_of(main, header)
    assert "审批人 郑国庆 在 2025-03-05 任委员，不是书记或主任" in finding.message


def test_stranger_cannot_approve(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", approver="张大山")
    _, findings = approval(tmp_path, book)
    assert "审批人 张大山 未担任书记或主任" in only(findings, "VL102").message


@pytest.mark.fires("VL102")
def test_approver_on_his_leaving_date_is_vl102(tmp_path: Path) -> None:
    book = Book()
    book.add('2025-03-20 custom "离任" "李红梅" "主任"')
    header = book.pay("2025-03-20", "350.00", approver="李红梅")
    main, findings = approval(tmp_path, book)
    finding = only(findings, "VL102")
    assert finding.line == line_of(main, header)
    assert "已于 2025-03-20 离任主任" in finding.message


@pytest.mark.near_miss("VL102")
def test_approver_on_his_last_day_in_office_is_fine(tmp_path: Path) -> None:
    book = Book()
    book.add('2025-03-20 custom "离任" "李红梅" "主任"')
    book.pay("2025-03-19", "350.00", approver="李红梅")
    _, findings = approval(tmp_path, book)
    assert findings == []


def test_approver_before_appointment_is_vl102(tmp_path: Path) -> None:
    book = Book()
    book.add('2025-04-01 custom "任职" "陈志远" "书记"')
    book.pay("2025-03-31", "350.00", approver="陈志远")
    book.pay("2025-04-01", "350.00", approver="陈志远")
    _, findings = approval(tmp_path, book)
    finding = only(findings, "VL102")
    assert "自 2025-04-01 起才任书记" in finding.message
    assert str(finding.date) == "2025-03-31"


# ---- VL103 职责不相容 ----


def test_handler_approving_own_spend_is_vl103(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "350.00", handler="王建国")
    main, findings = approval(tmp_path, book)
    finding = only(findings, "VL103")
    assert finding.line == line_of(main, header)
    assert "经手人 王建国 审批了自己经手的支出" in finding.message


def test_reviewer_without_review_role_is_vl103(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", reviewer="郑国庆")
    _, findings = approval(tmp_path, book)
    message = only(findings, "VL103").message
    assert "审核人 郑国庆 在 2025-03-05 不是监委会主任、监委会委员或理财小组成员" in message


def test_reviewer_after_leaving_the_group_is_vl103(tmp_path: Path) -> None:
    book = Book()
    book.add('2025-03-01 custom "离任" "钱秀英" "理财小组"')
    book.pay("2025-02-28", "350.00", reviewer="钱秀英")
    book.pay("2025-03-01", "350.00", reviewer="钱秀英")
    _, findings = approval(tmp_path, book)
    assert str(only(findings, "VL103").date) == "2025-03-01"


def test_reviewer_who_is_the_approver_is_vl103(tmp_path: Path) -> None:
    book = Book()
    book.add('2024-06-01 custom "任职" "王建国" "理财小组"')
    book.pay("2025-03-05", "350.00", reviewer="王建国")
    _, findings = approval(tmp_path, book)
    assert "审核人 王建国 就是审批人" in only(findings, "VL103").message


def test_reviewer_who_is_the_handler_is_vl103(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "350.00", handler="赵德明")
    _, findings = approval(tmp_path, book)
    assert "审核人 赵德明 就是经手人" in only(findings, "VL103").message


@pytest.mark.fires("VL103")
@pytest.mark.parametrize(("other", "role"), [("王建国", "审批人"), ("吴志强", "经手人")])
def test_reviewer_related_to_approver_or_handler_is_vl103(
    tmp_path: Path, other: str, role: str
) -> None:
    book = Book()
    book.add(f'2024-01-01 custom "亲属" "{other}" "赵德明" "表兄弟"')
    header = book.pay("2025-03-05", "350.00")
    main, findings = approval(tmp_path, book)
    finding = only(findings, "VL103")
    assert finding.line == line_of(main, header)
    assert f"审核人 赵德明 是{role} {other} 的近亲属（表兄弟），应回避" in finding.message


@pytest.mark.near_miss("VL103")
def test_reviewer_related_to_someone_else_is_fine(tmp_path: Path) -> None:
    book = Book()
    book.add('2024-01-01 custom "亲属" "郑国庆" "赵德明" "兄弟"')
    book.pay("2025-03-05", "350.00")
    _, findings = approval(tmp_path, book)
    assert findings == []


# ---- VL104 限额与会议决议 ----


@pytest.mark.fires("VL104")
def test_payment_at_the_committee_tier_without_meeting_is_vl104(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "2000.00")
    main, findings = approval(tmp_path, book)
    finding = only(findings, "VL104")
    assert finding.line == line_of(main, header)
    assert finding.message.startswith(
        "付 城关文具店 的支出 2,000.00 元达到两委联席会议限额 2,000.00 元，未注明会议决议（meeting）"
    )
    assert finding.policy == "两委联席会议限额"


@pytest.mark.near_miss("VL104")
def test_payment_one_cent_under_the_tier_needs_no_meeting(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "1999.99")
    _, findings = approval(tmp_path, book)
    assert findings == []


def test_committee_resolution_does_not_cover_the_representatives_tier(tmp_path: Path) -> None:
    book = Book()
    book.add('2025-03-01 custom "会议决议" "2025-03-两委-1" "两委联席会议" "修缮村部" 50000.00 CNY')
    book.pay("2025-03-05", "9999.99", meeting="2025-03-两委-1")
    header = book.pay("2025-03-06", "10000.00", meeting="2025-03-两委-1")
    main, findings = approval(tmp_path, book)
    finding = only(findings, "VL104")
    assert finding.line == line_of(main, header)
    assert "达到村民代表会议限额 10,000.00 元" in finding.message
    assert "所引决议“2025-03-两委-1”是两委联席会议决议；应经村民代表会议或村民会议决议" in (
        finding.message
    )


def test_villagers_meeting_covers_every_tier(tmp_path: Path) -> None:
    book = Book()
    book.add(
        '2025-03-01 custom "会议决议" "2025-03-村民会议-1" "村民会议" "村道硬化" 200000.00 CNY'
    )
    book.pay("2025-03-05", "150000.00", "路桥公司", meeting="2025-03-村民会议-1")
    _, findings = approval(tmp_path, book)
    assert findings == []


def test_village_can_lower_the_tier(tmp_path: Path) -> None:
    book = Book()
    book.add('2025-01-01 custom "财务制度" "两委联席会议限额" 1000.00 CNY')
    book.pay("2025-03-05", "1000.00")
    _, findings = approval(tmp_path, book)
    assert "达到两委联席会议限额 1,000.00 元" in only(findings, "VL104").message


def test_citing_a_missing_resolution_is_vl105_not_vl104(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "3500.00", meeting="2025-03-两委-9")
    main, findings = approval(tmp_path, book)
    finding = only(findings, "VL105")
    assert finding.line == line_of(main, header)
    assert "所引会议决议“2025-03-两委-9”不存在" in finding.message


# ---- VL105 决议 ----


def test_resolution_dated_after_payment_is_vl105(tmp_path: Path) -> None:
    book = Book()
    book.add('2025-03-06 custom "会议决议" "2025-03-两委-1" "两委联席会议" "修缮村部" 5000.00 CNY')
    header = book.pay("2025-03-05", "3000.00", meeting="2025-03-两委-1")
    main, findings = approval(tmp_path, book)
    finding = only(findings, "VL105")
    assert finding.line == line_of(main, header)
    assert "决议日期 2025-03-06 晚于支出日期，应先决议后支出" in finding.message


def test_resolution_of_the_same_day_is_fine(tmp_path: Path) -> None:
    book = Book()
    book.add('2025-03-05 custom "会议决议" "2025-03-两委-1" "两委联席会议" "修缮村部" 5000.00 CNY')
    book.pay("2025-03-05", "3000.00", meeting="2025-03-两委-1")
    _, findings = approval(tmp_path, book)
    assert findings == []


@pytest.mark.fires("VL105")
def test_overspent_resolution_is_vl105_on_the_payment_that_overspends(tmp_path: Path) -> None:
    book = Book()
    book.add('2025-03-01 custom "会议决议" "2025-03-两委-1" "两委联席会议" "修缮村部" 5000.00 CNY')
    book.pay("2025-03-05", "3000.00", "建筑队", meeting="2025-03-两委-1")
    crossing = book.pay("2025-03-09", "2500.00", "建筑队", meeting="2025-03-两委-1")
    after = book.pay("2025-03-12", "100.00", "五金店", meeting="2025-03-两委-1")
    main, findings = approval(tmp_path, book)
    assert codes(findings) == ["VL105", "VL105"]
    first, second = sorted(findings, key=lambda f: f.line)
    assert first.line == line_of(main, crossing)
    assert "累计 5,500.00 元，超出批准金额 5,000.00 元 500.00 元" in first.message
    assert "（修缮村部）" in first.message
    assert first.amount == Decimal("500.00")
    assert second.line == line_of(main, after)
    assert second.amount == Decimal("100.00")


@pytest.mark.near_miss("VL105")
def test_resolution_spent_to_the_cent_is_fine(tmp_path: Path) -> None:
    book = Book()
    book.add('2025-03-01 custom "会议决议" "2025-03-两委-1" "两委联席会议" "修缮村部" 5000.00 CNY')
    book.pay("2025-03-05", "3000.00", "建筑队", meeting="2025-03-两委-1")
    book.pay("2025-03-20", "2000.00", "建筑队", meeting="2025-03-两委-1")
    _, findings = approval(tmp_path, book)
    assert findings == []


# ---- VL106 拆分支付 ----


@pytest.mark.fires("VL106")
def test_split_payment_within_window_is_vl106(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-01", "800.00", "建材店")
    book.pay("2025-03-04", "800.00", "建材店")
    header = book.pay("2025-03-08", "800.00", "建材店")
    main, findings = approval(tmp_path, book)
    finding = only(findings, "VL106")
    assert finding.severity == "warning"
    assert finding.line == line_of(main, header)
    assert finding.message.startswith(
        "2025-03-01 至 2025-03-08 向 建材店 分 3 笔支付共 2,400.00 元，每笔均低于两委联席会议限额"
    )
    assert finding.amount == Decimal("2400.00")


def test_split_payment_outside_window_is_fine(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-01", "800.00", "建材店")
    book.pay("2025-03-04", "800.00", "建材店")
    book.pay("2025-03-09", "800.00", "建材店")  # eight days after the first
    _, findings = approval(tmp_path, book)
    assert findings == []


@pytest.mark.near_miss("VL106")
def test_split_payment_one_cent_short_is_fine(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-01", "1000.00", "建材店")
    book.pay("2025-03-02", "999.99", "建材店")
    book.pay("2025-03-02", "999.99", "五金店")
    _, findings = approval(tmp_path, book)
    assert findings == []


@pytest.mark.parametrize("amounts", [("2000.00", "500.00"), ("500.00", "2000.00")])
def test_payment_at_the_tier_is_not_part_of_a_split(
    tmp_path: Path, amounts: tuple[str, str]
) -> None:
    book = Book()
    book.pay("2025-03-01", amounts[0], "建材店")
    book.pay("2025-03-02", amounts[1], "建材店")
    _, findings = approval(tmp_path, book)
    assert codes(findings) == ["VL104"]


def test_instalments_under_a_resolution_are_not_split(tmp_path: Path) -> None:
    book = Book()
    book.add('2025-03-01 custom "会议决议" "2025-03-两委-1" "两委联席会议" "修缮村部" 5000.00 CNY')
    book.pay("2025-03-02", "1500.00", "建筑队", meeting="2025-03-两委-1")
    book.pay("2025-03-03", "1500.00", "建筑队", meeting="2025-03-两委-1")
    _, findings = approval(tmp_path, book)
    assert findings == []


def test_split_under_representatives_tier_is_vl106(tmp_path: Path) -> None:
    book = Book()
    book.add('2025-03-01 custom "会议决议" "2025-03-两委-1" "两委联席会议" "修缮村部" 50000.00 CNY')
    book.pay("2025-03-02", "6000.00", "建筑队", meeting="2025-03-两委-1")
    book.pay("2025-03-03", "6000.00", "建筑队", meeting="2025-03-两委-1")
    _, findings = approval(tmp_path, book)
    finding = only(findings, "VL106")
    assert "每笔均低于村民代表会议限额 10,000.00 元" in finding.message
    assert finding.policy == "村民代表会议限额"


def test_payment_reaching_both_tiers_warns_once_for_the_higher(tmp_path: Path) -> None:
    book = Book()
    for day in range(1, 8):
        book.pay(f"2025-03-{day:02d}", "1500.00", "建材店")
    _, findings = approval(tmp_path, book)
    assert codes(findings) == ["VL106"] * 4  # 2,000 reached at the 2nd, 4th, 6th; 10,000 at the 7th
    last = max(findings, key=lambda f: f.line)
    assert "分 7 笔支付共 10,500.00 元，每笔均低于村民代表会议限额" in last.message


# ---- VL107 自批 ----


@pytest.mark.fires("VL107")
def test_approver_paying_himself_is_vl107(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "300.00", "李红梅", approver="李红梅")
    main, findings = approval(tmp_path, book)
    finding = only(findings, "VL107")
    assert finding.line == line_of(main, header)
    assert "审批人 李红梅 审批了付给自己的支出 300.00 元" in finding.message


@pytest.mark.near_miss("VL107")
def test_officer_paid_with_another_approver_is_fine(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "300.00", "李红梅")
    _, findings = approval(tmp_path, book)
    assert findings == []


# a cadre's title written after the name in brackets: the payee is still that person
@pytest.mark.fires("VL107")
@pytest.mark.parametrize("payee", ["王建国（主任）", "王建国(村主任)", " 王建国 （书记）（代领） "])
def test_approver_paying_himself_under_his_title_is_vl107(tmp_path: Path, payee: str) -> None:
    book = Book()
    header = book.pay("2025-03-05", "300.00", payee)
    main, findings = approval(tmp_path, book)
    finding = only(findings, "VL107")
    assert finding.line == line_of(main, header)
    assert "审批人 王建国 审批了付给自己的支出 300.00 元" in finding.message


@pytest.mark.near_miss("VL107")
@pytest.mark.parametrize("payee", ["王建华（主任）", "九池乡农家菜馆（王建国）", "王建国家庭农场"])
def test_another_name_with_a_title_or_a_name_in_brackets_is_fine(
    tmp_path: Path, payee: str
) -> None:
    book = Book()
    book.pay("2025-03-05", "300.00", payee)
    _, findings = approval(tmp_path, book)
    assert findings == []


@pytest.mark.parametrize(
    ("payee", "person"),
    [
        ("苏建明（主任）", "苏建明"),
        ("苏建明(村主任)", "苏建明"),
        ("苏建明 （主任）(代领)", "苏建明"),
        (" 苏建明 ", "苏建明"),
        ("（主任）", "（主任）"),
        ("九池乡（东岭）农家菜馆", "九池乡（东岭）农家菜馆"),
        ("苏建明（主任", "苏建明（主任"),
    ],
)
def test_the_person_a_payee_names(payee: str, person: str) -> None:
    from village_ledger.model.roster import person_named

    assert person_named(payee) == person


# ---- bad input ----


def test_unquoted_values_are_findings_not_crashes(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-05", "3500.00", approver=Raw("123"), meeting=Raw("2025"))
    _, findings = approval(tmp_path, book)
    assert codes(findings) == ["VL102", "VL105"]
    assert any("审批人 123 未担任书记或主任" in f.message for f in findings)


# ---- in bean-check ----


def bean_check(main: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).with_name("bean-check")
    return subprocess.run(
        [str(tool), "-C", str(main)], capture_output=True, text=True, cwd=REPO, check=False
    )


def test_plugin_alone_reports_in_bean_check(tmp_path: Path) -> None:
    book = Book()
    header = book.pay("2025-03-05", "350.00", reviewer=None)
    main = make_village(tmp_path, book.text(), plugin="village_ledger.plugins.approval")
    result = bean_check(main)
    assert result.returncode == 1
    assert f"{main}:{line_of(main, header)}:" in result.stderr + result.stdout
    assert "VL101 付 城关文具店 的支出 350.00 元缺少审核人" in result.stderr + result.stdout


def test_warning_only_ledger_passes_bean_check(tmp_path: Path) -> None:
    book = Book()
    book.pay("2025-03-01", "1500.00", "建材店")
    book.pay("2025-03-02", "1500.00", "建材店")
    main = make_village(tmp_path, book.text(), plugin="village_ledger.plugins.approval")
    assert codes(check(main, select=["VL1"])) == ["VL106"]
    result = bean_check(main)
    assert result.returncode == 0, result.stderr
    assert "VL106" not in result.stderr + result.stdout


# ---- invariants ----

TIER_AMOUNTS = {"两委联席会议限额": Decimal("2000.00"), "村民代表会议限额": Decimal("10000.00")}
cents = st.integers(min_value=1, max_value=99_999_999).map(lambda c: Decimal(c).scaleb(-2))
small = st.integers(min_value=1, max_value=199_999).map(lambda c: Decimal(c).scaleb(-2))
PAYEES = ("城关文具店", "建材店", "五金店", "张大山", "路桥公司")


@st.composite
def compliant_books(draw: st.DrawFn) -> Book:
    """Payments each signed and invoiced; small ones to a payee at least 8 days apart, large
    ones under a 村民会议 resolution big enough for all of them; some rent received."""
    book = Book()
    big = draw(st.lists(cents, max_size=6))
    book.add(
        f'2025-01-01 custom "会议决议" "2025-村民会议-1" "村民会议" "年度工程" {sum(big, Decimal(0)) + 1} CNY'
    )
    plan = [(draw(st.integers(0, 300)), amount, "建筑队", True) for amount in big]
    for i, amount in enumerate(draw(st.lists(small, max_size=8))):
        payee = draw(st.sampled_from(PAYEES))
        plan.append((9 * i + draw(st.integers(0, 1)), amount, payee, False))
    plan += [
        (draw(st.integers(0, 300)), draw(small), "承租户", None)
        for _ in range(draw(st.integers(0, 3)))
    ]
    for offset, amount, payee, cited in sorted(plan, key=lambda p: p[0]):
        day = f"2025-{1 + offset // 28:02d}-{1 + offset % 28:02d}"
        if cited is None:
            book.receive(day, f"{amount}", payee)
        elif cited:
            book.pay(day, f"{amount}", payee, meeting="2025-村民会议-1")
        else:
            book.pay(day, f"{amount}", payee)
    return book


@given(book=compliant_books())
def test_compliant_ledger_has_no_approval_or_receipt_finding(tmp_path: Path, book: Book) -> None:
    main = make_village(tmp_path, book.text())
    findings = check(main, select=["VL1", "VL3", "BEANCOUNT"])
    assert findings == [], [(f.rule, f.line, f.message) for f in findings]


@given(amount=cents, tier=st.sampled_from(sorted(TIER_AMOUNTS)))
def test_payment_at_or_over_a_tier_without_meeting_is_vl104(
    tmp_path: Path, amount: Decimal, tier: str
) -> None:
    amount = amount + TIER_AMOUNTS[tier]
    book = Book()
    header = book.pay("2025-03-05", f"{amount}", "路桥公司")
    main, findings = approval(tmp_path, book)
    vl104 = [f for f in findings if f.rule == "VL104"]
    assert len(vl104) == 1 and vl104[0].line == line_of(main, header)
    expected = "村民代表会议" if amount >= TIER_AMOUNTS["村民代表会议限额"] else "两委联席会议"
    assert f"达到{expected}限额" in vl104[0].message


@st.composite
def split_parts(draw: st.DrawFn) -> tuple[str, list[tuple[int, Decimal]]]:
    """A spend at or over a tier cut into parts each under it, paid within seven days."""
    tier = draw(st.sampled_from(sorted(TIER_AMOUNTS)))
    limit = int(TIER_AMOUNTS[tier] * 100)
    total = draw(st.integers(min_value=limit, max_value=5 * limit))
    pieces = draw(st.integers(min_value=total // (limit - 1) + 1, max_value=12))
    cuts = sorted(
        draw(st.sets(st.integers(1, total - 1), min_size=pieces - 1, max_size=pieces - 1))
    )
    bounds = [0, *cuts, total]
    parts = [bounds[i + 1] - bounds[i] for i in range(pieces)]
    if max(parts) >= limit:  # a cut left a part at the tier: spread it evenly instead
        parts = [total // pieces + (1 if i < total % pieces else 0) for i in range(pieces)]
    days = sorted(draw(st.integers(0, 7)) for _ in parts)
    return tier, [(day, Decimal(part).scaleb(-2)) for day, part in zip(days, parts, strict=True)]


@given(split=split_parts())
def test_split_spend_within_window_is_vl106(tmp_path: Path, split: tuple) -> None:
    tier, parts = split
    book = Book()
    book.add(
        '2025-03-01 custom "会议决议" "2025-03-两委-1" "两委联席会议" "修缮村部" 999999.00 CNY'
    )
    cite = {"meeting": "2025-03-两委-1"} if tier == "村民代表会议限额" else {}
    for day, amount in parts:
        book.pay(f"2025-03-{1 + day:02d}", f"{amount}", "建材店", **cite)
    _, findings = approval(tmp_path, book)
    assert "VL106" in codes(findings)
    assert "VL104" not in codes(findings)


# ---- who holds office on a day: the spans' union as bounds, asked by bisection ----

DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 3, 1))


@given(spans=st.lists(st.tuples(DAYS, DAYS), max_size=5), day=DAYS)
def test_held_bounds_hold_exactly_the_days_of_the_spans(
    spans: list[tuple[date, date]], day: date
) -> None:
    from village_ledger.plugins.approval import held_bounds

    held = bisect_right(held_bounds(spans), day) % 2 == 1
    assert held == any(start <= day < end for start, end in spans)
