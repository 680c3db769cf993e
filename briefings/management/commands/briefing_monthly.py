"""Make the monthly briefing now, as the beat does on the first of each month."""

from django.core.management.base import BaseCommand, CommandError

from briefings import services
from scans.periods import MONTHLY, Period


class Command(BaseCommand):
    help = "Make the monthly briefing for Security Council political coordinators (the previous month by default)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="the month to brief on, as YYYY-MM")

    def handle(self, *args, month=None, **options):
        period = None
        if month:
            try:
                period = Period.parse(month)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            if period.kind != MONTHLY:
                raise CommandError("Give a month as YYYY-MM, for example 2026-07.")
        try:
            pack = services.monthly_briefing_make(actor=None, month=period)
        except services.BriefingError as exc:
            raise CommandError(str(exc)) from None
        if pack.state != pack.State.DONE:
            raise CommandError(f"The briefing for {pack.subject} is {pack.state}: {pack.error or 'being made elsewhere'}")
        self.stdout.write(f"Briefing for {pack.subject}: {pack.file.name} (pack {pack.pk})")
