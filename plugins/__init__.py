"""Beancount plugins of village-ledger, one module per rule family.

Enable all of them in a village's main.beancount with `plugin "village_ledger.plugins.all"`, or
one family at a time (`plugin "village_ledger.plugins.cash"`). The rules of a family live in its
module, one function per code; find a rule from its code with `grep -n VL402 plugins/`.

| module        | codes  | family     |
|---------------|--------|------------|
| approval      | VL1xx  | 审批       |
| cash          | VL2xx  | 现金       |
| receipts      | VL3xx  | 票据       |
| entertainment | VL4xx  | 招待费     |
| funds         | VL5xx  | 资金与资产 |
| periods       | VL6xx  | 期间与公开 |
| contracts     | VL7xx  | 合同与资源 |
| config        | VL9xx  | 配置       |

A family module that grew too long keeps rules with a seam of their own in a module it imports,
whose rules its plugin line runs: `numbering` (VL307, voucher numbers) and `receipt_book` (VL306)
belong to `receipts`, `reconciling` (VL207–VL209, 对账) to `cash`, `disguised` (VL406, VL407) to
`entertainment`, `resolutions` (VL104–VL106) to `approval`.
"""
