"""VL7xx 合同与资源 (contracts, resources and assets): the 三资 beside the money.

The contracts are the `合同` directives (`model.contracts`), what fell due and was received under
each is its schedule (`model.figures.contracts`, `village_ledger.model.schedule`), and the asset
register is the `资产` directives (`model.assets`) against the 151 accounts
(`model.figures.asset_gaps`). The reports print the same figures.

VL701: money due under a receiving contract (发包, 租赁, 承包, 借款) not received in full within
合同欠收宽限天数 of its due day; once per period, on the contract.
VL702: a contract whose value (amount × periods as signed, or the price) reaches a tier has no
resolution of the body the tier requires; a 发包 or 租赁 awarded by 协商 has no resolution at all.
VL703: a 发包 longer than 土地发包最长年限 or a 租赁 longer than 资产租赁最长年限, or a 续签
without a resolution.
VL704 (预警): the counterparty holds a role in the roster on the signing day, or is a close
relative of someone who does: a 关联交易 to be disclosed.
VL705: money under a `contract` no `合同` declares, under a `period` the contract does not have,
or received after the contract ended beyond what was still owed.
VL706: a 担保 past its end that was not ended by a `终止`: the guarantee has not been recovered.
VL707 (预警): at a quarter's end, a 151 account's balance differs from the 原值 of the assets
registered on it (an asset with nothing behind it, or a balance with no asset registered).

How it stays fast: the one pass over the vouchers (those carrying `contract`) is the figures
layer's, which also computes each contract's periods once and shares them between its value
(VL702) and its schedule (VL701, VL705); a rule's cost then grows with the contracts and their
periods, not with the vouchers. VL707 reads the balances of the 151 accounts alone, from the
few vouchers on them the ledger index holds, not from a running ledger of every posting.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from beancount.core import data, flags

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel, is_opening, vocab
from village_ledger.model.contracts import AssetGap, Contract, longer_than
from village_ledger.model.index import ledger_index
from village_ledger.model.roster import person_named
from village_ledger.model.schedule import GRACE, Line
from village_ledger.model.tiers import TIERS, thresholds
from village_ledger.money import fmt_yuan
from village_ledger.registry import Explanation, rule

__plugins__ = (make_plugin("contracts"),)

ZERO = Decimal(0)
LAND_YEARS = "土地发包最长年限"
LEASE_YEARS = "资产租赁最长年限"
MAX_YEARS = {vocab.LETTING: LAND_YEARS, vocab.LEASE: LEASE_YEARS}


def named(contract: Contract) -> str:
    """A contract as a message names it: id, what it is and with whom."""
    party = contract.counterparty
    if contract.kind == vocab.GUARANTEE:
        what = f"为{party}担保"
    elif contract.paying:
        what = f"向{party}{contract.kind}"
    else:
        what = f"{contract.kind}给{party}"
    return f"合同“{contract.id}”（{what}：{contract.subject}）"


# ---- ledger text the explanations of several rules share (village-ledger rule VL7xx) ----

EXAMPLE_POND_RESOLUTION = (
    '2025-02-20 custom "会议决议" "2025-02-村代会-1" "村民代表会议" "三组鱼塘公开发包" '
    "40000.00 CNY\n"
)
EXAMPLE_POND = """\
2025-01-01 custom "资产" "ZY-003" "三组鱼塘 12 亩" "水面" 0.00 CNY
  location: "三组"
"""


def example_pond_contract(
    start: str = "2025-03-01",
    end: str = "2030-02-28",
    amount: str = "8000.00",
    meeting: str | None = "2025-02-村代会-1",
    award: str = "公开竞价",
    counterparty: str = "陈大海",
    kind: str = "发包",
) -> str:
    meeting_line = f'  meeting: "{meeting}"\n' if meeting else ""
    return (
        f'2025-02-26 custom "合同" "HT-2025-001" "{kind}" "{counterparty}" "三组鱼塘 12 亩" '
        f'{start} {end} {amount} CNY "年"\n'
        f"{meeting_line}"
        f'  award: "{award}"\n'
        '  due-day: "03-01"\n'
        '  asset: "ZY-003"\n'
    )


def example_rent(day: str, number: str, amount: str = "8000.00", extra: str = "") -> str:
    return f"""\
{day} * "陈大海" "收到三组鱼塘承包费"
  voucher: "{number}"
  receipt: "银行回单"
  contract: "HT-2025-001"
{extra}  Assets:102-银行存款:10201-农商行  {amount} CNY
  Income:501-经营收入:50101-发包收入
