"""village-ledger: the books of Chinese village collectives as Beancount ledgers.

The library reads a village's Beancount ledger into a model (`village_ledger.model`), runs the
rule families registered in `village_ledger.plugins` over it (`village_ledger.engine`), and
reports the findings.
"""

__version__ = "0.1.0"
