"""In the browser: a double click gives one comment; a spent token is refused kindly."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.comments.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article(settings):
    settings.RATE_LIMITS = False
    settings.COMMENTS_MIN_FORM_SECONDS = 0  # no waiting in tests; the minimum has its own tests
    return ArticleFactory(title="Dehnen am Morgen", slug="dehnen-am-morgen")


def fill(page, body: str) -> None:
    form = page.locator("form.comment-form")
    form.get_by_role("textbox", name="Name", exact=True).fill("Tom")
    form.get_by_role("textbox", name="E-Mail-Adresse").fill("tom@example.org")
    form.get_by_role("textbox", name="Kommentar", exact=True).fill(body)


def test_a_double_click_on_send_stores_one_comment_and_answers_kindly(live_server, page, article):
    page.goto(live_server.url + article.get_absolute_url())
    fill(page, "Wie lange soll ich morgens dehnen?")

    page.get_by_role("button", name="Kommentar senden").dblclick()

    expect(
        page.get_by_text(
            re.compile("Danke für deinen Kommentar|Diesen Kommentar hast du schon geschickt")
        )
    ).to_be_visible()
    assert Comment.objects.count() == 1


def test_a_form_whose_token_was_spent_is_refused_kindly_and_works_when_sent_again(
    live_server, page, article, screenshot
):
    url = live_server.url + article.get_absolute_url()
    page.goto(url)
    spent = page.locator('input[name="ts"]').input_value()
    fill(page, "Wie lange soll ich morgens dehnen?")
    page.get_by_role("button", name="Kommentar senden").click()
    expect(page.get_by_text("Danke für deinen Kommentar")).to_be_visible()

    # The page as the browser's history still has it: the token of the first comment.
    page.goto(url)
    page.locator('input[name="ts"]').evaluate("(input, value) => input.value = value", spent)
    fill(page, "Und am Abend, hilft das auch?")
    page.get_by_role("button", name="Kommentar senden").click()

    expect(
        page.get_by_text("Mit diesem Formular wurde schon ein Kommentar geschickt.")
    ).to_be_visible()
    expect(
        page.locator("form.comment-form").get_by_role("textbox", name="Kommentar", exact=True)
    ).to_have_value("Und am Abend, hilft das auch?")
    screenshot(page, "comments-token-spent-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "comments-token-spent-390")

    page.get_by_role("button", name="Kommentar senden").click()
    expect(page.get_by_text("Danke für deinen Kommentar")).to_be_visible()
    assert Comment.objects.count() == 2
