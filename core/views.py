from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.models import GlossaryTerm


@require_safe
def glossary(request):
    return render(request, "core/glossary.html", {"terms": list(GlossaryTerm.objects.all())})
