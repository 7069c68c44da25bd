"""Contract counterparties who are persons never reach a public output unmasked: the 财务公开
(every format), the handover, and the public copies the dashboard serves."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests import contract_ledger
from tests.contract_ledger import bq_money
from tests.support import make_village
from village_ledger.model import Quarter
from village_ledger.reports.disclosure import build_disclosure
from village_ledger.reports.handover import build_handover, resolve_parties
from village_ledger.reports.masking import counterparty_names, is_individual
from village_ledger.reports.render import render
from village_ledger.serve import Publisher

SURNAMES = ("张", "李", "刘", "陈", "杨", "黄", "周", "欧阳", "司马")
# given names that appear nowhere else in the test village (its roster, its accounts, the
# reports' own words), so finding one in an output can only mean it leaked
GIVEN = ("秀兰", "桂芝", "淑珍", "凤英", "春花", "玉梅", "翠萍", "丽娟", "海燕", "德福", "永贵")
UNITS = ("梅川县好运超市", "九池乡农机服务站", "东山水产养殖专业合作社", "梅川县宏达建材有限公司")
KINDS = ("发包", "租赁", "承包", "借款")
# how a receipt names its payer: as the payee, in the narration only, or with a note
WRITINGS = ("payee", "narration", "noted")


def test_persons_and_units_are_told_apart() -> None:
    for person in ("张秀兰", "欧阳明华", "李四（养殖户）", "王五等三户"):
        assert is_individual(person), person
    for unit in (*UNITS, "东塘村民小组", "梅川县水产站", "李记饭店"):
        assert not is_individual(unit), unit


def ledger_text(people: list[tuple[str, str, str]]) -> str:
    """A contract with each person and one with a unit, a receipt from each in 2025Q1, and
    a 合同变更 whose reason names the person."""
    lines = [
        '2024-01-10 custom "会议决议" "2024-01-村代会-1" "村民代表会议" "资源发包" 500000.00 CNY',
        f'2024-02-01 custom "合同" "HT-U" "租赁" "{UNITS[0]}" "店面" 2024-02-01 2027-01-31 '
        '12000.00 CNY "年"',
        '  meeting: "2024-01-村代会-1"',
        '  award: "公开竞价"',
    ]
    receipts = []
    for n, (name, kind, writing) in enumerate(people, 1):
        lines += [
            f'2024-02-01 custom "合同" "HT-{n}" "{kind}" "{name}" "第 {n} 号鱼塘" 2024-02-01 '
            '2028-01-31 3000.00 CNY "年"',
            '  meeting: "2024-01-村代会-1"',
            '  award: "公开竞价"',
            f'2025-03-25 custom "合同变更" "HT-{n}" "变更" 3200.00 CNY "{name}申请调整面积"',
        ]
        payee = name if writing == "payee" else ""
        narration = f"收到{name}鱼塘承包费" if writing != "payee" else "收到鱼塘承包费"
        if writing == "noted":
            payee = f"{name}（承包户）"
        receipts += [
            f'2025-02-{n + 10:02d} * "{payee}" "{narration}"',
            f'  voucher: "2025-02-{n:03d}"',
            '  receipt: "银行回单"',
            f'  contract: "HT-{n}"',
            "  Assets:102-银行存款:10201-农商行  3000.00 CNY",
            "  Income:501-经营收入:50101-发包收入",
            "",
        ]
    return "\n".join([*lines, "", *receipts])


def leaks(text: str, people: list[tuple[str, str, str]]) -> list[str]:
    found = []
    for name, _, _ in people:
        given = name[2:] if name[:2] in ("欧阳", "司马") else name[1:]
        if name in text or given in text:
            found.append(name)
    return found


def xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))


people_strategy = st.lists(
    st.tuples(
        st.builds(lambda s, g: s + g, st.sampled_from(SURNAMES), st.sampled_from(GIVEN)),
        st.sampled_from(KINDS),
        st.sampled_from(WRITINGS),
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda p: p[0][-2:],  # one person per given name
)


# each example loads a village, builds and renders two reports and the public copies: a few
# examples, and no shrinking (a failing example is reported as found)
@settings(
    max_examples=6,
    deadline=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(people_strategy)
def test_individual_counterparties_never_leak_into_public_output(people) -> None:
    roster = '2025-06-01 custom "离任" "李红梅" "主任"\n2025-06-01 custom "任职" "陈新华" "主任"\n'
    with tempfile.TemporaryDirectory() as folder:
        main = make_village(Path(folder), ledger_text(people) + roster)
        model = contract_ledger.model_of(main)
        assert counterparty_names(model) == {name for name, _, _ in people}
        disclosure = build_disclosure(model, Quarter(2025, 1), findings=[])
        letting = [p for p in people if p[1] != "借款"]  # a loan is no letting
        assert len(list(disclosure.tables["leasing"].records())) == len(letting) + 1
        outputs = {fmt: render(disclosure, fmt) for fmt in ("json", "html", "csv", "xlsx")}
        outputs["xlsx"] = xlsx_text(outputs["xlsx"]).encode("utf-8")
        parties = resolve_parties(model, date(2025, 6, 1), "李红梅", "陈新华", "马文涛")
        handover = build_handover(model, parties, findings=[])
        outputs["handover"] = render(handover, "json")
        for fmt, data in outputs.items():
            assert leaks(data.decode("utf-8"), people) == [], fmt
        # the unit is a unit: shown as written
        assert UNITS[0] in outputs["json"].decode("utf-8")
        publisher = Publisher([main], check_interval=0)
        try:
            for copy in publisher.folder.rglob("*"):
                if copy.is_file():
                    assert leaks(copy.read_text(encoding="utf-8"), people) == [], copy.name
        finally:
            publisher.close()


def test_the_leasing_table_masks_the_villager_but_not_the_shop(tmp_path: Path) -> None:
    main = contract_ledger.write(tmp_path)
    model = contract_ledger.model_of(main)
    report = build_disclosure(model, Quarter(2025, 1), findings=[])
    document = json.loads(render(report, "json"))
    table = next(t for t in document["tables"] if t["key"] == "leasing")
    shown = [row["counterparty"] for row in table["rows"]]
    assert shown == ["张**", "梅川县好运超市", "欧阳**"]
    # the table's figures are the schedules' (one source), as of the quarter's end
    rows = {row["id"]: row for row in table["rows"]}
    shop = model.figures.contracts.schedule(model.contracts.by_id["HT-2024-002"], date(2025, 3, 31))
    assert rows["HT-2024-002"]["arrears"] == "16000.00" == f"{shop.arrears:.2f}"
    assert rows["HT-2024-002"]["received_year"] == "20000.00"
    # and, independently, what beanquery finds received under each contract this year
    for ident, row in rows.items():
        received = bq_money(main, ident, date(2025, 1, 1), date(2025, 3, 31))
        assert row["received_year"] == f"{received // 100}.{received % 100:02d}", ident
    assert "HT-2024-003" not in rows  # a purchase is not a letting
