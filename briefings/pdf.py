"""HTML to PDF with WeasyPrint, reaching nothing but the app's own static files.

A pack's HTML carries user-written text; even escaped, nothing in it may make the worker
open a URL. The fetcher below answers only for the app's static files (by name, through the
staticfiles finders and storage) and refuses every other URL: http(s), ftp, data and any
other file on disk.

Importing WeasyPrint takes half a second: only the build (services.pack_build) imports this module.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

# WeasyPrint reports every layout step (some while it is imported) and fontTools every glyph subset
# at INFO: a worker's log would hold little else. Their warnings and errors still come through.
for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

from weasyprint import HTML, URLFetcher  # noqa: E402
from weasyprint.urls import URLFetcherResponse  # noqa: E402

# The packs' templates link their stylesheet relative to this base. It names a folder that does not
# exist on disk: the fetcher maps it onto the static files, so no real path is ever opened by URL.
STATIC_BASE_URL = "file:///hruf-static/"
log = logging.getLogger(__name__)


class RefusedURL(ValueError):
    pass


def static_path(name: str) -> Path | None:
    """The file behind a static name: collected (production) or found in the app's folders."""
    parts = PurePosixPath(name).parts
    if not name or name.startswith("/") or ".." in parts:
        return None
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except NotImplementedError:  # a storage without local paths
        pass
    found = finders.find(name)
    return Path(found) if found else None


class StaticFilesFetcher(URLFetcher):
    """Resolves STATIC_BASE_URL + name to the static file `name`; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=["file"], allow_redirects=False, timeout=1)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = None
        if url.startswith(STATIC_BASE_URL):
            path = static_path(unquote(urlsplit(url).path[len(urlsplit(STATIC_BASE_URL).path) :]))
        if path is None:
            self.refused.append(url)
            raise RefusedURL(f"Briefing packs load only the app's static files, not {url[:200]!r}")
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def html_to_pdf(html: str, fetcher: StaticFilesFetcher | None = None) -> bytes:
    fetcher = fetcher or StaticFilesFetcher()
    pdf = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher).write_pdf()
    if fetcher.refused:
        log.warning("briefing pack: refused to fetch %s", ", ".join(u[:200] for u in fetcher.refused))
    return pdf
