"""VL9xx 配置: the ledger's own directives and policy must be well formed and no looser than the
township's.

VL901: a malformed `任职`/`离任`/`亲属`/`会议决议`/`财务制度`/`公开封存`/`整改`/`合同`/`合同变更`/
`资产`/`资产处置` directive, an unknown policy key, a value of the wrong type, or an account
without a usable code.
VL902: a village policy item looser than the township's (a higher cap or limit, a shorter
split-payment window, a dropped keyword, a letter no longer required).
VL903: a `整改` that names no finding (no finding of that code on that voucher or directive,
dated on or before the 整改), or whose correcting voucher or resolution is not in the books.
VL904: a `整改` accepted by someone without the standing to accept it (see
`village_ledger.model.rectifications`: a township inspector or a 监委会 member that day, no
cadre, no party to the problem and no close relative of one).
VL905: the books include a file that is neither in the village's folder nor one of the
township's own files (the folder the chart comes from).
"""

from __future__ import annotations

from collections.abc import Iterator

from beancount.core import data

from village_ledger.beancount_plugin import make_plugin
from village_ledger.findings import Hit
from village_ledger.model import LedgerModel
from village_ledger.model.policy import ITEMS
from village_ledger.registry import Explanation, rule

__plugins__ = (make_plugin("config"),)


EXPLAIN_VL901 = Explanation(
    checks=(
        "账簿约定的指令写错：`任职`/`离任`/`亲属`/`会议决议`/`财务制度`/`公开封存`/`合同`/`合同变更`/"
        "`资产`/`资产处置` 缺少或多出参数、职务、会议名称、合同类型、资产类别等不在规定之列、"
        "财务制度项目不存在、数值类型不对；重复任职、未任职而离任；合同或资产编号重复，"
        "变更、处置指向没有声明的合同或资产；"
        "未知的中文自定义指令；"
        "科目没有代码、代码不是数字、与科目名中的代码不符，或不是上级科目代码的延伸。"
    ),
    why=(
        "其余规则都要读这些指令：写错的任职记录会让审批检查失去依据，写错的财务制度会让限额失效。"
        "检查中常见账户设置不规范、村里自设科目。宁可明确报错，也不默默忽略。"
    ),
    compliant='2025-03-01 custom "任职" "陈小红" "委员"\n',
    offending='2025-03-01 custom "任职" "陈小红"\n',
    decisions=(
        "只检查中文的自定义指令；Fava 等工具使用的英文 `custom` 指令不受影响。",
        "写错的指令不进入账簿模型，其他规则看不到它，只报告一次 VL901。",
        "科目的代码写在 `open` 的 `code` 上，必须与科目名中的代码一致，明细科目代码是上级代码加两位。",
        "合同、资产的写法见用户指南“合同与资产”一页；写错的合同不进入合同台账，其下的收款报 VL705。",
    ),
    fix="按提示的文件和行号改正指令；职务、会议名称和财务制度项目见用户指南。",
)


@rule("VL901", "指令或科目格式错误", explain=EXPLAIN_VL901)
def malformed_directive(model: LedgerModel) -> Iterator[Hit]:
    """A directive of the ledger contract or an account's code is malformed."""
    yield from model.config_hits


EXPLAIN_VL902 = Explanation(
    checks=(
        "本村账簿中的财务制度项目比乡镇的规定宽松：限额或天数更高、预警比例更低、拆分支付窗口更短、"
        "关掉“招待需公函”、删去禁止招待的关键词，就报告；这时仍按乡镇的规定执行。"
    ),
    why=(
        "乡镇的财务制度是上限（村账乡代管的“统一制度”），村里只能定得更严。"
        "否则放宽一个数字就能让所有检查失效。"
    ),
    compliant='2025-01-01 custom "财务制度" "现金支付限额" 800.00 CNY\n',
    offending='2025-01-01 custom "财务制度" "现金支付限额" 2000.00 CNY\n',
    decisions=(
        "乡镇共用文件（科目表所在的文件夹，如 `ledgers/township/`）中的财务制度是上限；"
        "其余文件中的可以收紧（从本村文件夹和乡镇文件夹以外引入的文件另报 VL905）。",
        "乡镇没有规定的项目，以本工具的默认值为上限（见用户指南的财务制度表）。",
        "宽松的项目报告后按乡镇的值执行，其余规则不受影响。",
    ),
    fix="删除或改严本村的该项财务制度。",
)


