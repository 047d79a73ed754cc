import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from modeltranslation.admin import TranslationAdmin

from core import phone as phone_numbers
from core.admin import SlugFixedOnceSavedMixin
from core.textsafe import RefuseControlCharactersAdmin
from precincts import services
from precincts.boundaries import BoundaryFileError
from precincts.forms import BoundaryUploadForm, ServiceAreaUploadForm
from precincts.models import Precinct, PrecinctBoundary, ServiceArea


class ServiceAreaInline(RefuseControlCharactersAdmin, admin.TabularInline):
    model = ServiceArea
    extra = 1
    fields = ["kind", "value", "label", "confirmed", "source", "partly_outside_city"]


@admin.register(Precinct)
class PrecinctAdmin(SlugFixedOnceSavedMixin, RefuseControlCharactersAdmin, TranslationAdmin):
    """The name, hours and commander have an English and a Spanish box (precincts/translation.py);
    an empty Spanish box shows the English on the Spanish page."""

    slug_from = "name_en"
    list_display = ["name", "shown_phone", "street_address", "postal_code", "contact_checked_on"]
    list_filter = [("contact_checked_on", admin.EmptyFieldListFilter)]
    search_fields = ["name", "street_address", "postal_code"]
    ordering = ["order", "name"]
    actions = ["mark_contact_checked_today"]
    view_on_site = True
    inlines = [ServiceAreaInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "order"]}),
        (
            "From the source documents",
            {"fields": ["street_address", "city", "state", "postal_code", "phone"]},
        ),
        (
            "Added by staff (the page says “not published yet” while empty)",
            {
                "fields": [
                    "hours",
                    "crime_prevention_officer",
                    "crime_prevention_officer_phone",
                    "crime_prevention_officer_email",
                    "email",
                    "commander",
                    "latitude",
                    "longitude",
                ]
            },
        ),
        ("Area, as a source states it", {"fields": ["area_square_miles", "area_source"]}),
        ("Checks", {"fields": ["contact_checked_on"]}),
    ]

    @admin.display(description="phone", ordering="phone")
    def shown_phone(self, precinct):
        return phone_numbers.display(precinct.phone)

    @admin.action(description="Mark contact details checked today")
    def mark_contact_checked_today(self, request, queryset):
        count = services.mark_contact_details_checked(precincts=queryset)
        self.message_user(request, f"Contact details marked checked today for {count} precinct(s).")


@admin.register(ServiceArea)
class ServiceAreaAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    list_display = ["value", "label", "kind", "precinct", "confirmed", "partly_outside_city"]
    list_filter = ["kind", "precinct", "confirmed", "partly_outside_city"]
    list_select_related = ["precinct"]
    search_fields = ["value", "label"]
    ordering = ["kind", "value"]
    actions = ["mark_confirmed"]
    change_list_template = "admin/precincts/servicearea/change_list.html"

    @admin.action(description="Mark confirmed by staff")
    def mark_confirmed(self, request, queryset):
        count = services.confirm_service_areas(areas=queryset)
        self.message_user(request, f"{count} service area(s) marked confirmed by staff.")

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_view)
        uncovered = self.admin_site.admin_view(self.uncovered_view)
        template = self.admin_site.admin_view(self.csv_template_view)
        return [
            path("upload/", upload, name="precincts_servicearea_upload"),
            path("uncovered/", uncovered, name="precincts_servicearea_uncovered"),
            path("template.csv", template, name="precincts_servicearea_template"),
            *super().get_urls(),
        ]

    def uncovered_view(self, request):
        """Birmingham, AL ZIP codes no service area covers: the finder says "not yet assigned"."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Birmingham ZIP codes not yet assigned to a precinct",
            "uncovered": ServiceArea.objects.uncovered_birmingham_zip_codes(),
            "has_add_permission": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/precincts/servicearea/uncovered.html", context)

    def csv_template_view(self, request):
        """A CSV to fill in and upload: the header, then each unassigned ZIP code, precinct empty.

        The precinct column is left empty on purpose: only staff say which precinct serves a ZIP
        code, and the upload refuses a line until they have.
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="service-areas-template.csv"'
        writer = csv.writer(response)
        writer.writerow(services.HEADER)
        for zip_code in ServiceArea.objects.uncovered_birmingham_zip_codes():
            writer.writerow(["zip", zip_code, ""])
        return response

    def upload_view(self, request):
        """Add service areas from a CSV: every line checked first, then all saved or none."""
        if not self.has_add_permission(request):
            return redirect("admin:precincts_servicearea_changelist")
        form = ServiceAreaUploadForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            try:
                result = services.import_service_areas(data=form.cleaned_data["file"].read())
            except services.ServiceAreaImportError as error:
                problems = error.messages
            else:
                self.message_user(
                    request,
                    f"{result.added} service area(s) added; "
                    f"{result.already_on_file} were already on file.",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:precincts_servicearea_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Upload service areas",
            "form": form,
            "problems": problems,
        }
        status = 422 if problems or form.errors else 200
        return TemplateResponse(
            request, "admin/precincts/servicearea/upload.html", context, status=status
        )


@admin.register(PrecinctBoundary)
class PrecinctBoundaryAdmin(admin.ModelAdmin):
    """Boundaries come only from a whole file (upload or `load_precinct_boundaries`), checked
    as one: they are not edited by hand here."""

    list_display = ["precinct", "source", "source_date", "loaded_at"]
    list_select_related = ["precinct"]
    readonly_fields = ["precinct", "source", "source_date", "loaded_at", "bounds"]
    exclude = ["geometry", "min_longitude", "min_latitude", "max_longitude", "max_latitude"]
    change_list_template = "admin/precincts/precinctboundary/change_list.html"

    @admin.display(description="bounds (longitude, latitude)")
    def bounds(self, boundary):
        return (
            f"{boundary.min_longitude:.5f}, {boundary.min_latitude:.5f} to "
            f"{boundary.max_longitude:.5f}, {boundary.max_latitude:.5f}"
        )

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_view)
        return [
            path("upload/", upload, name="precincts_precinctboundary_upload"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """Adding boundaries is loading a file: the upload form."""
        return self.upload_view(request)

    def upload_view(self, request):
        """Load a GeoJSON file: checked whole, then it replaces every boundary, or nothing."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BoundaryUploadForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            try:
                result = services.load_boundaries(
                    data=form.cleaned_data["file"].read(),
                    source=form.cleaned_data["source"],
                    source_date=form.cleaned_data["source_date"],
                )
            except BoundaryFileError as error:
                problems = error.messages
            else:
                self.message_user(
                    request, f"{result.loaded} precinct boundaries loaded.", messages.SUCCESS
                )
                for overlap in result.overlaps:
                    self.message_user(request, f"Overlap: {overlap}", messages.WARNING)
                return redirect(reverse("admin:precincts_precinctboundary_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Upload precinct boundaries",
            "form": form,
            "problems": problems,
            "slugs": list(Precinct.objects.in_order().values_list("slug", flat=True)),
        }
        status = 422 if problems or form.errors else 200
        return TemplateResponse(
            request, "admin/precincts/precinctboundary/upload.html", context, status=status
        )
