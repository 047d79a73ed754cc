"""The first program group takes the words the seed heads it with, not an invented label."""

from django.db import migrations

OLD = "Community policing units"
NEW = "Community Oriented, Community Focused, and Community Driven"


def rename(apps, schema_editor):
    ProgramKind = apps.get_model("programs", "ProgramKind")
    ProgramKind.objects.filter(slug="community-policing-units", name=OLD).update(name=NEW)


def rename_back(apps, schema_editor):
    ProgramKind = apps.get_model("programs", "ProgramKind")
    ProgramKind.objects.filter(slug="community-policing-units", name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_decisionemail_volunteersignup_signupstatechange_and_more")]

    operations = [migrations.RunPython(rename, rename_back)]
