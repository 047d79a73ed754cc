"""Trigram indexes for the staff's searches of status updates (PostgreSQL only; nothing on SQLite)."""

from django.db import migrations

from core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0003_source_text_and_previous_status")]

    operations = [
        trigram_indexes("recommendations_statusupdate", ["note"]),
    ]
