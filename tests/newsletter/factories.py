"""Factories for the newsletter tests."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from newsletter.consent import CONSENT_VERSION
from newsletter.models import Delivery, Guide, Issue, Subscriber

# A tiny but complete PDF: enough for "the right bytes" checks.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


class SubscriberFactory(DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"person{n}@example.de")
    first_name = "Anna"
    status = Subscriber.Status.PENDING
    source = Subscriber.Source.NEWSLETTER
    consent_text = "Ja, schick mir den Newsletter."
    consent_version = CONSENT_VERSION
    signed_up_at = factory.LazyFunction(timezone.now)
    signup_ip = "192.0.2.10"
    signup_user_agent = "Mozilla/5.0 (Test)"

    class Params:
        confirmed = factory.Trait(
            status=Subscriber.Status.CONFIRMED,
            confirmed_at=factory.LazyAttribute(lambda o: o.signed_up_at + timedelta(minutes=5)),
            confirmation_ip="192.0.2.10",
        )
        unsubscribed = factory.Trait(
            status=Subscriber.Status.UNSUBSCRIBED,
            confirmed_at=factory.LazyAttribute(lambda o: o.signed_up_at + timedelta(minutes=5)),
            unsubscribed_at=factory.LazyFunction(timezone.now),
        )


class GuideFactory(DjangoModelFactory):
    class Meta:
        model = Guide

    title = "Faszien & Dehnen: Dein Start"
    subtitle = "Zehn Übungen"
    description = "Ein Guide mit einfachen Übungen.\n\nZweiter Absatz."
    contents = "Was Faszien sind\nZehn Übungen\nEin 14-Tage-Plan"
    pdf = factory.django.FileField(filename="guide.pdf", data=PDF_BYTES)
    is_active = True


class IssueFactory(DjangoModelFactory):
    class Meta:
        model = Issue

    subject = factory.Sequence(lambda n: f"Neuigkeiten Nr. {n}")
    body = "<p>Heute eine Übung für den <strong>Rücken</strong>.</p>"


class DeliveryFactory(DjangoModelFactory):
    class Meta:
        model = Delivery

    issue = factory.SubFactory(IssueFactory)
    subscriber = factory.SubFactory(SubscriberFactory, confirmed=True)
