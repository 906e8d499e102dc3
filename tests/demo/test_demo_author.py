"""ensure_demo_author: `make run` prints the demo author's login next to the admin's."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo.loaders.site import ensure_author
from demo.management.commands import ensure_demo_author

pytestmark = pytest.mark.django_db


@pytest.fixture
def password_file(monkeypatch, tmp_path):
    path = tmp_path / ".author-password"
    monkeypatch.setattr(ensure_demo_author, "PASSWORD_FILE", path)
    return path


def test_the_demo_author_gets_a_password_that_is_printed_and_kept(password_file):
    first, second = io.StringIO(), io.StringIO()

    call_command("ensure_demo_author", stdout=first)
    password = password_file.read_text().strip()
    call_command("ensure_demo_author", stdout=second)

    assert f"user 'jana', password '{password}'" in first.getvalue()
    assert password in second.getvalue()
    author = get_user_model().objects.get(username="jana")
    assert author.check_password(password)
    assert author.groups.filter(name="Autorin").exists() and not author.is_superuser


def test_the_demo_author_keeps_a_password_she_chose(password_file):
    author = ensure_author()
    author.set_password("meine-eigene-Wahl-42")
    author.save()
    out = io.StringIO()

    call_command("ensure_demo_author", stdout=out)

    author.refresh_from_db()
    assert author.check_password("meine-eigene-Wahl-42")
    assert "password unchanged" in out.getvalue() and not password_file.exists()


def test_the_demo_author_can_log_in_and_work(client, password_file):
    call_command("ensure_demo_author", stdout=io.StringIO())  # creates the account if missing
    password = password_file.read_text().strip()

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "jana", "password": password}, follow=True
    )

    assert response.status_code == 200 and response.context["user"].username == "jana"
    assert client.get("/admin/comments/comment/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
