from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Principle, ScalePoint


def principle_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "principles/principle_list.html",
        {
            "principles": Principle.objects.with_active_statements(),
            "scale": ScalePoint.objects.all(),
        },
    )