@rule("VL902", "本村财务制度宽于乡镇规定", reads=tuple(ITEMS), explain=EXPLAIN_VL902)
def policy_looser_than_township(model: LedgerModel) -> Iterator[Hit]:
    """A village policy item is looser than the township's ceiling."""
    yield from model.policy.looser


# a payment whose reviewer never signed (VL101), the ground of both examples below
UNREVIEWED = """\
2025-05-13 * "九池乡兴旺文具店" "办公用品"
  voucher: "2025-05-001"
  handler: "吴志强"
  approver: "王建国"
  invoice: "25320000000012345678"
  Expenses:513-管理费用:51302-办公费   386.00 CNY
  Assets:102-银行存款:10201-农商行    -386.00 CNY
"""
REVIEWED = UNREVIEWED.replace(
    '  approver: "王建国"\n', '  reviewer: "钱秀英"\n  approver: "王建国"\n'
)

EXPLAIN_VL903 = Explanation(
    checks=(
        "`整改` 记录指向的审计发现不存在：账簿中没有同一规则代码、同一凭证号（或同一指令）上、"
        "日期不晚于整改日期的审计发现；或者所附的整改凭证、决议编号在账簿中找不到。"
    ),
    why=(
        "整改记录使一条审计发现标为已整改、不再算作错误。写错凭证号或规则代码的整改什么也没有整改，"
        "却让人以为问题已经解决；指向不存在的整改凭证，验收就没有依据。"
    ),
    compliant=UNREVIEWED + '2025-06-02 custom "整改" "VL101" "2025-05-001" "补签审核人" "赵德明"\n',
    offending=REVIEWED + '2025-06-02 custom "整改" "VL101" "2025-05-001" "补签审核人" "赵德明"\n',
    decisions=(
        "整改用“问题的名称”指向审计发现：凭证号；会议决议的决议编号；公开封存的季度；其他指令写"
        "日期、指令类型和各个值（如 `2024-03-15 任职 张三 会计`）。不用行号，账簿文件增删调整不受影响。",
        "整改日期早于问题日期的，视为指向不存在的问题。",
        "第 5 个值（可省略）是整改凭证的凭证号或会议决议编号，必须在账簿中存在。",
        "问题是否存在要等全部规则（包括跨村规则）检查完才知道，所以只选 VL903 检查时也会运行全部规则。",
    ),
    fix="照 `village-ledger check --format json` 中该发现的 `rule` 和 `subject` 改正整改记录；"
    "问题已直接更正、不再出现的，删去整改记录。",
)


@rule("VL903", "整改记录指向不存在的审计发现或凭证", explain=EXPLAIN_VL903)
def rectification_names_nothing(model: LedgerModel) -> Iterator[Hit]:
    """整改记录必须指向确实存在的问题：同一规则代码、同一凭证号或指令、日期不晚于整改日期的审计发现；
    所附整改凭证或决议也必须在账簿中。"""
    # Only the correcting voucher or resolution is checked here: whether the finding exists is
    # known once every rule (the cross-village ones too) has run, so `rectification.settle`
    # adds those VL903 findings at the end of the audit.
    yield from model.rectifications.missing_evidence


EXPLAIN_VL904 = Explanation(
    checks=(
        "`整改` 的验收人无权验收：整改日期那天他不是乡镇农经员、乡镇纪检员或本村监委会主任、委员；"
        "或者同时担任本村书记、主任、副主任、委员、会计、出纳、报账员；或者是该问题凭证的经手人、"
        "证明人、审核人、审批人、收款人（指令所涉人员），或其近亲属。"
    ),
    why=(
        "整改由谁验收，决定了“已整改”是否可信。村干部不能验收自己账务的整改，当事人及其近亲属应当回避；"
        "验收应由乡镇（农经站、纪委）或村务监督委员会负责。"
    ),
    compliant=UNREVIEWED + '2025-06-02 custom "整改" "VL101" "2025-05-001" "补签审核人" "赵德明"\n',
    offending=UNREVIEWED + '2025-06-02 custom "整改" "VL101" "2025-05-001" "补签审核人" "王建国"\n',
    decisions=(
        "乡镇农经员、乡镇纪检员是乡镇职务，只能在乡镇共用的账簿文件（村文件夹以外）中任免，"
        "村账簿中写的是 VL901：村里不能自己指定验收人。",
        "民主理财小组成员可以审核凭证，但不能验收整改。",
        "无权验收的整改不算整改：问题仍按未整改报告。",
    ),
    fix="请有权的人验收后，改正整改记录中的验收人和日期。",
)


