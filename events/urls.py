from django.urls import path

from events import feeds, views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/calendar.ics", views.calendar, name="calendar"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("events/<slug:slug>.ics", views.event_ics, name="ics"),
    path("news/", views.news_list, name="news_list"),
    path("news/feed/", feeds.NewsFeed(), name="news_feed"),
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
]
