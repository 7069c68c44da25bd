"""The fixed words of the ledger contract (docs/zh/guide.md): directive types, roles, bodies, keys."""

# custom directive types
APPOINT = "任职"
LEAVE = "离任"
RELATIVE = "亲属"
RESOLUTION = "会议决议"
POLICY = "财务制度"
SEAL = "公开封存"
RECTIFY = "整改"
DIRECTIVES = (APPOINT, LEAVE, RELATIVE, RESOLUTION, POLICY, SEAL, RECTIFY)

ROLES = (
    "书记", "主任", "副主任", "委员",
    "监委会主任", "监委会委员", "理财小组",
    "会计", "出纳", "报账员",
    "乡镇农经员", "乡镇纪检员",
)  # fmt: skip
APPROVING_ROLES = frozenset({"书记", "主任"})
REVIEWING_ROLES = frozenset({"监委会主任", "监委会委员", "理财小组"})
# township staff who inspect the villages' books; appointed only in the township's shared files
TOWNSHIP_ROLES = frozenset({"乡镇农经员", "乡镇纪检员"})
# who may accept a 整改: township inspectors and the village's supervisory committee
ACCEPTING_ROLES = TOWNSHIP_ROLES | {"监委会主任", "监委会委员"}

# bodies of a 会议决议, by the size of spend they may authorise
BODY_RANK = {"两委联席会议": 1, "村民代表会议": 2, "村民会议": 3}

# receipt types accepted as a voucher when there is no invoice
ACCEPTED_RECEIPTS = ("收款收据", "工资表", "银行回单", "内部凭证")
IOU = "白条"
