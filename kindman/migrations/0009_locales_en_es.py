"""The site speaks English ("en", the default) and Spanish ("es"). Databases made before had
their one locale as "en-us"; its pages keep it, renamed."""

from django.db import migrations


def rename_locale(apps, schema_editor):
    locale = apps.get_model("wagtailcore", "Locale")
    if not locale.objects.filter(language_code="en").exists():
        locale.objects.filter(language_code="en-us").update(language_code="en")


def back(apps, schema_editor):
    locale = apps.get_model("wagtailcore", "Locale")
    if not locale.objects.filter(language_code="en-us").exists():
        locale.objects.filter(language_code="en").update(language_code="en-us")


class Migration(migrations.Migration):
    dependencies = [
        ("kindman", "0008_practice_pages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename_locale, back)]
