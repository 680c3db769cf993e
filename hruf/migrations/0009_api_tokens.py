"""API tokens kept as digests (django-rest-knox); the clear-text keys of DRF's token table go with it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hruf', '0008_sweep_heartbeats'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('digest', models.CharField(max_length=128, primary_key=True, serialize=False)),
                ('token_key', models.CharField(db_index=True, max_length=25)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('expiry', models.DateTimeField(blank=True, null=True)),
                ('name', models.CharField(blank=True, max_length=100, verbose_name='name')),
                ('second_factor', models.BooleanField(default=False, verbose_name='made after a second-factor check')),
                ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='last used')),
                ('last_used_ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='last used from')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='auth_token_set', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created'],
            },
        ),
        # Clear-text keys of the token table used before (rest_framework.authtoken, no longer installed).
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
