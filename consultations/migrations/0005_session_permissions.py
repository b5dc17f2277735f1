"""The Care coordinators group may run information sessions and their rosters; Editors get none
of it (as with calls, see 0002)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Care coordinators"
MODELS = {
    "infosession": ["add", "change", "view", "delete"],
    "sessionregistration": ["change", "view"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("consultations")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for model, actions in MODELS.items():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="consultations",
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="consultations",
                content_type__model__in=list(MODELS),
            )
        )


class Migration(migrations.Migration):
    dependencies = [("consultations", "0004_consultation_outcome")]

    operations = [migrations.RunPython(grant, revoke)]
