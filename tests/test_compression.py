"""Compressed responses (issue #21 goal 7) where they cannot leak a secret (BREACH).

Pages carry the CSRF token and reflect input, so a signed-in page is compressed only for a
request the browser says came from this site (``Sec-Fetch-Site: same-origin``) or from the person
(``none``); public assets always; a request without a cookie always. Compression must not drop
``no-store`` or the security headers.
"""

from __future__ import annotations

import gzip
import re

import pytest

from tests.conftest import TEST_PASSWORD, csrf_token

GZIP = {"Accept-Encoding": "gzip"}
OWN = {"Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def trust_page(client, make_trust, make_alliance, make_membership, make_user):  # type: ignore[no-untyped-def]
    trust = make_trust()
    make_membership(make_alliance(), trust)
    user = make_user(("trust_user", trust))
    page = client.get("/auth/sign-in")
    answer = client.post(
        "/auth/sign-in",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert answer.status_code == 302
    return f"/trusts/{trust.code}/"


def _without_tokens(html: str) -> str:
    """The page without what changes from request to request: CSRF tokens, script nonces and
    the request id."""
    html = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1", html)
    html = re.sub(r'(nonce=")[^"]*', r"\1", html)
    return re.sub(r"[0-9a-f]{32}", "", html)


def _security_headers_kept(response) -> None:  # type: ignore[no-untyped-def]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "X-Request-ID" in response.headers


def test_own_site_page_is_gzipped_with_its_headers(client, trust_page) -> None:  # type: ignore[no-untyped-def]
    plain = client.get(trust_page, headers=OWN)
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain.headers  # no Accept-Encoding: sent as it is
    squeezed = client.get(trust_page, headers={**GZIP, **OWN})
    assert squeezed.status_code == 200
    assert squeezed.headers["Content-Encoding"] == "gzip"
    assert int(squeezed.headers["Content-Length"]) == len(squeezed.data) < len(plain.data)
    body = gzip.decompress(squeezed.data).decode()
    assert _without_tokens(body) == _without_tokens(plain.text)
    assert {"accept-encoding", "sec-fetch-site"} <= {
        v.strip().lower() for v in squeezed.headers["Vary"].split(",")
    }
    _security_headers_kept(squeezed)


def test_typed_url_is_compressed_too(client, trust_page) -> None:  # type: ignore[no-untyped-def]
    response = client.get(trust_page, headers={**GZIP, "Sec-Fetch-Site": "none"})
    assert response.headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("site", ["cross-site", "same-site", None])
def test_page_asked_for_by_another_site_is_not_compressed(client, trust_page, site) -> None:  # type: ignore[no-untyped-def]
    headers = dict(GZIP) if site is None else {**GZIP, "Sec-Fetch-Site": site}
    response = client.get(trust_page, headers=headers)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert "<h1" in response.text
    _security_headers_kept(response)


def test_static_assets_are_compressed_whoever_asks(client, trust_page) -> None:  # type: ignore[no-untyped-def]
    path = "/static/css/report.css"
    plain = client.get(path)
    squeezed = client.get(path, headers={**GZIP, "Sec-Fetch-Site": "cross-site"})
    assert squeezed.status_code == 200
    assert squeezed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(squeezed.data) == plain.data
    assert "Set-Cookie" not in squeezed.headers  # still a public, shareable response
    assert squeezed.headers["X-Content-Type-Options"] == "nosniff"
    brotli = client.get(path, headers={"Accept-Encoding": "br, gzip"})
    assert brotli.headers["Content-Encoding"] == "br"


def test_request_without_a_cookie_is_compressed(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/openapi.json", headers=GZIP)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data).startswith(b"{")
