"""VL2xx 现金 (cash): rules to come (see the issue of this family)."""

from village_ledger.beancount_plugin import make_plugin

__plugins__ = (make_plugin("cash"),)
