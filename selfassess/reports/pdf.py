"""HTML to PDF with WeasyPrint, fetching nothing from the network or the disk.

The report's only resources are its stylesheet (read from the package) and ``data:`` images, so
the URL fetcher allows the ``data`` scheme alone: text from answers can never make the server
fetch a URL or read a file.
"""

from __future__ import annotations

from pathlib import Path

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "report.css"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


def html_to_pdf(html: str) -> bytes:
    """Render the report's HTML with the packaged report stylesheet."""
    try:
        import weasyprint
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as missing:
        raise PdfUnavailable(str(missing)) from missing
    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=5)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url="about:blank")
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET))
    return document.write_pdf(stylesheets=[stylesheet])
