from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwofactorConfig(AppConfig):
    """A second factor for staff log-ins: an e-mailed code, or an authenticator app.

    The admin's login page (twofactor.views.AdminLoginView) asks for it after the password,
    unless the browser is one the staff member trusted in the last 30 days. Switched on by
    ADMIN_2FA (on by default when DEBUG is off).
    """

    name = "twofactor"
    verbose_name = _("Second factor")
