"""Recurring events: one Event row, a weekly or monthly rule, and the dates it skips.

Staff enter a meeting once (its first date, how it repeats, until when, and the dates it does
not happen); the occurrences are expanded here with python-dateutil's rrule, and the calendar
download carries the same rule (RRULE) and skipped dates (EXDATE) so calendar apps repeat it.
"""

import datetime
from collections.abc import Iterator

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.utils import dateformat, formats, timezone
from django.utils.translation import pgettext, pgettext_lazy

WEEKLY = "weekly"
MONTHLY_WEEKDAY = "monthly_weekday"
MONTHLY_DATE = "monthly_date"
CHOICES = [
    (WEEKLY, "Every week, on the same weekday"),
    (MONTHLY_WEEKDAY, "Every month, on the same weekday (like the second Tuesday)"),
    (MONTHLY_DATE, "Every month, on the same date (like the 15th)"),
]
MAX_YEARS = 3
SHORTEST_MONTH = 28  # days: a monthly date after it is not in every month
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
ORDINALS = {
    1: pgettext_lazy("the ... Tuesday of the month", "first"),
    2: pgettext_lazy("the ... Tuesday of the month", "second"),
    3: pgettext_lazy("the ... Tuesday of the month", "third"),
    4: pgettext_lazy("the ... Tuesday of the month", "fourth"),
    -1: pgettext_lazy("the ... Tuesday of the month", "last"),
}


def nth_weekday(start: datetime.datetime) -> int:
    """Which weekday of its month a date is: 1 to 4, or -1 (the last) for the fifth."""
    nth = (start.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def rule_parts(event) -> dict:
    """The rule as RFC 5545 RRULE parts, in Birmingham time (FREQ, BYDAY or BYMONTHDAY, UNTIL)."""
    start = timezone.localtime(event.starts_at)
    until = timezone.make_aware(
        datetime.datetime.combine(event.repeat_until, datetime.time(23, 59, 59)), start.tzinfo
    )
    day = rrule.weekday(start.weekday())
    if event.repeats == WEEKLY:
        return {"freq": rrule.WEEKLY, "byweekday": day, "until": until}
    if event.repeats == MONTHLY_WEEKDAY:
        return {"freq": rrule.MONTHLY, "byweekday": day(nth_weekday(start)), "until": until}
    return {"freq": rrule.MONTHLY, "bymonthday": start.day, "until": until}


def skipped_dates(text: str) -> list[datetime.date]:
    """The dates in the exceptions box, one per line (YYYY-MM-DD); ValueError names a bad line."""
    dates = []
    for line in text.splitlines():
        if line.strip():
            dates.append(datetime.date.fromisoformat(line.strip()))
    return sorted(set(dates))


def occurrences(event, since: datetime.date | None = None) -> Iterator[datetime.datetime]:
    """Each start of the event in Birmingham time, skipped dates left out, one at a time; only
    those from the day `since` on when given (the rule is started there: every rule repeats
    each week or month with the first date's weekday or day, so the dates are the same)."""
    first = timezone.localtime(event.starts_at)
    if not event.repeats:
        yield first
        return
    skipped = set(skipped_dates(event.skipped_dates))
    start = first.replace(tzinfo=None)
    if since is not None and since > start.date():
        start = datetime.datetime.combine(since, start.time())
    parts = rule_parts(event) | {"dtstart": start}
    parts["until"] = parts["until"].replace(tzinfo=None)
    for moment in rrule.rrule(**parts):
        if moment.date() not in skipped:
            yield timezone.make_aware(moment, first.tzinfo)


def starts(event) -> list[datetime.datetime]:
    """Every start of the event in Birmingham time, skipped dates left out."""
    return list(occurrences(event))


def next_start(event, now=None) -> datetime.datetime | None:
    """The start of the next occurrence not over yet, or None when the series is over: the rule
    is followed from the day before the latest start that could still be going on, so a series
    begun years ago costs what a new one does."""
    now = now or timezone.now()
    length = event.ends_at - event.starts_at
    since = timezone.localtime(now - length).date() - datetime.timedelta(days=1)
    return next((start for start in occurrences(event, since) if start + length >= now), None)


def series_end(event) -> datetime.datetime:
    """When the last occurrence ends: what decides whether the series is upcoming or past."""
    moments = starts(event) or [event.starts_at]
    return moments[-1] + (event.ends_at - event.starts_at)


def add_to_vevent(item, event) -> None:
    """Put the rule (RRULE) and the skipped dates (EXDATE) on the event's VEVENT."""
    if not event.repeats:
        return
    parts = rule_parts(event)
    rule = {"freq": "WEEKLY" if parts["freq"] == rrule.WEEKLY else "MONTHLY"}
    rule["until"] = parts["until"].astimezone(datetime.UTC)
    if "byweekday" in parts:
        day = parts["byweekday"]
        rule["byday"] = f"{day.n or ''}{DAY_CODES[day.weekday]}"
    else:
        rule["bymonthday"] = parts["bymonthday"]
    item.add("rrule", rule)
    first = timezone.localtime(event.starts_at)
    skipped = [
        datetime.datetime.combine(day, first.time(), first.tzinfo)
        for day in skipped_dates(event.skipped_dates)
    ]
    if skipped:
        item.add("exdate", [timezone.localtime(moment) for moment in skipped])


def describe(event) -> str:
    """Like "Every month on the second Tuesday, until December 15, 2026", in the active
    language."""
    start = timezone.localtime(event.starts_at)
    parts = {
        "until": formats.date_format(event.repeat_until, "DATE_FORMAT"),
        "weekday": dateformat.format(start, "l"),
    }
    if event.repeats == WEEKLY:
        return pgettext("repeating event", "Every %(weekday)s, until %(until)s") % parts
    if event.repeats == MONTHLY_WEEKDAY:
        parts["nth"] = ORDINALS[nth_weekday(start)]
        return (
            pgettext("repeating event", "Every month on the %(nth)s %(weekday)s, until %(until)s")
            % parts
        )
    parts["day"] = start.day
    if start.day > SHORTEST_MONTH:  # RRULE BYMONTHDAY skips the months without that day
        return (
            pgettext(
                "repeating event on the 29th, 30th or 31st",
                "On day %(day)s of each month that has one, until %(until)s",
            )
            % parts
        )
    return pgettext("repeating event", "Every month on day %(day)s, until %(until)s") % parts


def validate(event) -> None:
    """The rule's own checks: an end date within MAX_YEARS, exceptions that are real dates."""
    if not event.repeats:
        return
    errors = {}
    if event.repeat_until is None:
        errors["repeat_until"] = "Give the last date the event repeats on."
    elif event.starts_at and event.repeat_until < timezone.localtime(event.starts_at).date():
        errors["repeat_until"] = "The last date cannot be before the first one."
    elif event.starts_at and (
        event.repeat_until - timezone.localtime(event.starts_at).date()
    ) > datetime.timedelta(days=366 * MAX_YEARS):
        errors["repeat_until"] = f"Repeat for {MAX_YEARS} years at most; add a new series after."
    try:
        skipped_dates(event.skipped_dates)
    except ValueError:
        errors["skipped_dates"] = "Write one date per line, like 2026-12-08."
    if errors:
        raise ValidationError(errors)