"""


def example_voucher(day: str, number: str, invoice: str = "25320000000012345678") -> str:
    return f"""\
{day} * "城关文具店" "购买村部办公用品"
  voucher: "{number}"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "{invoice}"
  Expenses:513-管理费用:51302-办公费  120.00 CNY
  Assets:102-银行存款:10201-农商行
"""


EXAMPLE_POND_BOOKS = EXAMPLE_POND + EXAMPLE_POND_RESOLUTION + example_pond_contract()


EXPLAIN_VL701 = Explanation(
    checks=(
        "收款的合同（发包、租赁、承包、借款）每期应收的款项，到期日后“合同欠收宽限天数”内没有收齐，"
        "就报告：落在合同上，写明哪一期、应收多少、宽限期满时收到多少、欠多少、逾期多少天。每期报告一次。"
    ),
    why=(
        "检查中常见“出租房产的租金没有按合同要求去收”“承包费长期拖欠”：合同签了，钱却没收，"
        "集体收入白白流失。各地的“三资”管理平台都按合同台账提醒到期租金。"
    ),
    compliant=EXAMPLE_POND_BOOKS
    + "\n"
    + example_rent("2025-03-05", "2025-03-001")
    + "\n"
    + example_voucher("2025-04-20", "2025-04-001"),
    offending=EXAMPLE_POND_BOOKS + "\n" + example_voucher("2025-04-20", "2025-04-001"),
    decisions=(
        "按年收付的合同每个合同年度在 `due-day`（MM-DD，不写时为起始日）到期；按季的在每季第一天到期；"
        "按月的在每月 `due-day` 日（DD）到期；一次性的在起始日到期。期间不足的也按全额到期。",
        '收款凭证写 `contract: "合同编号"`；可写 `period: "2025"`（或 `2025Q2`、`2025-07`）指明'
        "所收的是哪一期，不写的先抵最早未收的一期，超出的部分预收以后各期。",
        "所收金额是进入现金和银行的钱，减去同一凭证记入负债科目的部分（押金代管，不是租金）。",
        "到期日后第 30 天（默认宽限天数）收到仍算按时，第 31 天才报告；只判断宽限期满日早于账簿"
        "最后一天的各期。",
        "逾期后补收的，仍报告（当时欠收的事实不变）；提示只写宽限期满时的情况，补收或账簿记到以后都"
        "不改变它，同一条发现始终是同一条（基线、整改不受影响）。逾期天数见合同台账。",
        "合同终止后到期的各期不再应收；变更、续签后的金额从其生效的一期起算。",
        "合同早于建账的，建账（期初余额凭证）以前到期的各期属于旧账，不在本账簿中检查。",
    ),
    fix="催收欠款并入账；确实无法收回的，经村民代表会议决议后按程序处理，并在财务公开中说明。",
)


def late_message(contract: Contract, line: Line) -> str:
    # what stood at the deadline only: a later receipt or a later voucher does not change it,
    # so the finding stays the same finding (baselines, entries judged with the books)
    got = line.received_by(line.deadline)
    return (
        f"{named(contract)}第 {line.label} 期应收 {fmt_yuan(line.amount)} 元，{line.due} 到期，"
        f"宽限 {line.grace} 天至 {line.deadline} 只收到 {fmt_yuan(got)} 元，"
        f"逾期欠收 {fmt_yuan(line.late)} 元"
    )


@rule("VL701", "合同款逾期未收", reads=(GRACE,), explain=EXPLAIN_VL701)
def contract_money_not_received(model: LedgerModel) -> Iterator[Hit]:
    """Money due under a receiving contract was not received within 合同欠收宽限天数 of its due
    day; judged as of the books' last day, once per period."""
    figures = model.figures.contracts
    for contract in model.contracts:
        if not contract.receiving:
            continue
        for line in figures.schedule(contract).late_lines:
            yield Hit(
                contract.meta,
                late_message(contract, line),
                line.due,
                amount=line.late,
                policy=GRACE,
            )


