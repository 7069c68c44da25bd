"""`village-ledger disclose` and `overview`: the quarterly 财务公开 and the township overview."""

import click

COMMANDS: list[click.Command] = []
