"""Each response says where its server time went, in headers the report reads: how many SQL queries it
took and how long they ran (X-Bench-Queries, X-Bench-SQL-ms), how long its templates took to render
beyond the SQL they ran themselves (X-Bench-Template-ms), and the whole time in Django (X-Bench-Server-ms).
The rest of the server time is Python: views, forms, serializers, middleware."""

import threading
import time

from django.db import connection
from django.template.backends.django import Template

QUERIES_HEADER = "X-Bench-Queries"
SQL_TIME_HEADER = "X-Bench-SQL-ms"
TEMPLATE_TIME_HEADER = "X-Bench-Template-ms"
SERVER_TIME_HEADER = "X-Bench-Server-ms"

_request = threading.local()


def _timed(render):
    """Template.render timed at the outermost call only: an include or a crispy form renders inside it."""

    if getattr(render, "bench_timed", False):  # one wrapper, however many times the middleware is built
        return render

    def timed_render(self, context=None, request=None):
        depth = getattr(_request, "depth", 0)
        _request.depth = depth + 1
        started = time.perf_counter()
        try:
            return render(self, context, request)
        finally:
            _request.depth = depth
            if depth == 0:
                _request.template += time.perf_counter() - started

    timed_render.bench_timed = True  # type: ignore[attr-defined]
    return timed_render


def count_queries(get_response):
    Template.render = _timed(Template.render)

    def middleware(request):
        count, seconds, in_templates = 0, 0.0, 0.0
        _request.template, _request.depth = 0.0, 0

        def counter(execute, sql, params, many, context):
            nonlocal count, seconds, in_templates
            count += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent = time.perf_counter() - started
                seconds += spent
                if _request.depth:  # a lazy queryset read by a template: SQL, not rendering
                    in_templates += spent

        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = get_response(request)
        response[QUERIES_HEADER] = str(count)
        response[SQL_TIME_HEADER] = f"{1000 * seconds:.2f}"
        response[TEMPLATE_TIME_HEADER] = f"{1000 * max(0.0, _request.template - in_templates):.2f}"
        response[SERVER_TIME_HEADER] = f"{1000 * (time.perf_counter() - started):.2f}"
        return response

    return middleware
