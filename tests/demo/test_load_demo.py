"""manage.py load_demo: fills an empty database, changes nothing the second time, checks first."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.core.management import CommandError, call_command

from blog.models import Article
from comments.models import Comment
from demo.loaders import newsletter as demo_newsletter
from demo.loaders import read_content
from demo.management.commands import load_demo
from newsletter.models import Guide
from tests.demo.support import edit

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
    author = get_user_model().objects.get(username="jana")
    assert author.get_full_name() == "Jana Berger"
    # The author's role, not a superuser; no password until `make run` gives her one.
    assert author.is_staff and not author.is_superuser
    assert list(author.groups.values_list("name", flat=True)) == ["Autorin"]
    assert not author.has_usable_password()


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


def test_load_demo_says_what_it_created_and_the_second_time_that_nothing_was_missing():
    first, second = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)
    assert "Page /impressum/ created." in first.getvalue()
    assert "Article faszienrolle-richtig-nutzen created." in first.getvalue()
    assert "Guide „Faszien & Dehnen: Dein 14-Tage-Start“ created." in first.getvalue()
    assert "created." not in second.getvalue().replace("0 demo comment(s) created.", "")
    assert "Demo content is in place." in second.getvalue()


def test_a_broken_data_file_stops_load_demo_with_its_name_before_anything_is_written(
    monkeypatch, content_copy
):
    path = content_copy / "comments" / "threads" / "hueftbeuger-dehnen.toml"
    edit(path, 'status = "pending"', 'status = "offen"')
    monkeypatch.setattr(load_demo, "read_content", lambda: read_content(content_copy))

    with pytest.raises(CommandError, match=r"hueftbeuger-dehnen\.toml: .*status must be one of"):
        call_command("load_demo", stdout=io.StringIO())

    assert not FlatPage.objects.exists()
    assert not Article.objects.exists()
    assert not get_user_model().objects.exists()


def test_load_demo_writes_in_one_transaction_and_leaves_nothing_behind_when_a_step_fails(
    monkeypatch,
):
    def broken_newsletter(*args, **kwargs):
        raise RuntimeError("the newsletter step failed")

    monkeypatch.setattr(demo_newsletter, "load", broken_newsletter)

    with pytest.raises(RuntimeError):
        call_command("load_demo", stdout=io.StringIO())

    assert not Article.objects.exists()
    assert not Comment.objects.exists()
    assert not FlatPage.objects.exists()
    assert not Guide.objects.exists()
