"""Every encrypted text and file rewritten under the first of EVIDENCE_KEYS (hruf/encryption.py).

To rotate: put a new key first in EVIDENCE_KEYS (the old ones after it) on every process, run this,
then remove the old keys. It may run while the app serves: what it has not reached yet still opens
with an old key, and a row edited meanwhile is left as the edit wrote it (already under the new key).
Running it again rewrites everything again and loses nothing.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import FileField

from hruf.encryption import EncryptedStorage, EncryptedTextField, rewrite_column, rewrite_files, rotate_text


class Command(BaseCommand):
    help = "Rewrite every encrypted evidence text and file under the first of EVIDENCE_KEYS."

    def handle(self, *args, **options):
        texts = files = 0
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedTextField):
                    texts += rewrite_column(connection, model._meta.db_table, field.column, rotate_text)
                elif isinstance(field, FileField) and isinstance(field.storage, EncryptedStorage):
                    files += rewrite_files(model, field.name)
        self.stdout.write(f"Rewritten under the first of EVIDENCE_KEYS: {texts} texts, {files} files.")
