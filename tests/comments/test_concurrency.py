"""Many readers commenting at the same moment on SQLite: every comment stored, no 500."""

import http.client
import re
import threading
from urllib.parse import urlencode, urlparse

import pytest

from comments.models import Comment
from tests.comments.factories import ArticleFactory, old_token

THREADS = 10
POSTS_PER_THREAD = 5


def reader_posts(base_url, path, reader, results):
    """One reader's browser: load the page for the CSRF token, then send five comments."""
    host = urlparse(base_url)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    # Each reader comes from her own address (the site sits behind one proxy here).
    forwarded = {"X-Forwarded-For": f"198.51.100.{reader + 1}"}
    connection.request("GET", path, headers=forwarded)
    response = connection.getresponse()
    html = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    for number in range(POSTS_PER_THREAD):
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "name": f"Leserin {reader}",
                "email": f"leserin{reader}@example.org",
                "body": f"Kommentar {number} von Leserin {reader}: Danke für die Übungen!",
                "parent": "",
                "leer_lassen": "",
                "ts": old_token(scope=path),
            }
        )
        connection.request(
            "POST",
            f"{path}kommentieren/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                **forwarded,
            },
        )
        answer = connection.getresponse()
        answer.read()
        results.append(answer.status)
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_fifty_comments_from_ten_threads_at_once_are_all_stored_without_a_500(
    live_server, settings
):
    settings.RATE_LIMITS = True  # the shared database counter is part of what runs concurrently
    settings.PROXY_COUNT = 1
    article = ArticleFactory()
    path = article.get_absolute_url()
    results: list[int] = []
    threads = [
        threading.Thread(target=reader_posts, args=(live_server.url, path, reader, results))
        for reader in range(THREADS)
    ]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(results) == THREADS * POSTS_PER_THREAD
    assert set(results) == {302}, results
    assert Comment.objects.filter(article=article).count() == THREADS * POSTS_PER_THREAD
