"""Trigram indexes for the staff's searches of the admin log (PostgreSQL only; nothing on SQLite)."""

from django.db import migrations

from core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial"), ("admin", "0003_logentry_add_action_flag_choices")]

    operations = [
        trigram_indexes("django_admin_log", ["object_repr", "change_message"]),
    ]
