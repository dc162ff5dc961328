"""`ikimina translations export|import` (a reviewer's sheet) and `ikimina screens` (the atlas)."""

from __future__ import annotations

from pathlib import Path

import click

from ikimina.cli.common import fail
from locales import LANGUAGES
from runtime.settings import Settings


@click.group("translations")
def translations() -> None:
    """A spreadsheet of every string for native speakers to review."""


LOCALES = click.option(
    "--locales",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The catalogues' folder (default: the installed locales/).",
)


@translations.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@LOCALES
def export_command(path: Path, locales: Path | None) -> None:
    """Write every string (domain, key, en, fr, rw, where, budget, long example) to PATH (.xlsx)."""
    from ikimina.translations import LOCALES_DIR, export

    click.echo(f"{export(path, locales or LOCALES_DIR)} strings written to {path}.")


@translations.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@LOCALES
def import_command(path: Path, locales: Path | None) -> None:
    """Bring corrections from PATH into the catalogues; refuse those that break a budget."""
    from ikimina.translations import LOCALES_DIR, import_sheet

    outcome = import_sheet(path, locales or LOCALES_DIR)
    click.echo(f"{len(outcome.applied)} corrections applied.")
    for line in outcome.refused:
        click.echo(f"refused: {line}")
    if outcome.refused:
        fail(f"{len(outcome.refused)} corrections refused (the others are applied)")


@click.command("screens")
@click.option("--lang", type=click.Choice(LANGUAGES), default="rw", show_default=True)
def screens_command(lang: str) -> None:
    """Print every USSD screen (with its keys) and SMS text, with demo data, in one language."""
    from ikimina.atlas import render

    click.echo(render(Settings.from_env(), lang))


def register(main: click.Group) -> None:
    main.add_command(translations)
    main.add_command(screens_command)
