"""The newsletter's workflows for visitors: signup, confirmation, the guide, unsubscribing.

Views and admin actions call these functions and nothing else writes subscribers. Sending issues
is the worker's business: newsletter/sending.py.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.mail import email_retry_if_undelivered, send_email_later
from core.ratelimit import rate_limit_hit
from newsletter import emails
from newsletter.consent import CONSENT_VERSION, consent_text
from newsletter.models import Guide, Subscriber, normalise_email

# A form may be sent again and again (by a person or a bot); the inbox gets at most one
# confirmation or guide e-mail per address in this interval.
NOTICE_INTERVAL = timedelta(minutes=10)
UNCONFIRMED_RETENTION = timedelta(days=30)
# Forms per IP address and hour; a household or an office rarely needs more.
SIGNUP_LIMIT = 10
SIGNUP_PERIOD = 3600


class SignupRejected(Exception):
    """A form that is not acted on; `message` tells the visitor why, in her language."""

    def __init__(self, message, *, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


def _check_rate_limit(action: str, ip: str | None) -> None:
    key = f"newsletter:{action}:{ip or 'unknown'}"
    if rate_limit_hit(key=key, limit=SIGNUP_LIMIT, period=SIGNUP_PERIOD):
        raise SignupRejected(
            _(
                "Too many signups from your connection in a short time. Please try again in an "
                "hour."
            ),
            code="rate_limited",
        )


# ---------------------------------------------------------------------------------------------
# Visitors


def _recently_notified(subscriber: Subscriber, now) -> bool:
    sent = subscriber.confirmation_sent_at
    return sent is not None and now - sent < NOTICE_INTERVAL


def _queue_guide_link(subscriber: Subscriber, now) -> bool:
    guide = Guide.objects.active().first()
    if guide is None:
        return False
    subscriber.confirmation_sent_at = now
    send_email_later(emails.guide_link_email, subscriber_id=subscriber.pk)
    return True


def _queue_answer(builder, subscriber: Subscriber) -> None:
    """Queue the e-mail that answers a visitor's signup form, or a task that decides later.

    A form that takes an address must not tell whether the address is on the list, neither by
    its page nor by how long it takes. So every signup queues exactly one e-mail task: the
    e-mail due, or, when none is due (a repeat within NOTICE_INTERVAL, an address already
    confirmed), one whose builder sends nothing new and in the worker retries a mail that did
    not reach her. Either costs the request the same (measured by bench/timing.py).
    """
    if builder is None:
        builder = emails.repeated_signup_answer
    send_email_later(builder, subscriber_id=subscriber.pk)


def subscriber_signup(
    *,
    email: str,
    first_name: str = "",
    source: str,
    ip: str | None,
    user_agent: str = "",
    now=None,
) -> Subscriber:
    """Sign an address up (double opt-in): record the consent and e-mail a confirmation link.

    Answers the same whatever the address's state, and never creates a second row for one
    address: a new signup races others on the unique index and, if it loses, updates the row
    the winner created. An address already confirmed gets no second confirmation mail (for the
    guide it gets the download link instead); repeated forms get at most one mail per
    NOTICE_INTERVAL. Raises SignupRejected when the connection is over the rate limit.
    """
    _check_rate_limit("signup", ip)
    now = now or timezone.now()
    email = normalise_email(email)
    proof = {
        "source": source,
        "first_name": first_name,
        "consent_text": consent_text(source),
        "consent_version": CONSENT_VERSION,
        "ip": ip,
        "user_agent": user_agent,
        "now": now,
    }
    for attempt in range(3):
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.select_for_update().with_email(email).first()
                if subscriber is None:
                    subscriber = Subscriber(email=email, confirmation_sent_at=now)
                    subscriber.start_signup(**proof)
                    subscriber.save()  # before the e-mail: its links carry the new id
                    builder = emails.confirmation_email
                else:
                    builder = _answer_repeated_signup(subscriber, proof)
                    if builder is not None:
                        subscriber.confirmation_sent_at = now
                    subscriber.save()
                _queue_answer(builder, subscriber)
                return subscriber
        except IntegrityError:
            # Another request created this address between our look-up and our insert.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _answer_repeated_signup(subscriber: Subscriber, proof: dict):
    """Record a signup of a known address; the e-mail builder that answers it, or None."""
    now = proof["now"]
    status = Subscriber.Status
    if subscriber.status == status.UNSUBSCRIBED:
        subscriber.start_signup(**proof)
        return emails.confirmation_email
    if subscriber.status == status.PENDING:
        # The newest signup is the consent that the confirmation will prove; the key stays, so
        # the link from the first e-mail keeps working.
        key = subscriber.key
        if subscriber.wants_guide:
            proof = {**proof, "source": Subscriber.Source.GUIDE}
        subscriber.start_signup(**proof)
        subscriber.key = key
        return None if _recently_notified(subscriber, now) else emails.confirmation_email
    if proof["source"] == Subscriber.Source.GUIDE and not _recently_notified(subscriber, now):
        # The builder finds out whether a guide is offered; asking here would cost a query
        # that a new address does not cost.
        return emails.guide_link_email
    return None


def subscriber_confirm(*, subscriber: Subscriber, ip: str | None, now=None) -> Subscriber:
    """Confirm a pending signup (the POST behind the link in the e-mail); idempotent.

    A guide signup also gets its download link by e-mail.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if locked.confirm(ip=ip, now=now):
            if locked.wants_guide:
                _queue_guide_link(locked, now)
            locked.save()
    return locked


