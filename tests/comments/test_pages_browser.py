"""In a real browser: paging through the comments and answering a comment on a later page."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.comments.factories import ArticleFactory, AuthorReplyFactory, CommentFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reader_pages_to_older_comments_and_answers_one_there(
    live_server, page, screenshot, settings
):
    settings.RATE_LIMITS = False
    settings.COMMENTS_PER_PAGE = 3
    article = ArticleFactory(slug="faszien-im-alltag")
    roots = [
        CommentFactory(article=article, name=f"Leserin {n}", body=f"Kommentar Nummer {n}.")
        for n in range(7)
    ]
    AuthorReplyFactory(parent=roots[4], body="Danke, das freut mich!")
    page.goto(live_server.url + article.get_absolute_url())

    expect(page.locator(".comments-title")).to_have_text("8 Kommentare")
    expect(page.locator(".comment-pager-top .comment-pager-status")).to_have_text(
        "Kommentarseite 1 von 3"
    )
    page.locator(".comment-pager-bottom").get_by_role("link", name="Neuere Kommentare").click()

    expect(page).to_have_url(
        f"{live_server.url}{article.get_absolute_url()}?kommentare=2#kommentare"
    )
    expect(page.locator(".comment-list > .comment")).to_have_count(3)
    expect(page.locator(f"#kommentar-{roots[4].pk} .comment-by-author")).to_contain_text(
        "Danke, das freut mich!"
    )
    screenshot(page, "comments-pages-1-second-page")

    page.locator(f"#kommentar-{roots[3].pk} .comment-reply-link").first.click()
    form = page.locator("form.comment-form")
    expect(page.locator(f"#kommentar-{roots[3].pk} .comment-form-wrap")).to_be_visible()
    form.get_by_role("textbox", name="Name", exact=True).fill("Tom")
    form.get_by_role("textbox", name="E-Mail-Adresse").fill("tom@example.org")
    form.get_by_role("textbox", name="Kommentar", exact=True).fill("Das probiere ich aus.")
    page.wait_for_timeout(3200)  # the form's minimum time
    page.get_by_role("button", name="Kommentar senden").click()

    expect(page.get_by_text("Danke für deinen Kommentar!")).to_be_visible()
    reply = Comment.objects.get(name="Tom")
    assert reply.parent == roots[3]
    assert page.url.endswith(f"?kommentare=2#kommentar-{reply.pk}")
    expect(page.locator(f"#kommentar-{roots[3].pk} .comment-pending")).to_contain_text(
        "Das probiere ich aus."
    )
    screenshot(page, "comments-pages-2-reply-pending-on-second-page")
