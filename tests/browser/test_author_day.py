"""The author's day in Chromium, as the demo author (group Autorin) on the demo site.

She logs in, reads the start page, approves a comment from it with one click, approves, spams
and answers comments in the list, schedules an article, sends herself a test, writes an issue and
sends it through the confirmation page, and watches the progress update without a reload. Clicks
are counted against the issue's targets: approve or spam 1, reply 2 (plus typing), send a
newsletter 3 after writing it. The same account cannot reach axes, tasks or users; axe finds
nothing serious on her pages.
"""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Article
from comments.models import Comment
from demo.loaders.site import ensure_author
from newsletter import sending
from newsletter.models import Delivery, Issue, Subscriber
from tests.browser.support import CSP_WATCH, csp_violations
from tests.comments.factories import CommentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jana-bewegt-sich-2026"
# The targets of the issue's "Done when"; the measured numbers are printed (pytest -s).
TARGETS = {"approve": 1, "spam": 1, "reply": 2, "send": 3}


class Clicks:
    """Counts the clicks of each task, so the test can hold them to the targets."""

    def __init__(self):
        self.counts: dict[str, int] = {}

    def click(self, task: str, locator) -> None:
        locator.click()
        self.counts[task] = self.counts.get(task, 0) + 1


@pytest.fixture
def demo(site):
    call_command("load_demo", stdout=io.StringIO())
    author = get_user_model().objects.get(username="jana")
    author.set_password(PASSWORD)
    author.save()
    # A busy morning: a few more comments than the demo's waiting ones.
    article = Article.objects.published().first()
    for name, body in [
        ("Heike", "Hilft die Übung auch bei Verspannungen im Nacken?"),
        ("Casino King", "Gewinne jetzt! Klick hier und hol dir deinen Bonus."),
        ("Susanne", "Wie lange soll ich die Dehnung halten, bis sie wirkt?"),
    ]:
        CommentFactory(article=article, status="pending", name=name, body=body)
    return site


def log_in(browser, url, *, width=1280, bypass_csp=False):
    context = browser.new_context(
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": width, "height": 900},
        bypass_csp=bypass_csp,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.add_init_script(CSP_WATCH)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"{url}/admin/login/")
    page.get_by_label("Benutzername").fill("jana")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{url}/admin/")
    return page


def message(page) -> str:
    return page.locator("ul.messagelist").inner_text()


