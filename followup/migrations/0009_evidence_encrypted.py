# Evidence encrypted at rest (hruf/encryption.py): what was stored in clear until now is rewritten
# under the first of EVIDENCE_KEYS; undone in reverse.

import hruf.encryption
from django.db import migrations
from hruf.encryption import decrypt_text, encrypt_text, rewrite_column

_TEXTS = [("ActionUpdate", "evidence"), ("Benchmark", "evidence")]


def _rewrite(convert):
    def run(apps, schema_editor):
        for model, column in _TEXTS:
            rewrite_column(schema_editor.connection, apps.get_model("followup", model)._meta.db_table, column, convert)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0008_template_library'),
    ]

    operations = [
        migrations.AlterField(
            model_name='actionupdate',
            name='evidence',
            field=hruf.encryption.EncryptedTextField(blank=True, max_length=5000, verbose_name='evidence'),
        ),
        migrations.AlterField(
            model_name='benchmark',
            name='evidence',
            field=hruf.encryption.EncryptedTextField(blank=True, max_length=5000, verbose_name='evidence that it was met'),
        ),
        migrations.RunPython(_rewrite(encrypt_text), _rewrite(decrypt_text)),
    ]
