"""One encrypted backup of the database and the private files (hruf/backups.py); cron or the compose
`backup` service runs it nightly."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hruf.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Write an encrypted backup of the database and the files into BACKUP_DIR, keeping the newest BACKUP_KEEP."

    def handle(self, *args, **options):
        try:
            done = backup_create(now=timezone.now())
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"backup {done.path}: {done.size / 1e6:.1f} MB, {done.tables} tables, {done.rows} rows, "
            f"{done.files} files, {done.seconds:.1f} s"
        )
