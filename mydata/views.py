"""The pages of "Meine Daten": the form, the "check your inbox" answer, and the pages behind the
signed link (see what is stored; download it; unsubscribe from everything; erase it).

GET and HEAD only show; each action is a POST behind a confirmation page, and the signed link is
read again on every request. Pages behind the link are personal: never cached, never indexed.
"""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from core.privacy import personal_data_erase_summary, personal_data_export, personal_data_json
from core.ratelimit import client_ip_or_none
from core.signing import LinkExpired, LinkInvalid, read_link, sign_link
from mydata import services
from mydata.forms import DataRequestForm
from mydata.overview import data_sections, erase_notes
from mydata.tokens import data_request_for_token

_RESULT_SALT = "mydata.result"


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class RequestView(View):
    """/meine-daten/: one field, the same answer for every address."""

    template_name = "mydata/request_form.html"

    def render(self, form, *, status=200):
        return TemplateResponse(self.request, self.template_name, {"form": form}, status=status)

    def get(self, request):
        return self.render(DataRequestForm())

    def post(self, request):
        form = DataRequestForm(request.POST)
        if form.is_valid():
            try:
                services.data_request_create(
                    email=form.cleaned_data["email"], ip=client_ip_or_none(request)
                )
            except services.DataRequestRejected as rejected:
                form.add_error("email", rejected.message)
                return self.render(form, status=429)
            return redirect("mydata:sent")
        return self.render(form)


class SentView(View):
    """ "If we have data about this address, you get an e-mail": the same for every address."""

    def get(self, request):
        return TemplateResponse(request, "mydata/request_sent.html", {})


def _link_problem(request, *, expired: bool):
    return _noindex(
        TemplateResponse(
            request,
            "mydata/link_problem.html",
            {"expired": expired, "form": DataRequestForm()},
            status=410 if expired else 404,
        )
    )


@method_decorator(never_cache, name="dispatch")
class TokenView(View):
    """A page behind the signed link: the link is checked on every GET and POST."""

    template_name = ""

    def dispatch(self, request, token):
        try:
            self.data_request = data_request_for_token(token)
        except LinkExpired:
            return _link_problem(request, expired=True)
        except LinkInvalid:
            return _link_problem(request, expired=False)
        self.token = token
        return _noindex(super().dispatch(request, token))

    def render(self, **context):
        return TemplateResponse(
            self.request,
            self.template_name,
            {"token": self.token, "email": self.data_request.email, **context},
        )

    def get(self, request, token):
        return self.render()


class DataView(TokenView):
    """Everything stored about the address, with the three buttons."""

    template_name = "mydata/data_overview.html"

    def get(self, request, token):
        sections, empty = data_sections(personal_data_export(self.data_request.email))
        return self.render(sections=sections, empty=empty)


class DownloadView(TokenView):
    """GET says what the file holds; POST: the same JSON file as the admin's export."""

    template_name = "mydata/download_confirm.html"

    def post(self, request, token):
        export = personal_data_export(self.data_request.email)
        response = HttpResponse(
            personal_data_json(export), content_type="application/json; charset=utf-8"
        )
        name = f"meine-daten-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class UnsubscribeView(TokenView):
    """GET asks; POST stops every e-mail to the address and shows the result."""

    template_name = "mydata/unsubscribe_confirm.html"

    def post(self, request, token):
        services.data_unsubscribe(data_request=self.data_request)
        return redirect("mydata:unsubscribed", token=token)


class UnsubscribedView(TokenView):
    """The result of unsubscribing, with the way back to the overview."""

    http_method_names = ["get", "head"]
    template_name = "mydata/unsubscribe_done.html"


class EraseView(TokenView):
    """GET asks (with a checkbox to tick); POST erases everything and shows the result."""

    template_name = "mydata/erase_confirm.html"

    def render(self, **context):
        notes = erase_notes(personal_data_export(self.data_request.email))
        return super().render(notes=notes, **context)

    def post(self, request, token):
        if request.POST.get("confirm") != "yes":
            return self.render(confirm_missing=True)
        result = services.data_erase(data_request=self.data_request)
        done = sign_link(result, salt=_RESULT_SALT)
        return redirect(f"{reverse('mydata:erased')}?ergebnis={done}")


@method_decorator(never_cache, name="dispatch")
class ErasedView(View):
    """After erasing: what was erased (from a signed summary of counts, no address in it)."""

    def get(self, request):
        try:
            result = read_link(request.GET.get("ergebnis", ""), salt=_RESULT_SALT, max_age=3600)
        except LinkInvalid:
            result = None
        if not isinstance(result, dict) or not all(isinstance(v, int) for v in result.values()):
            result = None
        summary = (
            personal_data_erase_summary({k: v for k, v in result.items() if v}) if result else []
        )
        return _noindex(TemplateResponse(request, "mydata/erase_done.html", {"summary": summary}))
