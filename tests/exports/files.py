"""Reading what an export answered: CSV rows and XLSX cells."""

import csv
import io

import openpyxl
from django.urls import reverse


def post_export(client, **data):
    return client.post(reverse("exports:export_page"), {"format": "csv", **data})


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, getattr(response, "content", b"")[:500]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def xlsx_sheet(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active
