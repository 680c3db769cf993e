"""Kept HTML compressed once: the part of a page kept between readers (hruf.figures_cache) is deflated when
it is kept, and each response compresses only what is its own (the navigation, the reader's tokens) around it.

Compressing the EOSG dashboard (290 KB of HTML, its world map most of it) took 9 ms a request, three times
a bare Django view. A deflate stream may be joined from pieces each ended by a full flush (which empties the
compressor's memory), so the response is one ordinary gzip member that any client reads: the page's own
head, the kept part as deflated when kept, its own tail, then the checksum and size of the whole. A full
flush also keeps the kept part's compression apart from the reader's secrets in the rest of the page, and
the header is padded by a random length as Django pads its own (against BREACH).
"""

from __future__ import annotations

import gzip
import secrets
import struct
import zlib
from dataclasses import dataclass

from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe

LEVEL = 6  # as Django's GZipMiddleware compresses


def _deflated(data: bytes, *, last: bool) -> bytes:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


@dataclass(frozen=True)
class KeptHtml:
    data: bytes  # the HTML, UTF-8
    deflated: bytes  # raw deflate ended by a full flush: joinable after any other such piece

    @classmethod
    def of(cls, html: str) -> KeptHtml:
        data = html.encode()
        return cls(data=data, deflated=_deflated(data, last=False))

    @property
    def html(self) -> SafeString:
        return mark_safe(self.data.decode())  # noqa: S308 - rendered by a template when kept


def gzip_around(content: bytes, kept: KeptHtml, max_random_bytes: int) -> bytes | None:
    """`content` as one gzip member, its kept part's compression reused; None when the kept part is not in it."""
    start = content.find(kept.data)
    if start < 0:
        return None
    head, tail = content[:start], content[start + len(kept.data):]
    crc = zlib.crc32(tail, zlib.crc32(kept.data, zlib.crc32(head)))
    padding = b"a" * secrets.randbelow(max_random_bytes) + b"\x00"
    header = bytes([0x1F, 0x8B, zlib.DEFLATED, gzip.FNAME]) + struct.pack("<I", 0) + b"\x00\xff" + padding
    body = _deflated(head, last=False) + kept.deflated + _deflated(tail, last=True)
    return header + body + struct.pack("<II", crc, len(content) & 0xFFFFFFFF)


class KeptGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, reusing the compression of a response's kept part (`response.kept_html`)."""

    def process_response(self, request, response):
        kept = getattr(response, "kept_html", None)
        accepts = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if kept is None or not accepts or response.streaming or response.has_header("Content-Encoding"):
            return super().process_response(request, response)
        compressed = gzip_around(response.content, kept, self.max_random_bytes)
        if compressed is None:
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        response.headers["Content-Encoding"] = "gzip"
        if etag := response.get("ETag"):
            if etag.startswith('"'):
                response.headers["ETag"] = "W/" + etag
        return response
