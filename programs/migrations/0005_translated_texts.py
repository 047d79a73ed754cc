"""Spanish columns beside the English texts of program kinds, programs and decision emails."""

from django.db import migrations, models
from django.db.models import F

# The texts that get a Spanish column (programs/translation.py), by model.
TRANSLATED = {
    "ProgramKind": ["name", "introduction"],
    "Program": ["name", "summary", "description", "audience", "how_to_join", "requirements"],
    "DecisionEmail": ["subject", "body"],
}


def copy_english(apps, schema_editor):
    """The existing texts are English: they become the `_en` columns' (the Spanish stay empty)."""
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("programs", model_name)
        model.objects.update(**{f"{field}_en": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_volunteersignup_search_trigram"),
    ]

    operations = [
        migrations.AddField(
            model_name="decisionemail",
            name="body_en",
            field=models.TextField(
                help_text="Plain text. {name}, {reference} and {programs} are replaced when sent.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="decisionemail",
            name="body_es",
            field=models.TextField(
                help_text="Plain text. {name}, {reference} and {programs} are replaced when sent.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="decisionemail",
            name="subject_en",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="decisionemail",
            name="subject_es",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="program",
            name="audience_en",
            field=models.TextField(
                blank=True,
                help_text="Plain text. Leave a blank line between paragraphs; HTML is shown as typed.",
                null=True,
                verbose_name="who it is for",
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="audience_es",
            field=models.TextField(
                blank=True,
                help_text="Plain text. Leave a blank line between paragraphs; HTML is shown as typed.",
                null=True,
                verbose_name="who it is for",
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="description_en",
            field=models.TextField(
                blank=True,
                help_text="Plain text. Leave a blank line between paragraphs; HTML is shown as typed. Leave empty rather than guess: the page then says COPE gives the details by phone.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="description_es",
            field=models.TextField(
                blank=True,
                help_text="Plain text. Leave a blank line between paragraphs; HTML is shown as typed. Leave empty rather than guess: the page then says COPE gives the details by phone.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="how_to_join_en",
            field=models.TextField(
                blank=True,
                help_text="Plain text. Leave a blank line between paragraphs; HTML is shown as typed.",
                null=True,
                verbose_name="how to take part",
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="how_to_join_es",
            field=models.TextField(
                blank=True,
                help_text="Plain text. Leave a blank line between paragraphs; HTML is shown as typed.",
                null=True,
                verbose_name="how to take part",
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="name_en",
            field=models.CharField(max_length=150, null=True),
        ),
        migrations.AddField(
            model_name="program",
            name="name_es",
            field=models.CharField(max_length=150, null=True),
        ),
        migrations.AddField(
            model_name="program",
            name="requirements_en",
            field=models.TextField(
                blank=True,
                help_text="What a participant needs (age, checks, time). Plain text. Leave a blank line between paragraphs; HTML is shown as typed.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="requirements_es",
            field=models.TextField(
                blank=True,
                help_text="What a participant needs (age, checks, time). Plain text. Leave a blank line between paragraphs; HTML is shown as typed.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="summary_en",
            field=models.CharField(
                blank=True,
                help_text="One line, shown in the list of programs.",
                max_length=200,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="summary_es",
            field=models.CharField(
                blank=True,
                help_text="One line, shown in the list of programs.",
                max_length=200,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="programkind",
            name="introduction_en",
            field=models.TextField(
                blank=True,
                help_text="Plain text. Leave a blank line between paragraphs; HTML is shown as typed.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="programkind",
            name="introduction_es",
            field=models.TextField(
                blank=True,
                help_text="Plain text. Leave a blank line between paragraphs; HTML is shown as typed.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="programkind",
            name="name_en",
            field=models.CharField(max_length=100, null=True),
        ),
        migrations.AddField(
            model_name="programkind",
            name="name_es",
            field=models.CharField(max_length=100, null=True),
        ),
        migrations.RunPython(copy_english, migrations.RunPython.noop),
    ]
