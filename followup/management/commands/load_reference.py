from django.apps import apps
from django.core.management.base import BaseCommand

from followup.reference import load_templates
from hruf.reference import load_places
from scans.reference import load_matrix


class Command(BaseCommand):
    help = "Load regions, UN member states, entities, risk factors, the default matrix and action templates (idempotent)."

    def handle(self, *args, **options):
        places = load_places(apps)
        matrix = load_matrix(apps)
        templates = load_templates(apps)
        self.stdout.write(
            f"{places['regions']} regions, {places['countries_created']} countries added, "
            f"{matrix['risk_factors']} risk factors, matrix {'created' if matrix['matrix_created'] else 'present'}, "
            f"{templates} action templates added."
        )
