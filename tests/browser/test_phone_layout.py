"""What a phone shows first (issue #16): the page, not furniture."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer


@pytest.fixture
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    size: dict[str, int] = request.param
    return size


@pytest.mark.parametrize(
    ("viewport", "explained"),
    [({"width": 390, "height": 844}, False), ({"width": 1280, "height": 800}, True)],
    ids=["phone", "desktop"],
    indirect=["viewport"],
)
def test_the_demo_banner_warns_on_a_phone_and_explains_on_a_desktop(
    page: Page, live_server: LiveServer, explained: bool
) -> None:
    page.goto(live_server("/auth/sign-in"))
    banner = page.get_by_role("region", name="Demonstration data")
    expect(banner).to_contain_text("Demonstration data — not real results.")
    more = banner.locator(".demo-banner__more")
    if explained:
        expect(more).to_be_visible()
    else:
        expect(more).to_be_hidden()
        # The warning takes at most two lines of the first screen, not a third of it.
        box = banner.bounding_box()
        assert box is not None and box["height"] <= 70, box
