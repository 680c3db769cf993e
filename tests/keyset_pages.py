"""Reading a page of a list paged by keyset (hruf.paging.older_than) as its reader does."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def read_page(client, list_url: str, url: str, rows: str) -> tuple[list[int], str | None, int]:
    """The ids of the rows a page links to (`rows`: their path before the id, "/alerts/"), the link to the
    older page (None on the last), and the page's query count."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    shown = [int(pk) for pk in re.findall(rf'href="{re.escape(rows)}(\d+)/"', html)]
    older = re.search(r'href="(\?before=\d+)" rel="next"', html)
    return shown, older and list_url + older.group(1), len(queries.captured_queries)
