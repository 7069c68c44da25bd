"""VL6xx 期间与公开 (periods and disclosure): rules to come (see the issue of this family)."""

from village_ledger.beancount_plugin import make_plugin

__plugins__ = (make_plugin("periods"),)
