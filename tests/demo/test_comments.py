"""The demo comments: threads of readers' questions and the author's answers."""

from io import StringIO

import pytest
from django.utils import timezone

from comments.models import Comment, SpamWord
from demo.content import DemoContentError
from demo.loaders import comments as demo_comments
from tests.comments.factories import ArticleFactory
from tests.demo.support import edit

pytestmark = pytest.mark.django_db

ARTICLES = {path.stem for path in demo_comments.COMMENTS_DIR.glob("threads/*.toml")}


@pytest.fixture
def content():
    return demo_comments.read(article_slugs=ARTICLES)


@pytest.fixture
def demo_articles(author, content):
    return [ArticleFactory(slug=slug, author=author) for slug in content.threads]


def test_the_demo_fills_several_articles_one_with_at_least_eight_comments(
    author, content, demo_articles
):
    demo_comments.load(content, author=author, stdout=StringIO())

    counts = [a.comments.filter(status="approved").count() for a in demo_articles]
    assert max(counts) >= 8
    assert sum(1 for count in counts if count) >= 4
    assert Comment.objects.filter(status="pending").exists()
    assert Comment.objects.filter(status="spam").exists()
    replies = Comment.objects.filter(is_author_reply=True)
    assert replies.exists() and all(r.user == author and r.parent_id for r in replies)
    assert Comment.objects.filter(parent__parent__isnull=False).exists()  # nested two deep
    assert SpamWord.objects.exists()
    assert not Comment.objects.filter(created_at__gt=timezone.now()).exists()


def test_the_demo_creates_nothing_the_second_time(author, content, demo_articles):
    demo_comments.load(content, author=author)
    before = list(Comment.objects.values_list("pk", "status", "body").order_by("pk"))

    demo_comments.load(content, author=author)

    assert list(Comment.objects.values_list("pk", "status", "body").order_by("pk")) == before


def test_the_demo_skips_articles_that_do_not_exist(author, content):
    demo_comments.load(content, author=author)

    assert not Comment.objects.exists()


def test_the_demo_page_renders_nested_comments(client, author, content, demo_articles):
    demo_comments.load(content, author=author)

    html = client.get(demo_articles[0].get_absolute_url()).content.decode()

    assert "Kommentare</h2>" in html
    assert "Autorin" in html


def test_an_author_reply_is_named_after_the_authors_account(author, content, demo_articles):
    demo_comments.load(content, author=author)

    reply = Comment.objects.filter(is_author_reply=True).first()

    assert reply.name == "Jana Berger"
    assert reply.status == Comment.Status.APPROVED


def test_a_reply_to_a_key_that_is_not_above_it_is_reported_with_the_file(content_copy):
    path = content_copy / "comments" / "threads" / "atmung-und-ruecken.toml"
    edit(path, 'parent = "claudia"', 'parent = "heike"')

    with pytest.raises(DemoContentError, match=r"atmung-und-ruecken\.toml: .*'heike'"):
        demo_comments.read(content_copy / "comments", article_slugs=ARTICLES)


def test_a_thread_for_an_article_that_is_not_in_the_demo_is_reported(content_copy):
    threads = content_copy / "comments" / "threads"
    (threads / "atmung-und-ruecken.toml").rename(threads / "atmen-und-ruecken.toml")

    with pytest.raises(DemoContentError, match=r"atmen-und-ruecken\.toml: .*no article"):
        demo_comments.read(content_copy / "comments", article_slugs=ARTICLES)


def test_an_author_reply_may_not_bring_its_own_name(content_copy):
    path = content_copy / "comments" / "threads" / "faszien-und-stress.toml"
    edit(path, "by_author = true", 'by_author = true\nname = "Jana"')

    with pytest.raises(DemoContentError, match=r"faszien-und-stress\.toml: .*remove name"):
        demo_comments.read(content_copy / "comments", article_slugs=ARTICLES)


def test_wrapped_lines_in_a_comment_become_one_paragraph_and_blank_lines_stay(content):
    (answer,) = [c for c in content.threads["rueckenschmerzen-verstehen"] if c.key == "sabine-a"]

    first, second = answer.body.split("\n\n")

    assert first.startswith("Liebe Sabine, danke für deine Frage! In den allermeisten Fällen")
    assert "\n" not in first and "  " not in first
    assert second.endswith("lass es bitte ärztlich anschauen.")
