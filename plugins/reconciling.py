"""VL207–VL209 对账 (reconciliation) of the VL2xx 现金 family: the 银行存款余额调节表 balances,
未达账项 do not linger, and cash and bank are checked by a `balance` assertion in time.

Rules of the cash family (codes VL2xx; `plugins/cash.py` imports this module, so `plugin
"village_ledger.plugins.cash"` runs them with VL201–VL206). They live apart because they read
the reconciliations (`model.figures.reconciliations`, `village_ledger.model.reconciliation`),
not the cash book.

- VL207: a bank statement balance recorded on a `balance` assertion (`bank-statement`) agrees
  with the books once the 未达账项 are added.
- VL208 (预警): a 未达账项 is dealt with within 未达账项天数: a `!` draft on a bank account
  completed, a voucher the last statement did not have cleared.
- VL209 (预警): a cash or bank account that moved is checked by a `balance` assertion (a cash
  count, a bank statement) within 对账间隔天数.

Open items are judged as of the ledger's last transaction date: the books are written up to
that day and no further.
"""

from __future__ import annotations

from collections.abc import Iterator

from village_ledger.findings import Hit, Severity
from village_ledger.model import LedgerModel
from village_ledger.model.index import policy_reader
from village_ledger.money import fmt_yuan
from village_ledger.registry import Explanation, rule


def example_bank_month(statement: str) -> str:
    """A month's interest and an unpresented payment, and the statement at the month's end."""
    return f"""\
2025-03-05 * "梅川县农商行" "2月份存款利息"
  voucher: "2025-03-001"
  receipt: "银行回单"
  Assets:102-银行存款:10201-农商行  35.20 CNY
  Income:504-其他收入:50401-利息收入

2025-03-28 * "便民五金店" "购买村部水管配件（转账支票，对账单上尚未付出）"
  voucher: "2025-03-002"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "李红梅"
  invoice: "25320000000012345611"
  Expenses:514-公益支出:51402-公共设施维护  800.00 CNY
  Assets:102-银行存款:10201-农商行

2025-04-01 balance Assets:102-银行存款:10201-农商行  499235.20 CNY
  bank-statement: {statement} CNY
  outstanding: "2025-03-002"
"""


def money_name(account: str) -> str:
    """`Assets:102-银行存款:10201-农商行` as the books name it: `10201-农商行`."""
    return account.rpartition(":")[2]


EXPLAIN_VL207 = Explanation(
    checks=(
        "余额断言记有银行对账单余额（`bank-statement`）时，按未达账项调节：账面余额（断言金额，含 `!` "
        "标记的银行已收付、企业未入账的草稿）应等于对账单余额加上企业已收银行未收、减去企业已付银行未付"
        "（`outstanding` 列出的凭证）。两者不等，就报告。"
    ),
    why=(
        "《会计基础工作规范》要求银行存款日记账定期与银行对账单核对，至少每月一次，并编制银行存款余额"
        "调节表。检查中“帐帐不符”屡见不鲜：账上的钱和银行里的钱对不上，往往是收入未入账或资金被挪用。"
    ),
    compliant=example_bank_month("500035.20"),
    offending=example_bank_month("499835.20"),
    decisions=(
        "余额断言的日期是对账单截止日的次日：Beancount 在当天的分录之前核对余额，断言金额就是截止日"
        "日终的账面余额。",
        "`outstanding` 写企业已入账、对账单上还没有的凭证号（用逗号或空格分隔）；`!` 标记的草稿是"
        "银行已收付、企业尚未补全的凭证，已计入账面余额。",
        "`outstanding` 中的凭证号在账上找不到、或该凭证没有这个银行账户的分录，也报告。",
        "断言记在上级科目（如 `Assets:102-银行存款`）上时，按其全部明细科目合计。",
    ),
    fix=(
        "逐笔核对对账单与银行存款日记账，查明差额：补记漏记的凭证，更正记错的金额；用 "
        "`village-ledger import-bank` 导入对账单可自动勾对并生成余额调节表。"
    ),
)