EXPLAIN_VL702 = Explanation(
    checks=(
        "合同总值（每期金额 × 期数，采购、工程为合同价）达到“两委联席会议限额”或“村民代表会议限额”，"
        "合同上没有用 `meeting` 注明相应层级、日期不晚于签订日的会议决议；或者发包、租赁合同 "
        '`award: "协商"`（不经公开招标、竞价）而没有任何决议，就报告。'
    ),
    why=(
        "集体资产资源的发包、租赁和大额合同属于“四议两公开”的事项，应经村民代表会议决定；"
        "检查中常见土地、鱼塘低价长期发包、不经表决，合同一签几十年。"
    ),
    compliant=EXAMPLE_POND_BOOKS,
    offending=EXAMPLE_POND + example_pond_contract(meeting=None),
    decisions=(
        "层级与支出相同：达到两委联席会议限额须两委联席会议或更高层级决议，达到村民代表会议限额须"
        "村民代表会议或村民会议决议；限额取签订日生效的财务制度。",
        "合同总值按签订时的条款计算：每期金额乘以合同期内的期数（期间不足的按一期），一次性的为其金额。",
        "协商方式发包、租赁的，不论金额大小都须有决议（任何层级）。",
        "决议不存在或日期晚于合同签订日的，视为没有决议。续签是否有决议由 VL703 检查。",
    ),
    fix='召开相应会议形成决议，记一条 `会议决议`，在合同上写 `meeting: "决议编号"`。',
)


def resolution_gap(model: LedgerModel, contract: Contract) -> str | None:
    meeting = model.meetings.get(contract.meeting) if contract.meeting else None
    if meeting is not None and meeting.day > contract.day:
        meeting = None
    value = model.figures.contracts.value(contract)
    for tier, limit in zip(TIERS, thresholds(model, contract.day), strict=True):
        if value >= limit and (meeting is None or meeting.rank < tier.rank):
            return (
                f"合同总值 {fmt_yuan(value)} 元，达到{tier.name()}限额 {fmt_yuan(limit)} 元，"
                f"{why_not(contract, meeting)}；应经{tier.bodies}决议"
            )
    negotiated = contract.award == vocab.NEGOTIATED
    if negotiated and contract.kind in MAX_YEARS and meeting is None:
        return f"以协商方式{contract.kind}、未经公开招标或竞价，{why_not(contract, meeting)}"
    return None


def why_not(contract: Contract, meeting: object) -> str:
    if contract.meeting is None:
        return "未注明会议决议（meeting）"
    found = meeting
    if found is None:
        return f"所引决议“{contract.meeting}”不存在或晚于签订日"
    return f"所引决议“{contract.meeting}”层级不够"


@rule(
    "VL702",
    "合同未经相应会议决议",
    reads=tuple(t.key for t in TIERS),
    explain=EXPLAIN_VL702,
)
def contract_without_resolution(model: LedgerModel) -> Iterator[Hit]:
    """A contract reaching a tier cites a resolution of the body the tier requires; a 发包 or
    租赁 by 协商 cites one in any case."""
    for contract in model.contracts:
        gap = resolution_gap(model, contract)
        if gap is not None:
            yield Hit(
                contract.meta,
                f"{named(contract)}{gap}",
                contract.day,
                amount=model.figures.contracts.value(contract),
            )


