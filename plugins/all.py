"""Every rule family of village-ledger in one plugin line: `plugin "village_ledger.plugins.all"`."""

from village_ledger.beancount_plugin import make_plugin
from village_ledger.registry import FAMILIES

__plugins__ = (make_plugin(*(family.module for family in FAMILIES)),)
