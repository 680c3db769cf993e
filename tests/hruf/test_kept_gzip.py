"""A page's kept part compressed once and joined into each response's gzip (hruf/kept_gzip.py): one ordinary
gzip member that decompresses to the page, whatever surrounds the kept part."""

import gzip
import zlib

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from hruf.kept_gzip import KeptGZipMiddleware, KeptHtml, gzip_around

KEPT = KeptHtml.of("<section>" + "".join(f"<p>row {i} · é</p>" for i in range(2000)) + "</section>")


def _one_member(compressed: bytes) -> bytes:
    """What a client reading a single gzip member gets (as browsers and zlib's gzip mode do)."""
    reader = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = reader.decompress(compressed)
    assert reader.eof and not reader.unused_data
    return data


@pytest.mark.parametrize(("head", "tail"), [
    ("<html><nav>the reader's own</nav>", "<footer>token 123</footer></html>"),
    ("", "<footer></footer>"),
    ("<html>", ""),
    ("", ""),
])
def test_the_joined_gzip_is_one_member_that_reads_back_as_the_page(head, tail):
    content = (head + KEPT.html() + tail).encode()
    compressed = gzip_around(content, KEPT, max_random_bytes=100)
    assert _one_member(compressed) == content == gzip.decompress(compressed)
    assert len(compressed) < len(gzip.compress(content)) + 200  # the flushes cost a few bytes


def test_the_header_is_padded_by_a_random_length_as_djangos_is():
    content = b"<html>" + KEPT.html().encode()
    lengths = {len(gzip_around(content, KEPT, max_random_bytes=100)) for _ in range(30)}
    assert len(lengths) > 1


def test_what_each_reader_puts_between_the_kept_pieces_is_compressed_with_the_rest():
    kept = KeptHtml.of("<form>TOKEN</form>" + "<p>rows</p>" * 500 + "<form>TOKEN</form><p>end</p>", split_at="TOKEN")
    assert len(kept.pieces) == 3
    for token in ("reader-one-token", "another-reader-s-longer-token"):
        content = b"<html>" + kept.html(token).encode() + b"</html>"
        compressed = gzip_around(content, kept, max_random_bytes=100)
        assert _one_member(compressed) == content
        assert all(d in compressed for d in kept.deflated)  # the pieces as deflated when kept


def test_a_page_without_its_kept_part_is_not_joined():
    assert gzip_around(b"<html>changed</html>", KEPT, max_random_bytes=100) is None


def _through_middleware(content: bytes, *, kept=KEPT, encoding="gzip, deflate"):
    def view(request):
        request.kept_html = kept
        return HttpResponse(content)

    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=encoding)
    return KeptGZipMiddleware(view)(request)


def test_the_middleware_sends_the_joined_gzip_and_what_djangos_would_say_of_it():
    content = b"<html><nav>n</nav>" + KEPT.html().encode() + b"</html>"
    response = _through_middleware(content)
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content)
    assert _one_member(response.content) == content


def test_a_client_that_takes_no_gzip_gets_the_page_as_it_is():
    content = b"<html>" + KEPT.html().encode() + b"</html>"
    response = _through_middleware(content, encoding="identity")
    assert response.content == content and not response.has_header("Content-Encoding")


def test_a_page_whose_kept_part_was_changed_after_is_compressed_whole():
    content = b"<html>" + KEPT.html().encode().replace(b"row 7 ", b"row seven ") + b"</html>"
    response = _through_middleware(content)
    assert response["Content-Encoding"] == "gzip" and gzip.decompress(response.content) == content
