"""The history as the progress table reads it (progress.DELTAS), on PostgreSQL.

The window that pairs each update with the next one of its recommendation reads the updates
in force per recommendation in date order: this index gives them in that order with their
status, so the first progress render after a change reads the index instead of sorting the
whole history (82,000 rows, on disk). SQLite sorts its smaller history itself.
"""

from django.db import migrations

NAME = "statusupdate_progress_order"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "recommendations_statusupdate" '
        '("recommendation_id", (CASE WHEN "date" IS NULL THEN 0 ELSE 1 END), "date", '
        '"recorded_at", "id") INCLUDE ("status") WHERE "public" AND "retracted_at" IS NULL'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0005_statusupdate_history_order")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
