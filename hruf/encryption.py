"""Evidence encrypted at rest: its texts in the database, its files, exports and packs in storage.

Fernet from pyca/cryptography (AES-128-CBC with an HMAC-SHA256): a changed value or one encrypted
under a key no longer configured is refused, never shown as garbage. The keys come from the
environment (EVIDENCE_KEYS, newest first): the first encrypts, every listed key decrypts, so a new
key is put first, `manage.py rotate_evidence_keys` rewrites everything under it, and the old key is
then removed. A database dump or a copy of the files folder holds no evidence in clear; a backup is
readable only with the keys, which are kept apart from it.

Every evidence text is encrypted, restricted or not: restriction can be turned on after the text was
written, and a flag must not decide what a stolen disk gives away.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.lookups import Exact, IsNull


class EvidenceKeyMissing(Exception):
    """A value that none of the configured EVIDENCE_KEYS opens: a key was removed too early, or the
    data comes from another installation."""


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.EVIDENCE_KEYS))


def _opened(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken:
        raise EvidenceKeyMissing("None of EVIDENCE_KEYS opens this value: restore the key it was written with.") \
            from None


def encrypt_text(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    return _opened(token.encode("ascii")).decode()


def rotate_text(token: str) -> str:
    """The same text encrypted under the first key (MultiFernet.rotate)."""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise EvidenceKeyMissing("None of EVIDENCE_KEYS opens this value: restore the key it was written with.") \
            from None


def encrypt_bytes(data: bytes) -> bytes:
    # Stored as the token's raw bytes: the base64 of a Fernet token would make every file a third larger.
    return base64.urlsafe_b64decode(_fernet().encrypt(data))


def decrypt_bytes(data: bytes) -> bytes:
    return _opened(base64.urlsafe_b64encode(data))


class _EmptyOrNot(Exact):
    """`= ''` is the one comparison an encrypted column answers: each encryption of a text differs."""

    def get_prep_lookup(self):
        if isinstance(self.rhs, str) and self.rhs:
            raise TypeError(f"{self.lhs.target.name} is encrypted: SQL can only tell whether it is empty.")
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text kept encrypted in its column, in clear in Python. An empty text stays empty, so "has
    evidence" still reads in SQL; no other lookup exists (a filter on a text is a FieldError)."""

    def get_lookup(self, lookup_name):
        return {"exact": _EmptyOrNot, "isnull": IsNull}.get(lookup_name)

    def from_db_value(self, value, expression, connection):
        return decrypt_text(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_text(value) if value else value


class EncryptedStorage:
    """A storage whose files are encrypted as a whole on save and decrypted on open. Evidence files
    are limited to EVIDENCE_MAX_MB, exports and packs to a few tens of MB: they fit in memory."""

    def _save(self, name, content):
        data = b"".join(content.chunks())
        return super()._save(name, ContentFile(encrypt_bytes(data)))  # type: ignore[misc]

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as stored:  # type: ignore[misc]
            return ContentFile(decrypt_bytes(stored.read()), name=name)

    def rewritten(self, name: str, *, was_clear: bool = False, clear: bool = False) -> str:
        """The file written again under a new name, which is returned: encrypted under the first key, or
        in clear (`clear`, to undo the migration that encrypted it). `was_clear` reads a file stored
        before encryption. The caller points its row at the new name, then deletes the old file."""
        if was_clear:
            with super()._open(name, "rb") as stored:  # type: ignore[misc]
                data = stored.read()
        else:
            with self.open(name) as opened:  # type: ignore[attr-defined]
                data = opened.read()
        if clear:
            return super()._save(self.get_available_name(name), ContentFile(data))  # type: ignore[misc, attr-defined]
        return self.save(name, ContentFile(data))  # type: ignore[attr-defined]


class EncryptedFileSystemStorage(EncryptedStorage, FileSystemStorage):
    pass


def rewrite_column(connection, table: str, column: str, convert) -> int:
    """Every non-empty stored value of a column passed through `convert`: encrypt_text to encrypt what was
    stored in clear (a migration), decrypt_text to undo that, rotate_text to move to the first key. Each
    row is written only if it still holds what was read: an edit made meanwhile is never overwritten.
    Returns how many were rewritten."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {qn(column)} FROM {qn(table)} WHERE {qn(column)} <> ''")
        rows = [(convert(value), pk, value) for pk, value in cursor.fetchall()]
        for row in rows:
            cursor.execute(f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE id = %s AND {qn(column)} = %s", row)
    return len(rows)


def rewrite_files(model, field_name: str, *, was_clear: bool = False, clear: bool = False) -> int:
    """Every stored file of a model's field written again (EncryptedStorage.rewritten), the row pointed
    at the new file, then the old one deleted: a crash between leaves a stray file, never a lost one."""
    storage = model._meta.get_field(field_name).storage
    count = 0
    for pk, name in list(model.objects.exclude(**{field_name: ""}).values_list("pk", field_name)):
        if not storage.exists(name):
            continue
        new = storage.rewritten(name, was_clear=was_clear, clear=clear)
        if model.objects.filter(pk=pk, **{field_name: name}).update(**{field_name: new}):
            storage.delete(name)
            count += 1
        else:  # the row was deleted or given another file meanwhile
            storage.delete(new)
    return count
