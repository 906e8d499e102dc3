"""/healthz: a load balancer's probe by IP over plain HTTP; database, Redis and the task queue."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import task

from tests.perf.helpers import REDIS_URL, redis_answers

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def noted_for_later() -> None:
    """A background task that the health check may find waiting."""


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["feelmove.de"]
    settings.SECURE_SSL_REDIRECT = True
    return settings


def test_a_probe_by_ip_over_plain_http_gets_200_without_a_redirect(client, production):
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]


def test_any_host_is_accepted_for_the_health_check_only(client, production):
    assert client.get("/healthz", HTTP_HOST="evil.example").status_code == 200
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/healthzx", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/healthz/", HTTP_HOST="evil.example").status_code == 400


def test_other_paths_over_plain_http_are_still_redirected(client, production):
    response = client.get("/robots.txt", HTTP_HOST="feelmove.de")
    assert response.status_code == 301
    assert response["Location"] == "https://feelmove.de/robots.txt"


def test_a_head_request_is_answered_and_a_post_is_refused(client, production):
    assert client.head("/healthz", HTTP_HOST="10.0.0.5").status_code == 200
    response = client.post("/healthz", HTTP_HOST="10.0.0.5")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.fixture
def redis_cache(settings):
    if not redis_answers():
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "feelmove-test-healthz",
        }
    }
    return settings


def test_with_redis_configured_the_check_says_that_it_answers(client, redis_cache):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_a_redis_that_does_not_answer_is_reported_but_the_server_still_serves(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            # Nothing listens on port 1: the connection is refused at once.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    response = client.get("/healthz")
    # The site serves without Redis (more slowly): no reason to take this server out.
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "redis": "unavailable"}

    strict = client.get("/healthz?strict")
    assert strict.status_code == 503
    assert strict.json()["redis"] == "unavailable"


def test_a_database_that_does_not_answer_makes_the_server_unhealthy(client):
    from unittest import mock

    with mock.patch("feelmove.views.connection.cursor", side_effect=Exception("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def queue_a_task(*, waited: timedelta, run_after=None):
    result = noted_for_later.using(run_after=run_after).enqueue()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=result.id).update(enqueued_at=timezone.now() - waited)


def test_an_empty_queue_is_healthy(client, settings):
    settings.TASKS = DATABASE_QUEUE
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "queue": "ok",
        "queue_wait_seconds": 0,
    }


def test_a_task_waiting_a_little_is_healthy_and_its_wait_is_reported(client, settings):
    settings.TASKS = DATABASE_QUEUE
    queue_a_task(waited=timedelta(minutes=2))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["queue"] == "ok"
    assert 119 <= response.json()["queue_wait_seconds"] <= 125


def test_a_task_waiting_longer_than_the_limit_means_the_worker_is_down(client, settings):
    settings.TASKS = DATABASE_QUEUE
    settings.HEALTHZ_QUEUE_MAX_AGE = 900
    queue_a_task(waited=timedelta(minutes=2))
    queue_a_task(waited=timedelta(minutes=20))

    probe, monitoring = client.get("/healthz"), client.get("/healthz?strict")

    # Every app server would say the same; the load balancer keeps them all.
    assert probe.status_code == 200
    assert probe.json()["status"] == "degraded"
    assert probe.json()["queue"] == "stale"
    assert probe.json()["queue_wait_seconds"] >= 20 * 60
    assert monitoring.status_code == 503
    assert monitoring.json()["queue"] == "stale"


def test_a_task_scheduled_for_later_does_not_count_as_waiting(client, settings):
    settings.TASKS = DATABASE_QUEUE
    queue_a_task(waited=timedelta(hours=2), run_after=timezone.now() + timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["queue_wait_seconds"] == 0


def test_a_scheduled_task_waits_from_when_it_was_due(client, settings):
    settings.TASKS = DATABASE_QUEUE
    queue_a_task(waited=timedelta(hours=2), run_after=timezone.now() - timedelta(minutes=5))
    response = client.get("/healthz")
    assert 299 <= response.json()["queue_wait_seconds"] <= 305
