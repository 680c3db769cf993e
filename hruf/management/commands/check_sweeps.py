"""The dead man's switch from cron or a container health check, outside the beat it watches.

Exits 1 while a sweep is late (a health check turns unhealthy), 0 otherwise; emails the
administrators once when a sweep goes late and once when all are on time again (hruf/switch.py).
"""

from django.core.management.base import BaseCommand, CommandError

from hruf.heartbeats import sweep_states
from hruf.switch import sweeps_check


class Command(BaseCommand):
    help = "Check that every beat sweep finished in time; email the administrators on a change."

    def handle(self, *args, **options):
        outcome = sweeps_check()
        late = [s for s in sweep_states() if s.late]
        for s in late:
            when = s.heartbeat.last_finished_at.isoformat() if s.heartbeat.last_finished_at else "never"
            self.stdout.write(f"late: {s.name} (last finished {when}, allowed {s.allowed})")
        if late:
            raise CommandError(f"{len(late)} sweep(s) late; the switch says {outcome}")
        self.stdout.write(f"every sweep on time ({outcome})")
