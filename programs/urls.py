from django.urls import path

from programs import views

app_name = "programs"
urlpatterns = [
    path("programs/", views.program_list, name="list"),
    path("programs/<slug:slug>/", views.program_detail, name="detail"),
    path("volunteer/", views.volunteer, name="volunteer"),
    path("volunteer/thanks/", views.volunteer_thanks, name="volunteer_thanks"),
]
