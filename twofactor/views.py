"""The admin's log-in with its second step, and the staff member's profile page.

/admin/login/ is this module's view (Django's admin login view, plus the second step); the code
page, the profile with the trusted browsers and the authenticator app live under /admin/ too,
so the admin's security headers and the page cache's exclusion apply to them.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from twofactor import services
from twofactor.forms import AppConfirmForm, CodeForm
from twofactor.models import CODE_VALIDITY, TrustedBrowser


def _send_problem_message(reason: str) -> str:
    return {
        "no_address": _(
            "Your account has no e-mail address to send the code to. Please ask the site's "
            "operator to add one (or to set up an authenticator app for you)."
        ),
        "too_soon": _("A code was sent less than a minute ago. Please check your inbox first."),
        "too_many": _("Many codes were sent in the last hour. Please try again later."),
        "send_failed": _(
            "The e-mail with your code could not be sent just now. Please try again in a "
            "moment with “Send a new code”."
        ),
    }[reason]


def _admin_context(request, title: str) -> dict:
    return {**admin.site.each_context(request), "title": title, "subtitle": None}


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class AdminLoginView(LoginView):
    """Django's admin log-in; a staff member's password leads on to the code page."""

    authentication_form = AdminAuthenticationForm
    template_name = "admin/login.html"

    def dispatch(self, request, *args, **kwargs):
        request.current_app = admin.site.name
        if request.method == "GET" and admin.site.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=admin.site.name))
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return reverse("admin:index")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            _admin_context(self.request, _("Log in")),
            app_path=self.request.get_full_path(),
            username=self.request.user.get_username(),
        )
        if (
            REDIRECT_FIELD_NAME not in self.request.GET
            and REDIRECT_FIELD_NAME not in self.request.POST
        ):
            context[REDIRECT_FIELD_NAME] = reverse("admin:index")
        return context

    def form_valid(self, form):
        user = form.get_user()
        request = self.request
        if not services.second_factor_required(user) or services.browser_trust_known(request, user):
            return super().form_valid(form)  # logged in
        services.login_pending_start(request, user, next_url=self.get_success_url())
        if services.app_device(user) is None:
            try:
                services.login_code_send(user=user)
            except services.CodeNotSent as problem:
                messages.error(request, _send_problem_message(problem.reason))
        return redirect("twofactor:verify")


@method_decorator([sensitive_post_parameters("code"), never_cache], name="dispatch")
class VerifyView(View):
    """The second step: the code from the e-mail or the app (or a recovery code)."""

    template_name = "twofactor/verify.html"

    def dispatch(self, request, *args, **kwargs):
        request.current_app = admin.site.name
        pending = services.login_pending(request)
        if pending is None:
            messages.info(request, _("Please log in again; the code page was open too long."))
            return redirect("admin:login")
        self.user, self.pending = pending
        self.credentials = {"username": self.user.get_username()}
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status=200):
        user = self.user
        uses_app = services.app_device(user) is not None
        context = {
            **_admin_context(self.request, _("Log-in code")),
            "form": form,
            "uses_app": uses_app,
            "masked_email": services.masked_email(user.email),
            "minutes": int(CODE_VALIDITY.total_seconds() // 60),
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render(CodeForm())

    def post(self, request):
        if AxesProxyHandler.is_locked(request, self.credentials):
            services.login_pending_clear(request)
            return get_lockout_response(request, None, self.credentials)
        if "resend" in request.POST:
            return self.resend()
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        check = services.second_factor_check(user=self.user, code=form.cleaned_data["code"])
        if check.wait_until is not None:
            seconds = max(1, int((check.wait_until - timezone.now()).total_seconds()) + 1)
            form.add_error(
                None,
                _("Too many wrong codes in a row. Please wait %(seconds)d seconds.")
                % {"seconds": seconds},
            )
            return self.render(form)
        if not check.accepted:
            form.add_error("code", _("This code is not right, or no longer valid."))
            # The admin lockout (django-axes) counts a wrong code as a failed log-in.
            user_login_failed.send(sender=__name__, credentials=self.credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                services.login_pending_clear(request)
            return self.render(form)
        return self.log_in(remember=form.cleaned_data["remember"], check=check)

    def resend(self):
        request = self.request
        if services.app_device(self.user) is not None:
            return redirect("twofactor:verify")
        try:
            services.login_code_send(user=self.user)
        except services.CodeNotSent as problem:
            messages.error(request, _send_problem_message(problem.reason))
        else:
            messages.success(request, _("A new code is on its way."))
        return redirect("twofactor:verify")

    def log_in(self, *, remember: bool, check):
        request, user = self.request, self.user
        next_url = self.pending.get("next") or reverse("admin:index")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index")
        services.login_pending_clear(request)
        login(request, user, backend=user.backend)
        if check.recovery_code_used:
            messages.warning(
                request,
                _(
                    "You used a recovery code; %(count)d are left. New ones are on your "
                    "profile page."
                )
                % {"count": services.recovery_codes_left(user)},
            )
        response = HttpResponseRedirect(next_url)
        if remember:
            services.browser_trust(
                response, user=user, user_agent=request.headers.get("User-Agent", "")
            )
        return response


# -- the profile page ---------------------------------------------------------------------------


def profile(request):
    """Her second factor and the browsers she trusts."""
    user = request.user
    current = services.trusted_browser(request, user)
    app = services.app_device(user)
    context = {
        **_admin_context(request, _("Your profile")),
        "second_factor_on": services.second_factor_required(user),
        "app": app,
        "recovery_codes_left": services.recovery_codes_left(user) if app else 0,
        "browsers": TrustedBrowser.objects.valid().filter(user=user),
        "current_browser_id": current.pk if current else None,
        "masked_email": services.masked_email(user.email),
    }
    return TemplateResponse(request, "twofactor/profile.html", context)


@require_POST
def browser_forget(request, pk):
    browser = get_object_or_404(TrustedBrowser, pk=pk, user=request.user)
    services.browser_forget(user=request.user, browser_id=browser.pk)
    messages.success(
        request,
        _("%(browser)s is no longer trusted: it asks for a code at the next log-in.")
        % {"browser": browser.label},
    )
    return redirect("twofactor:profile")


@require_POST
def browsers_forget_all(request):
    count = services.browsers_forget_all(user=request.user)
    messages.success(
        request,
        _("No browser is trusted any more (%(count)d forgotten).") % {"count": count},
    )
    return redirect("twofactor:profile")


@require_POST
def app_start(request):
    services.app_setup_start(user=request.user)
    return redirect("twofactor:app_setup")


@sensitive_post_parameters("code")
def app_setup(request):
    """The QR code and key of the new app; a code from it confirms the app."""
    device = services.app_setup_pending(request.user)
    if device is None:
        return redirect("twofactor:profile")
    form = AppConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.app_setup_confirm(user=request.user, code=form.cleaned_data["code"])
        if codes is not None:
            return _recovery_codes_page(request, codes, just_set_up=True)
        form.add_error(
            "code",
            _(
                "This code does not fit. Please check that the app shows the entry "
                "“feelmove” and enter the code it shows now."
            ),
        )
    context = {
        **_admin_context(request, _("Set up an authenticator app")),
        "form": form,
        "qr_svg": _qr_svg(device),
        "secret": _grouped_secret(device),
    }
    return TemplateResponse(request, "twofactor/app_setup.html", context)


@require_POST
def recovery_codes_renew(request):
    if services.app_device(request.user) is None:
        return redirect("twofactor:profile")
    codes = services.recovery_codes_renew(user=request.user)
    return _recovery_codes_page(request, codes, just_set_up=False)


@require_POST
def app_remove(request):
    services.app_remove(user=request.user)
    messages.success(
        request,
        _("The authenticator app is removed. In a new browser you get a code by e-mail again."),
    )
    return redirect("twofactor:profile")


def _recovery_codes_page(request, codes: list[str], *, just_set_up: bool):
    context = {
        **_admin_context(request, _("Your recovery codes")),
        "codes": [f"{code[:4]} {code[4:]}" for code in codes],
        "just_set_up": just_set_up,
    }
    return TemplateResponse(request, "twofactor/recovery_codes.html", context)


def _qr_svg(device: TOTPDevice) -> str:
    import segno

    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=4, border=2, dark="#1d2b2a", light="#ffffff", omitsize=False)


def _grouped_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


admin_only = admin.site.admin_view
profile = admin_only(profile)
browser_forget = admin_only(browser_forget)
browsers_forget_all = admin_only(browsers_forget_all)
app_start = admin_only(app_start)
app_setup = admin_only(app_setup)
recovery_codes_renew = admin_only(recovery_codes_renew)
app_remove = admin_only(app_remove)
