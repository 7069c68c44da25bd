"""The fixed words of the ledger contract (docs/zh/guide.md): directive types, roles, bodies, keys."""

# custom directive types
APPOINT = "任职"
LEAVE = "离任"
RELATIVE = "亲属"
RESOLUTION = "会议决议"
POLICY = "财务制度"
SEAL = "公开封存"
RECTIFY = "整改"
CONTRACT = "合同"
CONTRACT_CHANGE = "合同变更"
ASSET = "资产"
DISPOSAL = "资产处置"
PUBLIC_URL = "公开网址"  # the township's public server, where a sheet's QR code leads
DIRECTIVES = (
    APPOINT, LEAVE, RELATIVE, RESOLUTION, POLICY, SEAL, RECTIFY,
    CONTRACT, CONTRACT_CHANGE, ASSET, DISPOSAL, PUBLIC_URL,
)  # fmt: skip

ROLES = (
    "书记", "主任", "副主任", "委员",
    "监委会主任", "监委会委员", "理财小组",
    "会计", "出纳", "报账员",
    "乡镇农经员", "乡镇纪检员",
)  # fmt: skip
# the formal titles accountants write in 任职 for the roles above, read as those roles
ROLE_TITLES = {
    **dict.fromkeys(
        ("村党组织书记", "村党支部书记", "村党总支书记", "村党委书记", "党支部书记", "党总支书记",
         "支部书记", "村支书"),
        "书记",
    ),
    **dict.fromkeys(("村民委员会主任", "村委会主任", "村主任"), "主任"),
    **dict.fromkeys(("村民委员会副主任", "村委会副主任", "村副主任"), "副主任"),
    **dict.fromkeys(("村民委员会委员", "村委会委员", "村两委委员", "两委委员"), "委员"),
    **dict.fromkeys(("村务监督委员会主任", "村监委会主任", "监委主任"), "监委会主任"),
    **dict.fromkeys(("村务监督委员会委员", "村监委会委员", "监委委员"), "监委会委员"),
    **dict.fromkeys(
        ("民主理财小组", "民主理财小组成员", "民主理财小组组长", "理财小组成员", "理财小组组长"),
        "理财小组",
    ),
    **dict.fromkeys(("村会计", "村级会计", "委托代理会计"), "会计"),
    **dict.fromkeys(("村出纳", "村级出纳"), "出纳"),
    **dict.fromkeys(("村报账员", "村级报账员"), "报账员"),
}  # fmt: skip


def role_named(written: str) -> str:
    """The role a 任职 or 离任 names: one of ROLES, or a formal title of one (`ROLE_TITLES`)."""
    name = written.strip()
    return ROLE_TITLES.get(name, name)


APPROVING_ROLES = frozenset({"书记", "主任"})
REVIEWING_ROLES = frozenset({"监委会主任", "监委会委员", "理财小组"})
# township staff who inspect the villages' books; appointed only in the township's shared files
TOWNSHIP_ROLES = frozenset({"乡镇农经员", "乡镇纪检员"})
# who may accept a 整改: township inspectors and the village's supervisory committee
ACCEPTING_ROLES = TOWNSHIP_ROLES | {"监委会主任", "监委会委员"}

# bodies of a 会议决议, by the size of spend they may authorise
BODY_RANK = {"两委联席会议": 1, "村民代表会议": 2, "村民会议": 3}
# the other names accountants give these bodies, read as the above
BODY_NAMES = {
    **dict.fromkeys(
        ("村两委联席会议", "两委联席会", "两委会议", "两委会", "村两委会议", "村两委会"), "两委联席会议"
    ),
    **dict.fromkeys(("村民代表大会", "村民代表会"), "村民代表会议"),
    **dict.fromkeys(("村民大会",), "村民会议"),
}  # fmt: skip


def body_named(written: str) -> str:
    """The body a 会议决议 names: one of BODY_RANK, or another name for one (`BODY_NAMES`)."""
    name = written.strip()
    return BODY_NAMES.get(name, name)


