from django.core.management.base import BaseCommand

from followup import enforcement, outcome_sweeps
from reviews import commitment_sweeps
from scans import ledger_sweeps

SWEEPS = {
    "reminders": enforcement.sweep_reminders,
    "overdue": enforcement.sweep_overdue,
    "scans": enforcement.sweep_scans_due,
    "warnings": ledger_sweeps.sweep_unacknowledged,
    "silence": ledger_sweeps.sweep_silence,
    "commitments": commitment_sweeps.sweep_commitments,
    "outcomes": outcome_sweeps.sweep_outcomes,
    "digests": enforcement.sweep_digests,
}


class Command(BaseCommand):
    help = "Run the enforcement sweeps now (the same functions the Celery beat runs)."

    def add_arguments(self, parser):
        parser.add_argument("sweeps", nargs="*", choices=[[], *SWEEPS], help="default: all but digests")

    def handle(self, *args, sweeps, **options):
        for name in sweeps or [n for n in SWEEPS if n != "digests"]:
            result = SWEEPS[name]()
            # A failed row is in the log with its id and is retried by the next run.
            self.stdout.write(f"{name}: {result.done} done, {result.failed} failed")
