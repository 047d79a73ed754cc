"""The tracker's headline: is the city doing what it promised? Computed from the data."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max
from django.utils.translation import get_language, ngettext

from recommendations.models import Status, StatusUpdate, status_labels

UNDER_WAY = [Status.IN_PLANNING, Status.IN_DEVELOPMENT, Status.PRE_LAUNCH]
# The bar's order: done first, then doing, then the stages before, then no information.
BAR_ORDER = [
    Status.COMPLETED,
    Status.IN_PROGRESS,
    Status.PRE_LAUNCH,
    Status.IN_DEVELOPMENT,
    Status.IN_PLANNING,
    Status.NOT_PURSUED,
    Status.NO_UPDATE,
    "",
]


@dataclass
class Headline:
    total: int
    completed: int
    in_progress: int
    under_way: int
    no_update: int
    not_published: int
    not_pursued: int
    latest_date: date | None
    segments: list[dict]

    @property
    def no_information(self) -> int:
        return self.no_update + self.not_published

    @property
    def under_way_sentence(self) -> str:
        """One sentence with two counts ("22 are in progress, and 21 more are…"): gettext picks
        the form for the first, and the second's singular or plural picks the message."""
        if self.under_way == 1:
            text = ngettext(
                "%(in_progress)s is in progress, and %(under_way)s more is in planning, "
                "in development or pre-launch.",
                "%(in_progress)s are in progress, and %(under_way)s more is in planning, "
                "in development or pre-launch.",
                self.in_progress,
            )
        else:
            text = ngettext(
                "%(in_progress)s is in progress, and %(under_way)s more are in planning, "
                "in development or pre-launch.",
                "%(in_progress)s are in progress, and %(under_way)s more are in planning, "
                "in development or pre-launch.",
                self.in_progress,
            )
        return text % {"in_progress": self.in_progress, "under_way": self.under_way}


def plan_headline(counts: dict[str, int]) -> Headline:
    """From `RecommendationQuerySet.counts_by_status()` and one query for the latest date."""
    latest = StatusUpdate.objects.in_force().aggregate(latest=Max("date"))["latest"]
    labels = status_labels(get_language())
    return Headline(
        total=sum(counts.values()),
        completed=counts[Status.COMPLETED],
        in_progress=counts[Status.IN_PROGRESS],
        under_way=sum(counts[code] for code in UNDER_WAY),
        no_update=counts[Status.NO_UPDATE],
        not_published=counts[""],
        not_pursued=counts[Status.NOT_PURSUED],
        latest_date=latest,
        segments=segments([(code, labels[code], counts[code]) for code in BAR_ORDER]),
    )


def segments(parts: list[tuple[str, str, int]]) -> list[dict]:
    """One stacked bar: each part's start and width in percent of the whole (SVG attributes)."""
    total = sum(count for _, _, count in parts) or 1
    drawn, start = [], 0
    for code, label, count in parts:
        drawn.append(
            {
                "code": code or "none",
                "label": label,
                "count": count,
                "x": f"{100 * start / total:.3f}%",
                "width": f"{100 * count / total:.3f}%",
            }
        )
        start += count
    return drawn
