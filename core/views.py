from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.models import GlossaryTerm


@require_GET
def glossary(request):
    return render(request, "core/glossary.html", {"terms": list(GlossaryTerm.objects.all())})
