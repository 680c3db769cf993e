"""WeasyPrint reaches nothing but the app's static files: no network, no other file on disk."""

import socket

import pytest

from briefings.pdf import STATIC_BASE_URL, RefusedURL, StaticFilesFetcher, html_to_pdf

from .conftest import pdf_text


@pytest.mark.parametrize("url", [
    "https://example.org/style.css",
    "http://127.0.0.1:8000/static/css/briefing-pdf.css",
    "ftp://example.org/x.css",
    "file:///etc/passwd",
    f"{STATIC_BASE_URL}../../etc/passwd",
    f"{STATIC_BASE_URL}%2e%2e/%2e%2e/etc/passwd",
    f"{STATIC_BASE_URL}css/no-such-file.css",
    "data:text/css,body{color:red}",
])
def test_the_fetcher_refuses_anything_but_a_static_file(url):
    fetcher = StaticFilesFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_the_packs_stylesheet_from_the_static_files():
    response = StaticFilesFetcher().fetch(f"{STATIC_BASE_URL}css/briefing-pdf.css")
    assert response.content_type == "text/css" and b"@page" in response.read()


def test_a_document_pointing_at_the_network_is_made_without_reaching_it(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a briefing pack tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    html = """<html><head><link rel="stylesheet" href="css/briefing-pdf.css">
      <link rel="stylesheet" href="https://example.org/remote.css">
      <style>@import url("http://example.org/imported.css"); @font-face { font-family: x; src: url(https://example.org/f.woff); }</style>
      </head><body><p>Country A scored 42</p><img src="http://example.org/pixel.png" alt="tracker">
      <img src="file:///etc/hostname" alt="local file"></body></html>"""
    fetcher = StaticFilesFetcher()
    text = pdf_text(html_to_pdf(html, fetcher))
    assert "Country A scored 42" in text
    assert fetcher.served == [f"{STATIC_BASE_URL}css/briefing-pdf.css"]
    assert set(fetcher.refused) == {
        "https://example.org/remote.css", "http://example.org/imported.css", "https://example.org/f.woff",
        "http://example.org/pixel.png", "file:///etc/hostname",
    }
