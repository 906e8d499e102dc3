"""Every change a reader can see makes the cached pages fresh on the very next request."""

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

from blog.models import Article
from comments import services
from core import pagecache
from tests.blog.factories import ArticleFactory, CategoryFactory, TagFactory, UserFactory
from tests.comments.factories import CommentFactory
from tests.newsletter.factories import GuideFactory
from tests.perf.helpers import cached_page, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return CategoryFactory(name="Rücken", slug="ruecken")


@pytest.fixture
def article(category):
    return ArticleFactory(title="Der Rücken im Büro", slug="ruecken-im-buero", category=category)


def fresh(url):
    """The next answer for `url`: rendered anew, not served from the cache."""
    response = page(url)
    assert response["X-Page-Cache"] == "miss", response["X-Page-Cache"]
    return response


# -- articles -----------------------------------------------------------------------------------


def test_publishing_a_draft_shows_it_on_the_home_page_and_its_own_page(article):
    draft = ArticleFactory(title="Neu: Hüfte mobilisieren", slug="huefte", draft=True)
    cached_page("/")
    assert page(draft.get_absolute_url()).status_code == 404

    draft.status = Article.Status.PUBLISHED
    draft.save()

    assert "Neu: Hüfte mobilisieren" in text(fresh("/"))
    assert fresh(draft.get_absolute_url()).status_code == 200


def test_editing_an_article_updates_its_page_the_lists_and_the_feed(article, category):
    urls = [article.get_absolute_url(), "/", category.get_absolute_url(), "/feed/"]
    for url in urls:
        cached_page(url)

    article.title = "Der Rücken im Homeoffice"
    article.save()

    for url in urls:
        assert "Der Rücken im Homeoffice" in text(fresh(url)), url


def test_unpublishing_an_article_removes_it_everywhere_at_once(article):
    cached_page("/")
    cached_page(article.get_absolute_url())

    article.status = Article.Status.DRAFT
    article.save()

    assert "Der Rücken im Büro" not in text(fresh("/"))
    assert page(article.get_absolute_url()).status_code == 404


def test_deleting_an_article_removes_it_from_the_home_page(article):
    cached_page("/")
    article.delete()
    assert "Der Rücken im Büro" not in text(fresh("/"))


def test_tagging_an_article_shows_the_tag_on_its_page(article):
    tag = TagFactory(name="Haltung", slug="haltung")
    cached_page(article.get_absolute_url())

    article.tags.add(tag)

    assert "Haltung" in text(fresh(article.get_absolute_url()))


def test_picking_a_related_article_shows_it_on_the_article_page(article):
    ArticleFactory(title="Schultern lösen", category=CategoryFactory(name="Schultern"))
    other = Article.objects.get(title="Schultern lösen")
    # Nothing shares a tag or the category: no "related articles" section yet.
    assert 'id="verwandte-artikel"' not in text(cached_page(article.get_absolute_url()))

    article.related.add(other)

    content = text(fresh(article.get_absolute_url()))
    assert "Schultern lösen" in content.partition('id="verwandte-artikel"')[2]


def test_renaming_the_author_changes_the_byline(article):
    cached_page(article.get_absolute_url())
    author = article.author
    author.first_name, author.last_name = "Janina", "Berger-Roth"
    author.save()
    assert "Janina Berger-Roth" in text(fresh(article.get_absolute_url()))


def test_an_author_logging_in_does_not_empty_the_cache(article):
    cached_page("/")
    user = UserFactory(username="jana-login", staff=True)
    user.save(update_fields=["last_login"])
    assert page("/")["X-Page-Cache"] == "hit"


# -- categories, tags, pages, guide -------------------------------------------------------------


def test_renaming_a_category_updates_the_navigation_on_every_page(article, category):
    for url in ("/", article.get_absolute_url(), category.get_absolute_url()):
        cached_page(url)

    category.name = "Rücken & Nacken"
    category.save()

    for url in ("/", article.get_absolute_url(), category.get_absolute_url()):
        assert "Rücken & Nacken" in text(fresh(url)), url


