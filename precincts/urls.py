from django.urls import path

from precincts import views

# The contact cards: one address in every language (portal.urls names them "files:…").
files = [
    path("<slug:slug>.vcf", views.precinct_vcard, name="precinct_vcard"),
]

app_name = "precincts"
urlpatterns = [
    path("", views.precinct_list, name="list"),
    path("find/", views.find, name="find"),
    path("<slug:slug>/", views.precinct_detail, name="detail"),
]