EXPLAIN_VL703 = Explanation(
    checks=(
        "发包合同从起始日到（续签后的）终止日超过“土地发包最长年限”，或租赁合同超过“资产租赁最长年限”；"
        "或者 `合同变更` 续签时没有用 `meeting` 注明存在的会议决议，就报告。"
    ),
    why=(
        "检查中常见集体土地、资源一包几十年、租金多年不变，续签不经表决。"
        "发包、租赁的期限应有上限，到期续签应重新经过民主程序。"
    ),
    compliant=EXAMPLE_POND_BOOKS,
    offending=EXAMPLE_POND + EXAMPLE_POND_RESOLUTION + example_pond_contract(end="2055-03-31"),
    decisions=(
        "期限按起止日期算，两端都算在内：2025-01-01 至 2054-12-31 正好 30 年，不超过 30 年的上限；"
        "多一天就报告。",
        "续签后从原起始日算到新的终止日，超过上限的报在续签上。",
        "承包、采购、工程、借款、担保合同不检查期限。",
        "续签的决议写在 `合同变更` 的 `meeting` 上，须在账簿中存在。",
    ),
    fix="缩短期限或分期发包；续签前召开村民代表会议并注明决议。",
)


@rule(
    "VL703",
    "发包租赁期限过长或续签未经决议",
    reads=(LAND_YEARS, LEASE_YEARS),
    explain=EXPLAIN_VL703,
)
def contract_too_long(model: LedgerModel) -> Iterator[Hit]:
    """A 发包 or 租赁 runs longer than its policy limit, or a 续签 cites no resolution."""
    for contract in model.contracts:
        key = MAX_YEARS.get(contract.kind)
        if key is not None:
            years = int(model.policy.value(key, contract.day))
            if longer_than(contract.start, contract.end, years):
                yield Hit(
                    contract.meta,
                    f"{named(contract)}自 {contract.start} 至 {contract.end}，超过{key} {years} 年",
                    contract.day,
                    policy=key,
                )
        end = contract.end
        for change in contract.renewals():
            assert change.new_end is not None
            if change.meeting is None or model.meetings.get(change.meeting) is None:
                cited = (
                    f"所引决议“{change.meeting}”不存在"
                    if change.meeting
                    else "未注明会议决议（meeting）"
                )
                yield Hit(
                    change.meta,
                    f"{named(contract)}续签至 {change.new_end}，{cited}；续签应经村民代表会议决议",
                    change.day,
                )
            if key is not None:
                years = int(model.policy.value(key, change.day))
                if longer_than(contract.start, change.new_end, years) and not longer_than(
                    contract.start, end, years
                ):
                    yield Hit(
                        change.meta,
                        f"{named(contract)}续签后自 {contract.start} 至 {change.new_end}，"
                        f"超过{key} {years} 年",
                        change.day,
                        policy=key,
                    )
            end = change.new_end


EXPLAIN_VL704 = Explanation(
    checks=(
        "合同的对方在签订日担任名册中的任何职务（村两委、监委会、理财小组、财会人员），"
        "或是这样一个人的近亲属（`亲属` 指令），就预警：这是关联交易，应当回避表决并向村民公开。"
    ),
    why=(
        "检查中常见村干部本人或亲属低价承包集体土地、鱼塘，租用集体房屋。"
        "关联交易不一定违规，但必须公开、回避。"
    ),
    compliant=EXAMPLE_POND_BOOKS,
    offending=EXAMPLE_POND + EXAMPLE_POND_RESOLUTION + example_pond_contract(counterparty="郑国庆"),
    decisions=(
        "按合同签订日（指令日期）的名册判断：签订前已离任的不算，签订后才任职的也不算。",
        "近亲属按 `亲属` 指令，双向成立；对方名称须与名册中的姓名完全一致（名字后括号里写的职务或"
        "说明不算在内，如“郑国庆（村民）”就是郑国庆）。",
        "是预警，不是错误：关联交易经回避表决并公开后可以进行。",
    ),
    fix="由村民代表会议在关联人回避的情况下表决，并在财务公开中列明关联关系。",
)


