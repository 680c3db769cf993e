# Evidence encrypted at rest (hruf/encryption.py): the texts and files stored in clear until now are
# rewritten under the first of EVIDENCE_KEYS; undone in reverse.

from django.db import migrations
from hruf.encryption import decrypt_text, encrypt_text, rewrite_column, rewrite_files

_TEXTS = [("Rating", "evidence"), ("Alert", "evidence"), ("EvidenceFile", "name")]
_FILES = ["file", "thumbnail"]


def encrypt(apps, schema_editor):
    for model, column in _TEXTS:
        rewrite_column(schema_editor.connection, apps.get_model("scans", model)._meta.db_table, column, encrypt_text)
    for field in _FILES:
        rewrite_files(apps.get_model("scans", "EvidenceFile"), field, was_clear=True)


def decrypt(apps, schema_editor):
    for model, column in _TEXTS:
        rewrite_column(schema_editor.connection, apps.get_model("scans", model)._meta.db_table, column, decrypt_text)
    for field in _FILES:
        rewrite_files(apps.get_model("scans", "EvidenceFile"), field, clear=True)


class Migration(migrations.Migration):
    # Apart from 0010: on PostgreSQL a table cannot be altered in the transaction that updated its rows.
    dependencies = [("scans", "0010_evidence_encrypted")]

    operations = [migrations.RunPython(encrypt, decrypt)]
