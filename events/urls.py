from django.urls import path

from events import feeds, views

# The calendar files: one address in every language (portal.urls names them "files:…").
files = [
    path("events/calendar.ics", views.calendar, name="calendar"),
    path("events/<slug:slug>.ics", views.event_ics, name="event_ics"),
]

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="list"),
    # The same files again in each language (/es/events/calendar.ics: Spanish titles).
    path("events/calendar.ics", views.calendar, name="calendar"),
    path("events/<slug:slug>.ics", views.event_ics, name="event_ics"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("news/", views.news_list, name="news_list"),
    path("news/feed/", feeds.NewsFeed(), name="news_feed"),
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
]
