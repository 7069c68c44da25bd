"""整改: a finding put right in the books is reported 已整改 and no longer fails; VL903 and VL904
fire on a 整改 that names no finding or is accepted by someone without standing, and stay silent
on their near misses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import check as check_all
from tests.support import codes, line_of, make_township, make_village
from village_ledger.findings import Finding

# the township's inspector, appointed in the township's shared file
STAFF = '2024-01-01 custom "任职" "刘振华" "乡镇农经员"\n'
INCLUDE_STAFF = 'include "../township/staff.beancount"\n'

# a 386.00 payment signed by the handler and the approver, the reviewer's signature missing
UNREVIEWED = """
2025-05-13 * "九池乡兴旺文具店" "办公用品"
  voucher: "2025-05-001"
  handler: "吴志强"
  approver: "王建国"
  invoice: "25320000000012345678"
  Expenses:513-管理费用:51302-办公费   386.00 CNY
  Assets:102-银行存款:10201-农商行    -386.00 CNY
"""


def check(main: Path, select: tuple[str, ...] = ()) -> list[Finding]:
    """The findings of `village-ledger check`, less the unsealed quarters of these test books
    and their months without a cash count (VL209)."""
    return check_all(main, select=select, ignore=["VL603", "VL209"])


def village(tmp_path: Path, body: str, staff: str = STAFF) -> Path:
    township = make_township(tmp_path)
    (township / "staff.beancount").write_text(staff, encoding="utf-8")
    return make_village(tmp_path, INCLUDE_STAFF + UNREVIEWED + body)


def rectify(who: str, *, day: str = "2026-04-02", code: str = "VL101", on: str = "2025-05-001",
            extra: str = "") -> str:  # fmt: skip
    return f'{day} custom "整改" "{code}" "{on}" "补签审核人" "{who}"{extra}\n'


def only(findings: list[Finding], code: str) -> Finding:
    mine = [f for f in findings if f.rule == code]
    assert len(mine) == 1, findings
    return mine[0]


def test_an_unrectified_finding_is_open_and_fails(tmp_path: Path) -> None:
    findings = check(village(tmp_path, ""))
    finding = only(findings, "VL101")
    assert finding.is_open and finding.fails
    assert finding.subject == "2025-05-001"


def test_a_township_inspector_rectifies_a_finding(tmp_path: Path) -> None:
    main = village(tmp_path, rectify("刘振华", extra=' "2026-04-001"') + REVIEWED_LATER)
    findings = check(main)
    assert codes(findings) == ["VL101"]
    finding = only(findings, "VL101")
    assert not finding.is_open and not finding.fails
    record = finding.rectified
    assert record is not None
    assert (str(record.day), record.way, record.accepted_by, record.evidence) == (
        "2026-04-02",
        "补签审核人",
        "刘振华",
        "2026-04-001",
    )
    assert record.line == line_of(main, '"整改"')
    assert finding.to_json()["status"] == "rectified"


# the voucher the 整改 cites as its evidence: a compliant one of April 2026
REVIEWED_LATER = """
2026-04-01 * "九池乡兴旺文具店" "办公用品"
  voucher: "2026-04-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "王建国"
  invoice: "25320000000012345679"
  Expenses:513-管理费用:51302-办公费   10.00 CNY
  Assets:102-银行存款:10201-农商行    -10.00 CNY
