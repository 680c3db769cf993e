# Files encrypted at rest (hruf/encryption.py): those written in clear until now are rewritten under the
# first of EVIDENCE_KEYS; undone in reverse.

from django.db import migrations
from hruf.encryption import rewrite_files


def encrypt(apps, schema_editor):
    rewrite_files(apps.get_model("exports", "ExportJob"), "file", was_clear=True)


def decrypt(apps, schema_editor):
    rewrite_files(apps.get_model("exports", "ExportJob"), "file", clear=True)


class Migration(migrations.Migration):
    dependencies = [("exports", "0003_job_scope_and_expiry")]

    operations = [migrations.RunPython(encrypt, decrypt)]
