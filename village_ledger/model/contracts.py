"""The contract and asset registers (三资): `合同`, `合同变更`, `资产` and `资产处置` directives.

A `合同` declares a contract: id, kind (`vocab.CONTRACT_KINDS`), counterparty, subject, first and
last day, the amount per period and the period (`年`, `季`, `月`, `一次`); metadata `meeting` (the
resolution behind it), `award` (公开招标/公开竞价/协商), `due-day` (MM-DD for 年, DD for 月),
`asset` and `deposit`. A `合同变更` renews (`续签`: new last day and amount per period), amends
(`变更`: new amount per period from its date) or ends (`终止`, from its date) a contract.

A `资产` registers an asset or resource: id, name, kind, 原值 (0 for a resource), and `account`
(the 151 sub-account the books carry it on); a `资产处置` (出售/报废/无偿调出) takes it off.

Everything malformed is a VL901 hit (`Contracts.hits`, `Assets.hits`) and stays out of the
registers. What is due, received and in arrears under each contract is the figures layer's
(`village_ledger.model.schedule`, `model.figures.contracts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from village_ledger.findings import Hit
from village_ledger.model import vocab
from village_ledger.model.accounts import Chart
from village_ledger.model.directives import (
    Directive,
    bad,
    require_amount,
    require_choice,
    require_date,
    require_text,
    type_name,
)
from village_ledger.money import CURRENCY

ONE_DAY = timedelta(days=1)
FIXED_ASSETS = "151"


class Change(NamedTuple):
    """A `合同变更`: a renewal, an amendment or an early end, from its day."""

    contract: str
    kind: str  # vocab.RENEW / AMEND / TERMINATE
    day: date
    new_end: date | None  # 续签
    new_amount: Decimal | None  # 续签, 变更
    reason: str
    meeting: str | None
    entry: data.Custom

    @property
    def meta(self) -> dict[str, Any]:
        return self.entry.meta


class Contract(NamedTuple):
    id: str
    kind: str
    counterparty: str
    subject: str
    start: date
    end: date  # as signed; `ends(day)` with the changes in force
    amount: Decimal  # per period; the price for 采购/工程
    period: str  # vocab.CONTRACT_PERIODS
    day: date  # the signing day (the directive's date)
    meeting: str | None
    award: str | None
    due_day: str  # MM-DD for 年, DD for 月, "" otherwise
    asset: str | None
    deposit: Decimal | None
    entry: data.Custom
    changes: tuple[Change, ...] = ()

    @property
    def meta(self) -> dict[str, Any]:
        return self.entry.meta

    @property
    def receiving(self) -> bool:
        return self.kind in vocab.RECEIVING_KINDS

    @property
    def paying(self) -> bool:
        return self.kind in vocab.PAYING_KINDS

    def changes_by(self, day: date | None) -> tuple[Change, ...]:
        if day is None or not self.changes:  # most contracts are never changed
            return self.changes
        return tuple(c for c in self.changes if c.day <= day)

    def ends(self, day: date | None = None) -> date:
        """The last day of the contract with the changes dated on or before `day` (all if None)."""
        end = self.end
        for change in self.changes_by(day):
            if change.kind == vocab.RENEW and change.new_end is not None:
                end = change.new_end
            elif change.kind == vocab.TERMINATE:
                end = min(end, change.day - ONE_DAY)
        return end

    def terminated(self, day: date | None = None) -> Change | None:
        return next((c for c in self.changes_by(day) if c.kind == vocab.TERMINATE), None)

    def renewals(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind == vocab.RENEW)

    def amounts(self, day: date | None = None) -> list[tuple[date, Decimal]]:
        """(from, amount per period) in force, in order: a period due on or after `from` costs
        `amount`. A 变更 applies from its date; a 续签 to the periods after the end it extends."""
        found = [(date.min, self.amount)]
        end = self.end
        for change in self.changes_by(day):
            if change.kind == vocab.AMEND and change.new_amount is not None:
                found.append((change.day, change.new_amount))
            elif change.kind == vocab.RENEW and change.new_end is not None:
                if change.new_amount is not None:
                    found.append((end + ONE_DAY, change.new_amount))
                end = change.new_end
        found.sort(key=lambda pair: pair[0])
        return found

    @property
    def term_years(self) -> str:
        return years_between(self.start, self.ends())


def years_between(first: date, last: date) -> str:
    """How long `first`..`last` runs, in years and months, as a report prints it."""
    months = (last.year - first.year) * 12 + last.month - first.month
    if (last + ONE_DAY).day == first.day or last.day >= first.day:
        months += 1
    years, rest = divmod(months, 12)
    if not rest:
        return f"{years} 年"
    return f"{years} 年 {rest} 个月" if years else f"{rest} 个月"


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def longer_than(start: date, end: date, years: int) -> bool:
    """Whether `start`..`end` (both included) runs more than `years` years: 2025-01-01 to
    2054-12-31 is exactly 30 years."""
    return end + ONE_DAY > add_years(start, years)


def _text_meta(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


class Contracts:
    """Every well-formed `合同`, by id, with its well-formed `合同变更`s in date order."""

    def __init__(self, contracts: Iterable[Directive], changes: Iterable[Directive]) -> None:
        self.hits: list[Hit] = []
        self.by_id: dict[str, Contract] = {}
        self._sorted: list[Contract] | None = None
        for d in sorted(contracts, key=lambda d: d.day):
            contract = self._read(d)
            if contract is not None:
                self.by_id[contract.id] = contract
        for d in sorted(changes, key=lambda d: d.day):
            self._read_change(d)

    def _read(self, d: Directive) -> Contract | None:
        problem = (
            require_text(d, (0, 1, 2, 3, 7))
            or require_choice(d, 1, vocab.CONTRACT_KINDS)
            or require_date(d, 4)
            or require_date(d, 5)
            or require_choice(d, 7, vocab.CONTRACT_PERIODS)
        )
        amount = require_amount(d, 6)
        if problem or isinstance(amount, Hit):
            self.hits.append(problem or amount)  # type: ignore[arg-type]  # one of them is a Hit
            return None
        ident, kind, counterparty, subject, start, end, _, period = d.values
        ident = ident.strip()
        if end < start:
            self.hits.append(bad(d.entry, f"合同终止日期 {end} 早于起始日期 {start}"))
            return None
        earlier = self.by_id.get(ident)
        if earlier is not None:
            self.hits.append(bad(d.entry, f"合同编号“{ident}”重复，已用于 {earlier.day} 的合同"))
            return None
        meta = d.meta
        written = _text_meta(meta, "award")
        award = vocab.award_named(written) if written is not None else None
        if award is not None and award not in vocab.AWARDS:
            self.hits.append(
                bad(d.entry, f"award“{award}”不在规定范围内（{'、'.join(vocab.AWARDS)}）")
            )
            return None
        due_day = self._due_day(d, period, start)
        deposit = self._deposit(d)
        if due_day is None or isinstance(deposit, Hit):
            if isinstance(deposit, Hit):
                self.hits.append(deposit)
            return None
        return Contract(
            id=ident,
            kind=kind,
            counterparty=counterparty.strip(),
            subject=subject.strip(),
            start=start,
            end=end,
            amount=amount,
            period=period,
            day=d.day,
            meeting=_text_meta(meta, "meeting"),
            award=award,
            due_day=due_day,
            asset=_text_meta(meta, "asset"),
            deposit=deposit,
            entry=d.entry,
        )

    def _due_day(self, d: Directive, period: str, start: date) -> str | None:
        """`due-day` as written, checked; the start's day when left out; "" when it has none."""
        raw = d.meta.get("due-day")
        if period == vocab.YEARLY:
            text = str(raw).strip() if raw is not None else f"{start:%m-%d}"
            try:
                month, day = (int(part) for part in text.split("-"))
                date(2024, month, day)  # a leap year: 02-29 is a due day (the 28th otherwise)
            except ValueError:
                self.hits.append(
                    bad(d.entry, f"按年收付的合同 due-day 应为 MM-DD（如 03-01），实为 {raw}")
                )
                return None
            return f"{month:02d}-{day:02d}"
        if period == vocab.MONTHLY:
            text = str(raw).strip() if raw is not None else f"{start.day:02d}"
            if not text.isdigit() or not 1 <= int(text) <= 31:
                self.hits.append(
                    bad(d.entry, f"按月收付的合同 due-day 应为 1 至 31 的日（如 05），实为 {raw}")
                )
                return None
            return f"{int(text):02d}"
        if raw is not None:
            self.hits.append(
                bad(
                    d.entry,
                    f"按{period}收付的合同不写 due-day：季付在每季第一天、一次付在起始日到期",
                )
            )
            return None
        return ""

    def _deposit(self, d: Directive) -> Decimal | Hit | None:
        raw = d.meta.get("deposit")
        if raw is None:
            return None
        if not isinstance(raw, Amount) or raw.currency != CURRENCY or raw.number is None:
            return bad(
                d.entry, f"deposit 应为 CNY 金额（如 5000.00 CNY），实为{type_name(raw)} {raw}"
            )
        if raw.number < 0:
            return bad(d.entry, f"deposit 不能为负数（{raw}）")
        return raw.number

    def _read_change(self, d: Directive) -> None:
        problem = require_text(d, (0, 1)) or require_choice(d, 1, vocab.CHANGE_KINDS)
        if problem:
            self.hits.append(problem)
            return
        ident, kind = d.values[0].strip(), d.values[1]
        contract = self.by_id.get(ident)
        if contract is None:
            self.hits.append(bad(d.entry, f"合同“{ident}”没有用“合同”指令声明"))
            return
        if d.day < contract.day:
            self.hits.append(
                bad(d.entry, f"变更日期 {d.day} 早于合同“{ident}”的签订日期 {contract.day}")
            )
            return
        change = self._change(d, contract, kind)
        if change is not None:
            self.by_id[ident] = contract._replace(changes=(*contract.changes, change))

    def _change(self, d: Directive, contract: Contract, kind: str) -> Change | None:
        counts = {vocab.RENEW: 5, vocab.AMEND: 4, vocab.TERMINATE: 3}
        forms = {
            vocab.RENEW: "合同编号、续签、新终止日期、新每期金额、原因",
            vocab.AMEND: "合同编号、变更、新每期金额、原因",
            vocab.TERMINATE: "合同编号、终止、原因",
        }
        if len(d.values) != counts[kind]:
            self.hits.append(
                bad(
                    d.entry,
                    f"{kind}应有 {counts[kind]} 个值（{forms[kind]}），实有 {len(d.values)} 个",
                )
            )
            return None
        reason = d.values[-1]
        if not isinstance(reason, str) or not reason.strip():
            self.hits.append(bad(d.entry, f"最后一个值“原因”应为带引号的文字，实为 {reason}"))
            return None
        new_end: date | None = None
        new_amount: Decimal | None = None
        if kind == vocab.RENEW:
            new_end = d.values[2]
            if not isinstance(new_end, date):
                self.hits.append(
                    bad(
                        d.entry,
                        f"续签的第 3 个值应为新的终止日期，实为{type_name(new_end)} {new_end}",
                    )
                )
                return None
            if new_end <= contract.ends(d.day):
                self.hits.append(
                    bad(
                        d.entry,
                        f"续签的新终止日期 {new_end} 不晚于合同现在的终止日期 {contract.ends(d.day)}",
                    )
                )
                return None
        if kind in (vocab.RENEW, vocab.AMEND):
            read = require_amount(d, 3 if kind == vocab.RENEW else 2, "新每期金额")
            if isinstance(read, Hit):
                self.hits.append(read)
                return None
            new_amount = read
        if contract.terminated(d.day) is not None:
            self.hits.append(bad(d.entry, f"合同“{contract.id}”已经终止，不能再{kind}"))
            return None
        return Change(
            contract.id, kind, d.day, new_end, new_amount, reason.strip(),
            _text_meta(d.meta, "meeting"), d.entry,
        )  # fmt: skip

    def get(self, ident: str) -> Contract | None:
        return self.by_id.get(ident)

    def __iter__(self) -> Iterator[Contract]:
        if self._sorted is None:  # every VL7xx rule and report goes through the register
            self._sorted = sorted(self.by_id.values(), key=lambda c: (c.day, c.id))
        return iter(self._sorted)

    def __len__(self) -> int:
        return len(self.by_id)


