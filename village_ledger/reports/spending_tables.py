"""重点支出 and 专项资金: the spending villagers watch, each table read from the model's figures
where a rule judges the same money (receptions, resolutions, special funds), so the sheet and
`check` never disagree; cadre pay and travel are listed voucher by voucher.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import pandas as pd

from village_ledger.model import LedgerModel, Period
from village_ledger.model.cadre_pay import PAY_KINDS
from village_ledger.model.process import LOWEST_TIER, Basis, chains
from village_ledger.model.receptions import EntertainmentYear
from village_ledger.model.running import text_of
from village_ledger.reports.statements import Books, cents, yuan_display
from village_ledger.reports.tables import Column, Table, frame

# --- 重点支出 ---------------------------------------------------------------------------

RECEPTION_COLUMNS = (
    Column("date", "日期", "date"),
    Column("voucher", "凭证号", width=2.4),
    Column("guest_org", "来客单位", width=2.6),
    Column("guests", "来客人数", "int", width=1.3),
    Column("hosts", "陪同人数", "int", width=1.3),
    Column("amount", "金额", "amount"),
    Column("ytd", "本年累计", "amount"),
    Column("cap", "年度限额", "amount"),
    Column("over", "超限", width=1.0),
)


def _category_postings(
    books: Books, categories: Iterable[str], first: date, last: date
) -> pd.DataFrame:
    wanted = books.accounts.index[books.accounts["category"].isin(tuple(categories))]
    window = books.window(first, last)
    return window[window["account"].isin(wanted)]


def entertainment_table(model: LedgerModel, period: Period) -> tuple[Table, EntertainmentYear]:
    """The receptions of `period`, each with its year's running total against the cap in
    force that day, as the entertainment rules (VL401, VL405) count them; and the year."""
    year = model.figures.entertainment(period.last.year, period.last)
    records = [
        {
            "date": figure.day,
            "voucher": text_of(figure.reception.meta, "voucher") or "",
            "guest_org": figure.reception.org or (figure.reception.entry.payee or "").strip(),
            "guests": figure.reception.guests,
            "hosts": figure.reception.hosts if figure.reception.hosts_written is not None else None,
            "amount": cents(figure.reception.amount),
            "ytd": cents(figure.year_total),
            "cap": cents(figure.cap),
            "over": "是" if figure.year_total > figure.cap else "",
        }
        for figure in year.within(period)
    ]
    rows = frame(records, RECEPTION_COLUMNS)
    totals = [{"date": None, "guest_org": "本季合计", "amount": int(rows["amount"].sum())}]
    total, cap, left = cents(year.total), cents(year.cap), cents(year.left)
    note = f"本年累计 {yuan_display(total)} 元，年度限额 {yuan_display(cap)} 元，" + (
        f"尚余 {yuan_display(left)} 元。" if left >= 0 else f"超出 {yuan_display(-left)} 元。"
    )
    if year.warned and not year.over:
        note += f"已达预警线 {yuan_display(cents(year.mark))} 元。"
    return Table("reception", "招待费", RECEPTION_COLUMNS, rows, totals, note), year


CADRE_COLUMNS = (
    Column("date", "日期", "date"),
    Column("voucher", "凭证号", width=2.4),
    Column("payee", "对方单位/个人"),
    Column("narration", "摘要", width=3.0),
    Column("accounts", "科目", width=2.6),
    Column("charged", "列支金额", "amount"),
    Column("paid", "支付金额", "amount"),
)


def _category_vouchers(
    books: Books, categories: tuple[str, ...], period: Period
) -> Iterator[tuple[dict[str, Any], pd.Series, pd.DataFrame]]:
    """Each transaction of the period with postings on accounts of `categories`, in order: the
    start of its record (date, voucher, payee, narration), its row of `books.txns` and those
    postings."""
    postings = books.with_info(_category_postings(books, categories, period.first, period.last))
    for txn, group in postings.groupby("txn", sort=True):
        row = books.txns.loc[txn]
        head = {
            "date": row["date"],
            "voucher": row["voucher"],
            "payee": row["payee"],
            "narration": row["narration"],
        }
        yield head, row, group


def cadre_table(books: Books, period: Period) -> Table:
    records = [
        {
            **head,
            "accounts": "、".join(dict.fromkeys(group["name"])),
            "charged": int(group[group["root"] == "Expenses"]["cents"].sum()),
            "paid": max(-int(row["money"]), 0),
        }
        for head, row, group in _category_vouchers(books, ("干部报酬",), period)
    ]
    rows = frame(records, CADRE_COLUMNS)
    totals = [
        {
            "narration": "本季合计",
            "charged": int(rows["charged"].sum()) if records else 0,
            "paid": int(rows["paid"].sum()) if records else 0,
        }
    ]
    note = (
        "列支金额为计入干部报酬、误工补贴等科目的金额；支付金额为该笔业务从现金、银行付出的金额。"
    )
    return Table("cadre", "干部报酬与补贴", CADRE_COLUMNS, rows, totals, note)


PAY_COLUMNS = (
    Column("person", "姓名", width=2.0),
    Column("roles", "职务", width=1.6),
    *(Column(f"k{index}", kind, "amount") for index, kind in enumerate(PAY_KINDS)),
    Column("total", "合计", "amount"),
)


def cadre_pay_table(model: LedgerModel, period: Period) -> Table:
    """Cadre pay of `period` by person and kind: 基本报酬, 奖金, 补助, 加班费, 过节费."""
    people: dict[str, dict[str, Any]] = {}
    for pay in model.figures.cadre_pay(period):
        record = people.setdefault(
            pay.person,
            {"person": pay.person, "roles": pay.roles, **{c.key: 0 for c in PAY_COLUMNS[2:]}},
        )
        record["roles"] = record["roles"] or pay.roles
        record[f"k{PAY_KINDS.index(pay.kind)}"] += cents(pay.amount)
        record["total"] += cents(pay.amount)
    records = list(people.values())
    keys = [c.key for c in PAY_COLUMNS[2:]]
    totals = [{"person": "本季合计", **{k: sum(int(r[k]) for r in records) for k in keys}}]
    note = (
        "计入干部报酬类科目的金额，按领取人和项目（基本报酬、奖金、补助、加班费、过节费）列示；"
        "凭证未逐人列明的，按对方单位/个人列示。"
    )
    table = Table(
        "cadre_pay", "干部报酬（按人）", PAY_COLUMNS, frame(records, PAY_COLUMNS), totals, note
    )
    table.empty = "本季度没有干部报酬支出"
    return table


TRAVEL_COLUMNS = (
    Column("date", "日期", "date"),
    Column("voucher", "凭证号", width=2.4),
    Column("payee", "对方单位/个人"),
    Column("narration", "摘要", width=3.2),
    Column("kind", "类别", width=1.2),
    Column("amount", "金额", "amount"),
)


# travel, vehicles bought and vehicles' running costs (fuel, repairs, insurance, tolls)
TRAVEL_CATEGORIES = ("差旅费", "车辆", "车辆费用")


def travel_table(books: Books, period: Period) -> Table:
    records = [
        {
            **head,
            "kind": "、".join(dict.fromkeys(group["category"])),
            "amount": int(group["cents"].sum()),
        }
        for head, _, group in _category_vouchers(books, TRAVEL_CATEGORIES, period)
    ]
    rows = frame(records, TRAVEL_COLUMNS)
    total = int(rows["amount"].sum()) if records else 0
    totals = [{"narration": "本季合计", "amount": total}]
    return Table("travel", "差旅与车辆", TRAVEL_COLUMNS, rows, totals)


MEETING_COLUMNS = (
    Column("id", "决议编号", width=2.0),
    Column("date", "决议日期", "date"),
    Column("body", "会议", width=1.6),
    Column("subject", "事项", width=2.4),
    Column("approved", "批准金额", "amount"),
    Column("quarter", "本季支出", "amount"),
    Column("spent", "累计支出", "amount"),
    Column("left", "结余", "amount"),
    Column("over", "超支", width=1.0),
)


def meetings_table(model: LedgerModel, period: Period) -> Table:
    """The resolutions made in `period` or with spending in it, against their amounts, as the
    resolution rule (VL105) counts the spending."""
    resolutions = model.figures.resolutions
    records = []
    for meeting in model.meetings:
        in_period = resolutions.spent_in(meeting.id, period)
        made = period.contains(meeting.day)
        if not made and not any(
            period.contains(use.day) for use in resolutions.uses_of(meeting.id)
        ):
            continue
        approved = cents(meeting.amount)
        total = cents(resolutions.spent(meeting.id, period.last))
        records.append(
            {
                "id": meeting.id,
                "date": meeting.day,
                "body": meeting.body,
                "subject": meeting.subject,
                "approved": approved,
                "quarter": cents(in_period),
                "spent": total,
                "left": approved - total,
                "over": "是" if total > approved else "",
            }
        )
    rows = frame(records, MEETING_COLUMNS)
    totals = [{"subject": "本季合计", "quarter": int(rows["quarter"].sum()) if records else 0}]
    note = "列出本季度作出或本季度有支出的会议决议；支出按凭证上注明该决议编号的付款计算。"
    return Table("meetings", "会议决议事项支出", MEETING_COLUMNS, rows, totals, note)


# --- 过程公开 ---------------------------------------------------------------------------

PROCESS_COLUMNS = (
    Column("date", "日期", "date", width=1.6),
    Column("voucher", "凭证号", width=1.8),
    Column("narration", "事项", width=3.4),
    Column("amount", "金额", "amount", width=1.6),
    Column("handler", "经手人", width=2.2),
    Column("reviewer", "审核人", width=2.2),
    Column("approver", "审批人", width=2.2),
    Column("resolution", "所依据的决议", width=4.6),
    Column("approved", "批准金额", "amount", width=1.7),
    Column("through", "至本笔累计支出", "amount", width=1.7),
    Column("spent", "截至季末累计支出", "amount", width=1.7),
)
NO_RESOLUTION = "无决议"


def resolution_text(basis: Basis | None) -> str:
    """The resolution as a villager reads it: body, date, subject and its number."""
    if basis is None:
        return NO_RESOLUTION
    meeting = basis.meeting
    if meeting is None:
        return f"所引决议“{basis.id}”在账簿中没有记载"
    return f"{meeting.body} {meeting.day}：{meeting.subject}（{meeting.id}）"


def process_table(model: LedgerModel, period: Period) -> Table:
    """过程公开: each 重点支出 of `period`, each payment citing a resolution and each reaching
    the 两委联席会议 tier, with its 经手人, 审核人 and 审批人 (their roles that day) and the
    resolution it rests on, as `model.process.chains` finds them."""
    records = []
    for chain in chains(model, period):
        basis = chain.basis
        meeting = basis.meeting if basis is not None else None
        handler, reviewer, approver = (signer.shown for signer in chain.signers)
        records.append(
            {
                "date": chain.day,
                "voucher": chain.voucher,
                "narration": (chain.entry.narration or "").strip(),
                "amount": cents(chain.amount),
                "handler": handler,
                "reviewer": reviewer,
                "approver": approver,
                "resolution": resolution_text(basis),
                "approved": cents(meeting.amount) if meeting is not None else None,
                "through": cents(basis.through) if basis is not None else None,
                "spent": cents(basis.total) if basis is not None else None,
            }
        )
    threshold = yuan_display(cents(model.policy.value(LOWEST_TIER.key, period.last)))
    note = (
        "列出本季度每笔招待费、干部报酬、差旅与车辆支出，注明会议决议的付款，以及达到"
        f"{LOWEST_TIER.name()}限额（{threshold} 元）的付款。经手人、审核人、审批人后括号内是其在"
        "凭证日期所任职务，当日不任职的写“无职务”。“至本笔累计支出”是截至该笔（含）引用同一决议的"
        "付款合计，“截至季末累计支出”是截至本季度末的合计；报销冲抵借支等不付出资金的凭证不计入决议支出。"
    )
    rows = frame(records, PROCESS_COLUMNS)
    table = Table("process", "过程公开（经手、审核、审批与决议）", PROCESS_COLUMNS, rows, [], note)
    table.empty = "本季度没有须公开审批过程的支出"
    return table


# --- 专项资金 ---------------------------------------------------------------------------

FUND_COLUMNS = (
    Column("project", "项目"),
    Column("received_q", "本季拨入", "amount"),
    Column("spent_q", "本季支出", "amount"),
    Column("received", "累计拨入", "amount"),
    Column("spent", "累计支出", "amount"),
    Column("left", "结余", "amount"),
)


def funds_table(model: LedgerModel, period: Period) -> Table:
    """Each project's money in and out over `period` and since the books began, as the
    special-fund rule (VL501) counts it."""
    records = [
        {
            "project": line.project,
            "received_q": cents(line.received_in),
            "spent_q": cents(line.spent_in),
            "received": cents(line.received),
            "spent": cents(line.spent),
            "left": cents(line.remaining),
        }
        for line in model.figures.funds.lines(period)
    ]
    rows = frame(records, FUND_COLUMNS)
    keys = ("received_q", "spent_q", "received", "spent", "left")
    totals = [{"project": "合计", **{k: int(rows[k].sum()) if records else 0 for k in keys}}]
    note = (
        "拨入为专项应付款、一事一议资金明细科目的贷方发生额；支出为注明该项目的付款，"
        "经应付款挂账的工程款在挂账时计入，付款时不重复计算。"
    )
    return Table("funds", "专项资金收支", FUND_COLUMNS, rows, totals, note)