def test_the_author_s_day_in_the_admin(demo, browser, screenshot, settings, capsys):
    clicks = Clicks()
    page = log_in(browser, demo.url)

    # -- the start page says what needs her ---------------------------------------------------
    expect(page.locator("h1")).to_have_text("Was auf dich wartet")
    comments_panel = page.locator("#dashboard-comments").locator("xpath=..")
    pending_before = Comment.objects.pending().count()
    expect(comments_panel).to_contain_text(f"{pending_before} Kommentare warten")
    for panel in ("dashboard-articles", "dashboard-subscribers", "dashboard-newsletter"):
        expect(page.locator(f"#{panel}")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(page, "author-start-1280")

    # Approve the newest pending comment right there: one click.
    newest = Comment.objects.newest_pending().first()
    item = page.locator(".dashboard-comment", has_text=newest.body[:40])
    clicks.click("approve", item.get_by_role("button", name=re.compile("^Freigeben")))
    page.wait_for_url(f"{demo.url}/admin/")
    assert "Freigegeben" in message(page) and newest.name in message(page)
    newest.refresh_from_db()
    assert newest.status == Comment.Status.APPROVED

    # -- the comment list: one click each, back to the same filtered list ---------------------
    page.get_by_role("link", name=re.compile("Kommentare? warte")).first.click()
    pending_list = f"{demo.url}/admin/comments/comment/?status__exact=pending"
    page.wait_for_url(pending_list)
    screenshot(page, "author-comments-1280")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # Every column is inside the window, the buttons included (nothing cut off at 1280 px).
    right_edge = page.evaluate(
        "Math.max(...[...document.querySelectorAll('#result_list th, #result_list td')]"
        ".map(cell => cell.getBoundingClientRect().right))"
    )
    assert right_edge <= 1280

    to_approve, to_spam, to_answer = list(Comment.objects.newest_pending()[:3])
    row = page.locator("#result_list tbody tr", has_text=to_approve.name).filter(
        has_text=to_approve.body[:30]
    )
    clicks.click("approve-list", row.get_by_role("button", name=re.compile("^Freigeben")))
    page.wait_for_url(pending_list)
    assert "Freigegeben" in message(page)
    row = page.locator("#result_list tbody tr", has_text=to_spam.body[:30])
    clicks.click("spam", row.get_by_role("button", name=re.compile("^Spam")))
    page.wait_for_url(pending_list)
    assert "Als Spam markiert" in message(page)
    to_approve.refresh_from_db()
    to_spam.refresh_from_db()
    assert to_approve.status == "approved" and to_spam.status == "spam"

    # Reply: the link opens a box, she types, one button publishes (and approves the comment).
    row = page.locator("#result_list tbody tr", has_text=to_answer.body[:30])
    clicks.click("reply", row.get_by_role("link", name=re.compile("^Antworten")))
    expect(page.locator("blockquote.comment-context-text")).to_contain_text(to_answer.body[:30])
    expect(page.locator("#id_body")).to_be_focused()
    page.keyboard.type("Danke für deine Frage! Probier es morgens ganz langsam.")
    clicks.click("reply", page.get_by_role("button", name="Antwort veröffentlichen"))
    page.wait_for_url(pending_list)
    assert f"Deine Antwort an {to_answer.name} ist veröffentlicht." in message(page)
    to_answer.refresh_from_db()
    assert to_answer.status == "approved"
    assert to_answer.replies.get().body.startswith("Danke für deine Frage!")

    # -- schedule an article ----------------------------------------------------------------
    draft = Article.objects.drafts().first()
    page.goto(f"{demo.url}/admin/blog/article/{draft.pk}/change/")
    page.locator(".ck-editor__main > .ck-editor__editable").wait_for()
    when = timezone.localtime() + timedelta(days=5)
    page.select_option("#id_status", "published")
    page.get_by_label("Datum", exact=True).fill(when.strftime("%d.%m.%Y"))
    page.get_by_label("Zeit", exact=True).fill("07:30")
    clicks.click("schedule", page.locator("input[name=_continue]").first)
    expect(page.locator(".blog-state--scheduled")).to_be_visible()
    draft.refresh_from_db()
    assert draft.is_scheduled and timezone.localtime(draft.published_at).hour == 7

    # -- newsletter: a test to herself, then the real thing through the confirmation page --
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a worker
    issue_draft = Issue.objects.drafts().get()
    page.goto(f"{demo.url}/admin/newsletter/issue/{issue_draft.pk}/change/")
    page.locator(".ck-editor__main > .ck-editor__editable").wait_for()
    mail.outbox.clear()
    clicks.click("send-test", page.locator("input[name=_send_test]"))
    assert "Test-E-Mail" in message(page)
    assert [m.subject for m in mail.outbox] == [f"[Test] {issue_draft.subject}"]

    # A new issue: she writes it, then three clicks at most until it goes out.
    page.goto(f"{demo.url}/admin/newsletter/issue/add/")
    expect(page.locator(".field-body .help")).to_contain_text("Hallo <Vorname>,")
    page.fill("#id_subject", "Dein Rücken im Dezember")
    page.locator(".ck-editor__main > .ck-editor__editable").click()
    page.keyboard.type("Drei kleine Übungen für die dunkle Jahreszeit.")
    mail.outbox.clear()
    clicks.click("send", page.locator("input[name=_send_confirm]"))
    page.wait_for_url(re.compile(r"/admin/newsletter/issue/\d+/senden/$"))
    issue = Issue.objects.get(subject="Dein Rücken im Dezember")
    recipients = Subscriber.objects.confirmed().count()
    check = page.locator(".issue-send-check")
    expect(check).to_contain_text(f"{recipients} bestätigte Abonnent:innen")
    preview = page.frame_locator("iframe.issue-preview")
    expect(preview.locator("body")).to_contain_text("Hallo Lena,")
    expect(preview.locator("body")).to_contain_text("Drei kleine Übungen")
    assert issue.status == Issue.Status.DRAFT and mail.outbox == []  # nothing sent yet
    screenshot(page, "author-send-confirmation-1280")
    clicks.click(
        "send", page.get_by_role("button", name=f"Jetzt an {recipients} Abonnent:innen senden")
    )
    page.wait_for_url(f"{demo.url}/admin/newsletter/issue/{issue.pk}/change/")
    progress = page.locator("#issue-progress")
    expect(progress.locator('[data-count="open"]')).to_have_text(str(recipients))
    expect(progress.locator('[data-field="status_label"]')).to_have_text("Wird gesendet")

    # The worker sends; the page shows it without being reloaded.
    page.evaluate("window.__sameDocument = true")
    assert sending.issue_deliver(issue_id=issue.pk)["sent"] == recipients
    expect(progress.locator('[data-count="sent"]')).to_have_text(str(recipients), timeout=20_000)
    expect(progress.locator('[data-count="open"]')).to_have_text("0")
    expect(progress.locator('[data-field="status_label"]')).to_have_text("Gesendet")
    assert page.evaluate("window.__sameDocument === true")
    assert len(mail.outbox) == recipients
    assert Delivery.objects.filter(issue=issue, status="sent").count() == recipients
    screenshot(page, "author-issue-progress-1280")

    # -- what is not hers ----------------------------------------------------------------------
    for path in (
        "/admin/axes/accessattempt/",
        "/admin/django_tasks_database/dbtaskresult/",
        "/admin/auth/user/",
        "/admin/auth/group/",
        "/admin/sites/site/",
    ):
        assert page.goto(demo.url + path).status == 403, path

    assert csp_violations(page) == []
    assert page.errors == []
    page.context.close()

    measured = {
        "approve from the start page": clicks.counts["approve"],
        "approve from the list": clicks.counts["approve-list"],
        "spam from the list": clicks.counts["spam"],
        "reply (plus typing)": clicks.counts["reply"],
        "send a newsletter after writing it": clicks.counts["send"],
        "send a test": clicks.counts["send-test"],
    }
    with capsys.disabled():
        print("\nClicks measured:", measured)
    assert clicks.counts["approve"] <= TARGETS["approve"]
    assert clicks.counts["approve-list"] <= TARGETS["approve"]
    assert clicks.counts["spam"] <= TARGETS["spam"]
    assert clicks.counts["reply"] <= TARGETS["reply"]
    assert clicks.counts["send"] <= TARGETS["send"]

    check_phone_width(demo, browser, screenshot)


def test_the_author_s_pages_have_no_serious_accessibility_problems(site, browser):
    from axe_playwright_python.sync_playwright import Axe

    from tests.blog.factories import ArticleFactory, TagFactory
    from tests.newsletter.factories import IssueFactory, SubscriberFactory

    author = ensure_author()
    author.set_password(PASSWORD)
    author.save()
    article = ArticleFactory(author=author, tags=TagFactory.create_batch(3))
    article.related.add(ArticleFactory(author=author))
    comment = CommentFactory(article=article, status="pending", name="Heike")
    CommentFactory(article=article)
    SubscriberFactory.create_batch(3, confirmed=True)
    draft_issue = IssueFactory()
    sent_issue = IssueFactory(status=Issue.Status.SENT)
    everywhere = ["/admin/", "/admin/comments/comment/", "/admin/newsletter/subscriber/"]
    at_1280 = [
        *everywhere,
        "/admin/blog/article/add/",
        f"/admin/blog/article/{article.pk}/change/",
        f"/admin/comments/comment/{comment.pk}/change/",
        f"/admin/comments/comment/{comment.pk}/antworten/",
        f"/admin/newsletter/issue/{draft_issue.pk}/change/",
        f"/admin/newsletter/issue/{sent_issue.pk}/change/",
        f"/admin/newsletter/issue/{draft_issue.pk}/senden/",
    ]
    axe = Axe()
    problems = []
    for width, pages in [(1280, at_1280), (390, [*everywhere, at_1280[-1]])]:
        # axe is injected by evaluate(); only this context lets it past the CSP.
        page = log_in(browser, site.url, width=width, bypass_csp=True)
        for path in pages:
            page.goto(site.url + path)
            page.wait_for_load_state("networkidle")
            for violation in axe.run(page).response["violations"]:
                if violation["impact"] in {"serious", "critical"}:
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    problems.append(f"{width} {path}: {violation['id']} {targets}")
        page.context.close()
    assert problems == []


def check_phone_width(demo, browser, screenshot):
    """Her start page and lists on a phone: nothing wider than the screen, buttons to tap."""
    page = log_in(browser, demo.url, width=390)

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator(".dashboard-comment").first).to_be_visible()
    screenshot(page, "author-start-390")

    page.goto(f"{demo.url}/admin/comments/comment/?status__exact=pending")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first = page.locator("#result_list tbody tr").first
    button = first.get_by_role("button", name=re.compile("^Freigeben"))
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 30
    screenshot(page, "author-comments-390")

    for path in ("/admin/newsletter/subscriber/", "/admin/blog/article/"):
        page.goto(demo.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.context.close()