def subscriber_unsubscribe(*, subscriber: Subscriber, now=None) -> bool:
    """Take an address off the list (one click); True if it was on it. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        changed = locked.unsubscribe(now=now)
        if changed:
            locked.save(update_fields=["status", "unsubscribed_at", "updated_at"])
    return changed


def guide_link_request(*, email: str, ip: str | None, now=None) -> None:
    """Send a fresh download link (or, if still pending, the confirmation link again).

    Says nothing about whether the address is known, and takes as long for every address: one
    look-up and one queued e-mail, whose builder decides what to send when it runs (nothing for
    an unknown address; see guide_link_claim). Raises SignupRejected when the connection is
    over the rate limit.
    """
    _check_rate_limit("fresh-link", ip)
    now = now or timezone.now()
    subscriber_id = Subscriber.objects.with_email(email).values_list("pk", flat=True).first()
    send_email_later(
        emails.fresh_link_email, subscriber_id=subscriber_id, requested_at=now.isoformat()
    )


def _retry_last_notice(subscriber: Subscriber) -> None:
    """Try again the last notice this subscriber got, if it has not reached her.

    Called when NOTICE_INTERVAL holds back a new one: she asked again because nothing arrived,
    and if the mail server failed, she gets that e-mail now (and still only one). A fresh-link
    notice is found by the request time it was stamped with (see guide_link_claim).
    """
    sent = subscriber.confirmation_sent_at
    candidates = [(emails.confirmation_email, {}), (emails.guide_link_email, {})]
    if sent is not None:
        candidates.insert(0, (emails.fresh_link_email, {"requested_at": sent.isoformat()}))
    for builder, match in candidates:
        if email_retry_if_undelivered(builder, subscriber_id=subscriber.pk, **match):
            return


def notice_retry_if_undelivered(*, subscriber_id: int) -> None:
    """A signup repeated within NOTICE_INTERVAL (decided in the worker): retry what failed."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is not None:
        _retry_last_notice(subscriber)


def guide_link_claim(*, subscriber_id: int | None, requested_at) -> Subscriber | None:
    """Decide, when the e-mail is built, whether a fresh-link request gets an answer.

    It does when the address is confirmed (the download link) or still pending (the
    confirmation link again, now for the guide), and no other notice went out within
    NOTICE_INTERVAL before the request or after it. The notice is stamped with the request's
    time, so that a second attempt at this very e-mail (after a mail server failure) is
    recognised as such and sent, while other requests in the interval are not.
    """
    if subscriber_id is None:
        return None
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            return None
        sent = subscriber.confirmation_sent_at
        if sent is not None and sent != requested_at and sent > requested_at - NOTICE_INTERVAL:
            # Held back; but if the last notice never reached her (the mail server failed), it
            # is tried again now: she gets what she asked for, and still only one e-mail.
            _retry_last_notice(subscriber)
            return None
        if subscriber.status == Subscriber.Status.PENDING:
            subscriber.source = Subscriber.Source.GUIDE
        subscriber.confirmation_sent_at = requested_at
        subscriber.save(update_fields=["source", "confirmation_sent_at", "updated_at"])
    return subscriber


def guide_download_record(*, guide: Guide, subscriber: Subscriber, now=None) -> None:
    """Count one download of the guide (in total and for the subscriber)."""
    now = now or timezone.now()
    Guide.objects.filter(pk=guide.pk).update(download_count=F("download_count") + 1)
    Subscriber.objects.filter(pk=subscriber.pk).update(
        guide_downloads=F("guide_downloads") + 1, last_guide_download_at=now
    )


def guide_activate(*, guide: Guide) -> None:
    """Make `guide` the one the landing page offers (the others become inactive)."""
    with transaction.atomic():
        Guide.objects.active().exclude(pk=guide.pk).update(is_active=False)
        if not guide.is_active:
            guide.is_active = True
            guide.save(update_fields=["is_active", "updated_at"])


