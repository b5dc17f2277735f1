"""Rate-limit counts are kept in an UNLOGGED table: counting writes no write-ahead log, so a
request that is only counted waits for no disk flush. After a crash PostgreSQL empties the
table, which only forgives a few attempts; standbys do not hold it, so a failover does the
same."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("consultations", "0006_rate_limit_count")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE consultations_ratelimitcount SET UNLOGGED",
            reverse_sql="ALTER TABLE consultations_ratelimitcount SET LOGGED",
        )
    ]
