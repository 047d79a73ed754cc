from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from portal import phone as phone_numbers
from portal.textsafe import RefuseControlCharactersAdmin
from precincts import services
from precincts.forms import ServiceAreaUploadForm
from precincts.models import Precinct, ServiceArea


class ServiceAreaInline(RefuseControlCharactersAdmin, admin.TabularInline):
    model = ServiceArea
    extra = 1
    fields = ["kind", "value"]


@admin.register(Precinct)
class PrecinctAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    list_display = ["name", "shown_phone", "street_address", "postal_code", "contact_checked_on"]
    list_filter = [("contact_checked_on", admin.EmptyFieldListFilter)]
    search_fields = ["name", "street_address", "postal_code"]
    ordering = ["order", "name"]
    actions = ["mark_contact_checked_today"]
    view_on_site = True
    inlines = [ServiceAreaInline]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "order"]}),
        (
            "From the source documents",
            {"fields": ["street_address", "city", "state", "postal_code", "phone"]},
        ),
        (
            "Added by staff (left out of the page while empty)",
            {"fields": ["hours", "email", "commander", "latitude", "longitude"]},
        ),
        ("Checks", {"fields": ["contact_checked_on"]}),
    ]

    @admin.display(description="phone", ordering="phone")
    def shown_phone(self, precinct):
        return phone_numbers.display(precinct.phone)

    @admin.action(description="Mark contact details checked today")
    def mark_contact_checked_today(self, request, queryset):
        count = services.mark_contact_details_checked(precincts=queryset)
        self.message_user(request, f"Contact details marked checked today for {count} precinct(s).")

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields


@admin.register(ServiceArea)
class ServiceAreaAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    list_display = ["value", "kind", "precinct"]
    list_filter = ["kind", "precinct"]
    list_select_related = ["precinct"]
    search_fields = ["value"]
    ordering = ["kind", "value"]
    change_list_template = "admin/precincts/servicearea/change_list.html"

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_view)
        return [
            path("upload/", upload, name="precincts_servicearea_upload"),
            *super().get_urls(),
        ]

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
