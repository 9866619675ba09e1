"""Command-line commands: ``flask questions``, ``flask demo``, ``flask templates`` and the rest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import Flask, current_app
from flask.cli import AppGroup

questions_cli = AppGroup("questions", help="Check and import question-bank frameworks.")
demo_cli = AppGroup("demo", help="Demonstration data.")
scores_cli = AppGroup("scores", help="Stored scores.")
export_cli = AppGroup("export", help="CSV exports of answers and scores.")
jobs_cli = AppGroup("jobs", help="Background jobs: emails, reminders.")
templates_cli = AppGroup("templates", help="The pages' templates.")


@templates_cli.command("compile")
def templates_compile() -> None:
    """Compile every template into TEMPLATE_CACHE_DIR, once after each deployment, so no app
    server's worker compiles one on a person's first request."""
    from .frontend import compile_templates

    where = current_app.config.get("TEMPLATE_CACHE_DIR")
    if not where:
        raise click.ClickException("TEMPLATE_CACHE_DIR is empty: templates are not cached.")
    click.echo(f"Compiled {compile_templates(current_app)} templates into {where}.")


@jobs_cli.command("run")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def jobs_run(workers: int) -> None:
    """Run the job consumer in the foreground: one per host (``make run`` starts one)."""
    import logging

    from . import jobs

    if jobs.huey.immediate:
        raise click.ClickException("JOBS_URL=immediate runs every job inline: nothing to consume.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s jobs %(levelname)s %(message)s")
    jobs.ensure_schema()
    # Threads, not processes: each task runs in its own app context and database session.
    jobs.huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


@scores_cli.command("rebuild")
def scores_rebuild() -> None:
    """Recompute every stored score and membership status from the answers."""
    from .assessments.scores import rebuild_all

    click.echo(f"Rebuilt scores for {rebuild_all()} assessments.")


def _export(kind: str, alliance: str | None, cycle: str | None, output: Path | None) -> None:
    from .exports import services

    pairs = services.cycles_for(alliance, cycle)
    if (alliance or cycle) and not pairs:
        raise click.ClickException("No cycle matches that alliance and cycle name.")
    text = services.answers_csv(pairs) if kind == "answers" else services.scores_csv(pairs)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


_export_options = [
    click.option("--alliance", help="Alliance slug (default: every alliance)."),
    click.option("--cycle", help="Cycle name, e.g. 2025/26 (default: every cycle)."),
    click.option("--output", "-o", type=click.Path(path_type=Path), help="File to write."),
]


_Command = TypeVar("_Command", bound=Callable[..., Any])


def _with_export_options(func: _Command) -> _Command:
    for option in reversed(_export_options):
        func = option(func)
    return func


@export_cli.command("answers")
@_with_export_options
def export_answers(alliance: str | None, cycle: str | None, output: Path | None) -> None:
    """Export answers as CSV (one row per answer)."""
    _export("answers", alliance, cycle, output)


@export_cli.command("scores")
@_with_export_options
def export_scores(alliance: str | None, cycle: str | None, output: Path | None) -> None:
    """Export scores with peer statistics as CSV."""
    _export("scores", alliance, cycle, output)


@questions_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--sources",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of the source documents (default: the SOURCES_DIR setting).",
)
def questions_check(paths: tuple[Path, ...], sources: Path | None) -> None:
    """Validate framework folders (default: every framework under questions/)."""
    from .questionbank.report import check_paths, failed

    targets = list(paths) or [Path(current_app.config["QUESTIONS_DIR"])]
    documents = sources or Path(current_app.config["SOURCES_DIR"])
    lines = check_paths(targets, documents_dir=documents)
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
    app.cli.add_command(scores_cli)
    app.cli.add_command(export_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(templates_cli)
