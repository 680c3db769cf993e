"""`make bench`: ten years of data on PostgreSQL, served by gunicorn, driven by concurrent clients.

Not part of the test suite. Entry point: `python -m bench.run` (see bench/run.py).
"""
