"""The `ikimina` command line. Each module adds its own commands to `main`."""

from __future__ import annotations

import click

from ikimina.cli import cases, console, db, imports, reminders, run, seed, sms, tvet, ussd


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """ikimina: USSD and SMS for savings groups, TVET trainees and cooperatives."""


for module in (db, run, imports, seed, console, reminders, cases, tvet, sms, ussd):
    module.register(main)