@rule("VL904", "整改验收人无权验收", explain=EXPLAIN_VL904)
def rectification_without_standing(model: LedgerModel) -> Iterator[Hit]:
    """整改须由乡镇农经员、乡镇纪检员或村务监督委员会主任、委员验收；村干部、问题的经手人、审核人、
    审批人、收款人及其近亲属不能验收。无权验收的整改不算整改，问题仍未整改。"""
    yield from model.rectifications.without_standing


EXPLAIN_VL905 = Explanation(
    checks=(
        "账簿引入（include）的文件既不在本村文件夹（`main.beancount` 所在的文件夹及其子文件夹）内，"
        "也不是乡镇共用文件（科目表所在的文件夹，如 `ledgers/township/`），而其中有记录计入了本村账簿。"
        "每个这样的文件报告一次，报在它的第一条记录上。"
    ),
    why=(
        "一个村的账就是本村文件夹里的文件加上乡镇统一的科目表和财务制度。放在别处的文件不归本村、"
        "也不归乡镇，审计和监委会查账时容易漏看；曾有人借这样的文件在已公开封存的季度里补记凭证。"
    ),
    compliant='include "2025.beancount"            ; 本村文件夹内的年度账\n',
    offending=(
        'include "../extra.beancount"        ; 各村文件夹的上一级，不是乡镇共用文件夹\n'
        "; ../extra.beancount 中有一笔 2025-02-14 的凭证\n"
    ),
    decisions=(
        "乡镇共用文件夹是本村文件夹以外、开设一级科目（如 `Assets:101-库存现金`）最多的文件所在的文件夹；"
        "若它就是各村文件夹的上一级，只有这一级本身的文件算乡镇共用文件，下面各村的文件夹不算。",
        "这样的文件中的记录照样计入本村账簿和公开封存的摘要值，其中的财务制度按本村制度对待（只能更严）。",
        "编入配置类（VL9xx）而不是期间与公开类：它与是否封存无关；VL604 已留给“逾期封存”。",
        "报告中不写文件名：位置由报告的文件和行号给出，文件名可能含有不宜公开的内容。",
    ),
    fix="把该文件移入本村文件夹（本村的账）或乡镇共用文件夹（全乡统一的科目表、财务制度），改正 include。",
)


@rule("VL905", "账簿引入了本村文件夹和乡镇共用文件以外的文件", explain=EXPLAIN_VL905)
def file_outside_the_books(model: LedgerModel) -> Iterator[Hit]:
    """Entries come from a file outside the village's folder and the township's own files.

    A village's books are its folder plus the township's shared files, the folder its chart of
    accounts comes from (`LedgerModel.is_township_file`). A file anywhere else (`include
    "../extra.beancount"`) is nobody's: it is not in the village's folder, where its history
    is reviewed, and not the township's, which the village cannot change. Such a file once
    passed for a township file and escaped the seal's digest; now its entries are covered like
    the village's own, and the file itself is this finding, once per file, on its first entry.

    Why VL9xx and not VL6xx: it is about what the books are made of, not about publication; it
    fires whether or not any quarter is sealed, and VL604 is reserved for a late seal. Why an
    error: policy directives in such a file count as the village's (they may tighten, never
    loosen), but anything in it is outside every place an auditor is told to look.
    """
    first: dict[str, data.Directive] = {}  # file -> its first entry
    counts: dict[str, int] = {}
    foreign: dict[str, bool] = {}  # few files, many entries: decide each file once
    for entry in model.entries:
        filename = str((entry.meta or {}).get("filename", ""))
        outside = foreign.get(filename)
        if outside is None:
            outside = foreign[filename] = model.is_foreign_file(filename)
        if not outside:
            continue
        counts[filename] = counts.get(filename, 0) + 1
        seen = first.get(filename)
        if seen is None or entry.meta.get("lineno", 0) < seen.meta.get("lineno", 0):
            first[filename] = entry
    for filename, entry in sorted(first.items()):
        # no path in the message: the finding's file and line say where, and a file's name may
        # carry what a public page must not show
        yield Hit(
            entry.meta,
            f"此文件既不在本村文件夹内，也不在乡镇共用文件夹（科目表所在的文件夹）内，其中 "
            f"{counts[filename]} 条记录计入了本村账簿；本村的凭证、任职、决议和财务制度应写在"
            "本村文件夹内的文件中，乡镇共用的科目表和财务制度放在乡镇共用文件夹中",
            entry.date,
        )
