"""ensure_admin: idempotent, and says how to log in."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


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
