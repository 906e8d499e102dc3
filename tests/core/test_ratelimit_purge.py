"""Rate-limit counters name IP addresses: the daily job deletes those of old windows."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import RateLimitCounter
from core.ratelimit import rate_limit_hit, rate_limits_purge

pytestmark = pytest.mark.django_db


def counter_at(key, when):
    return RateLimitCounter.objects.create(key=key, window=int(when.timestamp()), count=1)


def test_counters_older_than_a_day_are_deleted_and_current_ones_kept():
    now = timezone.now()
    old = counter_at("comments:203.0.113.9", now - timedelta(days=3))
    yesterday = counter_at("newsletter:signup:198.51.100.4", now - timedelta(hours=25))
    current = counter_at("comments:192.0.2.1", now - timedelta(minutes=5))

    assert rate_limits_purge(now=now) == 2

    assert list(RateLimitCounter.objects.all()) == [current]
    assert not RateLimitCounter.objects.filter(pk__in=[old.pk, yesterday.pk]).exists()


def test_the_purge_leaves_a_limit_that_is_still_counting_intact(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    for _ in range(3):
        rate_limit_hit(key="newsletter:signup:192.0.2.1", limit=3, period=3600)

    rate_limits_purge()

    assert rate_limit_hit(key="newsletter:signup:192.0.2.1", limit=3, period=3600) is True


def test_the_daily_command_reports_what_it_deleted():
    counter_at("comments:203.0.113.9", timezone.now() - timedelta(days=2))
    out = StringIO()

    call_command("purge_rate_limits", stdout=out)

    assert "1 rate-limit counter(s) deleted" in out.getvalue()
    assert not RateLimitCounter.objects.exists()


def test_the_command_never_cuts_a_running_hour_short():
    counter_at("newsletter:signup:192.0.2.1", timezone.now() - timedelta(minutes=90))

    call_command("purge_rate_limits", "--hours", "0", stdout=StringIO())

    assert RateLimitCounter.objects.count() == 1
