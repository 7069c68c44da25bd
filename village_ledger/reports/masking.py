"""Masking personal data: the one step between a report model and every public renderer.

`publish(report)` walks the whole report (every string of every field, table cell and total,
however deeply nested) and returns a `Public` copy; renderers accept only `Public`. A field can
opt out only by declaring `metadata={"unmasked": reason}` on its dataclass field (the
supervision telephone, printed for villagers to call, and the seal digest).

What is masked, wherever it appears in text (rules in docs/reports.md):

- 身份证号: 18 characters (17 digits and a digit or X) or the old 15 digits: first 6 and last 4 kept;
- mobile numbers 1[3-9]xxxxxxxxx, also written 138-1234-5678, 138 1234 5678 or with +86: first 3
  and last 4 kept;
- bank card numbers of 16 to 19 digits, also in groups of four: last 4 kept;
- any other run of more than 20 digits, or of 20 not starting with a year: last 4 kept;
- the middle four digits of a mobile number glued to other digits (`139123400102026`);
- the given name of the payee of a relief (救助) payment, wherever that payee's name appears;
- the given name of a contract's counterparty who is a person (`is_individual`), likewise.

Numbers are read as a reader sees them: invisible format characters dropped, every script's
digits and long runs of Chinese numerals read as digits, every dash and space as a separator.
A run of exactly 20 digits that starts with a year (20–39) is a 全电发票 number and is left
alone, as are the invoice form `<10 or 12 digits>-<8 digits>`, voucher numbers (`2025-04-003`),
dates and amounts: none of them is a single run of 15 to 19 digits. Digits are matched as whole
runs, so no part of a longer number is mistaken for a phone number.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pandas as pd

from village_ledger.reports.tables import Table

if TYPE_CHECKING:
    from village_ledger.model import LedgerModel

T = TypeVar("T")

STAR = "*"
# surnames of two characters, so 欧阳明 becomes 欧阳* and not 欧**
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "端木",
        "轩辕",
        "独孤",
        "南宫",
        "西门",
        "申屠",
    ]
)

# A number as people write it: digit groups joined by spaces, dashes, dots or slashes
# (`139.1234.0010`, `340827 19660606 1107`, `6222 0212 3456 7890 123`). The pattern runs on the
# text's reading (`_reading`), where every way of writing a digit, a dash or a space is already
# the ASCII one (`１３９–１２３４–００１１` reads 139-1234-0011), so it needs to know only these.
_PART = r"[0-9]+(?:[Xx](?![A-Za-z]))?"
_SEPARATOR = r"(?: +[-.·_/]? *|[-.·_/] *)"
NUMBER = re.compile(rf"(?<![0-9]){_PART}(?:{_SEPARATOR}{_PART})*(?![0-9])")
PART = re.compile(_PART)
INVOICE_DIGITS = 20
Keep = tuple[int, int] | None
# `<10 or 12 digits>-<8 digits>`: 发票代码-发票号码, never a personal number
INVOICE_FORMS = frozenset({(10, 8), (12, 8)})
# a part shorter than this breaks a written number (`2025.04.01` is a date, not one number)
SHORTEST_GROUP = 3
COUNTRY_CODES = ("86", "0086")
FULL_WIDTH = str.maketrans("Ｘｘ－．＋／", "Xx-.+/")
# what joins digit groups as a dash does, besides every Unicode dash (category Pd): the minus
# sign, tildes, and the closing bracket of `(139)1234-0010`
DASH_LIKE = frozenset("\u2212~～)）")
# ASCII characters the reading changes: whitespace other than the space, and the dash-likes
_ASCII_READ = frozenset("\t\n\r\x0b\x0c~)")
# digits spelt in Chinese numerals (`一三九一二三四〇〇一〇`; 幺 is 1 as phone numbers are read
# aloud): read as digits where eleven or more stand together, which no Chinese word does
CHINESE_DIGITS = dict(zip("〇零幺一二三四五六七八九", "001123456789", strict=True))
CHINESE_NUMBER = re.compile(f"[{''.join(CHINESE_DIGITS)}]{{11,}}")


# Unicode's invisible format characters (category Cf: zero-width spaces and joiners, soft
# hyphens, byte-order and direction marks, ...), as of Unicode 15
INVISIBLE = re.compile(
    r"[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    r"\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    r"\U000e0020-\U000e007f]+"
)


def _visible(text: str) -> str:
    """The text without invisible format characters: between digits they split a number for a
    pattern but not for the eye (`139<zero-width space>1234<zero-width space>0010` shows as
    13912340010), between the characters of a name they hide it from the name's pattern."""
    return text if text.isascii() else INVISIBLE.sub("", text)


