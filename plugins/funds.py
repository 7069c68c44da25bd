"""VL5xx 资金与资产 (funds and assets): 专款专用, no 公车, no 对外担保, cadre pay as decided.

VL501: special funds (专项资金) are spent only on their purpose. A fund account is a 241 or 231
sub-account whose `open` declares `project` (inherited by its sub-accounts). A payment belongs to
a project through `project` on the transaction or on a posting: on the posting of what it pays
for, it wins over the transaction's; on the bank or cash posting, it speaks for the whole
payment. What it pays for may only be booked to 153 在建工程, 151 固定资产, 121 库存物资, 511
经营支出, 514 公益支出 or the project's own fund accounts (money handed back), never to 管理费用
or an account of another project. The project's payments may not add up to more than its fund
accounts were ever credited with in the ledger (以奖代补 grants arrive after the works are paid).
A `project` no fund account declares is an error on every voucher that writes it.
Works accrued through 211 应付款 (`Dr 153 / Cr 211` naming the project) are spent when accrued;
paying that payable later (`Dr 211 / Cr 102`) is the same spending, counted once and no misuse.
A payment to 211 for the project that settles no accrual of it on that account is a misuse.
What a project received and spent is `model.figures.funds`, the figures the reports print.
VL502: no collective money on vehicles: any voucher that debits an account of category 车辆.
VL503: no guarantee for an outside party: any entry on an account of category 对外担保.
VL504: cadre pay, bonuses and allowances (accounts of category 干部报酬) are paid only under a
村民代表会议 or 村民会议 resolution, cited with `meeting`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from beancount.core import data, flags

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel, Payment, depreciation
from village_ledger.model.funds import PAYABLE, Funds, FundSpend
from village_ledger.model.index import ledger_index
from village_ledger.model.payments import as_payment
from village_ledger.model.running import cny, text_of
from village_ledger.money import fmt_yuan
from village_ledger.registry import Explanation, rule

__plugins__ = (make_plugin("funds"),)

ZERO = Decimal(0)
# what special funds may pay for, by first-level code
FUND_PURPOSES = {
    "153": "在建工程",
    "151": "固定资产",
    "121": "库存物资",
    "511": "经营支出",
    "514": "公益支出",
}
ADMIN_CODE = "513"
VEHICLE = "车辆"
GUARANTEE = "对外担保"
CADRE_PAY = "干部报酬"
# bodies whose resolution may set cadre pay (村民代表会议 and above)
CADRE_PAY_RANK = 2


def projects_named(entry: data.Transaction) -> list[str]:
    """Every project a voucher names, on itself or on any posting, in order of writing."""
    named = [text_of(entry.meta, "project")]
    named += [text_of(p.meta, "project") for p in entry.postings]
    return list(dict.fromkeys(p for p in named if p))


def wrong_destination(funds: Funds, spend: FundSpend) -> Hit | None:
    project, info, entry = spend.project, spend.target, spend.entry
    own = funds.accounts.get(info.name) == project
    other = info.project if info.project and info.project != project else None
    if own or (info.first_level in FUND_PURPOSES and other is None):
        return None
    payee = (entry.payee or "").strip()
    head = f"专项资金“{project}”{'向' + payee if payee else ''}支付 {fmt_yuan(spend.amount)} 元"
    if other is not None:
        why = f"记入另一项目“{other}”的科目 {info.name}，专项资金须专款专用"
    elif info.first_level == ADMIN_CODE:
        why = f"记入管理费用 {info.name}，专项资金不得用于管理费用"
    elif info.first_level == PAYABLE:
        why = f"记入 {info.name}，但该应付款没有计提过此项目的支出，专项资金不能用于偿还其他欠款"
    else:
        allowed = "、".join(FUND_PURPOSES.values())
        why = f"记入 {info.name}，专项资金只能用于{allowed}"
    return Hit(entry.meta, f"{head}，{why}", entry.date, amount=spend.amount)


# ---- ledger text the explanations of several rules share (village-ledger rule VL5xx) ----

EXAMPLE_FUND = """\
2025-01-01 open Liabilities:241-专项应付款:24101-村道硬化 CNY
  project: "村道硬化"
