from django.urls import path

from precincts import views

app_name = "precincts"
urlpatterns = [
    path("", views.precinct_list, name="list"),
    path("find/", views.find, name="find"),
    path("<slug:slug>/", views.precinct_detail, name="detail"),
    path("<slug:slug>.vcf", views.precinct_vcard, name="vcard"),
]