def _read_char(ch: str) -> str:
    if ch.isdigit():  # decimal digits of every script, superscripts, circled digits
        return ch if ch.isascii() else str(unicodedata.digit(ch))
    if ch.isspace():
        return " "
    if ch in DASH_LIKE or unicodedata.category(ch) == "Pd":
        return "-"
    return ch.translate(FULL_WIDTH)


def _reading(text: str) -> str:
    """How the masker reads `text`: of the same length, every digit as its ASCII digit, every
    dash as `-`, every space (tab, line break, thin or ideographic space) as ` `."""
    if text.isascii() and _ASCII_READ.isdisjoint(text):
        return text
    reading = "".join(
        ch if ch.isascii() and ch not in _ASCII_READ else _read_char(ch) for ch in text
    )
    return CHINESE_NUMBER.sub(lambda m: "".join(CHINESE_DIGITS[c] for c in m.group(0)), reading)


def _ascii_digits(text: str) -> str:
    """Every decimal digit (full-width, Arabic-Indic, ...) as the masked text shows it: its ASCII
    digit. Lengths do not change."""
    if text.isascii():
        return text
    text = text.translate(FULL_WIDTH)
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text
    )


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
EARLIEST_BIRTH_YEAR = 1880


def is_identity_number(text: str) -> bool:
    """An 18-character 身份证号: a birth date where it belongs, and a last character that is its
    GB 11643 checksum."""
    if len(text) != 18 or not text[:17].isdigit():
        return False
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    if born.year < EARLIEST_BIRTH_YEAR:
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == text[17].upper()


def _is_mobile(digits: str) -> bool:
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789" and digits.isdigit()


def kept_digits(digits: str, groups: tuple[int, ...] = (), *, exact: bool = False) -> Keep:
    """How many digits stay visible at the start and the end of a number, or None when it is
    nothing personal. `groups` are the lengths it was written in. `exact` asks only for what a
    number is for certain (a mobile number, a valid 身份证号, a card in groups of four), not for
    what its length alone suggests."""
    size = len(digits)
    for code in COUNTRY_CODES:
        if digits.startswith(code) and _is_mobile(digits[len(code) :]):
            return len(code) + 3, 4
    if _is_mobile(digits):
        return 3, 4
    if len(groups) >= 4 and all(g == 4 for g in groups[:-1]) and 16 <= size <= 19:
        return 0, 4  # a card in groups of four
    if is_identity_number(digits):
        return 6, 4
    if exact:
        return None
    if size == 18 and not digits.isdigit():
        return 6, 4  # a 身份证号 ending in X whose checksum fails: still one
    if size == 15 and digits.isdigit():
        return 6, 4  # the old 15-digit 身份证号
    if 16 <= size <= 19 and digits.isdigit():
        return 0, 4  # a card (or an 18-digit run failing the identity checksum)
    if size > INVOICE_DIGITS or (size == INVOICE_DIGITS and not is_invoice_number(digits)):
        return 0, 4
    return None


# the years a 全电发票 number may start with (its first two digits): 2020 to 2039
INVOICE_YEARS = ("20", "39")


