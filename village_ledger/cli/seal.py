"""`village-ledger seal`: the 公开封存 directive of a published quarter."""

import click

COMMANDS: list[click.Command] = []
