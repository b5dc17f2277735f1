"""The practice's own specialties and a starting set of modalities and languages (idempotent by
slug), and the Editors' permissions: manage these taxonomies and publish pages."""

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
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Page = apps.get_model("wagtailcore", "Page")

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
    # Wagtail's Editors may add and edit pages from the root; they also publish and schedule.
    root = Page.objects.filter(depth=1).first()
    publish = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename="publish_page"
    ).first()
    if root is not None and publish is not None:
        GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=publish)


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