def related_to_cadre(
    model: LedgerModel, person: str, day: date, with_relatives: set[str]
) -> str | None:
    roles = model.roster.roles_of(person, day)
    if roles:
        return f"对方{person}签订时任{'、'.join(sorted(roles))}"
    if person not in with_relatives:  # most counterparties: no term to look through
        return None
    for term in model.roster.terms:
        if term.covers(day) and term.person != person:
            relation = model.roster.relation(person, term.person)
            if relation is not None:
                return f"对方{person}是{term.role}{term.person}的近亲属（{relation}）"
    return None


@rule("VL704", "合同对方是村干部或其近亲属", Severity.WARNING, explain=EXPLAIN_VL704)
def contract_with_cadre(model: LedgerModel) -> Iterator[Hit]:
    """The counterparty holds a role on the signing day, or is a close relative of one who does."""
    with_relatives = model.roster.with_relatives()
    for contract in model.contracts:
        person = person_named(contract.counterparty)
        why = related_to_cadre(model, person, contract.day, with_relatives)
        if why is not None:
            yield Hit(
                contract.meta,
                f"{named(contract)}是关联交易：{why}；应回避表决并向村民公开",
                contract.day,
            )


EXPLAIN_VL705 = Explanation(
    checks=(
        "凭证的 `contract` 指向没有用 `合同` 声明的合同编号；`period` 写了合同没有的一期；"
        "或者合同（含续签）终止以后还收到款项，超过了仍欠的金额，就报告。"
    ),
    why=(
        "合同外收款说明有资产在无合同使用，或收款记错了合同；合同到期不续签却照收租金，"
        "租金标准、期限就都没有经过民主程序。"
    ),
    compliant=EXAMPLE_POND_BOOKS + "\n" + example_rent("2025-03-05", "2025-03-001"),
    offending=EXAMPLE_POND_BOOKS
    + "\n"
    + example_rent("2025-03-05", "2025-03-001").replace("HT-2025-001", "HT-2025-009"),
    decisions=(
        "合同终止后收到的钱先抵终止前各期的欠款，这是正常的催收；抵完还有剩余的才报告。",
        "合同期内多收的钱预收以后各期，不报告。",
        "`period` 写错的那笔款项按不写 `period` 处理（先抵最早未收的一期），同时报告。",
    ),
    fix="先签订（或续签）合同，再按合同收款；凭证的合同编号、期间写错的改正。",
)


@rule("VL705", "合同外收款", explain=EXPLAIN_VL705)
def money_outside_contract(model: LedgerModel) -> Iterator[Hit]:
    """Money under a `contract` no 合同 declares, a `period` the contract does not have, or
    money received after the end beyond what was still owed."""
    figures = model.figures.contracts
    for money in figures.unknown:
        yield Hit(
            money.meta,
            f"凭证注明的合同“{money.contract}”没有用“合同”指令声明，金额 {fmt_yuan(money.amount)} 元",
            money.day,
            amount=abs(money.amount),
        )
    for contract in model.contracts:
        schedule = figures.schedule(contract)
        for money in schedule.unknown_periods:
            labels = "、".join(line.label for line in schedule.lines[:3])
            yield Hit(
                money.meta,
                f"{named(contract)}没有“{money.period}”这一期（各期写作 {labels}…）",
                money.day,
            )
        if contract.paying:
            continue
        for settlement in schedule.surplus:
            if settlement.day > schedule.end and settlement.amount > 0:
                yield Hit(
                    settlement.money.meta,
                    f"{named(contract)}已于 {schedule.end} 终止，此后收到 "
                    f"{fmt_yuan(settlement.amount)} 元超出仍欠的金额；应先续签合同",
                    settlement.day,
                    amount=settlement.amount,
                )


