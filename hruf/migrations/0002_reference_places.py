from django.db import migrations


def load(apps, schema_editor):
    from hruf.reference import load_places

    load_places(apps)


class Migration(migrations.Migration):
    dependencies = [("hruf", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
