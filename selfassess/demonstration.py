"""Whether this instance holds the demonstration data, so every page, report and export says so.

The demo names real alliances and trusts from the source documents and shows some of them *At
risk*; a screenshot, a printed report or a pasted export must never pass for their real results.
`flask demo load` records the fact in the database (one ``instance_setting`` row, written in the
same transaction as the data), so it survives restarts and every app server behind a load
balancer agrees. Reading it is one primary-key lookup, remembered per app process for
``RECHECK_SECONDS`` so pages keep their query budgets.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from .database import READS_ONLY
from .extensions import db
from .models import InstanceSetting

#: The words every page, report and export of a demo instance carries.
DEMO_NOTICE = "Demonstration data \N{EM DASH} not real results"
#: What the notice means, for pages and reports that have room for a sentence.
DEMO_EXPLANATION = (
    "The alliances and trusts are real organisations named in published NHS documents, but every "
    "answer, score, status and buddying pair here was made up to show how selfassess works."
)
DEMO_KEY = "demo"
#: How long a process trusts its last reading; another process's `flask demo load` shows within it.
RECHECK_SECONDS = 60.0
_CACHE = "selfassess.demonstration"
log = logging.getLogger(__name__)


def mark_demo_instance(summary: str) -> None:
    """Record, in the caller's transaction, that this instance holds the demonstration data."""
    db.session.merge(InstanceSetting(key=DEMO_KEY, value=summary[:200]))
    current_app.extensions[_CACHE] = (True, time.monotonic())


def is_demo_instance() -> bool:
    """Say whether the demonstration data was loaded here (cached for ``RECHECK_SECONDS``)."""
    cached = current_app.extensions.get(_CACHE)
    now = time.monotonic()
    if cached is not None and now - cached[1] < RECHECK_SECONDS:
        return bool(cached[0])
    found = _read_flag()
    current_app.extensions[_CACHE] = (found, now)
    return found


def _read_flag() -> bool:
    """Read the row on a connection of its own: the error page must render even when the
    request's session has failed, and a database not yet migrated is simply not a demo."""
    try:
        with db.engine.connect().execution_options(**{READS_ONLY: True}) as connection:
            return (
                connection.execute(
                    select(InstanceSetting.key).where(InstanceSetting.key == DEMO_KEY)
                ).first()
                is not None
            )
    except SQLAlchemyError:
        log.warning("Could not read whether this is a demo instance", exc_info=True)
        return False


def demo_notice() -> str | None:
    """The notice to print on an export or report, or None on a real instance."""
    return DEMO_NOTICE if is_demo_instance() else None


def init_app(app: Flask) -> None:
    """Give every template ``demo_notice`` (None on a real instance) and its explanation."""

    @app.context_processor
    def _demo_context() -> dict[str, object]:
        return {"demo_notice": demo_notice(), "demo_explanation": DEMO_EXPLANATION}
