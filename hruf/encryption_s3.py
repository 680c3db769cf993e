"""The object store's evidence storage, encrypted like the folder's (hruf/encryption.py); apart so that
only a deployment with EVIDENCE_S3_BUCKET imports boto3."""

from storages.backends.s3 import S3Storage

from .encryption import EncryptedStorage


class EncryptedS3Storage(EncryptedStorage, S3Storage):
    pass
