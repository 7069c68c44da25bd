"""VL5xx 资金与资产 (funds and assets): rules to come (see the issue of this family)."""

from village_ledger.beancount_plugin import make_plugin

__plugins__ = (make_plugin("funds"),)