2025-01-01 open Assets:153-在建工程:15301-村道硬化 CNY
  project: "村道硬化"
2025-03-20 custom "会议决议" "2025-03-村代会-1" "村民代表会议" "村道硬化工程" 150000.00 CNY

2025-03-25 * "梅川县财政局" "收到村道硬化专项资金"
  voucher: "2025-03-001"
  receipt: "银行回单"
  Assets:102-银行存款:10201-农商行  150000.00 CNY
  Liabilities:241-专项应付款:24101-村道硬化
"""


def example_fund_payment(amount: str, account: str = "Assets:153-在建工程:15301-村道硬化") -> str:
    return f"""\
2025-04-10 * "梅川县宏达建筑工程有限公司" "村道硬化工程进度款"
  voucher: "2025-04-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  meeting: "2025-03-村代会-1"
  project: "村道硬化"
  invoice: "25332000000041230001"
  {account}  {amount} CNY
  Assets:102-银行存款:10201-农商行
"""


EXAMPLE_MACHINE_RESOLUTION = (
    '2025-03-20 custom "会议决议" "2025-03-村代会-1" "村民代表会议" "购置农用设备" 90000.00 CNY\n'
)


def example_purchase(account: str, narration: str) -> str:
    return f"""\
2025-04-10 * "梅川县农机销售有限公司" "{narration}"
  voucher: "2025-04-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  meeting: "2025-03-村代会-1"
  invoice: "25332000000041230002"
  {account}  85000.00 CNY
  Assets:102-银行存款:10201-农商行
"""


EXAMPLE_GUARANTEE_ACCOUNT = """\
2025-01-01 open Liabilities:221-长期借款及应付款:22101-对外担保 CNY
  code: "22101"
  category: "对外担保"
"""

EXAMPLE_CADRE_RESOLUTION = (
    '2025-01-15 custom "会议决议" "2025-01-村代会-2" "村民代表会议" '
    '"2025年村干部报酬及误工补贴标准" 60000.00 CNY\n'
)


def example_cadre_pay(meeting: str) -> str:
    return f"""\
2025-02-05 * "王建国" "发放2025年1月村干部报酬"
  voucher: "2025-02-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
{meeting}  receipt: "工资表"
  Expenses:513-管理费用:51301-干部报酬  1800.00 CNY
  Assets:102-银行存款:10201-农商行
