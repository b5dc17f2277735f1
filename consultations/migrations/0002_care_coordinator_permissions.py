"""The Care coordinators group may add, change and view everything in the Consultations menu
(and delete coordinators' hours and exceptions); Editors get none of it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Care coordinators"
MODELS = {
    "coordinator": ["add", "change", "view", "delete"],
    "availabilityexception": ["add", "change", "view", "delete"],
    "consultation": ["add", "change", "view"],
    "emaildelivery": ["change", "view"],
    "bookingrules": ["change"],
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
            *Permission.objects.filter(content_type__app_label="consultations")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("kindman", "0002_care_coordinators_group"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
