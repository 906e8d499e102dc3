"""The consent texts next to the signup checkbox.

The exact text a visitor saw is stored with the signup (proof of consent), together with
CONSENT_VERSION. Change the version whenever a text changes in substance.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# 2026-1: "unsubscribe at any time" instead of "with one click" (the link now opens a page with
# a button, so that mail scanners cannot unsubscribe anyone).
CONSENT_VERSION = "2026-1"

CONSENT_TEXTS = {
    "newsletter": _(
        "Yes, please send me the feelmove newsletter by e-mail: new articles, exercises and news "
        "about my courses, about twice a month. I can unsubscribe at any time; the link is in "
        "every e-mail."
    ),
    "guide": _(
        "Yes, please send me the free guide as a PDF and from then on the feelmove newsletter by "
        "e-mail: new articles, exercises and news about my courses, about twice a month. I can "
        "unsubscribe at any time; the link is in every e-mail."
    ),
}

PRIVACY_NOTE = _("Details in the privacy policy.")
PRIVACY_URL = "/datenschutz/"


def consent_text(source: str) -> str:
    """The full consent text as shown to the visitor, in the active language (German)."""
    return f"{CONSENT_TEXTS[source]} {gettext(PRIVACY_NOTE)}"
