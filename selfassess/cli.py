"""Command-line commands: ``flask questions``, ``flask demo``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

questions_cli = AppGroup("questions", help="Check and import question-bank frameworks.")
demo_cli = AppGroup("demo", help="Demonstration data.")


@questions_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def questions_check(paths: tuple[Path, ...]) -> None:
    """Validate framework folders (default: every framework under questions/)."""
    from .questionbank.report import check_paths, failed

    targets = list(paths) or [Path(current_app.config["QUESTIONS_DIR"])]
    lines = check_paths(targets)
    for line in lines:
        click.echo(line)
    if failed(lines):
        raise SystemExit(1)


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has data.")
def demo_load(if_empty: bool) -> None:
    """Load the demonstration alliances, trusts, users and three cycles of synthetic answers."""
    from .demo.loader import database_is_empty, load_demo

    if if_empty and not database_is_empty():
        click.echo("Database already has data; demo not loaded.")
        return
    summary = load_demo()
    click.echo(summary)


def register_cli(app: Flask) -> None:
    """Attach the command groups to the app's ``flask`` command."""
    app.cli.add_command(questions_cli)
    app.cli.add_command(demo_cli)
