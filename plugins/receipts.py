"""VL3xx 票据 (receipts and vouchers): rules to come (see the issue of this family)."""

from village_ledger.beancount_plugin import make_plugin

__plugins__ = (make_plugin("receipts"),)
