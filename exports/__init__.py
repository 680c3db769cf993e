"""Exports: scans, alerts, actions and review records as CSV (streamed) and XLSX, large ones as Celery jobs."""
