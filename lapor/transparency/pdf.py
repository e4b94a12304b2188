"""HTML pages printed to PDF on the server with WeasyPrint (the monthly report for
leadership, SPEC §9).

WeasyPrint lays the page out with the print stylesheet (``@media print``), as a browser's
"Save as PDF" would. It needs Pango from the system (Debian: libpango-1.0-0,
libpangoft2-1.0-0, libharfbuzz-subset0; script/test and .ci/run install them); where they
are missing, ``PdfUnavailable`` says so and the HTML page stays printable.
"""
from __future__ import annotations

import logging
import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

log = logging.getLogger(__name__)

# Every URL in the page is resolved against this base; none of them is ever fetched over
# the network (see StaticFilesFetcher).
BASE_URL = "https://lapor.invalid/"


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs are not installed."""


def _static_path(url: str) -> str | None:
    """The file on disk behind one of our own static URLs, or None."""
    path = unquote(urlsplit(url).path)
    prefix = urlsplit(settings.STATIC_URL).path
    if not path.startswith(prefix):
        return None
    name = path[len(prefix):]
    if not name or ".." in name.split("/"):
        return None
    # Collected files (hashed names in production) first, then the app and package
    # folders (development and tests, where nothing is collected).
    try:
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except NotImplementedError:  # a remote storage: fall back to the finders
        pass
    return finders.find(name)


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Hands WeasyPrint our static files (stylesheets) from disk and refuses anything
        else: rendering a page must never make the server fetch a URL (no request to
        itself that could wait on a busy worker, no request anywhere else)."""

        def fetch(self, url, headers=None):
            found = _static_path(url) if url.startswith(BASE_URL) else None
            if found is None:
                raise ValueError(f"not one of our static files: {url}")
            with open(found, "rb") as f:
                body = f.read()
            content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticFilesFetcher


def html_to_pdf(html: str) -> bytes:
    """The PDF of a whole HTML page (print media). Raises ``PdfUnavailable`` when
    WeasyPrint cannot run here. No side effects."""
    try:
        import weasyprint
    except (ImportError, OSError) as e:  # OSError: Pango is missing from the system
        log.warning("PDF unavailable: %s", e)
        raise PdfUnavailable(str(e)) from e
    quiet = logging.getLogger("weasyprint")
    if quiet.level == logging.NOTSET:
        # It warns about every screen-only rule it skips (@media (min-width…), overflow):
        # expected for a page made for screens first, and noise in the server's log.
        quiet.setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class()(),
                               media_type="print")
    return document.write_pdf()
