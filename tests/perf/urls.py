"""The site's URLs plus a few views that exist only to test what the page cache refuses."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.template import engines
from django.template.response import SimpleTemplateResponse
from django.urls import include, path

PAGE = "<!doctype html><html><body><p>{}</p></body></html>"


def plain(request):
    return HttpResponse(PAGE.format("Nur Text"))


def with_message(request):
    messages.info(request, "Eine Nachricht nur für diese Besucherin.")
    template = engines["django"].from_string(
        "{% for message in messages %}<p>{{ message }}</p>{% endfor %}"
    )
    return HttpResponse(template.render({}, request))


def with_cookie(request):
    response = HttpResponse(PAGE.format("Mit Keks"))
    response.set_cookie("vorliebe", "dunkel")
    return response


class SearchForm(forms.Form):
    q = forms.CharField(max_length=5)


def with_form_errors(request):
    template = engines["django"].from_string("{{ form.as_p }}")
    return SimpleTemplateResponse(template, {"form": SearchForm(request.GET)})


urlpatterns = [
    path("perf/plain/", plain, name="perf-plain"),
    path("perf/message/", with_message, name="perf-message"),
    path("perf/cookie/", with_cookie, name="perf-cookie"),
    path("perf/form/", with_form_errors, name="perf-form"),
    path("", include("feelmove.urls")),
]
