"""The comment form's token: bound to its article and good for one accepted comment."""

import http.client
import re
import threading
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.utils import timezone

from comments.models import Comment
from core.antispam import TOKEN_SALT, form_token_fits, form_token_spent
from tests.comments.factories import ArticleFactory, comment_post_data, old_token
from tests.comments.test_post import typed_values_are_kept

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="ts" value="([^"]+)"')
USED = "Mit diesem Formular wurde schon ein Kommentar geschickt."
OTHER_ARTICLE = "Dieses Formular wurde auf einem anderen Artikel geöffnet."
TOO_QUICK = "Das ging sehr schnell."
DUPLICATE = "Diesen Kommentar hast du schon geschickt."


def send(client, article, data):
    return client.post(f"/blog/{article.slug}/kommentieren/", data)


def rendered_token(response) -> str:
    return TOKEN.search(response.content.decode()).group(1)


def first_version_token(seconds: float = 30) -> str:
    """A token as the site issued it before tokens were bound to a page: a signed time only."""
    issued = timezone.now().timestamp() - seconds
    return signing.Signer(salt=TOKEN_SALT).sign(f"{issued:.3f}")


def test_a_token_used_for_a_comment_is_refused_the_second_time_with_the_text_kept(client, article):
    first = comment_post_data(article)
    assert send(client, article, first).status_code == 302

    again = {**first, "body": "Und noch eine Frage: hilft das auch beim Laufen?"}
    response = send(client, article, again)

    assert response.status_code == 400
    html = response.content.decode()
    assert USED in html
    typed_values_are_kept(html, again)
    assert Comment.objects.count() == 1
    fresh = rendered_token(response)
    assert fresh != first["ts"]
    assert form_token_fits(fresh, scope=article.get_absolute_url())
    assert not form_token_spent(fresh)


def test_after_a_reused_token_sending_again_works_once_the_minimum_time_has_passed(
    client, article, settings
):
    first = comment_post_data(article)
    send(client, article, first)
    again = {**first, "body": "Und noch eine Frage: hilft das auch beim Laufen?"}
    refused = send(client, article, again)

    # Sent again at once: too quick, but the new token is kept for the next try, no loop.
    quick = send(client, article, {**again, "ts": rendered_token(refused)})
    assert quick.status_code == 400
    assert TOO_QUICK in quick.content.decode()
    assert rendered_token(quick) == rendered_token(refused)

    settings.COMMENTS_MIN_FORM_SECONDS = 0  # as if she had read the message for a moment
    answer = send(client, article, {**again, "ts": rendered_token(quick)})
    assert answer.status_code == 302
    assert Comment.objects.count() == 2


def test_a_double_click_gives_one_comment_and_a_friendly_message(client, article):
    data = comment_post_data(article)

    first = send(client, article, data)
    second = send(client, article, data)

    assert first.status_code == 302
    assert second.status_code == 400
    html = second.content.decode()
    assert DUPLICATE in html
    typed_values_are_kept(html, data)
    assert Comment.objects.count() == 1
    # Were she to send it anyway, the token would not be the problem: it is a fresh one.
    assert rendered_token(second) != data["ts"]
    assert not form_token_spent(rendered_token(second))


def test_a_token_from_another_article_is_refused_and_a_fitting_one_rendered(
    client, article, settings
):
    other = ArticleFactory(slug="ruecken-im-buero")
    data = comment_post_data(article, ts=old_token(article=other))

    response = send(client, article, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert OTHER_ARTICLE in html
    typed_values_are_kept(html, data)
    assert not Comment.objects.exists()
    fresh = rendered_token(response)
    assert form_token_fits(fresh, scope=article.get_absolute_url())
    assert not form_token_fits(fresh, scope=other.get_absolute_url())

    settings.COMMENTS_MIN_FORM_SECONDS = 0
    assert send(client, article, {**data, "ts": fresh}).status_code == 302


def test_a_token_bound_to_no_page_is_refused(client, article):
    response = send(client, article, comment_post_data(article, ts=old_token(scope="")))

    assert response.status_code == 400
    assert OTHER_ARTICLE in response.content.decode()


def test_a_token_of_the_first_version_is_accepted_once(client, article):
    """Forms open in readers' browsers when this version was deployed still work, once."""
    token = first_version_token()

    assert send(client, article, comment_post_data(article, ts=token)).status_code == 302
    again = comment_post_data(article, ts=token, body="Eine zweite Frage mit dem alten Formular.")
    response = send(client, article, again)

    assert response.status_code == 400
    assert USED in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_refused_comment_does_not_spend_its_token(client, article):
    data = comment_post_data(article, email="maria(at)example.org")

    response = send(client, article, data)

    assert response.status_code == 400
    assert rendered_token(response) == data["ts"]  # kept: she fixes the address and sends
    assert send(client, article, {**data, "email": "maria@example.org"}).status_code == 302


def test_a_comment_refused_by_the_service_does_not_spend_its_token(client, article, settings):
    settings.RATE_LIMITS = True
    settings.COMMENTS_RATE_LIMIT = 0
    data = comment_post_data(article)

    response = send(client, article, data)

    assert response.status_code == 400
    assert not form_token_spent(data["ts"])
    assert rendered_token(response) == data["ts"]


def test_the_authors_form_has_no_token_and_needs_none(client, article, author):
    client.force_login(author)
    for body in ("Danke für die Frage!", "Und noch ein Nachtrag."):
        response = send(client, article, {"body": body, "parent": ""})
        assert response.status_code == 302
    assert Comment.objects.count() == 2


def two_readers_at_once(live_server, article, bodies) -> list[tuple[int, str]]:
    """Two POSTs with one page's tokens (a double click), started at the same moment."""
    path = article.get_absolute_url()
    connection = http.client.HTTPConnection("127.0.0.1", int(live_server.url.rsplit(":", 1)[1]))
    connection.request("GET", path)
    answer = connection.getresponse()
    html = answer.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", answer.getheader("Set-Cookie", "")).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    token = TOKEN.search(html).group(1)
    connection.close()
    start = threading.Barrier(len(bodies))
    answers: list[tuple[int, str]] = []

    def click(body):
        data = comment_post_data(article, body=body, ts=token, csrfmiddlewaretoken=csrf)
        own = http.client.HTTPConnection("127.0.0.1", connection.port, timeout=60)
        start.wait()
        own.request(
            "POST",
            f"{path}kommentieren/",
            body=urlencode(data),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
            },
        )
        answer = own.getresponse()
        answers.append((answer.status, answer.read().decode()))
        own.close()

    threads = [threading.Thread(target=click, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(answers)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_text", [False, True], ids=["other text", "same text"])
def test_two_posts_with_one_token_at_the_same_moment_store_one_comment(
    live_server, settings, same_text
):
    settings.COMMENTS_MIN_FORM_SECONDS = 0  # the token comes fresh from the page
    article = ArticleFactory()
    bodies = ["Meine Frage zur Rolle: wie lange am Stück?"] * 2
    if not same_text:
        bodies[1] = "Eine ganz andere Frage, mit demselben Formular geschickt."

    (accepted, _), (refused, page) = two_readers_at_once(live_server, article, bodies)

    assert (accepted, refused) == (302, 400)
    # The same text is caught as the same comment, another text by the spent token.
    assert (DUPLICATE if same_text else USED) in page
    assert Comment.objects.filter(article=article).count() == 1
