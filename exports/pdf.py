"""PDF rendering with WeasyPrint, fetching nothing but the hub's own static files."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative links in the rendered HTML resolve against this base; the host is reserved
# (.invalid) so that nothing could ever be fetched from it over a network.
BASE_URL = "https://hub.invalid/"


class RefusedResource(ValueError):
    """WeasyPrint asked for something outside the hub's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves ``/static/…`` from disk and inline ``data:`` images; refuses ``file:`` and every host."""

    def __init__(self, static_folder: str | Path):
        super().__init__(allowed_protocols=("https", "data"))
        self.static_folder = Path(static_folder).resolve()

    def fetch(self, url, headers=None):
        """Answer one resource request from WeasyPrint."""
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith("/static/"):
            raise RefusedResource(f"ressource refusée : {url}")
        path = (self.static_folder / unquote(parts.path.removeprefix("/static/"))).resolve()
        if not path.is_relative_to(self.static_folder) or not path.is_file():
            raise RefusedResource(f"ressource introuvable : {url}")
        content_type = {"css": "text/css", "png": "image/png", "svg": "image/svg+xml"}.get(path.suffix[1:],
                                                                                          "application/octet-stream")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def render_pdf(html: str, *, static_folder: str | Path) -> bytes:
    """A tagged PDF (PDF/UA-1) of this HTML."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(static_folder))
    return document.write_pdf(pdf_variant="pdf/ua-1")
