from django.urls import path

from ask import views

app_name = "ask"
urlpatterns = [
    path("programs/<slug:slug>/request/", views.speaker_request, name="speaker"),
    path("precincts/<slug:slug>/request-walk/", views.walk_request, name="walk"),
    path("ask/thanks/", views.thanks, name="thanks"),
    path("events/<slug:slug>/register/", views.registration, name="register"),
    path("registrations/<str:token>/cancel/", views.cancel, name="cancel_registration"),
]
