"""load_demo and ensure_admin: idempotent, and say what they did."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"blog", "comments", "newsletter", "flatpages", "auth", "sites"}
    }


def test_load_demo_fills_an_empty_database_with_the_pages():
    call_command("load_demo", stdout=io.StringIO())
    urls = set(FlatPage.objects.values_list("url", flat=True))
    assert {"/ueber-mich/", "/ressourcen/", "/impressum/", "/datenschutz/"} <= urls
    assert get_user_model().objects.get(username="admin").get_full_name() == "Jana Berger"


def test_load_demo_run_twice_creates_no_duplicates_and_changes_nothing():
    call_command("load_demo", stdout=io.StringIO())
    first = row_counts()
    page = FlatPage.objects.get(url="/ueber-mich/")
    page.content = "Von der Autorin geändert."
    page.save()
    call_command("load_demo", stdout=io.StringIO())
    assert row_counts() == first
    assert FlatPage.objects.get(url="/ueber-mich/").content == "Von der Autorin geändert."


def test_the_demo_pages_are_served(client):
    call_command("load_demo", stdout=io.StringIO())
    for url, title in [
        ("/ueber-mich/", "Über mich"),
        ("/ressourcen/", "Ressourcen"),
        ("/impressum/", "Impressum"),
        ("/datenschutz/", "Datenschutz"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<h1 class="page-title">{title}</h1>' in response.content.decode()


def test_ensure_admin_uses_admin_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "ein-sehr-gutes-passwort-7")
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert user.check_password("ein-sehr-gutes-passwort-7")
    assert "ein-sehr-gutes-passwort-7" in out.getvalue()


def test_ensure_admin_generates_prints_and_then_keeps_a_password(monkeypatch, tmp_path):
    from feelmove.management.commands import ensure_admin

    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(ensure_admin, "PASSWORD_FILE", tmp_path / ".admin-password")
    first, second = io.StringIO(), io.StringIO()
    call_command("ensure_admin", stdout=first)
    password = (tmp_path / ".admin-password").read_text().strip()
    assert password in first.getvalue()
    call_command("ensure_admin", stdout=second)
    assert password in second.getvalue()
    assert get_user_model().objects.get(username="admin").check_password(password)


def test_ensure_admin_never_overwrites_a_password_the_author_chose(monkeypatch, tmp_path):
    from feelmove.management.commands import ensure_admin

    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(ensure_admin, "PASSWORD_FILE", tmp_path / ".admin-password")
    get_user_model().objects.create_superuser("admin", "a@example.com", "selbst-gewaehlt-123")
    call_command("ensure_admin", stdout=io.StringIO())
    assert get_user_model().objects.get(username="admin").check_password("selbst-gewaehlt-123")
