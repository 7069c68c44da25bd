"""VL1xx 审批 (approval chain): rules to come (see the issue of this family)."""

from village_ledger.beancount_plugin import make_plugin

__plugins__ = (make_plugin("approval"),)
