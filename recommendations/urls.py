from django.urls import path

from recommendations import feeds, views

# The open-data files: one address in every language (portal.urls names them "files:…").
files = [
    path("recommendations.csv", views.recommendations_csv, name="recommendations_csv"),
    path("recommendations.json", views.recommendations_json, name="recommendations_json"),
    path("status-updates.csv", views.status_updates_csv, name="status_updates_csv"),
    path("status-updates.json", views.status_updates_json, name="status_updates_json"),
    path("datapackage.json", views.datapackage_json, name="datapackage"),
]

app_name = "recommendations"
urlpatterns = [
    path("", views.tracker, name="tracker"),
    path("progress/", views.progress_over_time, name="progress"),
    path("changes/", views.changes, name="changes"),
    path("data/", views.data, name="data"),
    path("feed/", feeds.PlanUpdatesFeed(), name="feed"),
    path("<int:number>/", views.detail, name="detail"),
    path("<int:number>/history/", views.history, name="history"),
    path("<int:number>/feed/", feeds.RecommendationUpdatesFeed(), name="recommendation_feed"),
]
