"""Writes docs/examples/huangmei-2026Q4-vouchers.xlsx: the sample village 黄梅村's fourth
quarter of 2026 as its accountant fills in the 记账凭证录入 workbook (the README's example).

    .venv/bin/python scripts/voucher_example.py

The vouchers are typed the way an accountant types them: no 凭证号 (the import numbers them),
accounts by code. tests/test_readme.py imports the file into a copy of the sample township.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from village_ledger.audit import audit
from village_ledger.voucher_sheet import Line, Voucher
from village_ledger.voucher_template import write_template

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "examples" / "huangmei-2026Q4-vouchers.xlsx"

BANK = "Assets:102-银行存款:10201-农商行"
CASH = "Assets:101-库存现金"
SHOP_RENT = "Income:501-经营收入:50102-租赁收入:5010202-门面租赁"
PLANT_RENT = "Income:501-经营收入:50102-租赁收入:5010201-厂房租赁"
POWER = "Expenses:513-管理费用:51305-水电费"
OFFICE = "Expenses:513-管理费用:51302-办公费"
CADRE_PAY = "Expenses:513-管理费用:51301-干部报酬"
CLEANING = "Expenses:514-公益支出:51403-环境卫生"
FEES = "Expenses:513-管理费用:51308-其他管理费用"
INTEREST = "Income:504-其他收入:50401-利息收入"

# the month's electricity, water and telephone bills (元), and the invoices' last digits
BILLS = {10: ("712.36", "181.20", "199.00"), 11: ("768.05", "176.40", "199.00"),
         12: ("845.90", "183.60", "199.00")}  # fmt: skip


def pay(
    day: date, payee: str, narration: str, account: str, amount: str, **meta: str | int
) -> Voucher:
    yuan = Decimal(amount)
    return Voucher(
        day, narration, payee, (Line(account, yuan), Line(BANK, -yuan)), tuple(meta.items())
    )


def month(number: int, receipt: int) -> list[Voucher]:
    power, water, phone = BILLS[number]
    first = date(2026, number, 3)
    signed = {"handler": "方丽娟", "reviewer": "李桂芳", "approver": "黄志远"}
    by_bank = {"handler": "方丽娟", "reviewer": "程正平", "approver": "黄德明"}
    rents = [
        Voucher(
            first,
            f"收到个体户程永福（村部门面一号）{number}月份门面租金（现金）",
            "个体户程永福（村部门面一号）",
            (Line(CASH, Decimal(800)), Line(SHOP_RENT, Decimal(-800))),
            (("handler", "方丽娟"), ("receipt", "收款收据"), ("receipt-no", f"{receipt:07d}"),
             ("contract", "HT-2024-001")),
        ),
        Voucher(
            date(2026, number, 4),
            f"收到个体户汪小军（村部门面二号）{number}月份门面租金",
            "个体户汪小军（村部门面二号）",
            (Line(BANK, Decimal(800)), Line(SHOP_RENT, Decimal(-800))),
            (("handler", "方丽娟"), ("receipt", "收款收据"), ("receipt-no", f"{receipt + 1:07d}"),
             ("contract", "HT-2024-002")),
        ),
    ]  # fmt: skip
    if number == 10:
        rents.append(
            Voucher(
                date(2026, 10, 12),
                "收到黄梅村兴农食品有限公司2026年第4季度厂房租金",
                "黄梅村兴农食品有限公司",
                (Line(BANK, Decimal(15000)), Line(PLANT_RENT, Decimal(-15000))),
                (("handler", "方丽娟"), ("receipt", "收款收据"),
                 ("receipt-no", f"{receipt + 2:07d}"), ("contract", "HT-2023-001")),
            )
        )  # fmt: skip
    return [
        *rents,
        Voucher(
            date(2026, number, 4),
            f"将{number}月3日现金收入存入银行",
            "",
            (Line(BANK, Decimal(800)), Line(CASH, Decimal(-800))),
            (("handler", "方丽娟"), ("receipt", "银行回单")),
        ),
        pay(date(2026, number, 7), "国网梅川县供电公司", f"缴纳{number}月份村部及路灯电费", POWER,
            power, attachments=2, **by_bank, invoice=f"263651149400231{number:02d}001",
            **{"invoice-date": f"2026-{number:02d}-06"}),
        pay(date(2026, number, 9), "梅川县自来水有限公司", f"缴纳{number}月份村部水费", POWER,
            water, attachments=1, **by_bank, invoice=f"263651149400231{number:02d}002",
            **{"invoice-date": f"2026-{number:02d}-08"}),
        pay(date(2026, number, 14), "村两委干部", f"发放{number}月份村干部基本报酬", CADRE_PAY,
            "9600.00", attachments=1, **signed, meeting="2026-01-村代会-1", receipt="工资表"),
        pay(date(2026, number, 15), "陈桂兰", f"支付{number}月份村庄保洁员工资", CLEANING,
            "1600.00", attachments=1, handler="方丽娟", reviewer="汪秋菊", approver="黄志远",
            receipt="工资表"),
        pay(date(2026, number, 16), "中国电信梅川县分公司", f"缴纳{number}月份村部宽带及电话费",
            OFFICE, phone, attachments=1, **signed, invoice=f"263651149400231{number:02d}003",
            **{"invoice-date": f"2026-{number:02d}-16"}),
        pay(date(2026, number, 25), "梅川县农村商业银行", f"{number}月份银行账户管理费及转账手续费",
            FEES, "15.00", **by_bank, receipt="银行回单"),
    ]  # fmt: skip


def quarter() -> list[Voucher]:
    vouchers = month(10, 2864) + month(11, 2867) + month(12, 2869)
    interest = Voucher(
        date(2026, 12, 21),
        "12月结息",
        "梅川县农村商业银行",
        (Line(BANK, Decimal("368.12")), Line(INTEREST, Decimal("-368.12"))),
        (("handler", "方丽娟"), ("receipt", "银行回单")),
    )
    return [*vouchers, interest]


def main() -> None:
    model = audit([REPO / "ledgers" / "huangmei"]).villages[0].model
    assert model is not None
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_template(model, OUT, date(2026, 10, 1), quarter())
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