def is_invoice_number(digits: str) -> bool:
    """A 20-digit 全电发票 number starts with its year (a card glued to four more digits,
    6222…, or a mobile glued to nine, 139…, does not)."""
    return len(digits) == INVOICE_DIGITS and INVOICE_YEARS[0] <= digits[:2] <= INVOICE_YEARS[1]


def _segments(parts: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Runs of parts that may be one number: every part at least SHORTEST_GROUP long, except a
    country code in front and a short last group after two long ones (`6222 0212 3456 7890 1`)."""
    segments: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for part in parts:
        text = part.group(0)
        if len(text) >= SHORTEST_GROUP or (not current and text in COUNTRY_CODES):
            current.append(part)
            continue
        if len(current) >= 2:
            current.append(part)
        if current:
            segments.append(current)
        current = []
    if current:
        segments.append(current)
    return segments


# a number spelt out a digit or two at a time (`1 3 9 1 2 3 4 0 0 1 0`, `13-91-23-40-01-0`) has
# at least this many digits; no date or voucher number is written so
SPELT_OUT_DIGITS = 11


def _digit_by_digit(parts: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """A run written a digit or two at a time, as one segment; no segment otherwise."""
    short = all(len(p.group(0)) < SHORTEST_GROUP for p in parts)
    if short and sum(len(p.group(0)) for p in parts) >= SPELT_OUT_DIGITS:
        return [parts]
    return []


def _hidden_in_segment(parts: list[re.Match[str]]) -> set[int]:
    """The positions (in the text) of the digits to hide in one segment of a written number: the
    windows of its parts that are certainly a personal number first (longest first), then what
    is left by length alone, then the middle of any mobile number glued to other digits."""
    groups = tuple(len(p.group(0)) for p in parts)
    if groups in INVOICE_FORMS:
        return set()
    positions = [i for p in parts for i in range(p.start(), p.end())]  # one per digit
    if sum(groups) > INVOICE_DIGITS:
        # longer than any invoice: two or more numbers written back to back, whose groups
        # need not fall on their boundaries (`1305.3857.173` + `1700.0000.102` reads as
        # 1305 3857 1731700 0000 102), so no window of groups would find the first one
        return set(positions[:-4])
    starts = [0]
    for size in groups:
        starts.append(starts[-1] + size)
    count = len(parts)
    windows = [(i, i + size) for size in range(count, 0, -1) for i in range(count - size + 1)]
    taken: set[int] = set()
    certain: set[int] = set()  # digits (by index) of numbers known for what they are
    hidden: set[int] = set()
    for exact in (True, False):
        for i, j in windows:
            if taken.intersection(range(i, j)):
                continue
            digits = "".join(p.group(0) for p in parts[i:j])
            keep = kept_digits(digits, groups[i:j], exact=exact)
            if keep is None:
                continue
            first, last = keep
            hidden.update(positions[starts[i] + first : starts[j] - last])
            taken.update(range(i, j))
            if exact:
                certain.update(range(starts[i], starts[j]))
    digits = "".join(p.group(0) for p in parts)
    return hidden | {positions[d] for d in _glued_mobile_middles(digits, certain)}


# digits of a mobile number that its own mask hides (139****0010): a run that holds a mobile
# number glued to other digits hides at least these, so no two masks of it add up to more
MOBILE_HIDDEN = range(3, 7)


def _glued_mobile_middles(digits: str, certain: set[int]) -> set[int]:
    """The middle four digits of every mobile number within a run of other digits
    (`139123400102026`, which its length alone would mask as an old 身份证号 keeping 139123;
    `139123400105`, which no rule of length masks at all). A 全电发票 number is left alone
    (a mobile-like window within one is chance)."""
    if len(digits) <= 11 or is_invoice_number(digits):
        return set()
    last_start = len(digits) - 11
    found: set[int] = set()
    for start in range(last_start + 1):
        window = range(start, start + 11)
        if certain.isdisjoint(window) and _is_mobile(digits[start : start + 11]):
            found.update(start + i for i in MOBILE_HIDDEN)
    return found


def mask_numbers(text: str) -> str:
    """Identity, phone and card numbers in free text, masked, however they are written."""
    text = _visible(text)
    if not any(ch.isdigit() for ch in text) and CHINESE_NUMBER.search(text) is None:
        return text
    reading = _reading(text)
    hidden: set[int] = set()
    for match in NUMBER.finditer(reading):
        parts = list(PART.finditer(reading, match.start(), match.end()))
        for segment in _digit_by_digit(parts) or _segments(parts):
            hidden |= _hidden_in_segment(segment)
    shown = _ascii_digits(text)
    if not hidden:
        return shown
    return "".join(STAR if i in hidden else ch for i, ch in enumerate(shown))


# --- names --------------------------------------------------------------------------------

# what stands around a person's name in a relief payee or narration, and is no name
_BRACKETS = re.compile(r"[（(【\[［〔][^）)】\]］〕]*[）)】\]］〕]")
_NOT_CHINESE = re.compile(r"[^\u3400-\u9fff]+")
# words of relief payments, longest first where one starts another
RELIEF_WORDS = (
    "临时救助金|临时救助|救助金|救助|救济金|救济|补助金|补助|补贴|慰问金|慰问品|慰问|生活费|生活|"
    "医疗|教育|住房|低保金|低保|五保|特困|困难|残疾|大病|重病|孤儿|孤寡|老人|家庭|资金|物资|"
    "春节|中秋|元旦|冬季|夏季|季度|上半年|下半年|半年|全年|发放|支付|支出|领取|代领|补发|"
    "退回|收回|冲回|冲销|更正|调整|审批|批准|现金|转账|户主|社员|村民|对象|人员|本村|签收|"
    # what a narration writes beside a recipient's numbers and circumstances (临时救助 张秀英
    # （身份证 …，电话 …）因病): read as names, they were masked in every text of the sheet
    # (缴纳宽带及电话费 became 电*费)
    "身份证号码|身份证号|身份证|证件号码|证件号|证号|联系电话|电话号码|电话|手机号码|手机号|手机|"
    "联系方式|号码|银行卡号|银行卡|卡号|账号|开户行|住址|地址|因病|因灾|因残|因学|受灾|灾害|房屋|"
    "受损|倒塌|就学|就医|住院|子女|独居|取暖|群众|贫困户|困难户|低收入|监测户|家属|遗属|丧葬|临时"
)
_WORDS = re.compile(RELIEF_WORDS)
# single characters that stand next to a name (给王淑珍, 李桂芝等, 五保户李桂芝) but may also
# be part of one (金, 向 and 和 are surnames): a name is looked for with and without them
EDGE = frozenset("户金款费元年月季给向为的之等人及和与代付本各每名位村组一二三四五六七八九十")
EDGE_CHARS = "".join(sorted(EDGE))
NAME_LENGTHS = range(2, 5)


def person_names(text: str) -> list[str]:
    """The persons' names in a relief payee or narration: `李桂芝（五保户）` → 李桂芝,
    `刘凤英、陈春花` → both, `发放王淑珍临时救助金` → 王淑珍. What is left after bracketed
    notes, punctuation and the words of relief payments are taken out, if it has a name's
    length (two to four characters); errs towards finding more than there is."""
    found: list[str] = []
    for chunk in _NOT_CHINESE.split(_BRACKETS.sub(" ", text)):
        for piece in _WORDS.split(chunk):
            pieces = [piece]
            if len(piece) > max(NAME_LENGTHS):  # 刘凤英和陈春花
                pieces += "".join(" " if ch in EDGE else ch for ch in piece).split()
            for part in pieces:
                trimmed = [part.lstrip(EDGE_CHARS), part.rstrip(EDGE_CHARS)]
                trimmed += [part[1:]] if part[:1] in EDGE else []
                trimmed += [part[:-1]] if part[-1:] in EDGE else []
                for candidate in (part, *trimmed):
                    if _is_name(candidate) and candidate not in found:
                        found.append(candidate)
    return found


def _is_name(candidate: str) -> bool:
    return len(candidate) in NAME_LENGTHS and not set(candidate) <= EDGE


def given_name(name: str) -> str:
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[keep:]


def mask_name(name: str) -> str:
    """张三丰 -> 张**, 欧阳明 -> 欧阳*: the surname stays, the given name goes."""
    name = name.strip()
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + STAR * (len(name) - keep)


# what may stand between the characters of a name as people write it: 王 芳, 王　芳 (two-character
# names are padded to the width of three in tables)
_NAME_SPACE = r"\s*"


def compact_name(name: str) -> str:
    """A name without the spaces and invisible characters written within it."""
    return re.sub(r"\s+", "", _visible(name))


def spaced(name: str) -> str:
    """A pattern for `name` that also finds it with spaces between its characters."""
    return _NAME_SPACE.join(map(re.escape, name))


def hidden_forms(texts: Iterable[str]) -> dict[str, str]:
    """What to hide for relief payees as written in the books, and what shows instead: each
    whole text, each person's full name in it, and a given name of two or more characters
    alone (秀兰 of 张秀兰, which people write without the surname)."""
    forms: dict[str, str] = {}
    names: list[str] = []
    for text in map(compact_name, texts):
        if text:
            forms[text] = mask_name(text)
            names += person_names(text)
    for name in names:
        forms.setdefault(name, mask_name(name))
    for name in names:  # after every full name, so that 李桂芝 keeps its surname
        given = given_name(name)
        if len(given) >= 2:
            forms.setdefault(given, STAR * len(given))
    return forms


class Masker:
    """Masks one report's text: numbers everywhere, and the names of its relief payees.

    `public_names` (the village officers of the roster: cadres' names are public) are left as
    written wherever they appear whole, though a hidden given name is part of one (the 监委会主任
    朱永福 beside the tenant 程永福, whose 永福 is hidden alone); a public name that is itself
    one of the hidden forms stays hidden. At each place the longest name written there wins,
    so a hidden full name longer than a public one is still masked."""

    def __init__(self, hidden_names: Iterable[str] = (), public_names: Iterable[str] = ()) -> None:
        self.names = frozenset(n for n in hidden_names if n)  # as given, before their forms
        self.replacements = hidden_forms(sorted(self.names))
        self.public = frozenset(
            n for n in map(compact_name, public_names) if n and n not in self.replacements
        )
        # what shows for each name the pattern finds: a hidden name's form, a public name itself
        self.shown = {**{n: n for n in self.public}, **self.replacements}
        names = sorted(self.shown, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(spaced, names))) if self.replacements else None

    def text(self, value: str) -> str:
        return self.hide_names(mask_numbers(value))

    def hide_names(self, value: str, star: str = STAR) -> str:
        """The hidden names in `value` masked (their hidden characters written `star`), the
        public ones left as written, however spaced (`王 芳`, `王　芳` are 王芳)."""
        if self.pattern is None:
            return value
        return self.pattern.sub(
            lambda m: self.shown[compact_name(m.group(0))].replace(STAR, star), value
        )

    def __call__(self, value: Any) -> Any:
        return self.walk(value)

    def walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, pd.DataFrame):
            return self.frame(value)
        if isinstance(value, Table):
            return dataclasses.replace(
                value,
                rows=self.frame(value.rows),
                totals=[self.walk(t) for t in value.totals],
                title=self.text(value.title),
                note=self.text(value.note),
            )
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self.dataclass(value)
        if isinstance(value, dict):
            return {self.walk(k): self.walk(v) for k, v in value.items()}
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return self.record(value)
        if isinstance(value, list | tuple):
            return type(value)(self.walk(v) for v in value)
        if isinstance(value, frozenset | set):
            return type(value)()  # sets hold what masking needs, never anything to show
        return value

    def frame(self, rows: pd.DataFrame) -> pd.DataFrame:
        masked = rows.copy()
        for column in masked.columns:
            if masked[column].dtype == object or pd.api.types.is_string_dtype(masked[column]):
                masked[column] = masked[column].map(self._cell)
        return masked

    def _cell(self, value: Any) -> Any:
        return self.text(value) if isinstance(value, str) else value

    def record(self, value: Any) -> Any:
        """A record of the model (a `typing.NamedTuple`), walked field by field like a dataclass."""
        return value._make(self.walk(v) for v in value)

    def dataclass(self, value: Any) -> Any:
        changes = {}
        for f in dataclasses.fields(value):
            if f.metadata.get("unmasked") or not f.init:
                continue
            changes[f.name] = self.walk(getattr(value, f.name))
        return dataclasses.replace(value, **changes)


RELIEF = "救助"


def relief_texts(payee: str | None, narration: str | None) -> list[str]:
    """What of one relief payment names its recipients: the payee as written, and the names in
    the narration (a payment booked without a payee names them there: 发放王淑珍临时救助金)."""
    found = [payee.strip()] if payee and payee.strip() else []
    return found + person_names(narration or "")


def relief_names(model: LedgerModel) -> frozenset[str]:
    """Everyone a relief (救助) payment of the books went to, as `Masker` takes them."""
    names: set[str] = set()
    for txn in model.transactions:
        if any(model.chart.get(p.account).category == RELIEF for p in txn.postings):
            names.update(relief_texts(txn.payee, txn.narration))
    return frozenset(names)


# what a unit's name holds and a person's does not: a counterparty without any of these is
# taken for a person (errs towards hiding: 张秀兰, 李四（养殖户）, 王五等三户)
ORGANISATION = re.compile(
    "公司|集团|合作社|联合社|协会|委员会|村委|银行|信用社|超市|商行|商店|门市|经营部|服务部|"
    "服务站|中心|基地|医院|学校|农庄|酒家|饭店|宾馆|加油站|[厂店场站所局院校馆社部队组处办园坊]"
)


def is_individual(counterparty: str) -> bool:
    """Whether a contract's counterparty is a person (a villager who rents the pond) rather than
    a unit: no unit's word in what is left of it without bracketed notes."""
    text = _BRACKETS.sub("", counterparty).strip()
    return bool(text) and ORGANISATION.search(text) is None


def counterparty_names(model: LedgerModel) -> frozenset[str]:
    """The counterparties of the books' contracts that are persons: in anything public their
    given names are hidden wherever they appear (the contract, the receipts' payee and
    narration), as for relief recipients."""
    return frozenset(c.counterparty for c in model.contracts if is_individual(c.counterparty))


def private_names(model: LedgerModel) -> frozenset[str]:
    """Every person whose given name a public output of the books hides: relief recipients and
    contract counterparties who are persons."""
    return relief_names(model) | counterparty_names(model)


@dataclass(frozen=True)
class Public(Generic[T]):
    """A report after masking: the only thing a public renderer accepts."""

    report: T


def publish(
    report: T, hidden_names: Iterable[str] | None = None, public_names: Iterable[str] | None = None
) -> Public[T]:
    """The masked copy of `report`: the hidden names are its `relief_payees` unless given, the
    public ones (left as written) its `public_names` unless given."""
    names = hidden_names if hidden_names is not None else getattr(report, "relief_payees", ())
    public = public_names if public_names is not None else getattr(report, "public_names", ())
    return Public(Masker(names, public).walk(report))


def officers(model: LedgerModel) -> frozenset[str]:
    """Everyone the roster gives a post (村两委, 监委会, 理财小组, 财会人员): public names."""
    return frozenset(model.roster.people())


def require_public(value: object, renderer: Callable[..., Any]) -> None:
    if not isinstance(value, Public):
        raise TypeError(f"{renderer.__name__} renders only a masked report (masking.publish)")