class Disposal(NamedTuple):
    asset: str
    way: str  # vocab.DISPOSAL_WAYS
    amount: Decimal
    day: date
    meeting: str | None
    entry: data.Custom


class Asset(NamedTuple):
    id: str
    name: str
    kind: str  # vocab.ASSET_KINDS
    cost: Decimal  # 原值; 0 for a resource
    day: date  # registered on
    account: str | None  # the account the books carry it on (151…)
    location: str | None
    life_years: int | None
    salvage_rate: Decimal | None
    entry: data.Custom
    disposal: Disposal | None = None

    @property
    def meta(self) -> dict[str, Any]:
        return self.entry.meta

    @property
    def is_resource(self) -> bool:
        """Land, ponds and forest with no 原值: registered, not carried on a 151 account."""
        return not self.cost and self.account is None

    def held(self, day: date) -> bool:
        """Registered on or before `day` and not disposed of by then."""
        return self.day <= day and (self.disposal is None or day < self.disposal.day)


class Assets:
    """Every well-formed `资产`, by id, with its `资产处置` if any."""

    def __init__(
        self, assets: Iterable[Directive], disposals: Iterable[Directive], chart: Chart
    ) -> None:
        self.hits: list[Hit] = []
        self.by_id: dict[str, Asset] = {}
        self._sorted: list[Asset] | None = None
        for d in sorted(assets, key=lambda d: d.day):
            asset = self._read(d, chart)
            if asset is not None:
                self.by_id[asset.id] = asset
        for d in sorted(disposals, key=lambda d: d.day):
            self._read_disposal(d)

    def _read(self, d: Directive, chart: Chart) -> Asset | None:
        problem = require_text(d, (0, 1, 2)) or require_choice(d, 2, vocab.ASSET_KINDS)
        cost = require_amount(d, 3)
        if problem or isinstance(cost, Hit):
            self.hits.append(problem or cost)  # type: ignore[arg-type]  # one of them is a Hit
            return None
        ident = d.values[0].strip()
        earlier = self.by_id.get(ident)
        if earlier is not None:
            self.hits.append(
                bad(d.entry, f"资产编号“{ident}”重复，已用于 {earlier.day} 登记的{earlier.name}")
            )
            return None
        account = _text_meta(d.meta, "account")
        if account is not None and account not in chart.opens:
            self.hits.append(bad(d.entry, f"资产的科目 {account} 没有开设（open）"))
            return None
        if account is None and cost:
            self.hits.append(
                bad(d.entry, f"原值 {cost} 元的资产应写 account（记载它的固定资产明细科目）")
            )
            return None
        life = d.meta.get("life-years")
        if life is not None and (
            isinstance(life, bool) or not isinstance(life, Decimal) or life <= 0 or life % 1
        ):
            self.hits.append(bad(d.entry, f"life-years 应为正整数（年），实为 {life}"))
            return None
        rate = d.meta.get("salvage-rate")
        if rate is not None and (
            isinstance(rate, bool) or not isinstance(rate, Decimal) or not 0 <= rate < 1
        ):
            self.hits.append(bad(d.entry, f"salvage-rate 应为 0 至 1 之间的小数，实为 {rate}"))
            return None
        return Asset(
            id=ident,
            name=d.values[1].strip(),
            kind=d.values[2],
            cost=cost,
            day=d.day,
            account=account,
            location=_text_meta(d.meta, "location"),
            life_years=int(life) if life is not None else None,
            salvage_rate=rate,
            entry=d.entry,
        )

    def _read_disposal(self, d: Directive) -> None:
        problem = require_text(d, (0, 1)) or require_choice(d, 1, vocab.DISPOSAL_WAYS)
        amount = require_amount(d, 2)
        if problem or isinstance(amount, Hit):
            self.hits.append(problem or amount)  # type: ignore[arg-type]  # one of them is a Hit
            return
        ident = d.values[0].strip()
        asset = self.by_id.get(ident)
        if asset is None:
            self.hits.append(bad(d.entry, f"资产“{ident}”没有用“资产”指令登记"))
            return
        if asset.disposal is not None:
            self.hits.append(bad(d.entry, f"资产“{ident}”已于 {asset.disposal.day} 处置"))
            return
        if d.day < asset.day:
            self.hits.append(
                bad(d.entry, f"处置日期 {d.day} 早于资产“{ident}”的登记日期 {asset.day}")
            )
            return
        disposal = Disposal(
            ident, d.values[1], amount, d.day, _text_meta(d.meta, "meeting"), d.entry
        )
        self.by_id[ident] = asset._replace(disposal=disposal)

    def get(self, ident: str) -> Asset | None:
        return self.by_id.get(ident)

    def __iter__(self) -> Iterator[Asset]:
        if self._sorted is None:  # the register is read at every quarter's end (VL707)
            self._sorted = sorted(self.by_id.values(), key=lambda a: (a.day, a.id))
        return iter(self._sorted)

    def __len__(self) -> int:
        return len(self.by_id)

    def held(self, day: date) -> list[Asset]:
        return [asset for asset in self if asset.held(day)]


# --- the register against the books, as `model.figures` values it (VL707, the asset register) ---


FIXED_ASSET_PREFIX = "Assets:151-"


def is_fixed_asset(account: str) -> bool:
    return account.startswith(FIXED_ASSET_PREFIX)


class AssetGap(NamedTuple):
    """A 151 account whose own balance differs from the 原值 of the assets registered on it."""

    account: str
    day: date
    registered: Decimal
    booked: Decimal
    assets: tuple[Asset, ...]

    @property
    def difference(self) -> Decimal:
        """The books less the register: positive, more on the books than registered."""
        return self.booked - self.registered


class AssetValue(NamedTuple):
    """An asset on the register as of `day`: what the books carry it at (nothing once disposed
    of)."""

    asset: Asset
    day: date
    cost: Decimal  # 原值 while held
    depreciation: Decimal  # its share of the account's 累计折旧

    @property
    def held(self) -> bool:
        return self.asset.held(self.day)

    @property
    def net(self) -> Decimal:
        """净值: 原值 less 累计折旧."""
        return self.cost - self.depreciation
