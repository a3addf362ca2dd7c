"""The annual report as a PDF (WeasyPrint). Imported only when a PDF is asked for: WeasyPrint loads Pango."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class StaticFilesFetcher(URLFetcher):
    """Serves our own static files from disk (found through the staticfiles finders) and refuses
    everything else: the PDF never reaches the network or other files."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        path = unquote(parts.path)
        if parts.scheme != "file" or parts.netloc or not path.startswith(settings.STATIC_URL):
            raise ValueError(f"refused: {url}")
        relative = path.removeprefix(settings.STATIC_URL)
        if ".." in Path(relative).parts:
            raise ValueError(f"refused: {url}")
        found = finders.find(relative)
        if not found:
            raise ValueError(f"not found: {url}")
        mime_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": mime_type})


def render_pdf(html: str) -> bytes:
    # "/static/…" links resolve to file:///static/…, which the fetcher serves from the finders.
    return HTML(string=html, base_url="file:///", url_fetcher=StaticFilesFetcher()).write_pdf()
