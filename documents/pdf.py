"""PDF of a document, rendered on the server by WeasyPrint.

Fonts: WeasyPrint finds them through fontconfig — Debian's fonts-noto-core
(Devanagari, Thai, Khmer, Myanmar, Sinhala, Bengali, Arabic, Urdu…) and
fonts-noto-cjk (Japanese, Chinese, Korean), installed by .ci/run and the
Dockerfile — and embeds the subset it uses.  Nothing is fetched from the
network: stylesheets and images resolve to the app's static files, any
other URL is refused (docs/decisions/0020)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

STATIC_PREFIX = "/static/"


def _static_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        """Only the app's own static files; everything else is refused."""

        def fetch(self, url, headers=None):
            path = urlsplit(url).path
            if path.startswith(STATIC_PREFIX):
                found = finders.find(path[len(STATIC_PREFIX) :])
                if found:
                    return URLFetcherResponse(url, Path(found).read_bytes(), headers={"Content-Type": _mime(found)})
            raise ValueError(f"not served to the PDF renderer: {url}")

    return StaticFetcher()


def _mime(path: str) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(Path(path).suffix, "")


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    base = getattr(settings, "PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/") + "/"
    return HTML(string=html, base_url=base, url_fetcher=_static_fetcher()).write_pdf()
