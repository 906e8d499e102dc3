"""In a real browser: a reader comments, the author approves and replies in the admin, the
reader sees the reply nested under her comment."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from core.antispam import new_form_token
from tests.comments.factories import ArticleFactory, CommentFactory, UserFactory

PASSWORD = "correct horse battery staple"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reader_comments_the_author_approves_and_replies_the_reader_sees_the_reply(
    live_server, browser, page, screenshot, settings
):
    settings.RATE_LIMITS = False
    author = UserFactory(username="jana", first_name="Jana", last_name="Berger", staff=True)
    article = ArticleFactory(
        title="Faszienrolle richtig benutzen", slug="faszienrolle-richtig-nutzen", author=author
    )
    CommentFactory(article=article, name="Petra", body="Schon ein älterer Kommentar.")
    article_url = live_server.url + article.get_absolute_url()

    # The reader writes her comment.
    page.goto(article_url)
    form = page.locator("form.comment-form")
    form.get_by_role("textbox", name="Name", exact=True).fill("Maria Schulz")
    form.get_by_role("textbox", name="E-Mail-Adresse").fill("maria@example.org")
    form.get_by_role("textbox", name="Kommentar", exact=True).fill(
        "Wie oft pro Woche soll ich rollen?\nUnd lieber morgens oder abends?"
    )
    page.wait_for_timeout(3200)  # a person takes a moment; the form refuses under 3 s
    page.get_by_role("button", name="Kommentar senden").click()

    expect(page.get_by_text("Danke für deinen Kommentar!")).to_be_visible()
    mine = page.locator(".comment-pending")
    expect(mine).to_contain_text("Wie oft pro Woche soll ich rollen?")
    expect(mine).to_contain_text("Dein Kommentar wartet auf Freigabe")
    screenshot(page, "comments-1-reader-comment-pending")
    comment = Comment.objects.get(name="Maria Schulz")

    # The author approves it in the admin, in her own browser.
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    admin = context.new_page()
    admin.goto(f"{live_server.url}/admin/login/?next=/admin/comments/comment/")
    admin.get_by_label("Benutzername").fill("jana")
    admin.get_by_label("Passwort").fill(PASSWORD)
    admin.get_by_role("button", name="Anmelden").click()
    expect(admin.locator("#result_list")).to_contain_text("Wartet auf Freigabe")
    admin.locator(f'input[name="_selected_action"][value="{comment.pk}"]').check()
    admin.locator('select[name="action"]').select_option("approve")
    screenshot(admin, "comments-2-admin-list-pending")
    admin.get_by_role("button", name="Ausführen").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 Kommentar freigegeben.")
    screenshot(admin, "comments-3-admin-approved")

    # ... and replies on the comment's change page.
    admin.goto(f"{live_server.url}/admin/comments/comment/{comment.pk}/change/")
    admin.locator('textarea[name="reply"]').fill(
        "Liebe Maria, zwei- bis dreimal pro Woche reicht völlig – wann es dir besser passt."
    )
    screenshot(admin, "comments-4-admin-reply")
    admin.locator('input[name="_save"]').click()
    expect(admin.locator(".messagelist")).to_contain_text("Deine Antwort ist unter diesem")
    context.close()

    # The reader comes back and finds the reply under her comment, marked as the author's.
    page.goto(article_url)
    thread = page.locator(f"#kommentar-{comment.pk}")
    expect(thread.locator(".comment-pending-note")).to_have_count(0)
    reply = thread.locator(".comment-children .comment-by-author")
    expect(reply).to_contain_text("zwei- bis dreimal pro Woche")
    expect(reply).to_contain_text("Autorin")
    expect(reply).to_contain_text("Jana Berger")
    reply.scroll_into_view_if_needed()
    screenshot(page, "comments-5-reader-sees-reply")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_reply_link_moves_the_form_under_the_comment_and_a_bad_input_keeps_the_text(
    live_server, page, screenshot, settings
):
    settings.RATE_LIMITS = False
    article = ArticleFactory(slug="dehnen-am-morgen")
    question = CommentFactory(article=article, name="Petra", body="Wie lange halten?")
    page.goto(live_server.url + article.get_absolute_url())

    page.get_by_role("link", name=re.compile("Antworten")).first.click()

    expect(page.locator(f"#kommentar-{question.pk} .comment-form-wrap")).to_be_visible()
    expect(page.locator(".comment-replying")).to_contain_text("Petra")
    assert page.locator('input[name="parent"]').input_value() == str(question.pk)

    form = page.locator("form.comment-form")
    form.get_by_role("textbox", name="Name", exact=True).fill("Tom")
    form.get_by_role("textbox", name="E-Mail-Adresse").fill("tom@example.org")
    form.get_by_role("textbox", name="Kommentar", exact=True).fill(
        "Gute Frage, das wüsste ich auch gern."
    )
    # Too quick on purpose: sent as if the form had been rendered a moment ago (filling it in
    # on a busy machine can take longer than the form's 3 seconds).
    form.locator('input[name="ts"]').evaluate(
        "(input, token) => { input.value = token; }", new_form_token()
    )
    page.get_by_role("button", name="Kommentar senden").click()

    expect(page.get_by_text("Das ging sehr schnell.")).to_be_visible()
    expect(
        page.locator("form.comment-form").get_by_role("textbox", name="Kommentar", exact=True)
    ).to_have_value("Gute Frage, das wüsste ich auch gern.")
    screenshot(page, "comments-6-too-quick-text-kept")
    page.wait_for_timeout(3200)
    page.get_by_role("button", name="Kommentar senden").click()
    expect(page.get_by_text("Danke für deinen Kommentar!")).to_be_visible()
    assert Comment.objects.get(name="Tom").parent == question
