"""The language a volunteer used on the form, so their emails go out in it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0005_translated_texts"),
    ]

    operations = [
        migrations.AddField(
            model_name="volunteersignup",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("es", "Spanish")],
                default="en",
                help_text="The language of the form they used; their emails go out in it.",
                max_length=2,
            ),
        ),
    ]
