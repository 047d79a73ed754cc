"""The public history in its order (StatusUpdateQuerySet.latest_first), on PostgreSQL.

The change log finds a page's updates by their ids in this index (views.seek_page), carrying
what it filters on (source, retracted_at), so its last page of 82,000 updates reads the index
alone rather than sorting the history. SQLite refuses NULLS LAST in an index (and sorts NULLs
first anyway): nothing is made there.
"""

from django.db import migrations

NAME = "statusupdate_history_order"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "recommendations_statusupdate" '
        '("date" DESC NULLS LAST, "recorded_at" DESC, "id" DESC) '
        'INCLUDE ("source", "retracted_at") WHERE "public"'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0004_statusupdate_note_trigram")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
