# Evidence encrypted at rest (hruf/encryption.py): the columns that hold it; 0011 encrypts what they held.

import hruf.encryption
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('scans', '0009_evidence_files'),
    ]

    operations = [
        migrations.AddField(
            model_name='alert',
            name='evidence_retired_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='evidence withheld at'),
        ),
        migrations.AddField(
            model_name='rating',
            name='evidence_retired_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='evidence withheld at'),
        ),
        migrations.AlterField(
            model_name='alert',
            name='evidence',
            field=hruf.encryption.EncryptedTextField(blank=True, max_length=5000, verbose_name='evidence and sources'),
        ),
        migrations.AlterField(
            model_name='evidencefile',
            name='name',
            field=hruf.encryption.EncryptedTextField(max_length=200, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='rating',
            name='evidence',
            field=hruf.encryption.EncryptedTextField(blank=True, max_length=5000, verbose_name='evidence'),
        ),
    ]
