"""Editors translate pages into Spanish (wagtail-localize's "Translate this page"); publishing
rights in the Spanish sections come with each section's index page, as in English. The Spanish
locale exists and follows the English tree, so a page not translated yet is kept in the Spanish
tree as an alias of the English (which says so in Spanish)."""

from django.db import migrations


def spanish_locale(apps, schema_editor):
    locale = apps.get_model("wagtailcore", "Locale")
    synchronisation = apps.get_model("wagtail_localize", "LocaleSynchronization")
    english = locale.objects.filter(language_code="en").first()
    spanish, _ = locale.objects.get_or_create(language_code="es")
    if english is not None:
        synchronisation.objects.get_or_create(locale=spanish, defaults={"sync_from": english})


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group")
    permission = apps.get_model("auth", "Permission")
    content_type = apps.get_model("contenttypes", "ContentType")
    editors = group.objects.filter(name="Editors").first()
    if editors is None:
        return
    localize, _ = content_type.objects.get_or_create(app_label="wagtail_localize", model="translation")
    submit, _ = permission.objects.get_or_create(
        content_type=localize,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    editors.permissions.add(submit)


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group")
    editors = group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(*editors.permissions.filter(codename="submit_translation"))


class Migration(migrations.Migration):
    dependencies = [
        ("kindman", "0009_locales_en_es"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
        migrations.RunPython(spanish_locale, migrations.RunPython.noop),
    ]