EXPLAIN_VL706 = Explanation(
    checks=(
        "担保合同（`合同` 类型为 `担保`）的终止日已过（早于账簿最后一天），却没有 `合同变更` 终止"
        "（担保解除、已追回）的记录，就报告。"
    ),
    why=(
        "检查中常见“对外担保未能收回”：村集体为企业或个人担保，到期后被担保方不还，"
        "集体财产面临代偿。担保到期必须有结果。"
    ),
    compliant=(
        EXAMPLE_POND_RESOLUTION.replace("三组鱼塘公开发包", "为三组鱼塘养殖贷款担保")
        + '2025-02-26 custom "合同" "HT-2025-002" "担保" "陈大海" "鱼塘养殖贷款 30000 元" '
        '2025-03-01 2025-08-31 30000.00 CNY "一次"\n'
        '  meeting: "2025-02-村代会-1"\n'
        '2025-09-01 custom "合同变更" "HT-2025-002" "终止" "贷款已还清，担保解除"\n'
        + example_voucher("2025-09-20", "2025-09-001")
    ),
    offending=(
        EXAMPLE_POND_RESOLUTION.replace("三组鱼塘公开发包", "为三组鱼塘养殖贷款担保")
        + '2025-02-26 custom "合同" "HT-2025-002" "担保" "陈大海" "鱼塘养殖贷款 30000 元" '
        '2025-03-01 2025-08-31 30000.00 CNY "一次"\n'
        '  meeting: "2025-02-村代会-1"\n' + example_voucher("2025-09-20", "2025-09-001")
    ),
    decisions=(
        "以 `终止` 结束的担保算作已收回（担保解除或已追偿），终止原因写明结果。",
        "终止日当天不报告；账簿记到终止日以后仍无终止记录才报告。",
        "在类别为 `对外担保` 的科目上记账另由 VL503 报告；本规则看担保合同本身是否了结。",
    ),
    fix="追回担保（被担保方还款、解除担保）后记一条 `合同变更` 终止；已代偿的，向被担保方追偿。",
)


@rule("VL706", "对外担保到期未收回", explain=EXPLAIN_VL706)
def guarantee_not_recovered(model: LedgerModel) -> Iterator[Hit]:
    """A 担保 contract past its end that no 终止 ended: the guarantee has not been recovered."""
    books_end = model.figures.books_end
    if books_end is None:
        return
    for contract in model.contracts:
        if contract.kind != vocab.GUARANTEE or contract.terminated() is not None:
            continue
        end = contract.ends()
        if end < books_end:
            yield Hit(
                contract.meta,
                f"{named(contract)}担保金额 {fmt_yuan(contract.amount)} 元，已于 {end} 到期，"
                "没有解除或追回的记录（合同变更 终止）",
                end,
                amount=contract.amount,
            )


# VL707's examples: the same purchase, with and without the asset registered on its account
EXAMPLE_HARVESTER_RESOLUTION = (
    '2025-03-01 custom "会议决议" "2025-03-村代会-1" "村民代表会议" "购置农用设备" 90000.00 CNY\n'
)
EXAMPLE_HARVESTER_ASSET = (
    '2025-03-10 custom "资产" "ZC-021" "联合收割机" "机器设备" 85000.00 CNY\n'
    '  account: "Assets:151-固定资产:15102-机器设备"\n'
    '  location: "村集体农机库"\n'
)
EXAMPLE_HARVESTER_BOUGHT = """2025-03-10 * "梅川县农机销售有限公司" "购置村集体联合收割机"
  voucher: "2025-03-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  meeting: "2025-03-村代会-1"
  invoice: "25332000000041230002"
  Assets:151-固定资产:15102-机器设备  85000.00 CNY
  Assets:102-银行存款:10201-农商行
""" + example_voucher("2025-04-02", "2025-04-001")


