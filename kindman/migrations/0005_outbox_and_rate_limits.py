"""The email outbox and the rate-limit counts move from `consultations` to `kindman`, which every
app shares (the newsletter and two-step sign-in send email and count requests too). The tables
and their rows stay; they are renamed, and the delivery model's content type follows, so the
Care coordinators' permissions on it are kept."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ("emaildelivery", "ratelimitcount"):
        if not content_type.objects.filter(app_label="kindman", model=model).exists():
            content_type.objects.filter(app_label="consultations", model=model).update(
                app_label="kindman"
            )


def back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(
        app_label="kindman", model__in=["emaildelivery", "ratelimitcount"]
    ).update(app_label="consultations")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("kindman", "0004_settings_rows"),
        ("consultations", "0011_emaildelivery_one_task"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RateLimitCount",
                    fields=[
                        ("key", models.CharField(max_length=100, primary_key=True, serialize=False)),
                        ("hits", models.PositiveIntegerField(default=0)),
                        ("expires_at", models.DateTimeField(db_index=True)),
                    ],
                    options={"db_table": "consultations_ratelimitcount"},
                ),
                migrations.CreateModel(
                    name="EmailDelivery",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("kind", models.CharField(max_length=40)),
                        ("object_id", models.PositiveBigIntegerField(blank=True, null=True)),
                        (
                            "sequence",
                            models.PositiveIntegerField(
                                default=0,
                                help_text="The invite sequence this email was about; stale ones are skipped.",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("retrying", "Retrying"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                    ("skipped", "Skipped (no longer relevant)"),
                                ],
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        (
                            "last_error",
                            models.CharField(blank=True, help_text="Error type only.", max_length=200),
                        ),
                        ("send_after", models.DateTimeField(blank=True, null=True)),
                        ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "content_type",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="contenttypes.contenttype",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "consultations_emaildelivery",
                        "verbose_name_plural": "email deliveries",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(
                                fields=["content_type", "object_id"],
                                name="consultatio_content_51f4ea_idx",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="ratelimitcount", table=None),
        migrations.AlterModelTable(name="emaildelivery", table=None),
        migrations.RenameIndex(
            model_name="emaildelivery",
            new_name="kindman_ema_content_4d5e04_idx",
            old_name="consultatio_content_51f4ea_idx",
        ),
        migrations.RunPython(move_content_types, back),
    ]
