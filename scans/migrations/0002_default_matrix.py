from django.db import migrations


def load(apps, schema_editor):
    from scans.reference import load_matrix

    load_matrix(apps)


class Migration(migrations.Migration):
    dependencies = [("scans", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