"""


EXPLAIN_VL501 = Explanation(
    checks=(
        "专项资金挪用：注明 `project` 的支出记入了 153 在建工程、151 固定资产、121 库存物资、"
        "511 经营支出、514 公益支出（或本项目的专项科目）以外的科目，例如管理费用；"
        "记入了别的项目的科目；一个项目的支出合计超过了它的专项科目（241、231 下声明该 `project` "
        "的明细科目）收到的资金；或者 `project` 没有任何专项科目声明。"
    ),
    why=(
        "一事一议资金和专项资金必须专款专用。检查中常见专项资金以白条入账、不单独核算、被挤占挪用。"
    ),
    compliant=EXAMPLE_FUND + "\n" + example_fund_payment("150000.00"),
    offending=EXAMPLE_FUND
    + "\n"
    + example_fund_payment("1500.00", "Expenses:513-管理费用:51302-办公费"),
    decisions=(
        "专项科目是 241 专项应付款或 231 一事一议资金下、在 `open` 上写了 `project` 的明细科目；"
        "工程的在建工程科目写上同一个 `project`。",
        "写在所购项目分录上的 `project` 优先于交易上的；写在银行或现金分录上的 `project` 适用于整笔支出。",
        "支出与账簿中该项目收到的全部资金比较，而不是与支出当天已到账的资金比较：以奖代补的资金"
        "常在工程付款之后才拨付，这不是挪用。",
        "只有支出（钱从现金或银行流出）和挂应付款（借 153、贷 211 并注明 `project`）才算项目的花费；"
        "专项科目的借方（如工程完工转出）不算。",
        "经 211 应付款挂账、以后再付款的工程款只算一次：挂账时计入；付款（借 211、贷 102 并注明 "
        "`project`）先冲销该应付款明细科目上本项目挂账的金额，不再计入，也不算挪用；没有挂账可冲的"
        "部分仍是挪用。",
        "财务公开和交接报告的专项资金表与本规则使用同一组数字（拨入、支出、结余）。",
        "把多余的专项资金退回拨款单位（记入本项目的专项科目）不是挪用。",
        "没有任何专项科目声明的 `project`，在写它的每张凭证上报告。",
    ),
    fix="把挪用的资金归还专项科目；确需调整用途的，报拨款部门批准。",
)


@rule("VL501", "专项资金挪用", explain=EXPLAIN_VL501)
def special_fund_misused(model: LedgerModel) -> Iterator[Hit]:
    """Special funds pay only for their purpose, and no more than the project received."""
    funds = model.figures.funds
    for entry in ledger_index(model).tagged:
        if entry.flag == flags.FLAG_PADDING:
            continue
        for project in projects_named(entry):
            if not funds.declares(project):
                yield Hit(
                    entry.meta,
                    f"专项项目“{project}”没有对应的专项资金科目：应在 241 专项应付款或 "
                    "231 一事一议资金下开设明细科目并注明 project",
                    entry.date,
                )
    spent: dict[str, Decimal] = defaultdict(Decimal)
    for entry, spends in funds.by_entry():
        for spend in spends:
            if spend.amount > 0 and (hit := wrong_destination(funds, spend)):
                yield hit
            spent[spend.project] += spend.amount
        for project in dict.fromkeys(spend.project for spend in spends):
            received = funds.received(project)
            if spent[project] > received:
                yield Hit(
                    entry.meta,
                    f"专项资金“{project}”累计支出 {fmt_yuan(spent[project])} 元，超过该项目专项资金"
                    f"科目收到的 {fmt_yuan(received)} 元",
                    entry.date,
                    amount=spent[project],
                )


EXPLAIN_VL502 = Explanation(
    checks="借记类别为 `车辆` 的科目（标准科目表中的 `15103-车辆`），即用集体资金购置车辆，就报告。",
    why="有关部门明确禁止用村集体资金购买公车；检查中车辆费用也几乎从未如实公开。",
    compliant=EXAMPLE_MACHINE_RESOLUTION
    + "\n"
    + example_purchase("Assets:151-固定资产:15102-机器设备", "购置村集体农用收割机"),
    offending=EXAMPLE_MACHINE_RESOLUTION
    + "\n"
    + example_purchase("Assets:151-固定资产:15103-车辆", "购置村委会公务用车"),
    decisions=(
        '只看科目类别：车辆记在类别为 `车辆` 的科目上；村里自设的车辆明细科目也要标上 `category: "车辆"`。',
        "即使有村民代表会议决议也报告：这是禁止事项，不是审批事项。",
        "租用车辆、车辆运行费用（类别 `车辆费用`）不是购置，在财务公开中与差旅费一起公开。",
    ),
    fix="已购车辆按程序处置；以后不得用集体资金购置车辆。",
)


@rule("VL502", "集体资金购置车辆", explain=EXPLAIN_VL502)
def vehicle_bought(model: LedgerModel) -> Iterator[Hit]:
    """Collective money may not buy a vehicle (公车): no debit to an account of category 车辆."""
    index = ledger_index(model)
    vehicles = index.accounts(VEHICLE)
    for entry in index.entries(VEHICLE):
        if entry.flag == flags.FLAG_PADDING:
            continue
        bought = [p for p in entry.postings if p.account in vehicles and cny(p) > 0]
        if bought:
            amount = sum((cny(p) for p in bought), ZERO)
            seller = f"向{entry.payee}" if entry.payee else ""
            yield Hit(
                entry.meta,
                f"{seller}购置车辆 {fmt_yuan(amount)} 元（{bought[0].account}），"
                "不得用村集体资金购买公车",
                entry.date,
                amount=amount,
            )


EXPLAIN_VL503 = Explanation(
    checks="任何一笔账记到了类别为 `对外担保` 的科目上，即村集体为外部单位或个人提供担保，就报告。",
    why="村集体不得为外部单位或个人提供担保或出借资金，担保一旦代偿，损失的是全体村民的财产。",
    compliant=EXAMPLE_GUARANTEE_ACCOUNT,
    offending=EXAMPLE_GUARANTEE_ACCOUNT
    + """
