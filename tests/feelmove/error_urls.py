"""A view that fails, with a visitor's data in play, for the error-reporting tests."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def failing_view(request, token=""):
    email = request.POST.get("email", "")
    raise RuntimeError(f"Kaputt beim Speichern für {email} von 203.0.113.9")


urlpatterns = [
    path("kaputt/", failing_view),
    path("newsletter/abmelden/<str:token>/", failing_view),
]