def subscribers_purge_unconfirmed(
    *, older_than: timedelta = UNCONFIRMED_RETENTION, now=None
) -> int:
    """Delete signups never confirmed within `older_than` (30 days); returns how many."""
    now = now or timezone.now()
    _total, per_model = Subscriber.objects.unconfirmed_since_before(now - older_than).delete()
    return per_model.get("newsletter.Subscriber", 0)


# ---------------------------------------------------------------------------------------------
# Personal data (DSGVO Art. 15 and 17): registered with core.privacy in NewsletterConfig.


def _when(value) -> str | None:
    return value.isoformat() if value else None


def subscriber_personal_data(email: str) -> list[dict]:
    """Everything the newsletter stores about `email`: the subscription, its proof, deliveries."""
    subscribers = Subscriber.objects.with_email(email).prefetch_related("deliveries__issue")
    return [
        {
            "email": s.email,
            "first_name": s.first_name,
            "status": s.status,
            "source": s.source,
            "consent_text": s.consent_text,
            "consent_version": s.consent_version,
            "signed_up_at": _when(s.signed_up_at),
            "signup_ip": s.signup_ip,
            "signup_user_agent": s.signup_user_agent,
            "confirmation_sent_at": _when(s.confirmation_sent_at),
            "confirmed_at": _when(s.confirmed_at),
            "confirmation_ip": s.confirmation_ip,
            "unsubscribed_at": _when(s.unsubscribed_at),
            "imported_from": s.import_source,
            "import_file": s.import_file,
            "imported_at": _when(s.imported_at),
            "guide_downloads": s.guide_downloads,
            "last_guide_download_at": _when(s.last_guide_download_at),
            "newsletters_received": [
                {"subject": d.issue.subject, "status": d.status, "sent_at": _when(d.sent_at)}
                for d in s.deliveries.all()
            ],
        }
        for s in subscribers
    ]


def subscribers_unsubscribe_for_email(email: str) -> int:
    """Take `email` off the list (for "Meine Daten"); how many subscriptions it left."""
    subscribers = Subscriber.objects.with_email(email).exclude(
        status=Subscriber.Status.UNSUBSCRIBED
    )
    return sum(subscriber_unsubscribe(subscriber=s) for s in subscribers)


def subscriptions_erase_note() -> str:
    """What subscriber_erase() will do, in words."""
    return str(
        _(
            "your newsletter and guide signup, with the record of your consent and of the "
            "newsletters sent to you;"
        )
    )


def subscriptions_removed_text(count: int) -> str:
    """What subscriber_erase() did, in words."""
    return ngettext("%(count)d subscription removed", "%(count)d subscriptions removed", count) % {
        "count": count
    }


def subscriber_erase(email: str) -> int:
    """Remove every subscription of `email` with its deliveries; returns how many were removed."""
    _total, per_model = Subscriber.objects.with_email(email).delete()
    return per_model.get("newsletter.Subscriber", 0)


# ---------------------------------------------------------------------------------------------
# Taking a list over from another newsletter tool (manage.py import_subscribers)

IMPORTED_FIELDS = (
    "first_name",
    "status",
    "signed_up_at",
    "signup_ip",
    "confirmed_at",
    "confirmation_ip",
    "unsubscribed_at",
)


def subscriber_import(
    *,
    email: str,
    first_name: str,
    status: str,
    signed_up_at,
    signup_ip: str | None,
    confirmed_at,
    confirmation_ip: str | None,
    unsubscribed_at,
    import_source: str,
    import_file: str,
    now,
) -> str:
    """Store one row of an imported list, without sending anything; returns what happened.

    "imported", "updated", "unchanged", or "exists" for an address that signed up on this site
    (its own proof is kept). The caller decides which rows may be confirmed: only those with a
    complete double opt-in proof.
    """
    values = {
        "first_name": first_name[:50],
        "status": status,
        "signed_up_at": signed_up_at,
        "signup_ip": signup_ip,
        "confirmed_at": confirmed_at,
        "confirmation_ip": confirmation_ip,
        "unsubscribed_at": unsubscribed_at,
    }
    subscriber = Subscriber.objects.with_email(email).first()
    if subscriber is not None and not subscriber.import_source:
        return "exists"
    if subscriber is not None:
        if all(getattr(subscriber, name) == values[name] for name in IMPORTED_FIELDS):
            return "unchanged"
        for name, value in values.items():
            setattr(subscriber, name, value)
        subscriber.import_file, subscriber.imported_at = import_file, now
        subscriber.save()
        return "updated"
    Subscriber.objects.create(
        email=normalise_email(email),
        source=Subscriber.Source.NEWSLETTER,
        import_source=import_source,
        import_file=import_file,
        imported_at=now,
        **values,
    )
    return "imported"
