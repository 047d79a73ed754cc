"""Keep the source's own text beside the tidy display text, and each update's previous status."""

from django.db import migrations


def forwards(apps, schema_editor):
    from recommendations.importer import title_for
    from recommendations.plainwords import tidy, tidy_note

    Recommendation = apps.get_model("recommendations", "Recommendation")
    StatusUpdate = apps.get_model("recommendations", "StatusUpdate")
    for recommendation in Recommendation.objects.filter(source_text=""):
        recommendation.source_text = recommendation.text
        recommendation.text = tidy(recommendation.text)
        if recommendation.title.endswith("…") and recommendation.text:
            recommendation.title = title_for(recommendation.text)  # was cut mid-phrase
        recommendation.save(update_fields=["source_text", "text", "title"])
    for update in StatusUpdate.objects.filter(source="the city's status report", source_text=""):
        update.source_text = update.note
        update.note = tidy_note(update.note)
        update.save(update_fields=["source_text", "note"])
    previous = {}
    for update in StatusUpdate.objects.filter(public=True).order_by("recorded_at", "pk"):
        update.previous_status = previous.get(update.recommendation_id, "")
        update.save(update_fields=["previous_status"])
        previous[update.recommendation_id] = update.status
    for recommendation in Recommendation.objects.exclude(progress_note=""):
        recommendation.progress_note = tidy_note(recommendation.progress_note)
        recommendation.save(update_fields=["progress_note"])


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0002_tracker_story_retraction_source_text")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
