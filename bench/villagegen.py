"""A deterministic generator of realistic village books in the village-ledger contract.

The books it writes are what a careful township accountant following the rules of
the rule catalogue (docs/zh/rule-catalogue.md) would keep: every payment carries a voucher number, handler, reviewer and an
approver in office that day, an invoice or an accepted receipt, a meeting resolution at the
tiers; cash stays within its limits; personal advances are settled in time; the special fund
is spent on its project only.

Used three ways:

- `python bench/villagegen.py --sample ledgers` rewrites the sample township's villages
  (`ledgers/huangmei`, clean, and `ledgers/taibai`, with the planted problems of `PLANTED`);
- `bench/generate.py` writes one large village of a chosen size for the benchmark;
- tests may import `generate_village` to build books of their own.

Everything is driven by one `random.Random(seed)`: the same spec writes the same bytes.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from village_ledger.columns import display_width
from village_ledger.model.policy import ITEMS as POLICY_ITEMS

REPO = Path(__file__).resolve().parent.parent
TOWNSHIP = REPO / "ledgers" / "township"

CENT = Decimal("0.01")
ZERO = Decimal(0)


DEPRECIATION_EXPENSE = "Expenses:513-管理费用"
ACCUMULATED = "Assets:152-累计折旧"
DEFAULT_SALVAGE = Decimal("0.05")


def depreciation_terms() -> dict[str, tuple[int, Decimal]]:
    """The township chart's fixed-asset accounts that depreciate: life in years, salvage rate."""
    from beancount.core import data
    from beancount.parser import parser

    entries, _, _ = parser.parse_file(str(TOWNSHIP / "chart.beancount"))
    terms = {}
    for entry in entries:
        if isinstance(entry, data.Open) and "life-years" in entry.meta:
            if entry.meta.get("depreciate") is False:
                continue
            salvage = Decimal(str(entry.meta.get("salvage-rate", DEFAULT_SALVAGE)))
            terms[entry.account] = (int(entry.meta["life-years"]), salvage)
    return terms


def limit(key: str) -> Any:
    """A policy item's default, the township's ceiling where it sets none; the sample township's
    policy file (ledgers/township/policy.beancount) states the same values."""
    return POLICY_ITEMS[key].default


# the generator stays well inside the policy
CASH_PAYMENT_LIMIT = limit("现金支付限额")
CASH_ON_HAND_LIMIT = limit("库存现金限额")
# no two payments to one payee within the split-payment window, with two days to spare
PAYEE_GAP_DAYS = limit("拆分支付窗口天数") + 2
# receptions stop 200 元 short of the warning line (招待费预警比例 of 招待费年度限额)
ENTERTAINMENT_BUDGET = limit("招待费年度限额") * limit("招待费预警比例") - 200
# an advance is settled within 8 to 24 days (a few more to reach a workday), well inside this
ADVANCE_DAYS = limit("借支期限天数")
# a reception stays 20 元 under 招待费单次限额 and 12 元 a head under 招待费人均限额
RECEPTION_MAX = limit("招待费单次限额") - 20
HEAD_MAX = int(limit("招待费人均限额")) - 12
CASH_FLOAT = Decimal(3000)

CASH = "Assets:101-库存现金"
BANK = "Assets:102-银行存款:10201-农商行"
BANK2 = "Assets:102-银行存款:10202-邮储银行"
ADVANCES = "Assets:112-应收款:11201-个人借支"
WIP = "Assets:153-在建工程:15301-村道硬化工程"
FIXED_INFRA = "Assets:151-固定资产:15104-农业基础设施"
FIXED_EQUIP = "Assets:151-固定资产:15102-机器设备"
FUND = "Liabilities:241-专项应付款:24101-村道硬化"
RESERVE = "Equity:311-公积公益金"
CAPITAL = "Equity:301-资本"
PROJECT = "村道硬化"

INC_FARMLAND = "Income:501-经营收入:50101-发包收入:5010101-耕地发包"
INC_POND = "Income:501-经营收入:50101-发包收入:5010102-鱼塘发包"
INC_PLANT = "Income:501-经营收入:50102-租赁收入:5010201-厂房租赁"
INC_SHOP = "Income:501-经营收入:50102-租赁收入:5010202-门面租赁"
INC_TRANSFER = "Income:503-补助收入:50301-转移支付"
INC_RUNNING = "Income:503-补助收入:50302-运转经费补助"
INC_INTEREST = "Income:504-其他收入:50401-利息收入"
INC_SERVICE = "Income:501-经营收入:50103-服务收入"

# The bench turns the monthly activity up `scale` times, but a village's contracts do not grow
# with its vouchers: a large village still lets its farmland and pond, a few 厂房 and a row of
# 门面, and lets 零星耕地 one-off now and then. So at most MAX_PLANTS 厂房 and MAX_SHOPS 门面
# leases, and one one-off letting a month in ONE_OFF_MONTHS; the receipts more leases and
# lettings would have brought are service fees (机耕、灌溉), which need no contract, so a
# month holds as many vouchers as before.
MAX_PLANTS = 6
MAX_SHOPS = 24
ONE_OFF_MONTHS = range(2, 8)  # February to July

EXP_PAY = "Expenses:513-管理费用:51301-干部报酬"
EXP_OFFICE = "Expenses:513-管理费用:51302-办公费"
EXP_RECEPTION = "Expenses:513-管理费用:51303-招待费"
EXP_TRAVEL = "Expenses:513-管理费用:51304-差旅费"
EXP_UTILITIES = "Expenses:513-管理费用:51305-水电费"
EXP_MEETING = "Expenses:513-管理费用:51306-会议费"
EXP_ALLOWANCE = "Expenses:513-管理费用:51307-误工补贴"
EXP_OTHER_ADMIN = "Expenses:513-管理费用:51308-其他管理费用"
EXP_UPKEEP = "Expenses:514-公益支出:51402-公共设施维护"
EXP_SANITATION = "Expenses:514-公益支出:51403-环境卫生"
EXP_CULTURE = "Expenses:514-公益支出:51404-文化活动"

COUNTY = "梅川县"
TOWNSHIP_NAME = "九池乡"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊白孟秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国志强秀英桂兰国华明德永福春生丽娟海涛玉兰立军晓东美华淑芬国栋德胜秋菊正平文斌红英伟平金凤小燕建华长青宏亮家兴翠花振华光明福生雪梅月娥德全少华宝山爱民冬梅新民桂芳水生彩霞荣华德旺"