@rule("VL207", "银行存款余额调节表不平", explain=EXPLAIN_VL207)
def bank_statement_disagrees(model: LedgerModel) -> Iterator[Hit]:
    """A recorded bank statement balance agrees with the books after the outstanding items."""
    for rec in model.figures.reconciliations.statements:
        if rec.agrees or rec.check is None:
            continue
        unknown = ""
        if rec.unknown:
            unknown = f"；outstanding 中的凭证 {'、'.join(rec.unknown)} 在账上没有此账户的分录"
        yield Hit(
            rec.check.meta,
            f"{money_name(rec.account)} {rec.day} 银行存款余额调节表不平：调节后账面余额 "
            f"{fmt_yuan(rec.adjusted_book)} 元，调节后对账单余额 {fmt_yuan(rec.adjusted_bank)} 元"
            f"（对账单余额 {fmt_yuan(rec.statement)} 元），相差 {fmt_yuan(rec.difference)} 元"
            f"{unknown}；应查明原因，补记或更正凭证",
            rec.day,
            amount=abs(rec.difference),
        )


def example_draft(day: str) -> str:
    return f"""\
{day} ! "梅川县农商行" "对账单：转账收入（付款人 黄梅村委会，待查明）"
  voucher: "2025-03-001"
  bank-ref: "20250310-0001"
  receipt: "银行回单"
  Assets:102-银行存款:10201-农商行  1200.00 CNY
  Liabilities:211-应付款

2025-04-09 * "梅川县农商行" "3月份存款利息"
  voucher: "2025-04-001"
  receipt: "银行回单"
  Assets:102-银行存款:10201-农商行  35.20 CNY
  Income:504-其他收入:50401-利息收入

2025-04-01 balance Assets:102-银行存款:10201-农商行  501200.00 CNY
  bank-statement: 501200.00 CNY
"""


EXPLAIN_VL208 = Explanation(
    checks=(
        "未达账项超过“未达账项天数”还没有处理，就预警：银行账户上 `!` 标记的草稿（银行已收付、"
        "企业未补全凭证）到账簿最后记账日已超过天数；或最近一次对账时 `outstanding` 列出的企业已收付、"
        "银行未收付的凭证，到对账单截止日已超过天数。"
    ),
    why=(
        "未达账项本应在几天内自然消失。长期挂着的未达账项，往往是收入未入账、支票被截留或款项被挪用，"
        "检查中常把“对账不及时、帐帐不符”列为村级财务的普遍问题。"
    ),
    compliant=example_draft("2025-03-10"),
    offending=example_draft("2025-03-09"),
    decisions=(
        "草稿按账簿最后一笔交易的日期计算天数，不用今天的日期；恰好等于“未达账项天数”不预警，多一天才预警。",
        "企业已收付、银行未收付的凭证只看每个银行账户最近一次对账，按该次对账单截止日计算天数。",
        "草稿补全为正式凭证（把 `!` 改为 `*`，补齐科目和签字）后不再是未达账项。",
    ),
    fix="查明未达账项的原因：补全银行已收付的凭证，催收或查询企业已付、银行迟迟未付出的款项。",
)


@rule(
    "VL208", "未达账项长期未处理", Severity.WARNING, reads=("未达账项天数",), explain=EXPLAIN_VL208
)
def old_outstanding_items(model: LedgerModel) -> Iterator[Hit]:
    """A 未达账项 is dealt with within 未达账项天数 (drafts by the books' last day, the book
    items of the latest reconciliation by its statement day)."""
    recs = model.figures.reconciliations
    last = recs.books_end
    if last is None:
        return
    limit_on = policy_reader(model, "未达账项天数")
    for item in recs.pending:
        limit = int(limit_on(last))
        age = item.age(last)
        if age > limit:
            side = "银行已收、企业未入账" if item.amount > 0 else "银行已付、企业未入账"
            yield Hit(
                item.meta,
                f"{money_name(item.account)} {item.day} {side}的未达账项 "
                f"{fmt_yuan(abs(item.amount))} 元（{item.text}）至 {last}（账簿最后记账日）已 "
                f"{age} 天仍是 `!` 草稿，超过未达账项天数 {limit} 天，应补全凭证",
                item.day,
                amount=abs(item.amount),
                policy="未达账项天数",
            )
    for rec in recs.latest():
        limit = int(limit_on(rec.day))
        for item in rec.book_only:
            if item.age(rec.day) > limit:
                side = "企业已收、银行未收" if item.amount > 0 else "企业已付、银行未付"
                yield Hit(
                    item.meta,
                    f"凭证 {item.ref}（{item.day}）{side} {fmt_yuan(abs(item.amount))} 元，"
                    f"至 {rec.day} 对账时已 {item.age(rec.day)} 天仍未到账，超过未达账项天数 "
                    f"{limit} 天，应查明原因",
                    item.day,
                    amount=abs(item.amount),
                    policy="未达账项天数",
                )


