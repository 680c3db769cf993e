from django.db import migrations


def load(apps, schema_editor):
    from followup.reference import load_templates

    load_templates(apps)


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial"), ("hruf", "0002_reference_places")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
