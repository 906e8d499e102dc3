"""The DSGVO rights of access (Art. 15) and erasure (Art. 17) for one e-mail address.

The newsletter and the comments each know what they store; this module asks both. It lives in
the project package because it reaches into two apps, which must not import each other.
"""

from django.db import transaction
from django.utils import timezone

from newsletter import services as newsletter_services


def _comments_services():
    """The comments app's export/anonymise functions, or None where they are not available."""
    try:
        from comments import services
    except ImportError:
        return None
    if not hasattr(services, "comments_for_email") or not hasattr(
        services, "comments_anonymise_for_email"
    ):
        return None
    return services


def personal_data_export(email: str) -> dict:
    """Everything stored about `email`, as JSON-ready data (subscriptions and comments)."""
    email = (email or "").strip()
    comments = _comments_services()
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "newsletter_subscriptions": newsletter_services.subscriber_personal_data(email),
        "comments": list(comments.comments_for_email(email)) if comments else [],
    }


def personal_data_erase(email: str) -> dict[str, int]:
    """Erase `email`: subscriptions removed, comments anonymised (their text stays)."""
    email = (email or "").strip()
    if not email:
        return {"subscriptions_removed": 0, "comments_anonymised": 0}
    comments = _comments_services()
    with transaction.atomic():
        removed = newsletter_services.subscriber_erase(email)
        anonymised = comments.comments_anonymise_for_email(email) if comments else 0
    return {"subscriptions_removed": removed, "comments_anonymised": int(anonymised or 0)}
