"""Trigram indexes for the staff's searches of volunteer sign-ups (PostgreSQL only; nothing on SQLite)."""

from django.db import migrations

from core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_programkind_seed_group_name")]

    operations = [
        trigram_indexes("programs_volunteersignup", ["reference", "full_name", "email", "phone"]),
    ]
