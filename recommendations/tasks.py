from django.tasks import task

from core import downloads
from recommendations import progress


@task
def prepare_progress(token: str) -> bool:
    """Work out the progress page's figures for a new generation of the plan before a visitor
    asks for them (at ten years of history the count takes a few hundred milliseconds): the
    first render after a change reads them from the shared cache. Nothing to do when another
    change came meanwhile (its own task prepares that one)."""
    if downloads.generation(progress.PLAN) != token:
        return False
    progress.month_end_counts_kept()
    return True