def example_cash_counted(day: str) -> str:
    return f"""\
2025-03-01 * "周小燕" "库存现金存入银行"
  voucher: "2025-03-001"
  Assets:102-银行存款:10201-农商行  1500.00 CNY
  Assets:101-库存现金

2025-03-31 balance Assets:102-银行存款:10201-农商行  501500.00 CNY
  bank-statement: 501500.00 CNY
{day} balance Assets:101-库存现金  500.00 CNY
  counted-by: "周小燕"
  witness: "赵德明"

2025-04-05 * "梅川县农商行" "3月份存款利息"
  voucher: "2025-04-001"
  receipt: "银行回单"
  Assets:102-银行存款:10201-农商行  35.20 CNY
  Income:504-其他收入:50401-利息收入
"""


EXPLAIN_VL209 = Explanation(
    checks=(
        "库存现金（101）或银行存款（102）账户发生收付后，超过“对账间隔天数”没有余额断言（现金盘点、"
        "银行对账），就预警：从上一次断言后的第一笔收付，到下一次断言的日期，或到账簿最后记账日。"
    ),
    why=(
        "《会计基础工作规范》要求现金日记账日清月结、账款核对，银行存款日记账至少每月与银行对账单核对一次。"
        "检查中“对账不及时，帐帐不符、帐实不符”是村级财务最常见的问题之一。"
    ),
    compliant=example_cash_counted("2025-04-01"),
    offending=example_cash_counted("2025-04-02"),
    decisions=(
        "余额断言（`balance`）就是一次核对：有 `counted-by` 的是现金盘点，有 `bank-statement` 的是银行对账；"
        "记在上级科目上的断言同时核对其全部明细科目。",
        "账户没有收付，余额与上次核对时相同，不必再核对：间隔从上次断言之后的第一笔收付算起。",
        "间隔按日期相减计算：恰好等于“对账间隔天数”不预警，多一天才预警；最后一段算到账簿最后记账日，"
        "不用今天的日期。",
        "预警落在迟到的那条断言上；最后一段没有断言时，落在那段时间的第一笔收付上。",
    ),
    fix="每月末盘点库存现金、取得银行对账单，并记一条余额断言（`village-ledger import-bank` 可自动生成）。",
)


@rule("VL209", "对账不及时", Severity.WARNING, reads=("对账间隔天数",), explain=EXPLAIN_VL209)
def reconciliation_late(model: LedgerModel) -> Iterator[Hit]:
    """A cash or bank account that moved is checked by a `balance` assertion within
    对账间隔天数 of its first movement after the last check."""
    limit_on = policy_reader(model, "对账间隔天数")
    for spell in model.figures.reconciliations.spells():
        limit = int(limit_on(spell.until))
        if spell.days <= limit:
            continue
        name = money_name(spell.account)
        what = "银行对账" if model.chart.get(spell.account).is_bank else "现金盘点"
        if spell.closed_by is not None:
            meta = spell.closed_by.meta
            until = f"到 {spell.until} 才有余额断言"
        else:
            meta = spell.first_move.meta
            until = f"至 {spell.until}（账簿最后记账日）没有余额断言"
        yield Hit(
            meta,
            f"{name} 自 {spell.since} 发生收付后{until}，相隔 {spell.days} 天，超过对账间隔天数 "
            f"{limit} 天，应按时{what}",
            spell.since,
            policy="对账间隔天数",
        )
