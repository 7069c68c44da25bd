"""A small village's contract and asset registers for the report tests (合同台账, 资产台账, the
handover, the overview, the 财务公开's 资产资源发包租赁 and the dashboard page).

Written as another township's accountant might: two assets on one 151 account (so their
depreciation is shared), a resource, an asset sold, a shop lease paid late and in part, a pond
let to a villager (an individual, masked in public) and not paid for 2025, a quarterly lease to
another villager ended early, and a purchase contract paid out. The books run to 2025-06-30.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from beanquery.query import run_query

from tests.support import make_village
from village_ledger.loading import load_ledger
from village_ledger.model import LedgerModel, build_model
from village_ledger.reports.statements import cents

PERSON_POND = "张秀兰"
PERSON_STORE = "欧阳明华"
PEOPLE = (PERSON_POND, PERSON_STORE)

BODY = f"""\
2024-01-01 custom "资产" "ZC-001" "村部临街店面" "房屋" 200000.00 CNY
  location: "村部东侧"
  account: "Assets:151-固定资产:15101-房屋及建筑物"
2024-01-01 custom "资产" "ZC-002" "村集体仓库" "房屋" 100000.00 CNY
  location: "村部西侧"
  account: "Assets:151-固定资产:15101-房屋及建筑物"
2024-01-01 custom "资产" "ZC-003" "东塘鱼塘 12 亩" "水面" 0.00 CNY
  location: "东塘"
2024-01-01 custom "资产" "ZC-004" "旋耕机" "机器设备" 20000.00 CNY
  account: "Assets:151-固定资产:15102-机器设备"

2024-01-02 * "固定资产入账"
  voucher: "2024-01-001"
  Assets:151-固定资产:15101-房屋及建筑物  300000.00 CNY
  Assets:151-固定资产:15102-机器设备  20000.00 CNY
  Equity:301-资本  -320000.00 CNY

2024-01-10 custom "会议决议" "2024-01-村代会-1" "村民代表会议" "鱼塘发包与店面出租" 200000.00 CNY
2024-01-15 custom "合同" "HT-2024-001" "发包" "{PERSON_POND}" "东塘鱼塘 12 亩" 2024-01-15 2028-12-31 4000.00 CNY "年"
  meeting: "2024-01-村代会-1"
  award: "公开竞价"
  due-day: "01-15"
  asset: "ZC-003"
2024-03-01 custom "合同" "HT-2024-002" "租赁" "梅川县好运超市" "村部临街店面 120 平方米" 2024-03-01 2027-02-28 36000.00 CNY "年"
  meeting: "2024-01-村代会-1"
  award: "公开竞价"
  due-day: "03-01"
  asset: "ZC-001"
2024-05-01 custom "合同" "HT-2024-003" "采购" "九池乡农机服务站" "植保无人机维修" 2024-05-01 2024-05-31 12000.00 CNY "一次"
  meeting: "2024-01-村代会-1"
2024-07-01 custom "合同" "HT-2024-004" "租赁" "{PERSON_STORE}" "村集体仓库" 2024-07-01 2026-06-30 3000.00 CNY "季"
  meeting: "2024-01-村代会-1"
  award: "公开竞价"
  asset: "ZC-002"
2025-04-01 custom "合同变更" "HT-2024-004" "终止" "承租人退租"

2024-01-20 * "{PERSON_POND}" "收到东塘鱼塘 2024 年承包费"
  voucher: "2024-01-002"
  receipt: "银行回单"
  contract: "HT-2024-001"
  Assets:102-银行存款:10201-农商行  4000.00 CNY
  Income:501-经营收入:50101-发包收入

2024-02-29 * "计提 2 月折旧"
  voucher: "2024-02-001"
  depreciation: "2024-02"
  Expenses:513-管理费用  600.00 CNY
  Assets:152-累计折旧  -500.00 CNY
    asset: "Assets:151-固定资产:15101-房屋及建筑物"
  Assets:152-累计折旧  -100.00 CNY
    asset: "Assets:151-固定资产:15102-机器设备"

2024-03-05 * "梅川县好运超市" "收到村部店面 2024 年租金"
  voucher: "2024-03-001"
  receipt: "银行回单"
  contract: "HT-2024-002"
  Assets:102-银行存款:10201-农商行  36000.00 CNY
  Income:501-经营收入:50102-租赁收入

2024-05-20 * "九池乡农机服务站" "植保无人机维修款"
  voucher: "2024-05-001"
  handler: "吴志强"
  reviewer: "赵德明"
  approver: "王建国"
  meeting: "2024-01-村代会-1"
  invoice: "24332000000041230001"
  contract: "HT-2024-003"
  Expenses:511-经营支出  12000.00 CNY
  Assets:102-银行存款:10201-农商行

2024-06-01 custom "资产处置" "ZC-004" "出售" 5000.00 CNY
  meeting: "2024-01-村代会-1"
2024-06-01 * "九池乡废旧物资回收站" "出售旋耕机"
  voucher: "2024-06-001"
  receipt: "银行回单"
  Assets:102-银行存款:10201-农商行  5000.00 CNY
  Assets:152-累计折旧  100.00 CNY
    asset: "Assets:151-固定资产:15102-机器设备"
  Assets:151-固定资产:15102-机器设备  -20000.00 CNY
  Expenses:515-其他支出  14900.00 CNY

2024-07-03 * "{PERSON_STORE}" "收到仓库 2024 年第三季度租金"
  voucher: "2024-07-001"
  receipt: "银行回单"
  contract: "HT-2024-004"
  Assets:102-银行存款:10201-农商行  3000.00 CNY
  Income:501-经营收入:50102-租赁收入

2024-10-08 * "{PERSON_STORE}" "收到仓库租金"
  voucher: "2024-10-001"
  receipt: "银行回单"
  contract: "HT-2024-004"
  Assets:102-银行存款:10201-农商行  6000.00 CNY
  Income:501-经营收入:50102-租赁收入

2025-03-10 * "梅川县好运超市" "收到村部店面 2025 年租金（部分）"
  voucher: "2025-03-001"
  receipt: "银行回单"
  contract: "HT-2024-002"
  Assets:102-银行存款:10201-农商行  20000.00 CNY
  Income:501-经营收入:50102-租赁收入

2025-06-30 * "农商行" "第二季度存款利息"
  voucher: "2025-06-001"
  receipt: "银行回单"
  Assets:102-银行存款:10201-农商行  12.50 CNY
  Income:504-其他收入
"""


def write(root: Path, name: str = "testcun") -> Path:
    return make_village(root, BODY, name=name)


def model_of(main: Path) -> LedgerModel:
    loaded = load_ledger(main)
    assert not loaded.errors, loaded.errors
    return build_model(loaded.entries, loaded.options)


MONEY = "^Assets:10[12]"


def bq_money(main: Path, contract: str, first: date, last: date) -> int:
    """What came into (or left) cash and bank under `contract` between the days, in 分,
    as beanquery sums the vouchers' postings."""
    loaded = load_ledger(main)
    _, rows = run_query(
        loaded.entries,
        loaded.options,
        f"SELECT sum(number) WHERE account ~ '{MONEY}' AND entry_meta('contract') = '{contract}'"
        f" AND date >= {first} AND date <= {last}",
    )
    total = rows[0][0] if rows else None
    return cents(total) if total is not None else 0
