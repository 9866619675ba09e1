"""Asset responses (the Vega bundle, static files) never touch the session.

Issue #13 (finding 10): a signed-in browser fetching ``/assets/vega-<digest>.js`` got a refreshed
``Set-Cookie``. A response marked ``public`` may be kept by a shared cache and handed to
someone else, so it must carry no cookie; it must not vary on the cookie either, or the long
cache lifetime is wasted. Pages keep refreshing the session as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from selfassess.charts import bundle as vega
from tests.conftest import TEST_PASSWORD, csrf_token

STATIC = Path(__file__).resolve().parent.parent / "selfassess" / "static"


def _asset_paths() -> list[str]:
    files = sorted(p for p in STATIC.rglob("*") if p.is_file())
    assert files, "no static files to check"
    return [
        f"/assets/vega-{vega.bundle().digest}.js",
        f"/static/{files[0].relative_to(STATIC).as_posix()}",
    ]


@pytest.fixture
def signed_in(client, make_user):  # type: ignore[no-untyped-def]
    user = make_user()
    page = client.get("/auth/sign-in")
    response = client.post(
        "/auth/sign-in",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("path", _asset_paths(), ids=["vega-bundle", "static-file"])
def test_assets_carry_no_cookie_for_a_signed_in_browser(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "cookie" not in response.headers.get("Vary", "").lower()


def test_pages_still_refresh_the_session(signed_in):
    # Shows the check above can fail: the same browser's page responses do set the cookie.
    response = signed_in.get("/home")
    assert response.status_code == 200
    assert "Set-Cookie" in response.headers


def test_the_favicon_is_served_and_linked(client):
    """Every page links an icon, and /favicon.ico leads to it (it was a 404 in every console)."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response.headers["Location"])
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert b"<svg" in icon.data
    page = client.get("/auth/sign-in").text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
