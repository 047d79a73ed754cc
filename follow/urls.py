from django.urls import path, register_converter

from core.converters import TokenConverter
from follow import views

register_converter(TokenConverter, "token")

app_name = "follow"
urlpatterns = [
    path("", views.follow, name="follow"),
    path("sent/", views.sent, name="sent"),
    path("confirm/<token:token>/", views.confirm, name="confirm"),
    path("manage/<token:token>/", views.manage, name="manage"),
    path("unsubscribe/<token:token>/", views.unsubscribe, name="unsubscribe"),
]