EXPLAIN_VL707 = Explanation(
    checks=(
        "每个季度末，把登记在某个固定资产（151）明细科目上、尚未处置的资产（`资产` 指令）的原值相加，"
        "与该科目的余额比较，不相等就预警：登记了资产而账上没有，或账上有而没有登记资产（账实不符）。"
        "不相等的情况开始或差额改变的季度末各报告一次。"
    ),
    why=(
        "检查中常见换届时资产“说不清”：账上有固定资产，却找不到是哪些东西；或者资产在用，账上没有。"
        "资产登记簿与账簿一致，交接和清产核资才有依据。"
    ),
    compliant=EXAMPLE_HARVESTER_RESOLUTION + EXAMPLE_HARVESTER_ASSET + EXAMPLE_HARVESTER_BOUGHT,
    offending=EXAMPLE_HARVESTER_RESOLUTION + EXAMPLE_HARVESTER_BOUGHT,
    decisions=(
        "按明细科目比较该科目自身的余额（不含下级科目）：资产的 `account` 应写账上实际记载它的科目。",
        "资源（土地、林地、水面等原值为 0、不写 `account` 的）只登记，不与账簿比较；"
        "记在 151 以外科目上的资产也不比较。",
        "只比较账簿已记过的季度末；资产处置（`资产处置`）当天起不再计入登记簿。",
        "是预警：差额常是登记不及时，应查明后补登记或调账。",
        "差额有变化才再次报告，同一差额不在以后每个季度重复报告。",
    ),
    fix="补登记资产（`资产` 指令，写明 `account` 和原值），或查明账上多出、少记的原因后调账。",
)


@rule("VL707", "资产登记与账簿不符", Severity.WARNING, explain=EXPLAIN_VL707)
def register_differs_from_books(model: LedgerModel) -> Iterator[Hit]:
    """At a quarter's end, a 151 account's own balance differs from the 原值 of the assets
    registered and held on it; reported when the difference starts or changes."""
    figures = model.figures
    last: dict[str, Decimal] = {}
    found: list[AssetGap] = []
    for day in figures.register_quarter_ends():
        gaps = {gap.account: gap for gap in figures.asset_gaps(day)}
        for account in sorted(set(last) | set(gaps)):
            gap = gaps.get(account)
            difference = gap.difference if gap is not None else ZERO
            if difference == last.get(account, ZERO):
                continue
            last[account] = difference
            if gap is not None:
                found.append(gap)
    if not found:
        return
    entries = last_entries(model, {gap.account for gap in found})
    for gap in found:
        meta = gap_meta(model, gap, entries[gap.account])
        yield Hit(meta, gap_message(gap), gap.day, amount=abs(gap.difference))


def last_entries(model: LedgerModel, accounts: set[str]) -> dict[str, list[data.Transaction]]:
    """The vouchers posting to each of `accounts`, in date order (asked only when a gap
    shows): the ledger index holds the transactions on each account."""
    posted = ledger_index(model).posted
    return {account: [e for e in posted.get(account, ()) if is_voucher(e)] for account in accounts}


def is_voucher(entry: data.Transaction) -> bool:
    return entry.flag != flags.FLAG_PADDING and not is_opening(entry)


def gap_meta(model: LedgerModel, gap: AssetGap, entries: list[data.Transaction]) -> dict[str, Any]:
    """Where a register difference is reported: more on the books than registered, on the
    latest voucher on the account by then; more registered, on the latest asset registered on
    it; else on the main file."""
    before = [e for e in entries if e.date <= gap.day]
    if gap.difference > 0 and before:
        return before[-1].meta
    if gap.assets:
        return max(gap.assets, key=lambda a: a.day).meta
    if before:
        return before[-1].meta
    return {"filename": model.main_file, "lineno": 1}


def gap_message(gap: AssetGap) -> str:
    names = "、".join(f"{a.id} {a.name}" for a in gap.assets) or "没有登记任何资产"
    if gap.difference > 0:
        what = f"账上多 {fmt_yuan(gap.difference)} 元没有登记为资产"
    else:
        what = f"登记的资产有 {fmt_yuan(-gap.difference)} 元账上没有"
    return (
        f"{gap.day} {gap.account} 余额 {fmt_yuan(gap.booked)} 元，登记在该科目的资产原值合计 "
        f"{fmt_yuan(gap.registered)} 元（{names}），{what}"
    )
