"""Each response says how many SQL queries it took and how long they ran (headers X-Bench-Queries and
X-Bench-SQL-ms), so the report can tell time spent in the database from time spent in Python."""

import time

from django.db import connection

QUERIES_HEADER = "X-Bench-Queries"
SQL_TIME_HEADER = "X-Bench-SQL-ms"


def count_queries(get_response):
    def middleware(request):
        count, seconds = 0, 0.0

        def counter(execute, sql, params, many, context):
            nonlocal count, seconds
            count += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                seconds += time.perf_counter() - started

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response[QUERIES_HEADER] = str(count)
        response[SQL_TIME_HEADER] = f"{1000 * seconds:.2f}"
        return response

    return middleware