def yuan(value: float | int | str | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def fmt(amount: Decimal) -> str:
    return f"{amount:.2f}"


# ---------------------------------------------------------------------------------------------
# the roster


@dataclass(frozen=True)
class Term:
    person: str
    role: str
    start: date
    end: date | None = None  # first day no longer held

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass
class Roster:
    terms: list[Term]
    relatives: list[tuple[str, str, str]] = field(default_factory=list)

    def holders(self, role: str, day: date) -> list[str]:
        return [t.person for t in self.terms if t.role == role and t.covers(day)]

    def holder(self, role: str, day: date) -> str:
        people = self.holders(role, day)
        if not people:
            raise ValueError(f"nobody holds {role} on {day}")
        return people[0]

    def related(self, a: str, b: str) -> bool:
        return any({a, b} == {x, y} for x, y, _ in self.relatives)


# ---------------------------------------------------------------------------------------------
# the village spec


@dataclass
class VillageSpec:
    slug: str
    title: str
    short: str  # 黄梅村
    seed: int
    roster: Roster
    start: date = date(2025, 1, 1)
    end: date = date(2026, 9, 30)
    scale: int = 1  # how many times the repeating monthly activity happens (bench)
    plugin: bool = True
    opening_bank: Decimal = Decimal("380000.00")
    opening_bank2: Decimal | None = None  # a second account for the special fund
    opening_cash: Decimal = Decimal("1500.00")
    fund_amount: Decimal = Decimal("150000.00")  # 村道硬化 special fund
    road_contract: tuple[Decimal, ...] = (
        Decimal("45000.00"),
        Decimal("60000.00"),
        Decimal("42800.00"),
    )
    pay_monthly: Decimal = Decimal("9600.00")
    cleaner: str = "陈桂兰"
    plant_tenant: str = "黄梅村兴农食品有限公司"
    plant_rent: Decimal = Decimal("15000.00")  # a quarter
    shop_tenants: tuple[str, ...] = ("黄梅村个体户程永福",)
    shop_rent: Decimal = Decimal("800.00")  # a month, in cash
    farmers: tuple[tuple[str, Decimal], ...] = ()  # 承包户 and their yearly fee
    pond: tuple[str, Decimal] | None = None
    advancers: tuple[str, ...] = ()  # cadres who take personal advances
    planted: tuple[str, ...] = ()  # codes of PLANTED problems to plant
    target_transactions: int | None = None  # bench: stop adding months once reached
    county: str = COUNTY


# ---------------------------------------------------------------------------------------------
# transactions as the generator plans them


@dataclass
class Txn:
    day: date
    payee: str
    narration: str
    postings: list[tuple[str, Decimal]]
    meta: dict[str, object]
    order: int = 2  # within a day: 0 deposit, 1 withdrawal, 2 payment, 3 other, 4 income
    note: str | None = None  # a planted problem's comment line
    receipt_book: bool = False  # takes the next number of the 收款收据 book
    seq: int = 0
    posting_meta: dict[int, dict[str, object]] = field(default_factory=dict)  # by posting index

    def delta(self, account: str) -> Decimal:
        return sum((a for acc, a in self.postings if acc == account), ZERO)


@dataclass
class Resolution:
    ident: str
    day: date
    body: str
    subject: str
    amount: Decimal
    spent: Decimal = ZERO


@dataclass
class Generated:
    spec: VillageSpec
    txns: list[Txn]
    resolutions: list[Resolution]
    opens: list[tuple[str, str, dict[str, str]]]
    balances: list[tuple[date, str, Decimal]]
    planted: dict[str, Txn]
    # 合同 and 资产 directives: (day, text), written into the year files by day
    registers: list[tuple[date, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# the generator


class VillageGenerator:
    def __init__(self, spec: VillageSpec, used_invoices: set[str] | None = None) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.roster = spec.roster
        self.txns: list[Txn] = []
        self.resolutions: list[Resolution] = []
        self.used_invoices = used_invoices if used_invoices is not None else set()
        self.payee_days: dict[str, list[date]] = defaultdict(list)
        self.meeting_counter: dict[tuple[int, int, str], int] = defaultdict(int)
        self.entertainment: dict[int, Decimal] = defaultdict(lambda: ZERO)
        self.advance_busy: dict[str, list[tuple[date, date]]] = defaultdict(list)
        self.planted: dict[str, Txn] = {}
        self.seq = 0
        self.bank_for_fund = BANK2 if spec.opening_bank2 is not None else BANK
        self.stores = self._pool(["兴旺文具店", "便民超市", "华联超市", "星火印务"], spec.scale)
        self.hardware = self._pool(["永安建材店", "红星五金店", "明亮灯具店"], spec.scale)
        self.restaurants = [
            f"{TOWNSHIP_NAME}老街农家菜馆",
            f"{TOWNSHIP_NAME}荷塘饭庄",
            f"{TOWNSHIP_NAME}政府食堂",
        ]
        self.labourers = [self.person_name() for _ in range(6 * spec.scale)]
        self.contractors = self._pool(["水电安装队", "建筑维修队", "园林绿化队"], spec.scale)
        self.shop_tenants = list(spec.shop_tenants) + [
            f"个体户{self.person_name()}（{spec.short}门面{i + 1}号）"
            for i in range(len(spec.shop_tenants), min(max(1, spec.scale // 2), MAX_SHOPS))
        ]
        self.month_cash_budget: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
        # the contract and asset registers (三资): every lease and letting under a 合同, every
        # fixed asset bought registered as a 资产, so that VL7xx finds nothing
        self.registers: list[tuple[date, str]] = []
        self.contracts: dict[tuple[str, str, int], str] = {}
        self.letting_resolutions: dict[int, Resolution] = {}
        self.assets = 0

    # ---- names and numbers

    def person_name(self) -> str:
        given = self.rng.randrange(0, len(GIVEN) // 2)
        return self.rng.choice(SURNAMES) + GIVEN[2 * given : 2 * given + 2]

    def _pool(self, kinds: Sequence[str], scale: int) -> list[str]:
        names = []
        for i in range(max(1, scale)):
            for kind in kinds:
                prefix = (
                    TOWNSHIP_NAME if i == 0 else f"{TOWNSHIP_NAME}{self.rng.choice(SURNAMES)}记"
                )
                name = prefix + kind
                if i > 1:
                    name = f"{prefix}{kind}（{i}号店）"
                names.append(name)
        return list(dict.fromkeys(names))

    def invoice(self, day: date, old_style: bool | None = None) -> tuple[str, date]:
        """A fresh invoice number and its date, a few days before `day`."""
        if old_style is None:
            old_style = self.rng.random() < 0.15
        issued = day - timedelta(days=self.rng.choice([0, 0, 1, 1, 2, 3, 5, 7]))
        while True:
            if old_style:
                code = f"0{self.rng.choice(['36', '33', '32'])}00{issued.year % 100:02d}"
                code += f"{self.rng.randrange(10**5):05d}"
                if self.rng.random() < 0.3:
                    code = code[:10]
                number = f"{code}-{self.rng.randrange(10**8):08d}"
            else:
                number = f"{issued.year % 100:02d}36{self.rng.randrange(10**16):016d}"
            if number not in self.used_invoices:
                self.used_invoices.add(number)
                return number, issued

    # ---- dates

    @staticmethod
    def workday(day: date) -> date:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    def in_range(self, day: date) -> bool:
        return self.spec.start <= day <= self.spec.end

    def payee_free(self, payee: str, day: date) -> bool:
        days = self.payee_days.get(payee, [])
        i = bisect_left(days, day - timedelta(days=PAYEE_GAP_DAYS - 1))
        return not (i < len(days) and days[i] <= day + timedelta(days=PAYEE_GAP_DAYS - 1))

    def free_day(self, payee: str, day: date, latest: date | None = None) -> date | None:
        """The first workday from `day` on which `payee` may be paid without looking split."""
        latest = latest or min(self.spec.end, day + timedelta(days=40))
        day = self.workday(day)
        while day <= latest:
            if self.payee_free(payee, day):
                return day
            day = self.workday(day + timedelta(days=1))
        return None

    def pick_payee(self, pool: Sequence[str], day: date) -> tuple[str, date] | None:
        if len(pool) <= 32:
            candidates = list(pool)
            self.rng.shuffle(candidates)
        else:  # a large pool (bench): a few random tries, then the rest from a random start
            start = self.rng.randrange(len(pool))
            tries = [pool[self.rng.randrange(len(pool))] for _ in range(6)]
            candidates = tries + list(pool[start:]) + list(pool[:start])
        for payee in candidates:
            if self.payee_free(payee, day):
                return payee, day
        for payee in candidates:
            found = self.free_day(payee, day, min(self.spec.end, day + timedelta(days=12)))
            if found:
                return payee, found
        return None

    # ---- people on a payment

    def handlers(self, day: date) -> list[str]:
        people = []
        for role in ("报账员", "出纳", "副主任", "委员"):
            people += self.roster.holders(role, day)
        return list(dict.fromkeys(people))

    def approve(
        self,
        day: date,
        handler: str,
        payee: str = "",
        approver: str | None = None,
        reviewer: bool = True,
    ) -> dict[str, object]:
        if approver is None:
            candidates = [
                p
                for role in ("书记", "主任")
                for p in self.roster.holders(role, day)
                if p not in (handler, payee)
            ]
            approver = self.rng.choice(candidates)
        meta: dict[str, object] = {"handler": handler}
        if reviewer:
            reviewers = [
                p
                for role in ("监委会主任", "监委会委员", "理财小组")
                for p in self.roster.holders(role, day)
                if p not in (handler, approver, payee)
                and not self.roster.related(p, handler)
                and not self.roster.related(p, approver)
            ]
            meta["reviewer"] = self.rng.choice(sorted(set(reviewers)))
        meta["approver"] = approver
        return meta

    def resolve(self, day: date, body: str, subject: str, amount: Decimal) -> Resolution:
        short = {"两委联席会议": "联席", "村民代表会议": "村代会", "村民会议": "村民会"}[body]
        key = (day.year, day.month, short)
        self.meeting_counter[key] += 1
        ident = f"{day.year}-{day.month:02d}-{short}-{self.meeting_counter[key]}"
        resolution = Resolution(ident, day, body, subject, amount)
        self.resolutions.append(resolution)
        return resolution

    # ---- the contract and asset registers

    def register_asset(self, day: date, narration: str, account: str, cost: Decimal) -> None:
        self.assets += 1
        name = narration.removeprefix("支付").removesuffix("款").removesuffix("购置")
        kind = "建筑物" if account == FIXED_INFRA else "机器设备"
        self.registers.append((day, (
            f'{day} custom "资产" "ZC-{self.assets:04d}" "{name}" "{kind}" {fmt(cost)} CNY\n'
            f'  account: "{account}"'
        )))  # fmt: skip

    def contract(self, party: str, kind: str, subject: str, day: date, amount: Decimal,
                 period: str, due_day: str | None, years: int = 3) -> str:  # fmt: skip
        """The id of the contract under which `party` pays for `subject` on `day`: contracts
        run `years` calendar years from the books' first year; one is declared, under that
        year's 村民代表会议 resolution on letting and leasing, when its first money comes."""
        block = (day.year - self.spec.start.year) // years
        # a one-off letting is its own contract, whoever takes it
        key = (party, subject, block if period != "一次" else -len(self.contracts) - 1)
        ident = self.contracts.get(key)
        if ident is not None:
            return ident
        ident = f"HT-{day.year}-{len(self.contracts) + 1:04d}"
        self.contracts[key] = ident
        first = date(self.spec.start.year + block * years, 1, 1)
        last = date(first.year + years - 1, 12, 31)
        if period == "一次":
            first, last = day, date(day.year, 12, 31)
        signed = max(first, self.spec.start)
        # the year's letting and leasing is decided on its first day, before any contract of it
        resolution = self.letting_resolutions.get(signed.year)
        if resolution is None:
            decided = max(date(signed.year, 1, 1), self.spec.start)
            resolution = self.resolve(
                decided, "村民代表会议", f"{signed.year}年集体资产资源发包、租赁", ZERO
            )
            self.letting_resolutions[signed.year] = resolution
        per_year = {"年": 1, "季": 4, "月": 12, "一次": 1}[period]
        resolution.amount += amount * per_year * (last.year - first.year + 1)
        due = f'\n  due-day: "{due_day}"' if due_day else ""
        self.registers.append((signed, (
            f'{signed} custom "合同" "{ident}" "{kind}" "{party}" "{subject}" {first} {last} '
            f'{fmt(amount)} CNY "{period}"\n'
            f'  meeting: "{resolution.ident}"\n  award: "公开竞价"{due}'
        )))  # fmt: skip
        return ident

    # ---- adding transactions

    def add(self, txn: Txn) -> Txn:
        self.seq += 1
        txn.seq = self.seq
        self.txns.append(txn)
        for account, amount in txn.postings:
            if account.startswith("Assets:151-") and amount > 0:
                self.register_asset(txn.day, txn.narration, account, amount)
        if self.is_payment(txn):
            insort(self.payee_days[txn.payee], txn.day)
        return txn

    @staticmethod
    def is_payment(txn: Txn) -> bool:
        money = sum(
            (a for acc, a in txn.postings if acc.startswith(("Assets:101", "Assets:102"))), ZERO
        )
        others = [
            acc for acc, _ in txn.postings if not acc.startswith(("Assets:101", "Assets:102"))
        ]
        return money < 0 and bool(others)

    def pay(
        self,
        day: date,
        payee: str,
        narration: str,
        account: str,
        amount: Decimal,
        *,
        cash: bool = False,
        handler: str | None = None,
        approver: str | None = None,
        reviewer: bool = True,
        invoice: bool = True,
        receipt: str | None = None,
        meeting: Resolution | None = None,
        extra: dict[str, object] | None = None,
        source: str | None = None,
        note: str | None = None,
        old_invoice: tuple[str, date] | None = None,
    ) -> Txn:
        if cash and amount > CASH_PAYMENT_LIMIT and not note:
            raise ValueError(f"cash payment over the limit: {narration} {amount}")
        handler = handler or self.rng.choice(self.handlers(day))
        meta = self.approve(day, handler, payee, approver, reviewer)
        if meeting is not None:
            meta["meeting"] = meeting.ident
            meeting.spent += amount
            if meeting.spent > meeting.amount or meeting.day > day:
                raise ValueError(f"resolution {meeting.ident} overspent or late")
        if old_invoice is not None:
            meta["invoice"], meta["invoice-date"] = old_invoice
        elif invoice and receipt is None:
            meta["invoice"], meta["invoice-date"] = self.invoice(day)
        if receipt is not None:
            meta["receipt"] = receipt
        meta.update(extra or {})
        money = CASH if cash else (source or BANK)
        if cash:
            self.month_cash_budget[(day.year, day.month)] += amount
        return self.add(
            Txn(day, payee, narration, [(account, amount), (money, -amount)], meta, 2, note)
        )

    def receive(
        self,
        day: date,
        payer: str,
        narration: str,
        account: str,
        amount: Decimal,
        *,
        cash: bool = False,
        receipt_book: bool = True,
        target: str | None = None,
        extra: dict[str, object] | None = None,
        contract: str | None = None,
    ) -> Txn:
        meta: dict[str, object] = {"handler": self.roster.holder("出纳", day)}
        if not receipt_book:
            meta["receipt"] = "银行回单"
        if contract is not None:
            meta["contract"] = contract
        meta.update(extra or {})
        money = CASH if cash else (target or BANK)
        return self.add(
            Txn(day, payer, narration, [(money, amount), (account, -amount)], meta, 4, None,
                receipt_book)
        )  # fmt: skip

    # ---- the months

    def months(self) -> Iterable[date]:
        day = self.spec.start.replace(day=1)
        while day <= self.spec.end:
            yield day
            day = (day + timedelta(days=32)).replace(day=1)

    def generate(self) -> Generated:
        self.year_resolutions: dict[int, Resolution] = {}
        # planted problems first, so the ordinary activity keeps clear of them
        for code in self.spec.planted:
            PLANTERS[code](self)
        for month in self.months():
            if month.month == 1 or month == self.spec.start.replace(day=1):
                self.new_year(month)
            self.month(month)
            if self.spec.target_transactions and len(self.txns) >= self.spec.target_transactions:
                self.spec.end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
                break
        self.road_fund()
        self.depreciate()
        txns = self.cash_and_order()
        return Generated(
            self.spec, txns, self.resolutions, self.opens(), self.balances(txns), self.planted,
            self.registers,
        )  # fmt: skip

    def new_year(self, month: date) -> None:
        year = month.year
        day = self.workday(month.replace(day=8))
        pay_total = self.spec.pay_monthly * 12 + yuan(4800) * 4 * max(1, self.spec.scale // 10)
        pay = self.resolve(
            day,
            "村民代表会议",
            f"{year}年度村干部报酬及村民小组长误工补贴标准",
            (pay_total * Decimal("1.05")).quantize(Decimal(100), rounding=ROUND_CEILING),
        )
        self.year_resolutions[year] = pay

    def month(self, first: date) -> None:
        spec, rng = self.spec, self.rng
        y, m = first.year, first.month
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        end = min(last, spec.end)

        def on(dom: int) -> date:
            return self.workday(first.replace(day=min(dom, last.day)))

        pay_resolution = self.year_resolutions[y]
        # cadre pay, from the bank, by the 村民代表会议 resolution
        day = self.free_day("村两委干部", on(12))
        if day and day <= end:
            self.pay(
                day,
                "村两委干部",
                f"发放{m}月份村干部基本报酬",
                EXP_PAY,
                spec.pay_monthly,
                handler=self.roster.holder("出纳", day),
                receipt="工资表",
                meeting=pay_resolution,
            )
        # 村民小组长误工补贴, quarterly
        if m in (3, 6, 9, 12):
            for unit in range(max(1, spec.scale // 10)):
                payee = "各村民小组长" if unit == 0 else f"第{unit + 1}片区村民小组长"
                day = self.free_day(payee, on(20 + unit % 5))
                if day and day <= end:
                    self.pay(
                        day,
                        payee,
                        f"发放第{(m - 1) // 3 + 1}季度村民小组长误工补贴",
                        EXP_ALLOWANCE,
                        yuan(4800),
                        handler=self.roster.holder("出纳", day),
                        receipt="工资表",
                        meeting=pay_resolution,
                    )
        # utilities, phone, bank charges
        self.bill(on(6), f"国网{spec.county}供电公司", f"缴纳{m}月份村部及路灯电费",
                  EXP_UTILITIES, yuan(rng.uniform(420, 1350)), end)  # fmt: skip
        self.bill(on(9), f"{spec.county}自来水有限公司", f"缴纳{m}月份村部水费",
                  EXP_UTILITIES, yuan(rng.uniform(60, 210)), end)  # fmt: skip
        self.bill(on(16), f"中国电信{spec.county}分公司", f"缴纳{m}月份村部宽带及电话费",
                  EXP_OFFICE, yuan(199), end)  # fmt: skip
        self.bill(on(25), f"{spec.county}农村商业银行", f"{m}月份银行账户管理费及转账手续费",
                  EXP_OTHER_ADMIN, yuan(rng.choice([15, 20, 25, 30, 45])), end, receipt="银行回单")  # fmt: skip
        # sanitation
        for unit in range(spec.scale):
            payee = spec.cleaner if unit == 0 else self.labourers[unit % len(self.labourers)]
            day = self.free_day(payee, on(15 + unit % 10))
            if day and day <= end:
                self.pay(day, payee, f"支付{m}月份村庄保洁员工资", EXP_SANITATION, yuan(1600),
                         handler=self.roster.holder("报账员", day), receipt="工资表")  # fmt: skip
        # office supplies, mostly in cash
        for _ in range(spec.scale + rng.choice([0, 1])):
            picked = self.pick_payee(self.stores, on(rng.randint(2, 27)))
            if picked and picked[1] <= end:
                payee, day = picked
                item, low, high = rng.choice(OFFICE_ITEMS)
                self.pay(day, payee, item, EXP_OFFICE, yuan(rng.randint(low, high)),
                         cash=rng.random() < 0.7)  # fmt: skip
        # small repairs of public facilities
        for _ in range(spec.scale if spec.scale > 1 else rng.choice([0, 1])):
            picked = self.pick_payee(self.contractors + self.hardware, on(rng.randint(3, 26)))
            if picked and picked[1] <= end:
                payee, day = picked
                item = rng.choice(REPAIRS if payee in self.contractors else MATERIALS)
                amount = yuan(rng.randint(300, 1900))
                self.pay(day, payee, item, EXP_UPKEEP, amount, cash=amount <= 900)
        # travel reimbursed to a cadre
        for _ in range(spec.scale):
            self.travel(on(rng.randint(4, 24)), end)
        # a personal advance now and then, settled within a month
        if spec.advancers and (m % 2 == 0 or spec.scale > 1):
            for _ in range(max(1, spec.scale // 3)):
                self.advance(on(rng.randint(3, 12)))
        # meetings cost tea and printing
        if m in (1, 4, 7, 10) or rng.random() < 0.25 * spec.scale:
            picked = self.pick_payee(self.stores, on(rng.randint(8, 20)))
            if picked and picked[1] <= end:
                payee, day = picked
                self.pay(day, payee, "召开村民代表会议购买茶水及打印会议材料", EXP_MEETING,
                         yuan(rng.randint(120, 480)), cash=True)  # fmt: skip
        # receptions, well inside every cap
        if m in (3, 6, 9, 11) and rng.random() < 0.9:
            self.reception(on(rng.randint(5, 25)), end)
        # works under resolutions
        if m in (4, 8, 11) or (spec.scale > 1 and rng.random() < 0.4):
            for _ in range(max(1, spec.scale // 4)):
                self.works(first, end, big=False)
        if m == 5 or (spec.scale > 1 and rng.random() < 0.15):
            self.works(first, end, big=True)
        if m == 10 and spec.scale == 1:
            self.culture(on(rng.randint(8, 20)), end)
        self.income(first, end)

    def bill(
        self,
        day: date | None,
        payee: str,
        narration: str,
        account: str,
        amount: Decimal,
        end: date,
        receipt: str | None = None,
    ) -> None:
        day = self.free_day(payee, day) if day else None
        if day and day <= end:
            self.pay(day, payee, narration, account, amount, receipt=receipt,
                     handler=self.roster.holder("报账员", day))  # fmt: skip

    def travel(self, day: date, end: date) -> None:
        cadres = [
            p for role in ("书记", "主任", "副主任", "委员") for p in self.roster.holders(role, day)
        ]
        who = self.rng.choice(cadres)
        day = self.free_day(who, day)
        if not day or day > end or self.advance_open(who, day, day):
            return
        trip = self.rng.choice(TRIPS)
        amount = yuan(self.rng.randint(36, 380))
        self.pay(day, who, f"报销{who}{trip}差旅费", EXP_TRAVEL, amount, handler=who,
                 cash=amount < 300)  # fmt: skip

    def advance_open(self, who: str, start: date, end: date) -> bool:
        return any(a <= end and start <= b for a, b in self.advance_busy[who])

    def advance(self, day: date, amount: Decimal | None = None, days_open: int | None = None,
                meeting: Resolution | None = None, note: str | None = None,
                who: str | None = None, purpose: str | None = None) -> Txn | None:  # fmt: skip
        days_open = days_open or self.rng.randint(8, 24)
        if who is None:
            free = [
                p
                for p in self.spec.advancers
                if any(t.person == p and t.covers(day) for t in self.roster.terms)
                and not self.advance_open(
                    p, day - timedelta(days=3), day + timedelta(days=ADVANCE_DAYS)
                )
            ]
            if not free:
                return None
            who = self.rng.choice(free)
        day = self.free_day(who, day)
        if not day or day + timedelta(days=days_open + 3) > self.spec.end:
            return None
        amount = amount or yuan(self.rng.choice([800, 1000, 1200, 1500, 1800]))
        drawn = self.rng.choice(ADVANCE_PURPOSES)  # drawn even when given: the same stream
        purpose = purpose or drawn
        account = f"{ADVANCES}:{self.advance_account(who)}"
        extra: dict[str, object] = {}
        if "学习" in purpose and meeting is None and note is None:
            # an outing (VL407): decided by the 两委, five at most
            meeting = self.resolve(day, "两委联席会议", f"组织村民代表{purpose}", amount)
            extra["travellers"] = 5
        txn = self.pay(day, who, f"{who}借支{purpose}费用", account, amount, handler=who,
                       receipt="内部凭证", meeting=meeting, note=note, extra=extra)  # fmt: skip
        settle = self.workday(day + timedelta(days=days_open))
        spent = amount - yuan(self.rng.randint(0, 9) * 10 + self.rng.choice([0, 0, 5]))
        refund = amount - spent
        meta = self.approve(settle, who)
        meta["invoice"], meta["invoice-date"] = self.invoice(settle)
        postings = [(EXP_TRAVEL, spent)]
        if refund:
            postings.append((BANK, refund))
        postings.append((account, -amount))
        self.add(Txn(settle, "", f"{who}报销{purpose}费用，冲销借支" + (
            f"，退回余款 {fmt(refund)} 元" if refund else ""), postings, meta, 3))  # fmt: skip
        self.advance_busy[who].append((day, settle + timedelta(days=1)))
        return txn

    def advance_account(self, who: str) -> str:
        index = self.spec.advancers.index(who) + 1
        return f"11201{index:02d}-{who}"

    def reception(self, day: date, end: date, amount: Decimal | None = None,
                  narration: str | None = None, guests: int | None = None,
                  hosts: int | None = None, note: str | None = None,
                  force: bool = False, org: tuple[str, str] | None = None) -> Txn | None:  # fmt: skip
        rng = self.rng
        guests = guests or rng.randint(3, 7)
        hosts = hosts or min(3, rng.randint(1, 3))
        amount = amount or yuan(min(RECEPTION_MAX, rng.randint(45, HEAD_MAX) * (guests + hosts)))
        if not force and self.entertainment[day.year] + amount > self.reception_budget(day.year):
            return None
        picked = self.pick_payee(self.restaurants, day)
        if not picked or picked[1] > end:
            return None
        payee, day = picked
        org, short = org or rng.choice(GUEST_ORGS)
        purpose = rng.choice(["检查", "调研", "指导", "督查"])
        narration = narration or f"接待{self.spec.county}{org}{purpose}组工作餐"
        letter = f"{self.spec.county[:1]}{short}函〔{day.year}〕{rng.randint(3, 68)}号"
        self.entertainment[day.year] += amount
        return self.pay(
            day, payee, narration, EXP_RECEPTION, amount, cash=amount <= 600,
            extra={"guests": guests, "hosts": hosts, "guest-org": f"{self.spec.county}{org}",
                   "letter": letter},
            note=note,
        )  # fmt: skip

    def reception_budget(self, year: int) -> Decimal:
        return ENTERTAINMENT_BUDGET

    def works(self, first: date, end: date, big: bool) -> None:
        rng = self.rng
        decided = self.workday(first.replace(day=rng.randint(1, 8)))
        if big:
            subject, account, low, high = rng.choice(BIG_WORKS)
            amount = yuan(rng.randint(low, high) * 100)
            body = "村民代表会议"
        else:
            subject, account, low, high = rng.choice(SMALL_WORKS)
            amount = yuan(rng.randint(low, high) * 10)
            body = "两委联席会议"
        picked = self.pick_payee(
            self.contractors if not big else self.suppliers_for(subject),
            self.workday(decided + timedelta(days=rng.randint(6, 18))),
        )
        if not picked or picked[1] > end:
            return
        payee, day = picked
        resolution = self.resolve(decided, body, subject, amount)
        handler = self.rng.choice(
            [p for r in ("副主任", "委员") for p in self.roster.holders(r, day)]
            or self.handlers(day)
        )
        self.pay(day, payee, f"支付{subject}款", account, amount, meeting=resolution,
                 handler=handler)  # fmt: skip

    def suppliers_for(self, subject: str) -> list[str]:
        if "健身" in subject or "监控" in subject or "设备" in subject:
            return [
                f"{self.spec.county}华康体育器材有限公司",
                f"{self.spec.county}安视电子科技有限公司",
            ]
        return [
            f"{self.spec.county}宏达建设工程有限公司",
            f"{self.spec.county}农建水利工程有限公司",
        ]

    def culture(self, day: date, end: date) -> None:
        picked = self.pick_payee([f"{TOWNSHIP_NAME}文化站", f"{self.spec.county}星火印务"], day)
        if picked and picked[1] <= end:
            payee, day = picked
            self.pay(day, payee, "重阳节敬老活动购买慰问品", EXP_CULTURE,
                     yuan(self.rng.randint(900, 1800)))  # fmt: skip

    def income(self, first: date, end: date) -> None:
        spec, rng = self.spec, self.rng
        y, m = first.year, first.month

        def on(dom: int) -> date:
            day = self.workday(first.replace(day=min(dom, 28)))
            return min(day, end)

        if m in (1, 4, 7, 10):
            for unit in range(min(max(1, spec.scale // 5), MAX_PLANTS)):
                tenant = spec.plant_tenant if unit == 0 else f"{spec.short}第{unit + 1}号厂房承租户"
                quarter = (m - 1) // 3 + 1
                day = on(10 + unit % 10)
                lease = self.contract(tenant, "租赁", f"村集体第{unit + 1}号厂房", day,
                                      spec.plant_rent, "季", None)  # fmt: skip
                self.receive(day, tenant, f"收到{tenant}{y}年第{quarter}季度厂房租金", INC_PLANT,
                             spec.plant_rent, contract=lease)  # fmt: skip
        for i, tenant in enumerate(self.shop_tenants):
            day = on(3 + i % 20)
            if day.day > 28:
                continue
            lease = self.contract(tenant, "租赁", f"村部临街门面{i + 1}号", day, spec.shop_rent,
                                  "月", "01")  # fmt: skip
            self.receive(day, tenant, f"收到{tenant}{m}月份门面租金（现金）", INC_SHOP,
                         spec.shop_rent, cash=True, contract=lease)  # fmt: skip
        if m in (3, 6, 9, 12):
            self.receive(on(21), f"{spec.county}农村商业银行", f"{m}月结息", INC_INTEREST,
                         yuan(rng.uniform(180, 420)), receipt_book=False)  # fmt: skip
        if m in (2, 5, 8, 11):
            self.receive(on(18), f"{TOWNSHIP_NAME}人民政府", f"收到{y}年村级组织运转经费补助",
                         INC_RUNNING, yuan(25000), receipt_book=False)  # fmt: skip
        if m in (6, 12):
            self.receive(on(24), f"{spec.county}财政局", f"收到{y}年村级转移支付资金",
                         INC_TRANSFER, yuan(40000), receipt_book=False)  # fmt: skip
        if m in (1, 2, 3):
            farmers = spec.farmers[(m - 1) :: 3]
            for i, (farmer, fee) in enumerate(farmers):
                day = on(6 + 3 * i)
                letting = self.contract(farmer, "发包", "村集体耕地", day, fee, "年", f"{m:02d}-01")
                self.receive(day, farmer, f"收到{farmer}{y}年度耕地承包费",
                             INC_FARMLAND, fee, contract=letting)  # fmt: skip
        if m == 3 and spec.pond:
            farmer, fee = spec.pond
            day = on(26)
            letting = self.contract(farmer, "发包", "村集体鱼塘", day, fee, "年", "03-01")
            self.receive(day, farmer, f"收到{farmer}{y}年度鱼塘承包费", INC_POND, fee,
                         contract=letting)  # fmt: skip
        # no cadre nor a cadre's relative takes a letting (VL704): a generated name that is one
        # is drawn again
        officers = {t.person for t in self.roster.terms}
        officers |= {p for a, b, _ in self.roster.relatives for p in (a, b)}
        for i in range(spec.scale - 1 + self.leases_beyond_caps(m)):
            farmer = self.person_name()
            while farmer in officers:
                farmer = self.person_name()
            day, fee = on(rng.randint(2, 27)), yuan(rng.randint(30, 120) * 100)
            if i == 0 and m in ONE_OFF_MONTHS:
                letting = self.contract(farmer, "发包", "村集体零星耕地", day, fee, "一次", None)
                self.receive(day, farmer, f"收到{farmer}{y}年度耕地承包费", INC_FARMLAND, fee,
                             contract=letting)  # fmt: skip
            else:
                self.receive(day, farmer, f"收到{farmer}{m}月份机耕、灌溉服务费", INC_SERVICE,
                             fee)  # fmt: skip

    def leases_beyond_caps(self, month: int) -> int:
        """The receipts a month would hold from the leases beyond MAX_PLANTS and MAX_SHOPS."""
        shops = max(1, self.spec.scale // 2) - max(len(self.shop_tenants), 1)
        plants = max(1, self.spec.scale // 5) - MAX_PLANTS if month in (1, 4, 7, 10) else 0
        return max(shops, 0) + max(plants, 0)

    def road_fund(self) -> None:
        """The 村道硬化 special fund: received, decided, spent on 153, completed into 151."""
        spec = self.spec
        if spec.start > date(2025, 4, 1) or spec.end < date(2025, 12, 31):
            return
        bank = self.bank_for_fund
        self.receive(date(2025, 3, 14), f"{spec.county}交通运输局",
                     "收到村道硬化项目专项资金", FUND, spec.fund_amount, receipt_book=False,
                     target=bank, extra={"project": PROJECT})  # fmt: skip
        contract = sum(spec.road_contract, ZERO)
        resolution = self.resolve(date(2025, 3, 24), "村民代表会议",
                                  f"村道硬化工程（{spec.short}主干道2.1公里）", contract)  # fmt: skip
        builder = f"{spec.county}路桥工程有限公司"
        stages = ["预付款", "进度款", "竣工结算款"]
        days = [date(2025, 4, 21), date(2025, 7, 15), date(2025, 10, 20)]
        for stage, day, amount in zip(stages, days, spec.road_contract, strict=True):
            self.pay(self.workday(day), builder, f"支付村道硬化工程{stage}", WIP, amount,
                     meeting=resolution, source=bank, extra={"project": PROJECT},
                     handler=self.roster.holder("副主任", day))  # fmt: skip
        done = date(2025, 11, 12)
        meta = self.approve(done, self.roster.holder("报账员", done))
        meta.update({"receipt": "内部凭证", "project": PROJECT})
        self.add(Txn(done, "", "村道硬化工程竣工验收，在建工程转入固定资产",
                     [(FIXED_INFRA, contract), (WIP, -contract)], meta, 3))  # fmt: skip
        meta = self.approve(done, self.roster.holder("报账员", done))
        meta.update({"receipt": "内部凭证", "project": PROJECT})
        self.add(Txn(done, "", "村道硬化工程竣工，已使用的专项应付款转入公积公益金",
                     [(FUND, contract), (RESERVE, -contract)], meta, 3))  # fmt: skip

    # ---- month-end depreciation

    def depreciate(self) -> None:
        """Book each month's 折旧 as a village accountant does at month end (年限平均法 by
        account, from the month after an asset is bought, until 原值 × (1 − 残值率) is charged),
        with the life and salvage rate of the township's chart. The formula is restated here
        rather than imported so the bench books stay an independent reading of the rule."""
        terms = depreciation_terms()
        bought: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
        for txn in self.txns:
            for account, amount in txn.postings:
                if account in terms:
                    bought[account].append((txn.day, amount))
        if not bought:
            return
        first = min(day for days in bought.values() for day, _ in days).replace(day=1)
        charged: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for month in self.months():
            if month < first:
                continue
            last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            if last > self.spec.end:
                break
            charges = []
            for account, (years, salvage) in sorted(terms.items()):
                cost = sum((n for day, n in bought.get(account, ()) if day < month), ZERO)
                ceiling = (cost * (1 - salvage)).quantize(CENT, rounding=ROUND_HALF_UP)
                rate = cost * (1 - salvage) / (years * 12)
                amount = min(
                    rate.quantize(CENT, rounding=ROUND_CEILING), ceiling - charged[account]
                )
                if amount > 0:
                    charged[account] += amount
                    charges.append((account, amount))
            if charges:
                self.add(self.depreciation_voucher(last, charges))

    def depreciation_voucher(self, day: date, charges: list[tuple[str, Decimal]]) -> Txn:
        total = sum((amount for _, amount in charges), ZERO)
        postings = [(DEPRECIATION_EXPENSE, total)]
        postings += [(ACCUMULATED, -amount) for _, amount in charges]
        meta: dict[str, object] = {"depreciation": f"{day.year:04d}-{day.month:02d}",
                                   "receipt": "内部凭证"}  # fmt: skip
        txn = Txn(day, "计提折旧", f"计提{day.year}年{day.month}月固定资产折旧", postings, meta, 3)
        txn.posting_meta = {i + 1: {"asset": account} for i, (account, _) in enumerate(charges)}
        return txn

    # ---- cash, order, numbers

    def cash_and_order(self) -> list[Txn]:
        """Add the withdrawals that keep a cash float and the deposits of cash takings."""
        by_day: dict[date, list[Txn]] = defaultdict(list)
        for txn in self.txns:
            by_day[txn.day].append(txn)
        cash = self.spec.opening_cash
        ordered: list[Txn] = []
        to_bank: list[tuple[date, Decimal, date]] = []  # (due, amount, received)
        day = self.spec.start
        while day <= self.spec.end:
            todays = sorted(by_day.get(day, []), key=lambda t: (t.order, t.seq))
            due = [item for item in to_bank if item[0] <= day]
            if due and day.weekday() < 5:
                amount = sum((a for _, a, _ in due), ZERO)
                received = sorted({r for _, _, r in due})
                label = "、".join(f"{r.month}月{r.day}日" for r in received)
                deposit = Txn(day, "", f"将{label}现金收入存入银行", [(BANK, amount),
                              (CASH, -amount)], {"handler": self.roster.holder("出纳", day)}, 0)  # fmt: skip
                deposit.meta["receipt"] = "银行回单"
                ordered.append(deposit)
                cash -= amount
                to_bank = [item for item in to_bank if item[0] > day]
            for txn in todays:
                out = -txn.delta(CASH)
                if out > 0 and cash - out < 0:
                    want = max(CASH_FLOAT, out + Decimal(500)) - cash
                    want = (want / 100).to_integral_value(rounding=ROUND_CEILING) * 100
                    want = min(want, CASH_ON_HAND_LIMIT - Decimal(300) - cash)
                    handler = self.roster.holder("出纳", day)
                    meta = self.approve(day, handler)
                    meta["receipt"] = "银行回单"
                    ordered.append(Txn(day, "", "从银行提取备用金", [(CASH, want),
                                       (BANK, -want)], meta, 1))  # fmt: skip
                    cash += want
                cash += txn.delta(CASH)
                if cash < 0:
                    raise AssertionError(f"cash below zero on {day}: {txn.narration}")
                ordered.append(txn)
                if txn.delta(CASH) > 0:
                    nxt = self.workday(day + timedelta(days=1))
                    to_bank.append((nxt if nxt <= self.spec.end else day, txn.delta(CASH), day))
            if cash > CASH_ON_HAND_LIMIT - Decimal(500) and to_bank:
                todays_takings = [item for item in to_bank if item[2] == day]
                amount = sum((a for _, a, _ in todays_takings), ZERO)
                if amount:
                    ordered.append(Txn(day, "", "将当日现金收入存入银行", [(BANK, amount),
                                       (CASH, -amount)], {"handler": self.roster.holder("出纳", day),
                                                          "receipt": "银行回单"}, 5))  # fmt: skip
                    cash -= amount
                    to_bank = [item for item in to_bank if item[2] != day]
            if cash > CASH_ON_HAND_LIMIT:
                raise AssertionError(f"cash over the limit on {day}: {cash}")
            day += timedelta(days=1)
        if to_bank:  # the last days' takings go to the bank on the last day
            amount = sum((a for _, a, _ in to_bank), ZERO)
            last = self.spec.end
            ordered.append(Txn(last, "", "将月末现金收入存入银行", [(BANK, amount),
                               (CASH, -amount)], {"handler": self.roster.holder("出纳", last),
                                                  "receipt": "银行回单"}, 0))  # fmt: skip
        # vouchers, numbered from 001 in each month; the 收款收据 book used in order
        counters: dict[tuple[int, int], int] = defaultdict(int)
        receipt_no = 2001 + self.rng.randrange(0, 30) * 100
        for txn in ordered:
            counters[(txn.day.year, txn.day.month)] += 1
            number = counters[(txn.day.year, txn.day.month)]
            txn.meta = {"voucher": f"{txn.day.year}-{txn.day.month:02d}-{number:03d}", **txn.meta}
            if txn.receipt_book:
                txn.meta["receipt"] = "收款收据"
                txn.meta["receipt-no"] = f"{receipt_no:07d}"
                receipt_no += 1
        return ordered

    def opens(self) -> list[tuple[str, str, dict[str, str]]]:
        opened = date(2024, 12, 1).isoformat()
        accounts: list[tuple[str, str, dict[str, str]]] = [
            (BANK, opened, {"code": "10201"}),
        ]
        if self.spec.opening_bank2 is not None:
            accounts.append((BANK2, opened, {"code": "10202"}))
        for who in self.spec.advancers:
            name = self.advance_account(who)
            accounts.append((f"{ADVANCES}:{name}", opened, {"code": name.split("-")[0]}))
        accounts += [
            (WIP, opened, {"code": "15301"}),
            (FUND, opened, {"code": "24101", "project": PROJECT}),
            ("Income:501-经营收入:50101-发包收入:5010101-耕地发包", opened, {"code": "5010101"}),
            ("Income:501-经营收入:50101-发包收入:5010102-鱼塘发包", opened, {"code": "5010102"}),
            ("Income:501-经营收入:50102-租赁收入:5010201-厂房租赁", opened, {"code": "5010201"}),
            ("Income:501-经营收入:50102-租赁收入:5010202-门面租赁", opened, {"code": "5010202"}),
        ]
        return accounts

    def balances(self, txns: list[Txn]) -> list[tuple[date, str, Decimal]]:
        """The first of every month: the bank statement and the cash count agree with the books."""
        accounts = [BANK] + ([BANK2] if self.spec.opening_bank2 is not None else []) + [CASH]
        running = {BANK: self.spec.opening_bank, BANK2: self.spec.opening_bank2 or ZERO,
                   CASH: self.spec.opening_cash}  # fmt: skip
        out: list[tuple[date, str, Decimal]] = []
        months = list(self.months())[1:]
        i = 0
        for first in months:
            while i < len(txns) and txns[i].day < first:
                for account, amount in txns[i].postings:
                    if account in running:
                        running[account] += amount
                i += 1
            for account in accounts:
                if running[account] < 0:
                    raise AssertionError(f"{account} overdrawn before {first}")
                out.append((first, account, running[account]))
        return out


# ---------------------------------------------------------------------------------------------
# word lists

OFFICE_ITEMS = [
    ("购买办公用品（打印纸、签字笔、文件袋）", 80, 420),
    ("购买打印机墨盒及硒鼓", 160, 680),
    ("购买村务公开栏展板及张贴材料", 120, 560),
    ("购买村部办公桌椅维修配件", 90, 380),
    ("打印复印村务资料及宣传单", 60, 320),
    ("购买村部保洁用品", 50, 260),
    ("购买档案盒及凭证装订材料", 70, 300),
]
MATERIALS = [
    "购买维修村部水管用水暖配件",
    "购买路灯灯泡及电线",
    "购买修补村组道路用水泥、黄沙",
    "购买村部门窗维修五金配件",
]
REPAIRS = [
    "维修村部水管及卫生间",
    "更换村道路灯灯头",
    "维修村文化广场照明线路",
    "疏通村组排水沟",
    "修补村组水泥路面坑槽",
    "维修村部门窗",
]
TRIPS = [
    "赴县农业农村局报送材料",
    "赴乡政府参加农经工作会议",
    "赴县城办理银行业务",
    "赴县自然资源局办理土地手续",
    "参加县里组织的村干部培训",
]
ADVANCE_PURPOSES = [
    "外出参加培训",
    "赴县里办理项目申报",
    "采购村部防汛物资预付",
    "组织村民外出学习",
]
GUEST_ORGS = [
    ("农业农村局", "农"),
    ("乡村振兴局", "振"),
    ("审计局", "审"),
    ("文化和旅游局", "文旅"),
    ("水利局", "水"),
]
SMALL_WORKS = [
    ("村部屋顶防水维修", EXP_UPKEEP, 380, 880),
    ("村组水渠清淤", EXP_UPKEEP, 260, 720),
    ("村道路灯维修更换", EXP_UPKEEP, 220, 640),
    ("村文化广场地面修补", EXP_UPKEEP, 300, 900),
    ("村部会议室空调购置", FIXED_EQUIP, 420, 860),
]
BIG_WORKS = [
    ("村文化广场健身器材采购", FIXED_EQUIP, 160, 320),
    ("村组当家塘清淤扩容", EXP_UPKEEP, 180, 420),
    ("村道安全监控设备安装", FIXED_EQUIP, 150, 260),
]


# ---------------------------------------------------------------------------------------------
# planted problems (taibai): each plants one problem, marked with a comment line


def _note(codes: str, text: str) -> str:
    return f"示例问题：{codes} {text}"


def plant_vl101(g: VillageGenerator) -> None:
    day = g.free_day(f"{TOWNSHIP_NAME}兴旺文具店", date(2025, 5, 13))
    assert day
    g.planted["VL101"] = g.pay(
        day, f"{TOWNSHIP_NAME}兴旺文具店", "购买办公用品（复印纸、文件夹）", EXP_OFFICE,
        yuan(386), reviewer=False, cash=True,
        note=_note("VL101", "这笔办公费支出没有审核人（reviewer），未经民主理财小组或监委会审核"),
    )  # fmt: skip


def plant_vl102(g: VillageGenerator) -> None:
    day = date(2026, 4, 16)
    former = next(t for t in g.roster.terms if t.role == "主任" and t.end is not None)
    payee = f"{g.spec.county}格力空调售后服务部"
    day = g.free_day(payee, day)
    assert day and former.end and day >= former.end + timedelta(days=21)
    g.planted["VL102"] = g.pay(
        day, payee, "维修村部会议室空调", EXP_UPKEEP, yuan(680), approver=former.person,
        handler=g.roster.holder("报账员", day),
        note=_note("VL102", f"审批人{former.person}已于{former.end.isoformat()}换届离任主任，"
                   "离任后仍签字审批"),
    )  # fmt: skip


def plant_vl104(g: VillageGenerator) -> None:
    decided = date(2025, 7, 8)
    resolution = g.resolve(decided, "两委联席会议", "村部办公楼屋面防水及外墙维修", yuan(12000))
    payee = f"{g.spec.county}宏达建设工程有限公司"
    day = g.free_day(payee, date(2025, 7, 28))
    assert day
    g.planted["VL104"] = g.pay(
        day, payee, "支付村部办公楼屋面防水及外墙维修工程款", EXP_UPKEEP, yuan(12000),
        meeting=resolution, handler=g.roster.holder("副主任", day),
        note=_note("VL104", "12,000.00 元的维修支出只有两委联席会议决议，"
                   "达到 10,000 元应经村民代表会议决议"),
    )  # fmt: skip


def plant_vl201(g: VillageGenerator) -> None:
    payee = g.person_name()
    day = g.free_day(payee, date(2025, 11, 19))
    assert day
    g.planted["VL201"] = g.pay(
        day, payee, f"支付临时工{payee}清理村组沟渠劳务费（8个工日）", EXP_UPKEEP, yuan(1800),
        cash=True, receipt="工资表", handler=g.roster.holder("报账员", day),
        note=_note("VL201", "以现金支付临时工劳务费 1,800.00 元，超过现金支付限额 1,000.00 元，"
                   "应通过银行转账"),
    )  # fmt: skip


def plant_vl206(g: VillageGenerator) -> None:
    day = date(2026, 5, 6)
    who = g.spec.advancers[-1]
    resolution = g.resolve(date(2026, 4, 28), "两委联席会议", "村干部赴外地学习乡村振兴经验",
                           yuan(3000))  # fmt: skip
    txn = g.advance(day, amount=yuan(3000), days_open=61, meeting=resolution, who=who,
                    purpose="赴外地学习乡村振兴经验",
                    note=_note("VL206", f"{who}借支 3,000.00 元，约 60 天后才报销结清，"
                               "超过借支期限 30 天"))  # fmt: skip
    assert txn is not None
    g.planted["VL206"] = txn


def plant_vl302(g: VillageGenerator) -> None:
    payee = "九池乡集市摊贩"
    day = g.free_day(payee, date(2025, 9, 10))
    assert day
    g.planted["VL302"] = g.pay(
        day, payee, "购买村部保洁工具（扫帚、垃圾桶）", EXP_SANITATION, yuan(350), cash=True,
        receipt="白条",
        note=_note("VL302", "以白条（无发票、无收款收据的手写条子）入账 350.00 元"),
    )  # fmt: skip


def plant_vl402(g: VillageGenerator) -> None:
    day = date(2025, 10, 15)
    txn = g.reception(
        day, g.spec.end, amount=yuan(960), guests=8, hosts=2, force=True,
        org=("文化和旅游局", "文旅"),
        narration=f"接待{g.spec.county}文化和旅游局调研组工作餐（含白酒两瓶）",
        note=_note("VL402 VL404", "一次接待 960.00 元，超过单次限额 800.00 元，"
                   "且摘要列明白酒，属禁止招待项目"),
    )  # fmt: skip
    assert txn is not None
    g.planted["VL402"] = txn


def plant_vl501(g: VillageGenerator) -> None:
    payee = f"{g.spec.county}星火印务"
    day = g.free_day(payee, date(2025, 8, 19))
    assert day
    g.planted["VL501"] = g.pay(
        day, payee, "村道硬化项目资金列支村部办公用品及资料打印费", EXP_OFFICE, yuan(1260),
        source=g.bank_for_fund, extra={"project": PROJECT},
        note=_note("VL501", "村道硬化专项资金用于办公费（管理费用），属挪用专项资金"),
    )  # fmt: skip


def plant_vl303(g: VillageGenerator) -> None:
    """Filled in by `sample_township`, which knows huangmei's invoices."""
    source: Txn = g.reuse_source  # type: ignore[attr-defined]
    payee = source.payee
    day = g.free_day(payee, source.day + timedelta(days=16))
    assert day
    amount = source.postings[0][1]
    g.planted["VL303"] = g.pay(
        day, payee, "购买办公用品（打印纸、签字笔、文件袋）", EXP_OFFICE, amount, cash=True,
        old_invoice=(str(source.meta["invoice"]), source.meta["invoice-date"]),  # type: ignore[arg-type]
        note=_note("VL303", f"这张发票已在黄梅村 {source.meta['voucher']} 号凭证报销过，"
                   "重复报销"),
    )  # fmt: skip


PLANTERS = {
    "VL101": plant_vl101,
    "VL102": plant_vl102,
    "VL104": plant_vl104,
    "VL201": plant_vl201,
    "VL206": plant_vl206,
    "VL302": plant_vl302,
    "VL303": plant_vl303,
    "VL402": plant_vl402,
    "VL501": plant_vl501,
}
# the findings each planted problem produces
PLANTED: dict[str, tuple[str, ...]] = {code: (code,) for code in PLANTERS}
PLANTED["VL402"] = ("VL402", "VL404")


# ---------------------------------------------------------------------------------------------
# writing the files


def _meta_value(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace('"', "'") + '"'


def format_txn(txn: Txn) -> str:
    lines = []
    if txn.note:
        lines.append(f"; {txn.note}")
    payee = txn.payee.replace('"', "'")
    head = f'{txn.day.isoformat()} * "{payee}" "{txn.narration}"' if payee else (
        f'{txn.day.isoformat()} * "{txn.narration}"')  # fmt: skip
    lines.append(head)
    for key, value in txn.meta.items():
        lines.append(f"  {key}: {_meta_value(value)}")
    for index, (account, amount) in enumerate(txn.postings):
        pad = max(1, AMOUNT_COLUMN - display_width(account) - len(fmt(amount)))
        lines.append(f"  {account}{' ' * pad}{fmt(amount)} CNY")
        for key, value in txn.posting_meta.get(index, {}).items():
            lines.append(f"    {key}: {_meta_value(value)}")
    return "\n".join(lines)


AMOUNT_COLUMN = 66  # where amounts end, in display columns (a Chinese character takes two)


HEADER = (
    "; {title} {what}\n"
    "; 本文件初稿由 bench/villagegen.py 生成（种子 {seed}），此后由乡农经站会计手工维护。\n"
)


def write_village(gen: Generated, folder: Path) -> list[Path]:
    spec = gen.spec
    folder.mkdir(parents=True, exist_ok=True)
    years = sorted({t.day.year for t in gen.txns})
    roster = spec.roster
    out: list[str] = [HEADER.format(title=spec.title, what="账簿主文件", seed=spec.seed)]
    out.append(f'option "title" "{spec.title}"')
    out.append('option "operating_currency" "CNY"')
    if spec.plugin:
        out.append('plugin "village_ledger.plugins.all"')
    out.append("")
    out.append('include "../township/chart.beancount"')
    out.append('include "../township/policy.beancount"')
    out.append("")
    out.append("; ==== 本村明细科目 ====")
    for account, opened, meta in gen.opens:
        out.append(f"{opened} open {account} CNY")
        out += [f'  {k}: "{v}"' for k, v in meta.items()]
    out.append("")
    out.append("; ==== 村两委、村务监督委员会、民主理财小组及财会人员任职 ====")
    events: list[tuple[date, int, str]] = []
    for term in roster.terms:
        events.append((term.start, 1, f'{term.start} custom "任职" "{term.person}" "{term.role}"'))
        if term.end:
            events.append((term.end, 0, f'{term.end} custom "离任" "{term.person}" "{term.role}"'))
    last_day = None
    for day, _, line in sorted(events, key=lambda e: (e[0], e[1])):
        if day.year == 2026 and day.month == 3 and last_day != day:
            out.append(f"; {day.year}年村两委换届")
        last_day = day
        out.append(line)
    out.append("")
    out.append("; 近亲属关系（审核人不得审核其近亲属经手或审批的支出）")
    first = min(t.start for t in roster.terms)
    for a, b, rel in roster.relatives:
        out.append(f'{first} custom "亲属" "{a}" "{b}" "{rel}"')
    out.append("")
    out.append("; ==== 期初余额 ====")
    day0 = spec.start - timedelta(days=1)
    opening = [(BANK, spec.opening_bank)]
    if spec.opening_bank2 is not None:
        opening.append((BANK2, spec.opening_bank2))
    opening.append((CASH, spec.opening_cash))
    for account, amount in opening:
        out.append(f"{day0} pad {account} {CAPITAL}")
        out.append(f"{spec.start} balance {account} {fmt(amount)} CNY")
    out.append("")
    out.append("; ==== 各年度账务 ====")
    for year in years:
        out.append(f'include "{year}.beancount"')
    out.append("")
    main = folder / "main.beancount"
    main.write_text("\n".join(out), encoding="utf-8")
    written = [main]

    for year in years:
        items: list[tuple[date, int, int, str]] = []
        for r in gen.resolutions:
            if r.day.year == year:
                line = (f'{r.day} custom "会议决议" "{r.ident}" "{r.body}" "{r.subject}" '
                        f"{fmt(r.amount)} CNY")  # fmt: skip
                items.append((r.day, 1, 0, line))
        for day, account, amount in gen.balances:
            if day.year == year:
                items.append((day, 0, 0, f"{day} balance {account} {fmt(amount)} CNY"))
        for i, (day, text) in enumerate(gen.registers):
            if day.year == year:
                items.append((day, 1, i, text))
        for i, txn in enumerate(gen.txns):
            if txn.day.year == year:
                items.append((txn.day, 2, i, format_txn(txn)))
        body = [HEADER.format(title=spec.title, what=f"{year}年度账务", seed=spec.seed)]
        month = 0
        for day, _, _, text in sorted(items, key=lambda x: (x[0], x[1], x[2])):
            if day.month != month:
                month = day.month
                body.append(f"\n; ==== {year}年{month}月 ====\n")
            body.append(text)
            if " * " in text or " custom " in text:
                body.append("")
        path = folder / f"{year}.beancount"
        path.write_text("\n".join(body).rstrip() + "\n", encoding="utf-8")
        written.append(path)
    return written


def copy_township(root: Path) -> Path:
    target = root / "township"
    if target.resolve() != TOWNSHIP.resolve():
        target.mkdir(parents=True, exist_ok=True)
        for name in ("chart.beancount", "policy.beancount"):
            shutil.copy(TOWNSHIP / name, target / name)
    return target


def generate_village(spec: VillageSpec, used_invoices: set[str] | None = None) -> Generated:
    return VillageGenerator(spec, used_invoices).generate()


# ---------------------------------------------------------------------------------------------
# the sample township


HUANGMEI_ROSTER = Roster(
    terms=[
        Term("黄德明", "书记", date(2021, 3, 18)),
        Term("陈国华", "主任", date(2021, 3, 18), date(2026, 3, 20)),
        Term("黄志远", "副主任", date(2021, 3, 18), date(2026, 3, 20)),
        Term("黄志远", "主任", date(2026, 3, 20)),
        Term("方丽娟", "委员", date(2021, 3, 18)),
        Term("刘春生", "委员", date(2021, 3, 18), date(2026, 3, 20)),
        Term("吴建军", "副主任", date(2026, 3, 20)),
        Term("朱永福", "监委会主任", date(2021, 3, 18), date(2026, 3, 20)),
        Term("李桂芳", "监委会委员", date(2021, 3, 18), date(2026, 3, 20)),
        Term("李桂芳", "监委会主任", date(2026, 3, 20)),
        Term("何文斌", "监委会委员", date(2021, 3, 18)),
        Term("周红英", "监委会委员", date(2026, 3, 20)),
        Term("汪秋菊", "理财小组", date(2021, 3, 18)),
        Term("程正平", "理财小组", date(2021, 3, 18)),
        Term("程晓燕", "会计", date(2022, 1, 1)),
        Term("方丽娟", "出纳", date(2021, 3, 18)),
        Term("方丽娟", "报账员", date(2021, 3, 18)),
    ],
    relatives=[("何文斌", "吴建军", "翁婿")],
)

TAIBAI_ROSTER = Roster(
    terms=[
        Term("赵永强", "书记", date(2021, 3, 19)),
        Term("孙建平", "主任", date(2021, 3, 19), date(2026, 3, 20)),
        Term("钱海涛", "主任", date(2026, 3, 20)),
        Term("周玉兰", "副主任", date(2021, 3, 19)),
        Term("郑立军", "委员", date(2021, 3, 19)),
        Term("冯晓东", "委员", date(2026, 3, 20)),
        Term("吴秀珍", "监委会主任", date(2021, 3, 19)),
        Term("王德胜", "监委会委员", date(2021, 3, 19), date(2026, 3, 20)),
        Term("陈美华", "监委会委员", date(2026, 3, 20)),
        Term("褚国栋", "理财小组", date(2021, 3, 19)),
        Term("卫淑芬", "理财小组", date(2021, 3, 19)),
        Term("蒋丽萍", "会计", date(2022, 1, 1)),
        Term("郑立军", "出纳", date(2021, 3, 19)),
        Term("郑立军", "报账员", date(2021, 3, 19)),
    ],
    relatives=[("卫淑芬", "周玉兰", "姐妹")],
)


def huangmei_spec() -> VillageSpec:
    return VillageSpec(
        slug="huangmei",
        title="九池乡黄梅村股份经济合作社",
        short="黄梅村",
        seed=20250101,
        roster=HUANGMEI_ROSTER,
        opening_bank=yuan("386452.18"),
        opening_bank2=yuan("12500.00"),
        opening_cash=yuan("1680.50"),
        fund_amount=yuan(150000),
        road_contract=(yuan(45000), yuan(60000), yuan(42800)),
        pay_monthly=yuan(9600),
        cleaner="陈桂兰",
        plant_tenant="黄梅村兴农食品有限公司",
        plant_rent=yuan(15000),
        shop_tenants=("个体户程永福（村部门面一号）", "个体户汪小军（村部门面二号）"),
        shop_rent=yuan(800),
        farmers=(
            ("种粮大户黄金凤", yuan(36800)),
            ("承包户程家兴", yuan(12600)),
            ("梅川县绿源家庭农场", yuan(45000)),
            ("承包户方宝山", yuan(8400)),
            ("承包户汪德全", yuan(9750)),
            ("梅川县丰收农机专业合作社", yuan(28000)),
        ),
        pond=("承包户黄水生", yuan(6500)),
        advancers=("黄志远", "方丽娟"),
    )


def taibai_spec() -> VillageSpec:
    return VillageSpec(
        slug="taibai",
        title="九池乡太白村股份经济合作社",
        short="太白村",
        seed=20250202,
        roster=TAIBAI_ROSTER,
        opening_bank=yuan("254918.66"),
        opening_cash=yuan("1240.00"),
        fund_amount=yuan(120000),
        road_contract=(yuan(36000), yuan(48000), yuan(33500)),
        pay_monthly=yuan(8800),
        cleaner="蒋翠花",
        plant_tenant="太白村鑫达竹木制品厂",
        plant_rent=yuan(12000),
        shop_tenants=("个体户卫长青（村口门面）",),
        shop_rent=yuan(650),
        farmers=(
            ("种粮大户褚宏亮", yuan(31500)),
            ("承包户郑福生", yuan(7200)),
            ("梅川县太白山茶叶专业合作社", yuan(26000)),
            ("承包户冯爱民", yuan(6800)),
            ("承包户蒋荣华", yuan(9300)),
        ),
        pond=("承包户周冬梅", yuan(5200)),
        advancers=("周玉兰", "冯晓东"),
        planted=tuple(PLANTERS),
    )


# the day the sample township is seen as of: its last quarter is published and sealed
SAMPLE_AS_OF = date(2026, 10, 31)


def sample_township(root: Path, seal: bool = True) -> dict[str, Generated]:
    """Write the sample township below `root`: huangmei (clean) and taibai (planted problems)."""
    used: set[str] = set()
    huangmei = generate_village(huangmei_spec(), used)
    taibai_gen = VillageGenerator(taibai_spec(), used)
    taibai_gen.reuse_source = _reusable_invoice(huangmei)  # type: ignore[attr-defined]
    taibai = taibai_gen.generate()
    copy_township(root)
    for gen in (huangmei, taibai):
        folder = root / gen.spec.slug
        for old in folder.glob("*.beancount"):
            old.unlink()
        write_village(gen, folder)
        if seal:
            seal_quarters(folder / "main.beancount", SAMPLE_AS_OF)
    return {"huangmei": huangmei, "taibai": taibai}


def seal_quarters(main_file: Path, until: date) -> list[str]:
    """Seal every quarter of the books ended by `until`, as the township publishes them.

    Each quarter is sealed on the 10th of the month after it (or the next workday) by
    `village-ledger seal --write`, the same command an accountant runs after publication.
    """
    text = main_file.read_text(encoding="utf-8")
    if "公开封存" not in text:
        main_file.write_text(
            text.rstrip("\n")
            + "\n\n; ==== 财务公开封存（每季度公开后由 village-ledger seal 生成）====\n",
            encoding="utf-8",
        )
    sealed = []
    year, quarter = 2025, 1
    while True:
        last_month = 3 * quarter
        end = (date(year, last_month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if end > until:
            break
        day = VillageGenerator.workday(end + timedelta(days=10))
        period = f"{year}Q{quarter}"
        command = [sys.executable, "-c", "from village_ledger.cli.main import main; main()",
                   "seal", str(main_file), "--period", period, "--date", day.isoformat(),
                   "--write"]  # fmt: skip
        subprocess.run(
            command,
            check=True,
            capture_output=True,
            env={**os.environ, "VILLAGE_LEDGER_TODAY": until.isoformat()},
        )
        sealed.append(period)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return sealed


def _reusable_invoice(gen: Generated) -> Txn:
    for txn in gen.txns:
        if (
            date(2025, 6, 1) <= txn.day <= date(2025, 6, 30)
            and txn.postings[0][0] == EXP_OFFICE
            and "invoice" in txn.meta
            and txn.postings[0][1] < 500
            and txn.payee.endswith(("店", "超市"))
        ):
            return txn
    raise AssertionError("huangmei has no small office purchase in June 2025")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", metavar="DIR", help="write the sample township below DIR")
    parser.add_argument("--no-seal", action="store_true", help="do not seal the published quarters")
    args = parser.parse_args(argv)
    if not args.sample:
        parser.error("nothing to do: use --sample DIR (or bench/generate.py for a large village)")
    result = sample_township(Path(args.sample), seal=not args.no_seal)
    for slug, gen in result.items():
        print(f"{slug}: {len(gen.txns)} transactions, {len(gen.resolutions)} resolutions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
