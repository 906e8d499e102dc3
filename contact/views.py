"""The contact page: GET shows the form, POST validates it, calls one service and redirects."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from contact import services
from contact.forms import ConsultationRequestForm, consent_text
from contact.models import ContactPage
from core.ratelimit import client_ip


class ConsultationRequestView(View):
    """/kontakt/: the author's introduction and the request form."""

    template_name = "contact/consultationrequest_form.html"

    def render(self, form, *, status=200):
        context = {"form": form, "page": ContactPage.current()}
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render(ConsultationRequestForm())

    def post(self, request):
        form = ConsultationRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.consultation_request_submit(
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    topic=data["topic"],
                    message=data["message"],
                    consent_text=consent_text(),
                    ip=client_ip(request),
                    form_token=data.get("ts", ""),
                )
            except services.RequestRejected as rejected:
                form.add_error(None, rejected.message)
            else:
                # Its own anchor: else the browser keeps the form's (#kontakt-formular).
                return redirect(f"{reverse('contact:thanks')}#inhalt")
        return self.render(form, status=400)


class ThanksView(TemplateView):
    """The request has arrived: what happens next."""

    template_name = "contact/consultationrequest_done.html"
