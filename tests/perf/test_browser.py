"""In real browsers: two readers get the cached article page and both send its comment form."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.blog.factories import ArticleFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_two_browsers_that_got_the_cached_page_both_send_the_comment_form(
    live_server, browser, screenshot, settings
):
    settings.COMMENTS_MIN_FORM_SECONDS = 0  # the 3 s a person needs would only slow the test
    article = ArticleFactory(title="Faszienrolle richtig benutzen", slug="faszienrolle")
    url = live_server.url + article.get_absolute_url()
    readers = {}
    for name in ("Anna", "Berta"):
        context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
        reader = context.new_page()
        reader.set_default_timeout(15_000)
        readers[name] = (context, reader, reader.goto(url))
    assert readers["Anna"][2].headers["x-page-cache"] == "miss"
    assert readers["Berta"][2].headers["x-page-cache"] == "hit"

    for name in ("Berta", "Anna"):
        reader = readers[name][1]
        form = reader.locator("form.comment-form")
        form.get_by_role("textbox", name="Name", exact=True).fill(name)
        form.get_by_role("textbox", name="E-Mail-Adresse").fill(f"{name.lower()}@example.org")
        form.get_by_role("textbox", name="Kommentar", exact=True).fill(
            f"{name} fragt: wie lange soll ich rollen?"
        )
        reader.get_by_role("button", name="Kommentar senden").click()
        expect(reader.get_by_text("Danke für deinen Kommentar!")).to_be_visible()
        expect(reader.locator(".comment-pending")).to_contain_text(f"{name} fragt")
        screenshot(reader, f"perf-cached-page-comment-{name.lower()}")

    assert set(Comment.objects.values_list("name", flat=True)) == {"Anna", "Berta"}
    # Each sees her own pending comment, not the other's.
    expect(readers["Anna"][1].locator(".comment-pending")).not_to_contain_text("Berta fragt")
    berta = readers["Berta"][1]
    berta.reload()
    expect(berta.locator(".comment-pending")).to_contain_text("Berta fragt")
    expect(berta.locator("body")).not_to_contain_text("Anna fragt")
    for context, _reader, _response in readers.values():
        context.close()
