"""The practice's own specialties and a starting set of modalities and languages (idempotent by
slug), and the Editors' permission to manage these taxonomies (publishing rights come with each section index page: kindman.models.EditorsPublishHere)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SPECIALTIES = [
    ("lgbtqia-affirmative-therapy", "LGBTQIA+ affirmative therapy"),
    ("couples-therapy-and-premarital-counselling", "Couples therapy and premarital counselling"),
    ("grief-and-loss", "Grief and loss"),
    ("group-therapy", "Group therapy"),
    ("trauma", "Trauma"),
    ("womens-issues", "Women’s issues"),
    ("depression-and-anxiety", "Depression and anxiety"),
    ("substance-use", "Substance use"),
    ("mindfulness-and-embodiment", "Mindfulness and embodiment"),
    ("support-for-creatives", "Support for creatives"),
    ("sex-work-affirming-therapy", "Sex work–affirming therapy"),
    (
        "consultation-and-supervision-for-therapists",
        "Consultation and supervision for therapists",
    ),
]
MODALITIES = [
    ("relational-therapy", "Relational therapy"),
    ("emdr", "EMDR"),
    ("somatic-therapy", "Somatic therapy"),
    ("emotionally-focused-therapy", "Emotionally focused therapy"),
    ("narrative-therapy", "Narrative therapy"),
    ("internal-family-systems", "Internal Family Systems"),
    ("harm-reduction", "Harm reduction"),
]
LANGUAGES = [
    ("english", "English"),
    ("spanish", "Spanish"),
    ("tagalog", "Tagalog"),
    ("american-sign-language", "American Sign Language"),
]
TAXONOMY_MODELS = ["specialty", "modality", "language"]


def seed_taxonomies(apps, schema_editor):
    for model_name, items in (
        ("Specialty", SPECIALTIES),
        ("Modality", MODALITIES),
        ("Language", LANGUAGES),
    ):
        model = apps.get_model("therapists", model_name)
        for slug, name in items:
            model.objects.get_or_create(slug=slug, defaults={"name": name})


def grant_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    editors = Group.objects.filter(name="Editors").first()
    if editors is None:
        return
    # Permissions are normally created after all migrations have run; make ours exist now.
    app_config = apps.get_app_config("therapists")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="therapists",
            codename__in=[
                f"{action}_{model}"
                for model in TAXONOMY_MODELS
                for action in ("add", "change", "delete", "view")
            ],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0002_directory_verbose_name"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(seed_taxonomies, migrations.RunPython.noop),
        migrations.RunPython(grant_editors, migrations.RunPython.noop),
    ]
