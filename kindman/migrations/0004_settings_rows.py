"""Every site has its settings rows from the start. Otherwise the first page view creates them,
and that save makes a new content version (kindman/snapshot.py) in the middle of serving."""

from django.db import migrations


def create_settings_rows(apps, schema_editor):
    for name in ("PracticeSettings", "SecuritySettings"):
        model = apps.get_model("kindman", name)
        if not model.objects.exists():
            model.objects.create()


class Migration(migrations.Migration):
    dependencies = [("kindman", "0003_security_settings")]

    operations = [migrations.RunPython(create_settings_rows, migrations.RunPython.noop)]