2025-03-15 * "梅川县兴旺农业有限公司" "为该公司银行贷款提供担保"
  voucher: "2025-03-001"
  receipt: "内部凭证"
  Assets:112-应收款:11202-单位往来  50000.00 CNY
  Liabilities:221-长期借款及应付款:22101-对外担保
""",
    decisions=(
        '标准科目表没有担保科目；记录担保的科目由村里开设并标上 `category: "对外担保"`。',
        "只开设这样的科目不报告；在上面记任何一笔账（包括 `pad`）都报告。",
    ),
    fix="解除担保；已经代偿的，向被担保方追偿，并向村民公开。",
)


@rule("VL503", "对外担保", explain=EXPLAIN_VL503)
def guarantee_given(model: LedgerModel) -> Iterator[Hit]:
    """The collective may not guarantee an outside party: no entry on a 对外担保 account."""
    index = ledger_index(model)
    guarantees = index.accounts(GUARANTEE)
    for entry in index.entries(GUARANTEE):
        touched = [p for p in entry.postings if p.account in guarantees]
        if touched:
            amount = abs(cny(touched[0]))
            party = f"为{entry.payee}" if entry.payee else ""
            yield Hit(
                entry.meta,
                f"村集体{party}对外担保：{touched[0].account} 记账 {fmt_yuan(amount)} 元，"
                "村集体不得为外单位或个人提供担保",
                entry.date,
                amount=amount,
            )


def cadre_pay(payment: Payment) -> Decimal:
    return sum(
        (cny(p) for info, p in payment.targets if info.category == CADRE_PAY and cny(p) > 0),
        ZERO,
    )


EXPLAIN_VL504 = Explanation(
    checks=(
        "支付干部报酬、奖金、补贴（类别为 `干部报酬` 的科目：51301 干部报酬、51307 误工补贴、"
        "21201 应付工资—干部报酬）时，没有用 `meeting` 注明村民代表会议或村民会议的决议，"
        "或注明的决议不存在、层级不够，就报告。"
    ),
    why=(
        "干部报酬、误工补贴、差旅和通讯补贴的标准由两委提出、村民（代表）会议决定、报乡镇备案并公开。"
        "检查中常见干部的奖金、补贴、加班费和节日费从不如实公开。"
    ),
    compliant=EXAMPLE_CADRE_RESOLUTION
    + "\n"
    + example_cadre_pay('  meeting: "2025-01-村代会-2"\n'),
    offending=example_cadre_pay(""),
    decisions=(
        "计提（记入应付工资）不是支付，不检查；把计提的报酬付出去才检查。",
        "提示中说明是哪一种情况：没有注明决议、决议不存在，或决议是较低层级会议的。",
        "任何金额都要决议，不受“两委联席会议限额”影响。",
    ),
    fix="报酬标准先经村民代表会议或村民会议决定，发放时注明该决议。",
)


@rule("VL504", "干部报酬未经村民(代表)会议决定", explain=EXPLAIN_VL504)
def cadre_pay_without_resolution(model: LedgerModel) -> Iterator[Hit]:
    """Cadre pay, bonuses and allowances cite the 村民代表会议 or 村民会议 resolution that set them."""
    for entry in ledger_index(model).entries(CADRE_PAY):
        payment = as_payment(entry, model.chart) if entry.flag != flags.FLAG_PADDING else None
        if payment is None or not (amount := cadre_pay(payment)):
            continue
        cited = payment.get("meeting")
        meeting = model.meetings.get(cited) if cited else None
        if meeting is not None and meeting.rank >= CADRE_PAY_RANK:
            continue
        to = f"向{payment.payee}" if payment.payee else ""
        if cited is None:
            why = "未引用决定报酬标准的村民代表会议或村民会议决议（meeting）"
        elif meeting is None:
            why = f"引用的决议“{cited}”不存在"
        else:
            why = f"引用的“{cited}”是{meeting.body}决议，干部报酬须由村民代表会议或村民会议决定"
        yield Hit(
            payment.meta,
            f"{to}支付干部报酬 {fmt_yuan(amount)} 元，{why}",
            payment.day,
            amount=amount,
        )


EXAMPLE_HARVESTER = """\
2025-01-01 open Assets:151-固定资产:15102-机器设备:1510201-收割机 CNY
  code: "1510201"
  life-years: 10
