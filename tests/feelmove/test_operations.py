"""Health check, error pages, robots.txt, the SQLite modes and the admin lockout."""

import sqlite3
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("feelmove.views.connection.cursor", side_effect=Exception("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_an_unknown_address_gets_the_german_404_page_in_the_site_design(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Diese Seite gibt es nicht (mehr)." in html
    assert 'class="site-header"' in html
    assert 'lang="de"' in html


def test_the_500_page_is_german_and_needs_no_database(client):
    from feelmove.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Bei uns ist etwas schiefgelaufen." in response.content.decode()


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-specific connection modes")
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-specific connection modes")
def test_sqlite_transactions_take_the_write_lock_at_once():
    # IMMEDIATE: as soon as Django opens a transaction, a second writer has to wait.
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
    try:
        with transaction.atomic():
            get_user_model().objects.exists()  # a read only; the lock is taken by BEGIN IMMEDIATE
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_the_admin_login_locks_out_after_repeated_failures(client, settings):
    get_user_model().objects.create_superuser("jana", "jana@example.com", "richtig-und-lang-42")
    statuses = [
        client.post(
            "/admin/login/?next=/admin/", {"username": "jana", "password": "falsch"}
        ).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # The normal form with its error until the limit; the failure that reaches it locks.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "jana", "password": "richtig-und-lang-42"}
    )
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_correct_login_before_the_limit_still_works(client):
    get_user_model().objects.create_superuser("jana", "jana@example.com", "richtig-und-lang-42")
    client.post("/admin/login/?next=/admin/", {"username": "jana", "password": "falsch"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "jana", "password": "richtig-und-lang-42"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
