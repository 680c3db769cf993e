"""Backup codes stored as given become keyed digests (hruf.otp.services.backup_code_digest, frozen here).

Not reversible: the codes themselves are not kept anywhere; going back leaves the digests, which the
older code cannot match, so people would sign in with their app or have their second factor reset."""

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac

SALT = "hruf.otp.backup-code"
DIGEST_LENGTH = 16


def digest_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.exclude(token__regex=r"^[0-9a-f]{16}$"):
        token.token = salted_hmac(SALT, token.token, secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()[
            :DIGEST_LENGTH]
        token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("hruf", "0009_api_tokens"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(digest_codes, migrations.RunPython.noop)]
