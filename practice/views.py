from django.shortcuts import render
from django.urls import reverse

from poses.views import HOME


def my_practice(request):
    """The practitioner's own record. It lives in their browser: the page is the same for everyone and
    its script fills it in from local storage; nothing about it is sent to the server."""
    context = {
        "canonical_path": reverse("practice:mine"),
        "breadcrumbs": [HOME, ("My practice", None)],
    }
    return render(request, "practice/my_practice.html", context)
