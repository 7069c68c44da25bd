"""The accounting centre's books: 记账凭证 printing and, built on the model's figures, the
standard books and statements a village's books are kept in."""

# the standard books by Chinese name, with the English alias a command line may use; here, not
# in `standard`, so that the CLI can list them without importing pandas (check starts faster)
BOOK_NAMES = {
    "科目余额表": "trial-balance",
    "总分类账": "general-ledger",
    "明细分类账": "subsidiary-ledger",
    "现金日记账": "cash-journal",
    "银行存款日记账": "bank-journal",
    "资产负债表": "balance-sheet",
    "收益及收益分配表": "income-statement",
    "合同台账": "contract-register",
    "资产台账": "asset-register",
}
# the registers of contracts and assets (三资): built from the contract and asset figures, not
# kept by account, so `--account` and `--level` do not apply to them
REGISTERS = frozenset({"合同台账", "资产台账"})