"""

EXAMPLE_JUNE_VOUCHER = """\
2025-06-05 * "九池乡兴旺文具店" "购买办公用品"
  voucher: "2025-06-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25332000000041230099"
  Expenses:513-管理费用:51302-办公费  120.00 CNY
  Assets:102-银行存款:10201-农商行
"""

EXAMPLE_MAY_DEPRECIATION = """\
2025-05-31 * "计提折旧" "计提2025年5月固定资产折旧"
  voucher: "2025-05-001"
  depreciation: "2025-05"
  receipt: "内部凭证"
  Expenses:513-管理费用  672.92 CNY
  Assets:152-累计折旧  -672.92 CNY
    asset: "Assets:151-固定资产:15102-机器设备:1510201-收割机"
"""


def example_harvester(depreciation: str) -> str:
    return (
        EXAMPLE_HARVESTER
        + EXAMPLE_MACHINE_RESOLUTION
        + example_purchase("Assets:151-固定资产:15102-机器设备:1510201-收割机", "购置收割机")
        + depreciation
        + EXAMPLE_JUNE_VOUCHER
    )


EXPLAIN_VL506 = Explanation(
    checks=(
        "账簿已经记到下个月，而上个月有应计提折旧的固定资产（151 的明细科目在 `open` 上写有 "
        "`life-years` 使用年限，且尚未提足），却没有该月的计提凭证（带 "
        '`depreciation: "YYYY-MM"` 的凭证，或该月贷记 152 累计折旧的凭证），就报告应提的金额和'
        "补提的命令。"
    ),
    why=(
        "《农村集体经济组织会计制度》要求固定资产按月计提折旧。不提折旧，支出少计、收益虚增，"
        "资产负债表上的固定资产净值虚高；检查中常见村集体只记原值、从不提折旧。"
    ),
    compliant=example_harvester(EXAMPLE_MAY_DEPRECIATION),
    offending=example_harvester(""),
    decisions=(
        "采用年限平均法按科目分类计提：月折旧额 = 上月末原值 ×（1 − 残值率）÷（使用年限 × 12），"
        "按分向上取整，最后一期取余数，提足原值 ×（1 − 残值率）为止。",
        "当月增加的固定资产当月不提、从下月起提，当月减少的当月照提。",
        "残值率 `salvage-rate` 未写时取 0.05；未写 `life-years` 的固定资产科目不检查；"
        "`depreciate: FALSE` 标明不提折旧的公益性资产。",
        "只检查账簿已经记过的月份：最后一笔账所在的月份尚未记完，不报告。",
        "预警报告在该月最后一张凭证上（该月没有凭证时在主文件上）。",
        "手工编写、没有 `depreciation` 的计提凭证也算：该月有贷记 152 累计折旧的凭证，就是该月已计提"
        "（不核对金额；`depreciate` 也不再重复计提该月）。",
    ),
    fix="运行 village-ledger depreciate 村文件夹 --month YYYY-MM --write 补提该月折旧。",
)


@rule("VL506", "固定资产未按月计提折旧", Severity.WARNING, explain=EXPLAIN_VL506)
def depreciation_missing(model: LedgerModel) -> Iterator[Hit]:
    """A month the books are past, with fixed assets to depreciate, has no depreciation entry
    (`depreciation: "YYYY-MM"`): the month's 管理费用 and the assets' 净值 are both overstated.
    Reported on the month's last voucher, with what `village-ledger depreciate` would charge."""
    for month, due in depreciation.months_unbooked(model):
        total = sum((charge.amount for charge in due), ZERO)
        last = max(
            (e for e in model.vouchers if month.contains(e.date)),
            key=lambda e: (e.date, e.meta.get("lineno", 0)),
            default=None,
        )
        meta = last.meta if last is not None else {"filename": model.main_file, "lineno": 1}
        yield Hit(
            meta,
            f"{month.label}有 {len(due)} 个固定资产科目应计提折旧 {fmt_yuan(total)} 元，账上没有"
            f"计提凭证；请运行 village-ledger depreciate --month {depreciation.month_key(month)}",
            month.last,
        )
