"""VL4xx 招待费 (entertainment): rules to come (see the issue of this family)."""

from village_ledger.beancount_plugin import make_plugin

__plugins__ = (make_plugin("entertainment"),)
