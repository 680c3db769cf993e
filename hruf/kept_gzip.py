"""Kept HTML compressed once: the part of a page kept between readers (hruf.figures_cache) is deflated when
it is kept, and each response compresses only what is its own (the navigation, the reader's tokens) around and
inside it.

Compressing the EOSG dashboard (290 KB of HTML, its world map most of it) took 9 ms a request, three times
a bare Django view. A deflate stream may be joined from pieces each ended by a full flush (which empties the
compressor's memory), so the response is one ordinary gzip member that any client reads: the page's own
head, the kept pieces as deflated when kept with the reader's own text between them, its own tail, then the
checksum and size of the whole. A full flush also keeps the kept part's compression apart from the reader's
secrets (their tokens are compressed on their own), and the header is padded by a random length as Django
pads its own (against BREACH).
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
    """Kept HTML in pieces, split where each request puts something of its own (the reader's CSRF token in a
    kept page's forms); each piece deflated when kept."""

    pieces: tuple[bytes, ...]  # UTF-8
    deflated: tuple[bytes, ...]  # raw deflate, each ended by a full flush: joinable after any other such piece

    @classmethod
    def of(cls, html: str, *, split_at: str = "") -> KeptHtml:
        pieces = tuple(p.encode() for p in (html.split(split_at) if split_at else [html]))
        return cls(pieces=pieces, deflated=tuple(_deflated(p, last=False) for p in pieces))

    def html(self, filler: str = "") -> SafeString:
        """The HTML with `filler` where it was split."""
        return mark_safe(filler.encode().join(self.pieces).decode())  # noqa: S308 - rendered by a template when kept


def gzip_around(content: bytes, kept: KeptHtml, max_random_bytes: int) -> bytes | None:
    """`content` as one gzip member, its kept pieces' compression reused and only the rest (its own head and
    tail, what fills the gaps between the pieces) compressed now; None when the pieces are not in it in order."""
    body, at = [], 0
    for piece, deflated in zip(kept.pieces, kept.deflated, strict=True):
        found = content.find(piece, at)
        if found < 0:
            return None
        body += [_deflated(content[at:found], last=False), deflated]
        at = found + len(piece)
    body.append(_deflated(content[at:], last=True))
    padding = b"a" * secrets.randbelow(max_random_bytes) + b"\x00"
    header = bytes([0x1F, 0x8B, zlib.DEFLATED, gzip.FNAME]) + struct.pack("<I", 0) + b"\x00\xff" + padding
    return header + b"".join(body) + struct.pack("<II", zlib.crc32(content), len(content) & 0xFFFFFFFF)


class KeptGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, reusing the compression of the kept part a view put on the request
    (`request.kept_html`)."""

    def process_response(self, request, response):
        kept = getattr(request, "kept_html", None)
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
