"""The README's screenshots (``docs/screenshots/``), refreshed by the browser tests.

Nothing is written unless ``SELFASSESS_SCREENSHOTS`` is set:
``SELFASSESS_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser``. A shot taken with
``phone=True`` is also taken at the phone width the accessibility gate uses (390 by 844), as
``<name>-phone.png``, and the page goes back to the width it had.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
TALLEST = 2600  # pixels of a long page kept in a desktop shot


def wanted() -> bool:
    return bool(os.environ.get("SELFASSESS_SCREENSHOTS"))


def readme_shot(
    page: Page, name: str, *, whole_page: bool = False, phone: bool = False, desktop: bool = True
) -> None:
    """Save the page as ``name.png`` (the window, or ``whole_page`` down to ``TALLEST``)."""
    if not wanted():
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 1280, "height": 800}
    if desktop:
        if whole_page:
            height = min(page.evaluate("document.body.scrollHeight"), TALLEST)
            page.screenshot(
                path=str(SCREENSHOTS / f"{name}.png"),
                full_page=True,
                clip={"x": 0, "y": 0, "width": size["width"], "height": height},
            )
        else:
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    if phone:
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"))
        page.set_viewport_size(size)
