"""Housekeeping: unconfirmed signups are deleted after 30 days."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsletter.models import Subscriber
from tests.newsletter.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def test_unconfirmed_signups_older_than_30_days_are_deleted_and_nothing_else():
    now = timezone.now()
    old_pending = SubscriberFactory(signed_up_at=now - timedelta(days=31))
    young_pending = SubscriberFactory(signed_up_at=now - timedelta(days=29))
    old_confirmed = SubscriberFactory(signed_up_at=now - timedelta(days=400), confirmed=True)
    old_gone = SubscriberFactory(signed_up_at=now - timedelta(days=400), unsubscribed=True)
    out = StringIO()
    call_command("purge_unconfirmed_subscribers", stdout=out)
    assert "1 unconfirmed signup(s)" in out.getvalue()
    assert set(Subscriber.objects.all()) == {young_pending, old_confirmed, old_gone}
    assert not Subscriber.objects.filter(pk=old_pending.pk).exists()


def test_the_retention_can_be_given_in_days():
    SubscriberFactory(signed_up_at=timezone.now() - timedelta(days=8))
    call_command("purge_unconfirmed_subscribers", "--days", "7", stdout=StringIO())
    assert not Subscriber.objects.exists()


def test_the_cron_line_is_documented():
    from newsletter.management.commands import purge_unconfirmed_subscribers

    assert "manage.py purge_unconfirmed_subscribers" in purge_unconfirmed_subscribers.__doc__
    assert "* * *" in purge_unconfirmed_subscribers.__doc__