"""


@pytest.mark.near_miss("VL903", "VL904")
def test_a_supervisory_committee_chair_may_accept(tmp_path: Path) -> None:
    findings = check(village(tmp_path, rectify("赵德明")))
    assert codes(findings) == ["VL101"]
    assert not only(findings, "VL101").is_open


@pytest.mark.fires("VL904")
@pytest.mark.parametrize(
    ("who", "why"),
    [
        ("王建国", "不是乡镇农经员"),  # the 书记: a cadre, and the voucher's approver
        ("钱秀英", "不是乡镇农经员"),  # 理财小组 reviews vouchers but does not accept 整改
        ("路人甲", "不是乡镇农经员"),  # nobody in the roster
    ],
)
def test_vl904_someone_without_an_accepting_role(tmp_path: Path, who: str, why: str) -> None:
    main = village(tmp_path, rectify(who))
    findings = check(main)
    assert codes(findings) == ["VL101", "VL904"]
    assert only(findings, "VL101").fails  # a 整改 without standing puts nothing right
    vl904 = only(findings, "VL904")
    assert why in vl904.message and who in vl904.message
    assert vl904.line == line_of(main, '"整改"')


@pytest.mark.fires("VL904")
def test_vl904_the_reviewer_of_the_voucher_cannot_accept(tmp_path: Path) -> None:
    # 赵德明 chairs the supervisory committee, but he reviewed the voucher whose approver is missing
    unapproved = UNREVIEWED.replace('approver: "王建国"', 'reviewer: "赵德明"')
    township = make_township(tmp_path)
    (township / "staff.beancount").write_text(STAFF, encoding="utf-8")
    main = make_village(tmp_path, INCLUDE_STAFF + unapproved + rectify("赵德明"))
    findings = check(main)
    assert codes(findings) == ["VL101", "VL904"]
    assert "审核人" in only(findings, "VL904").message


@pytest.mark.fires("VL904")
def test_vl904_a_committee_member_who_handled_the_payment(tmp_path: Path) -> None:
    body = '2024-01-01 custom "任职" "孙明" "监委会委员"\n' + rectify("孙明")
    township = make_township(tmp_path)
    (township / "staff.beancount").write_text(STAFF, encoding="utf-8")
    handled = UNREVIEWED.replace('handler: "吴志强"', 'handler: "孙明"')
    findings = check(make_village(tmp_path, INCLUDE_STAFF + handled + body))
    message = only(findings, "VL904").message
    assert "孙明" in message and "经手人" in message


@pytest.mark.fires("VL904")
def test_vl904_a_committee_member_who_is_also_a_cadre(tmp_path: Path) -> None:
    # 郑国庆 is a 委员 of the village committee: a cadre, whatever else he is
    body = '2024-01-01 custom "任职" "郑国庆" "监委会委员"\n' + rectify("郑国庆")
    findings = check(village(tmp_path, body))
    assert "村干部" in only(findings, "VL904").message


@pytest.mark.fires("VL904")
def test_vl904_a_close_relative_of_the_handler(tmp_path: Path) -> None:
    relatives = '2024-01-01 custom "亲属" "刘振华" "吴志强" "兄弟"\n'
    findings = check(village(tmp_path, relatives + rectify("刘振华")))
    vl904 = only(findings, "VL904")
    assert "近亲属" in vl904.message and "吴志强" in vl904.message
    assert only(findings, "VL101").fails


@pytest.mark.fires("VL904")
def test_vl904_after_the_inspector_left(tmp_path: Path) -> None:
    staff = STAFF + '2026-03-01 custom "离任" "刘振华" "乡镇农经员"\n'
    assert "VL904" in codes(check(village(tmp_path, rectify("刘振华"), staff=staff)))


@pytest.mark.near_miss("VL904")
def test_vl904_near_miss_the_day_before_the_inspector_left(tmp_path: Path) -> None:
    staff = STAFF + '2026-04-03 custom "离任" "刘振华" "乡镇农经员"\n'
    findings = check(village(tmp_path, rectify("刘振华"), staff=staff))
    assert codes(findings) == ["VL101"]
    assert not only(findings, "VL101").is_open


@pytest.mark.fires("VL901", "VL904")
def test_a_village_cannot_appoint_a_township_inspector(tmp_path: Path) -> None:
    own = '2024-01-01 custom "任职" "刘振华" "乡镇农经员"\n'
    findings = check(village(tmp_path, own + rectify("刘振华"), staff=""))
    assert codes(findings) == ["VL101", "VL901", "VL904"]
    assert "乡镇共用" in only(findings, "VL901").message


@pytest.mark.fires("VL903")
def test_vl903_a_rectification_naming_another_voucher(tmp_path: Path) -> None:
    main = village(tmp_path, rectify("刘振华", on="2025-05-002"))
    findings = check(main)
    assert codes(findings) == ["VL101", "VL903"]
    vl903 = only(findings, "VL903")
    assert "2025-05-002" in vl903.message
    assert vl903.line == line_of(main, '"整改"')
    assert only(findings, "VL101").fails


@pytest.mark.fires("VL903")
def test_vl903_a_rectification_naming_another_rule(tmp_path: Path) -> None:
    assert codes(check(village(tmp_path, rectify("刘振华", code="VL102")))) == ["VL101", "VL903"]


@pytest.mark.fires("VL903")
def test_vl903_a_rectification_dated_before_the_finding(tmp_path: Path) -> None:
    findings = check(village(tmp_path, rectify("刘振华", day="2025-05-12")))
    assert codes(findings) == ["VL101", "VL903"]


@pytest.mark.near_miss("VL903")
def test_vl903_near_miss_a_rectification_on_the_findings_day(tmp_path: Path) -> None:
    findings = check(village(tmp_path, rectify("刘振华", day="2025-05-13")))
    assert codes(findings) == ["VL101"]


@pytest.mark.fires("VL903")
def test_vl903_evidence_that_is_not_in_the_books(tmp_path: Path) -> None:
    findings = check(village(tmp_path, rectify("刘振华", extra=' "2026-04-009"')))
    assert codes(findings) == ["VL101", "VL903"]
    assert "2026-04-009" in only(findings, "VL903").message
    # the finding itself was put right: only the evidence is wrong
    assert not only(findings, "VL101").is_open


@pytest.mark.near_miss("VL903")
def test_vl903_near_miss_evidence_naming_a_resolution(tmp_path: Path) -> None:
    resolution = '2026-03-01 custom "会议决议" "2026-03-两委-1" "两委联席会议" "补办" 100.00 CNY\n'
    body = resolution + rectify("刘振华", extra=' "2026-03-两委-1"')
    assert codes(check(village(tmp_path, body))) == ["VL101"]


def test_vl903_sees_every_rule_even_when_only_it_is_selected(tmp_path: Path) -> None:
    main = village(tmp_path, rectify("刘振华"))
    assert check(main, select=("VL903",)) == []
    assert check(main, select=("VL9",)) == []


@pytest.mark.fires("VL901")
@pytest.mark.parametrize(
    ("directive", "complaint"),
    [
        ('2026-04-02 custom "整改" "VL101" "2025-05-001" "补签"\n', "应有 4 至 5 个值"),
        ('2026-04-02 custom "整改" "101" "2025-05-001" "补签" "刘振华"\n', "VL 加三位数字"),
        ('2026-04-02 custom "整改" "VL101" "2025-05-001" "补签" ""\n', "为空"),
    ],
)
def test_a_malformed_rectification_is_vl901(tmp_path: Path, directive: str, complaint: str) -> None:
    findings = check(village(tmp_path, directive))
    assert codes(findings) == ["VL101", "VL901"]
    assert complaint in only(findings, "VL901").message


def test_a_rectification_of_a_directive(tmp_path: Path) -> None:
    # the 出纳 also made 会计: VL205 sits on the 任职 directive, named by its date and values
    body = '2025-02-01 custom "任职" "周小燕" "会计"\n'
    on = "2025-02-01 任职 周小燕 会计"
    findings = check(village(tmp_path, body + rectify("刘振华", code="VL205", on=on)))
    assert not only(findings, "VL205").is_open
    assert only(findings, "VL205").subject == on


def bean_check(main: Path) -> list[str]:
    from beancount import loader

    _, errors, _ = loader.load_file(str(main))
    return [e.message for e in errors]


def test_bean_check_no_longer_fails_on_a_rectified_finding(tmp_path: Path) -> None:
    main = village(tmp_path, "")
    main.write_text(
        main.read_text(encoding="utf-8").replace(
            'option "operating_currency" "CNY"\n',
            'option "operating_currency" "CNY"\nplugin "village_ledger.plugins.all"\n',
        ),
        encoding="utf-8",
    )
    assert any(m.startswith("VL101") for m in bean_check(main))
    main.write_text(main.read_text(encoding="utf-8") + rectify("刘振华"), encoding="utf-8")
    assert not any(m.startswith(("VL101", "VL903")) for m in bean_check(main))
