"""Responses compressed with gzip or brotli (Flask-Compress), where that cannot leak a secret.

BREACH: a page that carries a secret (the CSRF token in every form; Flask-WTF does not mask it
per response) and reflects something an attacker chose (a search, a filter, a typed answer), sent
compressed, lets someone who can both make the victim's browser ask for that page many times and
watch the encrypted lengths guess the secret a character at a time. So:

- public assets (``security.LONG_CACHED_ENDPOINTS``: scripts, style sheets, the Vega bundle) are
  the same for everyone and hold no secret: always compressed;
- pages, JSON and CSV are compressed only when the browser says the request came from this site
  or from the person themselves (``Sec-Fetch-Site: same-origin`` or ``none``, sent by every
  current browser): a page on another site cannot make such a request, so it cannot drive the
  guessing. A request from another site, or from an older browser that does not say, gets the
  page uncompressed whenever it carries a cookie;
- a request without a cookie (API clients with a bearer token, anonymous pages) shares no secret
  with anyone else, so it is compressed too.

``Vary: Accept-Encoding, Sec-Fetch-Site`` tells caches; pages are ``no-store`` anyway.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_compress import Compress

from .security import LONG_CACHED_ENDPOINTS

compress = Compress()

#: What is worth compressing: text. Images, PDF, XLSX and ZIP are compressed already.
MIMETYPES = (
    "text/html",
    "text/css",
    "text/csv",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "image/svg+xml",
)
#: Sec-Fetch-Site values that only this site or the person themselves can cause.
OWN_REQUEST = frozenset({"same-origin", "none"})


def safe_to_compress() -> bool:
    """Whether this request's response may be compressed without a BREACH risk (see above)."""
    if request.endpoint in LONG_CACHED_ENDPOINTS:
        return True
    if request.headers.get("Sec-Fetch-Site") in OWN_REQUEST:
        return True
    return "Cookie" not in request.headers


def init_app(app: Flask) -> None:
    """Compress through our own hook (``COMPRESS_REGISTER`` off) so the BREACH rule decides."""
    app.config.setdefault("COMPRESS_REGISTER", False)
    app.config.setdefault("COMPRESS_MIMETYPES", list(MIMETYPES))
    # No zstd: Python 3.11 has no zstandard module without another package.
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Static files arrive as file streams; they are read whole below instead (small, and the
    # library's streaming path would leave the file open).
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)

    @app.after_request
    def _compress(response: Response) -> Response:
        if request.endpoint not in LONG_CACHED_ENDPOINTS:
            response.vary.add("Sec-Fetch-Site")
        if not safe_to_compress():
            response.vary.add("Accept-Encoding")
            return response
        if response.is_streamed and response.mimetype in MIMETYPES:
            # Read the file whole and close it at once: left to the response's own close, a
            # browser that drops the connection left it open (a ResourceWarning in the walks).
            stream = response.response
            response.direct_passthrough = False
            body = b"".join(response.iter_encoded())
            close = getattr(stream, "close", None)
            if close is not None:
                close()
            response.set_data(body)
        return compress.after_request(response)
