# Files encrypted at rest (hruf/encryption.py): those written in clear until now are rewritten under the
# first of EVIDENCE_KEYS; undone in reverse.

from django.db import migrations
from hruf.encryption import rewrite_files


def encrypt(apps, schema_editor):
    rewrite_files(apps.get_model("briefings", "BriefingPack"), "file", was_clear=True)


def decrypt(apps, schema_editor):
    rewrite_files(apps.get_model("briefings", "BriefingPack"), "file", clear=True)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0001_initial")]

    operations = [migrations.RunPython(encrypt, decrypt)]
