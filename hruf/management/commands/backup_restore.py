"""Restore a backup into a fresh database and files folder and verify rows and checksums
(hruf/backups.py). `make restore-drill` runs it on the latest backup."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hruf.backups import BackupError, backup_restore, backups_in


class Command(BaseCommand):
    help = "Restore a backup into DATABASE and FILES, then check every table's rows and every file's checksum."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--backup", type=Path, help="the backup file (hruf-....tar.gpg)")
        which.add_argument("--latest", action="store_true", help="the newest backup in BACKUP_DIR")
        parser.add_argument("--database", required=True, help="the database to restore into (made if missing)")
        parser.add_argument("--files", type=Path, required=True, help="the folder to restore the files into")
        parser.add_argument("--force", action="store_true", help="replace a database or folder that is not empty")

    def handle(self, *args, **options):
        backup = options["backup"]
        if options["latest"]:
            found = backups_in(Path(settings.BACKUP_DIR))
            if not found:
                raise CommandError(f"No backup in {settings.BACKUP_DIR}.")
            backup = found[-1]
        try:
            done = backup_restore(backup=backup, database=options["database"], files=options["files"],
                                  force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"restored {done.path.name} ({done.size / 1e6:.1f} MB) into {options['database']} and {options['files']}: "
            f"{done.tables} tables and {done.rows} rows match the manifest, {done.files} files match their "
            f"checksums; {done.seconds:.1f} s"
        )
