"""System checks of the settings that `manage.py check` cannot see from Django's own."""

import os

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def evidence_keys_are_keys(app_configs, **kwargs):
    errors = []
    for position, key in enumerate(settings.EVIDENCE_KEYS, start=1):
        try:
            Fernet(key)
        except ValueError:
            errors.append(checks.Error(
                f"EVIDENCE_KEYS: key {position} is not a Fernet key (32 bytes in URL-safe base64).",
                hint='Make one with: python -c "from cryptography.fernet import Fernet; '
                     'print(Fernet.generate_key().decode())"',
                id="hruf.E001"))
    return errors


@checks.register(checks.Tags.security, deploy=True)
def evidence_keys_are_configured(app_configs, **kwargs):
    if os.environ.get("EVIDENCE_KEYS"):
        return []
    return [checks.Warning(
        "EVIDENCE_KEYS is not set: evidence is encrypted with a key generated in this machine's var folder, "
        "which other containers do not share and a restore elsewhere would not have.",
        hint="Set EVIDENCE_KEYS and keep the keys apart from the backups.", id="hruf.W001")]
