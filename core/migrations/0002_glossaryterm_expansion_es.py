from django.db import migrations, models
from django.db.models import F

HELP = "What it stands for. Leave empty until a source gives it: it is never guessed."


def english_into_its_column(apps, schema_editor):
    """The expansions staff kept so far are English: they become the English column's."""
    GlossaryTerm = apps.get_model("core", "GlossaryTerm")
    GlossaryTerm.objects.update(expansion_en=F("expansion"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_glossaryterm"),
    ]

    operations = [
        migrations.AddField(
            model_name="glossaryterm",
            name="expansion_en",
            field=models.CharField(blank=True, help_text=HELP, max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="glossaryterm",
            name="expansion_es",
            field=models.CharField(blank=True, help_text=HELP, max_length=200, null=True),
        ),
        migrations.RunPython(english_into_its_column, migrations.RunPython.noop, elidable=True),
    ]
