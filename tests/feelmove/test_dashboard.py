"""The admin's start page: what needs the author, with numbers that link to the filtered lists."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment
from core.models import OutgoingEmail
from feelmove import dashboard
from newsletter.models import Delivery, Issue
from tests.blog.factories import ArticleFactory, UserFactory
from tests.comments.factories import CommentFactory
from tests.contact.factories import ConsultationRequestFactory, TopicFactory
from tests.newsletter.factories import GuideFactory, IssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

# Session and user (2), her permissions (2), the comments panel (2), new consultation requests
# with their number (1), articles (3), subscribers and guide downloads (2), last issue and newest
# draft (2), e-mails not delivered (1), her recent actions (1).
START_PAGE_QUERIES = 16


def start_page(client) -> str:
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def links(html: str) -> dict[str, str]:
    """{text of the link: its URL} for the links of the panels."""
    panels = html[html.index('class="dashboard-panels"') : html.index('id="content-main"')]
    return {
        " ".join(re.sub(r"<[^>]+>", " ", unescape(text)).split()): unescape(url)
        for url, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', panels, re.S)
    }


def test_the_start_page_shows_the_newest_pending_comments_with_their_buttons(autorin_client):
    article = ArticleFactory(title="Faszien einfach erklärt")
    now = timezone.now()
    for n in range(7):
        CommentFactory(
            article=article,
            status="pending",
            name=f"Leserin {n}",
            body=f"Frage Nummer {n}",
            created_at=now - timedelta(hours=n),
        )
    CommentFactory(article=article, name="Schon frei")

    html = start_page(autorin_client)

    assert "Was auf dich wartet" in html
    assert "7 Kommentare warten auf deine Entscheidung" in " ".join(
        re.sub(r"<[^>]+>", " ", html).split()
    )
    shown = re.findall(r"Frage Nummer (\d)", html)
    assert shown == ["0", "1", "2", "3", "4"]  # the newest five, newest first
    assert "Schon frei" not in html and "und 2 weitere" in html
    pending = Comment.objects.get(name="Leserin 0")
    assert f'action="/admin/comments/comment/{pending.pk}/entscheiden/"' in html
    assert f'href="/admin/comments/comment/{pending.pk}/antworten/?next=%2Fadmin%2F"' in html
    assert 'name="next" value="/admin/"' in html
    assert links(html)["7 Kommentare warten auf deine Entscheidung"] == (
        "/admin/comments/comment/?status__exact=pending"
    )


def test_approving_from_the_start_page_takes_one_click_and_comes_back(autorin_client):
    comment = CommentFactory(status="pending", name="Maria")

    response = autorin_client.post(
        f"/admin/comments/comment/{comment.pk}/entscheiden/",
        {"moderation": "approve", "next": "/admin/"},
    )

    assert response["Location"] == "/admin/"
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert "Kein Kommentar wartet auf dich." in start_page(autorin_client)


def test_the_start_page_shows_scheduled_articles_with_their_dates_and_drafts(autorin_client):
    soon = timezone.now() + timedelta(days=3)
    ArticleFactory(title="Yoga für steife Einsteiger", published_at=soon)
    ArticleFactory(title="Bandscheibe: die ersten Wochen", status="draft")
    ArticleFactory(title="Längst online")

    html = start_page(autorin_client)
    found = links(html)

    assert "Yoga für steife Einsteiger" in html and "Bandscheibe: die ersten Wochen" in html
    assert "Längst online" not in html
    assert f"erscheint am {timezone.localtime(soon):%-d}." in html
    assert found["1 geplant"] == "/admin/blog/article/?state=scheduled"
    assert found["1 Entwurf"] == "/admin/blog/article/?state=draft"


def test_new_subscribers_by_source_link_to_lists_with_the_same_numbers(autorin_client):
    now = timezone.now()
    for days, source in [
        (1, "newsletter"),
        (2, "guide"),
        (3, "guide"),
        (20, "guide"),
        (40, "guide"),
    ]:
        SubscriberFactory(
            confirmed=True, source=source, signed_up_at=now - timedelta(days=days, minutes=10)
        )
    SubscriberFactory(source="guide")  # not confirmed yet
    GuideFactory(download_count=41)

    html = start_page(autorin_client)

    table = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("dashboard-table")[1]))
    assert "Newsletter-Anmeldung 1 1" in table
    assert "Gratis-Guide 2 3" in table
    assert "Zusammen 3 4" in table
    assert "Der Gratis-Guide wurde 41-mal heruntergeladen." in html
    # Every number leads to a list that shows exactly as many subscribers.
    urls = re.findall(r'<td><a href="([^"]+)">(\d+)</a></td>', html)
    assert len(urls) == 6
    for url, number in urls:
        listed = autorin_client.get(unescape(url)).context["cl"].result_count
        assert listed == int(number), url


def test_the_last_issue_shows_its_progress_and_links_to_failed_deliveries(autorin_client):
    sent_issue = IssueFactory(subject="Drei Minuten für den Rücken", status=Issue.Status.SENDING)
    Issue.objects.filter(pk=sent_issue.pk).update(sending_started_at=timezone.now())
    ok, bad, waiting = SubscriberFactory.create_batch(3, confirmed=True)
    Delivery.objects.create(issue=sent_issue, subscriber=ok, status=Delivery.Status.SENT)
    Delivery.objects.create(issue=sent_issue, subscriber=bad, status=Delivery.Status.FAILED)
    Delivery.objects.create(issue=sent_issue, subscriber=waiting)
    draft = IssueFactory(subject="Faszienrolle")

    html = start_page(autorin_client)
    found = links(html)

    assert found["1 von 3 gesendet"].endswith(
        f"issue__id__exact={sent_issue.pk}&status__exact=sent"
    )
    assert found["1 noch offen"] == f"/admin/newsletter/delivery/?issue__id__exact={sent_issue.pk}"
    assert found["1 Zustellung fehlgeschlagen"] == (
        f"/admin/newsletter/delivery/?issue__id__exact={sent_issue.pk}&status__exact=failed"
    )
    assert found["Vorschau und Versand"] == f"/admin/newsletter/issue/{draft.pk}/senden/"


def test_a_quiet_day_says_so(autorin_client):
    html = start_page(autorin_client)

    assert "Kein Kommentar wartet auf dich." in html
    assert "Noch ist keine Ausgabe verschickt." in html


def test_each_panel_needs_its_permission(db):
    blog_only = UserFactory(username="nur-blog", is_staff=True)
    blog_only.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(blog_only)

    html = start_page(client)

    assert 'id="dashboard-articles"' in html
    for other in ("dashboard-comments", "dashboard-subscribers", "dashboard-newsletter"):
        assert f'id="{other}"' not in html
    assert "Neuen Artikel schreiben" not in html  # she may look, not write


def test_the_start_page_runs_the_same_queries_for_a_quiet_and_a_busy_day(
    autorin_client, django_assert_num_queries
):
    # Guards every panel against a query per comment, article, subscriber or delivery (N+1).
    with django_assert_num_queries(START_PAGE_QUERIES):
        start_page(autorin_client)
    article = ArticleFactory()
    CommentFactory.create_batch(12, article=article, status="pending")
    ArticleFactory.create_batch(4, status="draft")
    ArticleFactory.create_batch(3, published_at=timezone.now() + timedelta(days=2))
    SubscriberFactory.create_batch(8, confirmed=True, source="guide")
    issue = IssueFactory(status=Issue.Status.SENT)
    for subscriber in SubscriberFactory.create_batch(5, confirmed=True):
        Delivery.objects.create(issue=issue, subscriber=subscriber, status=Delivery.Status.SENT)
    IssueFactory()
    for status in (OutgoingEmail.Status.FAILED, OutgoingEmail.Status.UNCLEAR):
        OutgoingEmail.objects.create(builder="newsletter.emails.confirmation_email", status=status)
    ConsultationRequestFactory.create_batch(7, topic=TopicFactory())
    with django_assert_num_queries(START_PAGE_QUERIES):
        start_page(autorin_client)


def test_emails_that_did_not_arrive_are_shown_with_a_link_to_send_them_again(autorin_client):
    assert 'id="dashboard-failed-emails"' not in start_page(autorin_client)  # nothing to say
    for status in (
        OutgoingEmail.Status.FAILED,
        OutgoingEmail.Status.UNCLEAR,
        OutgoingEmail.Status.SENT,
    ):
        OutgoingEmail.objects.create(builder="newsletter.emails.confirmation_email", status=status)
    url = links(start_page(autorin_client))["2 E-Mails sind nicht angekommen"]
    response = autorin_client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2


def test_a_new_panel_is_one_function_and_one_template(
    autorin_client, monkeypatch, tmp_path, settings
):
    """The extension point other parts use (new consultation requests, failed e-mails)."""
    (tmp_path / "admin" / "dashboard").mkdir(parents=True)
    (tmp_path / "admin" / "dashboard" / "greeting.html").write_text(
        '<section class="dashboard-panel" id="dashboard-greeting">{{ panel.words }}</section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    monkeypatch.setattr(dashboard, "PANELS", list(dashboard.PANELS))

    @dashboard.panel("admin/dashboard/greeting.html", permission="blog.view_article")
    def greeting(request):
        return {"words": f"Guten Morgen, {request.user.first_name}!"}

    with CaptureQueriesContext(connection):
        html = start_page(autorin_client)

    assert "Guten Morgen, Jana!" in html
    assert html.index('id="dashboard-newsletter"') < html.index('id="dashboard-greeting"')
