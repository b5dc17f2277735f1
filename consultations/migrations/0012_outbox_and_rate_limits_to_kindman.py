"""The email outbox and the rate-limit counts now belong to `kindman` (its migration 0005 takes
over the tables); here they only leave this app's state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0011_emaildelivery_one_task"),
        ("kindman", "0005_outbox_and_rate_limits"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="RateLimitCount"),
                migrations.DeleteModel(name="EmailDelivery"),
            ],
        ),
    ]