# receipt types accepted as a voucher when there is no invoice
ACCEPTED_RECEIPTS = ("收款收据", "工资表", "银行回单", "内部凭证")
# the other names accountants write for these, read as the above
RECEIPT_NAMES = {
    **dict.fromkeys(("收据",), "收款收据"),
    **dict.fromkeys(("工资单", "工资发放表", "工资花名册"), "工资表"),
    **dict.fromkeys(("回单", "银行进账单", "银行收款回单", "银行付款回单"), "银行回单"),
    **dict.fromkeys(("自制凭证", "内部转账单"), "内部凭证"),
}


def receipt_named(written: str) -> str:
    """A `receipt` type: one of ACCEPTED_RECEIPTS (or 白条), or another name for one."""
    name = written.strip()
    return RECEIPT_NAMES.get(name, name)


IOU = "白条"

# contracts (合同): their kinds, what the amount per period is, and how they were awarded
LETTING = "发包"  # land and resources
LEASE = "租赁"  # assets
GUARANTEE = "担保"
CONTRACT_KINDS = (LETTING, LEASE, "承包", "采购", "工程", "借款", GUARANTEE)
# the village receives the amount each period; for 采购 and 工程 it pays the contract price
RECEIVING_KINDS = frozenset({LETTING, LEASE, "承包", "借款"})
PAYING_KINDS = frozenset({"采购", "工程"})
YEARLY, QUARTERLY, MONTHLY, ONCE = "年", "季", "月", "一次"
CONTRACT_PERIODS = (YEARLY, QUARTERLY, MONTHLY, ONCE)
NEGOTIATED = "协商"
AWARDS = ("公开招标", "公开竞价", NEGOTIATED)
# the other words accountants write for how a contract was awarded, read as the above
AWARD_NAMES = {
    **dict.fromkeys(("公开招租", "招标", "公开招投标"), "公开招标"),
    **dict.fromkeys(("公开拍卖", "拍卖", "竞价", "竞拍", "公开竞拍"), "公开竞价"),
    **dict.fromkeys(("协议", "议价", "协商议价"), NEGOTIATED),
}


def award_named(written: str) -> str:
    """How a contract was awarded: one of AWARDS, or another word for one (`AWARD_NAMES`)."""
    name = written.strip()
    return AWARD_NAMES.get(name, name)


RENEW, AMEND, TERMINATE = "续签", "变更", "终止"
CHANGE_KINDS = (RENEW, AMEND, TERMINATE)

# assets and resources (资产): their kinds, and how one leaves the register (资产处置)
ASSET_KINDS = ("房屋", "建筑物", "机器设备", "车辆", "土地", "林地", "水面", "其他")
DISPOSAL_WAYS = ("出售", "报废", "无偿调出")

# the metadata keys of a voucher (docs/zh/guide.md §3) as the villagers' pages name them
META_LABELS = {
    "voucher": "凭证号",
    "handler": "经手人",
    "witness": "证明人",
    "reviewer": "审核人",
    "approver": "审批人",
    "meeting": "决议编号",
    "invoice": "发票号码",
    "invoice-date": "开票日期",
    "receipt": "其他凭据",
    "receipt-no": "收款收据号",
    "guests": "来客人数",
    "hosts": "陪同人数",
    "guest-org": "来客单位",
    "letter": "公函",
    "project": "专项项目",
    "attachments": "附件张数",
    "opening": "期初余额",
    "closing": "年末结转",
    "depreciation": "折旧月份",
    "asset": "资产科目",
    "code": "科目代码",
    "category": "科目类别",
    "kind": "类型",
    "contra": "对方科目",
    "counted-by": "盘点人",
    "bank-statement": "银行对账单",
    "vouchers": "凭证笔数",
    "total": "借方合计",
    "last-vouchers": "各月最后凭证号",
    "township": "乡镇摘要",
    "life-years": "使用年限",
    "depreciate": "计提折旧",
    "reserve": "提取公积公益金",
    "members": "向成员分配",
}
# Beancount's root accounts as the villagers' pages name them (Beancount's names must be Latin)
ROOT_LABELS = {
    "Assets": "资产",
    "Liabilities": "负债",
    "Equity": "所有者权益",
    "Income": "收入",
    "Expenses": "支出",
}
