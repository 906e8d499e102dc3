"""Signup pages, the confirmation step, the guide download and one-click unsubscribing.

Pages reached through a signed link are never cached: their URL is personal.
"""

from django.http import FileResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from core.ratelimit import client_ip_or_none
from core.signing import LinkExpired, LinkInvalid
from newsletter import services, tokens
from newsletter.forms import GuideLinkForm, SignupForm
from newsletter.models import Guide, Subscriber


class SignupView(View):
    """The newsletter page (/newsletter/) and the guide landing page (/gratis-guide/)."""

    source = Subscriber.Source.NEWSLETTER
    template_name = "newsletter/subscriber_form.html"

    def get_context_data(self, **kwargs):
        return {"source": self.source, **kwargs}

    def render(self, form):
        return TemplateResponse(self.request, self.template_name, self.get_context_data(form=form))

    def get(self, request):
        return self.render(SignupForm(source=self.source, auto_id="signup-%s"))

    def post(self, request):
        form = SignupForm(request.POST, source=self.source, auto_id="signup-%s")
        if form.is_valid():
            try:
                services.subscriber_signup(
                    email=form.cleaned_data["email"],
                    first_name=form.cleaned_data["first_name"],
                    source=self.source,
                    ip=client_ip_or_none(request),
                    user_agent=request.headers.get("User-Agent", ""),
                )
            except services.SignupRejected as rejected:
                form.add_error(None, rejected.message)
            else:
                # To the page's content: the form's action ends in its anchor, and a redirect
                # without one of its own would carry that anchor along.
                return redirect(f"{reverse('newsletter:signup_done')}#inhalt")
        return self.render(form)


class GuideLandingView(SignupView):
    """What the free guide contains, its cover, and the signup form."""

    source = Subscriber.Source.GUIDE
    template_name = "newsletter/guide_landing.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(guide=Guide.objects.active().first(), **kwargs)


class SignupDoneView(TemplateView):
    """ "Please check your inbox": the same page whether or not the address was known."""

    template_name = "newsletter/signup_done.html"


def _link_problem(request, *, problem: str, status: int, form=None):
    """The friendly page for a link that is forged, expired or not (yet) valid."""
    return TemplateResponse(
        request,
        "newsletter/link_problem.html",
        {"problem": problem, "form": form or GuideLinkForm(auto_id="fresh-link-%s")},
        status=status,
    )


@method_decorator(never_cache, name="dispatch")
class ConfirmView(View):
    """GET shows one button; only its POST confirms, so link-following scanners confirm nothing."""

    def dispatch(self, request, token):
        try:
            self.subscriber = tokens.subscriber_for_confirmation(token)
        except LinkExpired:
            return _link_problem(request, problem="confirm_expired", status=410)
        except LinkInvalid:
            return _link_problem(request, problem="confirm_invalid", status=404)
        if self.subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            return _link_problem(request, problem="confirm_invalid", status=404)
        self.token = token
        return super().dispatch(request, token)

    def get(self, request, token):
        if self.subscriber.is_confirmed:
            return redirect("newsletter:confirmed", token=token)
        return TemplateResponse(
            request, "newsletter/subscriber_confirm.html", {"subscriber": self.subscriber}
        )

    def post(self, request, token):
        services.subscriber_confirm(subscriber=self.subscriber, ip=client_ip_or_none(request))
        return redirect("newsletter:confirmed", token=token)


@method_decorator(never_cache, name="dispatch")
class ConfirmedView(ConfirmView):
    """Welcome page after confirming; for a guide signup with the download button."""

    http_method_names = ["get", "head"]

    def get(self, request, token):
        subscriber = self.subscriber
        if not subscriber.is_confirmed:
            return redirect("newsletter:confirm", token=token)
        guide = Guide.objects.active().first() if subscriber.wants_guide else None
        download_url = (
            reverse("newsletter:guide_download", args=[tokens.download_token(subscriber)])
            if guide
            else None
        )
        return TemplateResponse(
            request,
            "newsletter/subscriber_confirmed.html",
            {"subscriber": subscriber, "guide": guide, "download_url": download_url},
        )


@method_decorator(never_cache, name="dispatch")
class GuideDownloadView(View):
    """The link from the e-mail: GET shows the guide with one button; its POST counts the
    download and sends the PDF. So a mail scanner that opens the link counts nothing."""

    def dispatch(self, request, token):
        try:
            self.subscriber = tokens.subscriber_for_download(token)
        except LinkExpired:
            return _link_problem(request, problem="download_expired", status=410)
        except LinkInvalid:
            return _link_problem(request, problem="download_invalid", status=404)
        if not self.subscriber.is_confirmed:
            return _link_problem(request, problem="download_unconfirmed", status=403)
        self.guide = Guide.objects.active().first()
        if self.guide is None or not self.guide.pdf:
            return _link_problem(request, problem="guide_missing", status=404)
        return super().dispatch(request, token)

    def get(self, request, token):
        return TemplateResponse(
            request,
            "newsletter/guide_download.html",
            {"guide": self.guide, "subscriber": self.subscriber},
        )

    def post(self, request, token):
        guide = self.guide
        try:
            pdf = guide.pdf.open("rb")
        except FileNotFoundError:
            return _link_problem(request, problem="guide_missing", status=404)
        services.guide_download_record(guide=guide, subscriber=self.subscriber)
        return FileResponse(
            pdf,
            as_attachment=True,
            filename=guide.download_filename,
            content_type="application/pdf",
        )


class GuideLinkRequestView(View):
    """Ask for a fresh download link by e-mail; the same answer for every address."""

    def get(self, request):
        return _link_problem(request, problem="fresh_link", status=200)

    def post(self, request):
        form = GuideLinkForm(request.POST, auto_id="fresh-link-%s")
        if form.is_valid():
            try:
                services.guide_link_request(
                    email=form.cleaned_data["email"], ip=client_ip_or_none(request)
                )
            except services.SignupRejected as rejected:
                form.add_error(None, rejected.message)
            else:
                return redirect("newsletter:guide_link_sent")
        return _link_problem(request, problem="fresh_link", status=200, form=form)


class GuideLinkSentView(TemplateView):
    template_name = "newsletter/guide_link_sent.html"


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class UnsubscribeView(View):
    """GET (and HEAD) show one button; a POST unsubscribes: the button's, or a mail program's
    RFC 8058 one-click POST (body `List-Unsubscribe=One-Click`), which gets no page to click.

    Mail scanners open every link in an e-mail, so opening the link changes nothing. CSRF
    protection is off for this view alone: the signed token in the URL is the proof, and mail
    programs post without a session. Unsubscribing twice is harmless.
    """

    http_method_names = ["get", "post", "head"]

    def dispatch(self, request, token):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request)
        try:
            self.subscriber = tokens.subscriber_for_unsubscribe(token)
        except LinkInvalid:
            return _link_problem(request, problem="unsubscribe_invalid", status=404)
        return super().dispatch(request, token)

    def get(self, request, token):
        subscriber = self.subscriber
        if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            # Erased or already off the list: no button that would do nothing.
            return TemplateResponse(request, "newsletter/unsubscribe_done.html")
        return TemplateResponse(
            request, "newsletter/unsubscribe_confirm.html", {"subscriber": subscriber}
        )

    def post(self, request, token):
        if self.subscriber is not None:
            services.subscriber_unsubscribe(subscriber=self.subscriber)
        return TemplateResponse(request, "newsletter/unsubscribe_done.html")
