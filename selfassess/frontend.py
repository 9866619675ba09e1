"""The NHS.UK frontend's Jinja macros and page template, wired into the app's templates.

``nhsuk-frontend-jinja`` ports the design system's Nunjucks macros (header, footer, radios, date
input, error summary, summary list, …) to Jinja; its templates are found after ours, under
``nhsuk/``. Its macros read optional parameters through chains such as ``params.hint.text``,
which need Jinja's ``ChainableUndefined``. Its page template (``nhsuk/template.jinja``) has one
inline script; each page gets a fresh nonce for it, named in that response's
Content-Security-Policy (see ``security``), so the policy still allows no other inline script.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask, Response, g
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemBytecodeCache, PackageLoader


def csp_nonce() -> str:
    """This response's script nonce, made on first use (only pages that render a template)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    nonce: str = g.csp_nonce
    return nonce


# The error summary's root, as the design system's macro renders it (and only it: page text is
# escaped, so a person typing this cannot make it appear).
ERROR_SUMMARY = b'data-module="nhsuk-error-summary"'
TITLE = b"<title>"
ERROR_TITLE = b"<title>Error: "


def error_titled(body: bytes) -> bytes:
    """The page with "Error: " starting its title when it shows an error summary, as the design
    system asks (a screen reader reads the title first). Decided from the markup itself, so no
    template has to remember it and none can prefix a page that shows no error."""
    if ERROR_SUMMARY in body and ERROR_TITLE not in body:
        return body.replace(TITLE, ERROR_TITLE, 1)
    return body


ESCAPED_SUFFIXES = (".html", ".htm", ".xml", ".xhtml", ".svg", ".jinja")


def _escaped(name: str | None) -> bool:
    """Autoescape for HTML templates, the design system's included; never for text emails."""
    return name is None or name.endswith(ESCAPED_SUFFIXES)


def compile_templates(app: Flask) -> int:
    """Compile every template (ours and the design system's) into the bytecode cache, so no
    worker started afterwards compiles one; returns how many. Run after each deployment."""
    names = app.jinja_env.list_templates()
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def init_app(app: Flask) -> None:
    """Find the design system's templates after ours, and give templates the helpers above."""
    loader = app.jinja_loader
    packaged = PackageLoader("nhsuk_frontend_jinja", "templates")
    app.jinja_loader = ChoiceLoader([loader, packaged] if loader else [packaged])
    # Flask escapes only templates named .html and the like: the design system's are .jinja,
    # and they print labels, hints, values and errors people typed. Escape them too.
    app.jinja_env.autoescape = _escaped
    app.jinja_env.undefined = ChainableUndefined
    # The macros are written for readable source, not output: drop the blank lines they leave.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    cache = str(app.config.get("TEMPLATE_CACHE_DIR") or "")
    if cache:
        # Only the app may write there: what it holds is loaded as code (like .pyc files).
        Path(cache).mkdir(mode=0o700, parents=True, exist_ok=True)
        app.jinja_env.bytecode_cache = FileSystemBytecodeCache(cache)
    from .data_tables import data_table
    from .nhsuk_tags import render_tag
    from .nhsuk_widgets import nhsuk_error_summary, nhsuk_field

    app.jinja_env.globals.update(
        csp_nonce=csp_nonce,
        nhsuk_field=nhsuk_field,
        nhsuk_error_summary=nhsuk_error_summary,
        nhsuk_data_table=data_table,
        nhsuk_tag=render_tag,
    )

    @app.after_request
    def _error_title(response: Response) -> Response:
        """A page showing an error summary says so first in its title (read out on load)."""
        if response.mimetype == "text/html" and not response.is_streamed:
            body = response.get_data()
            titled = error_titled(body)
            if titled is not body:
                response.set_data(titled)
        return response