def test_editing_a_tag_updates_the_pages_that_show_it(article):
    tag = TagFactory(name="Dehnen", slug="dehnen")
    article.tags.add(tag)
    cached_page(article.get_absolute_url())
    cached_page(tag.get_absolute_url())

    tag.name = "Sanft dehnen"
    tag.save()

    assert "Sanft dehnen" in text(fresh(article.get_absolute_url()))
    assert "Sanft dehnen" in text(fresh(tag.get_absolute_url()))


def test_editing_a_page_shows_the_new_text():
    flatpage = FlatPage.objects.create(url="/impressum/", title="Impressum", content="<p>Alt</p>")
    flatpage.sites.add(Site.objects.get_current())
    cached_page("/impressum/")

    flatpage.content = "<p>Neue Anschrift</p>"
    flatpage.save()

    assert "Neue Anschrift" in text(fresh("/impressum/"))


def test_changing_the_guide_updates_its_landing_page():
    guide = GuideFactory(title="Faszien & Dehnen: Dein Start")
    cached_page("/gratis-guide/")

    guide.title = "Faszien & Dehnen: Die zweite Auflage"
    guide.save()

    assert "Die zweite Auflage" in text(fresh("/gratis-guide/"))


# -- comments -----------------------------------------------------------------------------------


def test_approving_a_comment_shows_it_to_every_reader(article):
    comment = CommentFactory(article=article, status="pending", body="Wartet auf Freigabe.")
    assert "Wartet auf Freigabe." not in text(cached_page(article.get_absolute_url()))

    services.comment_approve(comment=comment, by=article.author)

    assert "Wartet auf Freigabe." in text(fresh(article.get_absolute_url()))


def test_approving_a_comment_updates_the_comment_count_on_the_home_page(article):
    comment = CommentFactory(article=article, status="pending")
    assert "Noch keine Kommentare" in text(cached_page("/"))

    services.comment_approve(comment=comment, by=article.author)

    assert "1 Kommentar" in text(fresh("/"))


def test_the_authors_reply_appears_under_the_comment(article):
    comment = CommentFactory(article=article, body="Wie oft soll ich dehnen?")
    cached_page(article.get_absolute_url())

    services.comment_reply(parent=comment, author=article.author, body="Jeden Tag ein wenig.")

    assert "Jeden Tag ein wenig." in text(fresh(article.get_absolute_url()))


@pytest.mark.parametrize("remove", ["mark_spam", "move_to_trash", "delete"])
def test_removing_a_comment_hides_it_at_once(article, remove):
    comment = CommentFactory(article=article, body="Ein Kommentar, der verschwindet.")
    assert "Ein Kommentar, der verschwindet." in text(cached_page(article.get_absolute_url()))

    if remove == "delete":
        comment.delete()
    else:
        services.comment_moderate(comment=comment, action=remove, by=article.author)

    assert "Ein Kommentar, der verschwindet." not in text(fresh(article.get_absolute_url()))


def test_a_new_comment_waiting_for_approval_leaves_the_cache_alone(article):
    cached_page(article.get_absolute_url())
    CommentFactory(article=article, status="pending", body="Noch nicht freigegeben.")

    response = page(article.get_absolute_url())

    assert response["X-Page-Cache"] == "hit"
    assert "Noch nicht freigegeben." not in text(response)


# -- how invalidation works ---------------------------------------------------------------------


def test_a_change_bumps_the_generation_again_when_its_transaction_commits(
    article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        article.title = "Neuer Titel"
        article.save()
        during = pagecache.state().read()[0]
    for callback in callbacks:
        callback()
    # A page rendered from the old rows by another process between the save and the commit
    # was stored under `during`; after the commit nobody reads that generation any more.
    assert pagecache.state().read()[0] != during


def test_two_processes_sharing_the_state_folder_see_each_others_bumps(settings, tmp_path):
    folder = tmp_path / "shared"
    first, second = pagecache.FileState(folder), pagecache.FileState(folder)
    before = second.read()[0]
    assert first.read()[0] == before

    first.bump()

    assert second.read()[0] != before
    assert second.read() == first.read()


def test_a_lost_state_starts_a_generation_never_used_before(tmp_path):
    state = pagecache.FileState(tmp_path / "state-folder")
    old = state.read()[0]
    state.path.unlink()
    assert state.read()[0] != old
