"""The demo blog: the loader, the content it creates, its pictures and the PDF download."""

import io
import re
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone
from django.utils.html import strip_tags
from PIL import Image

from blog.models import Article, Category, Tag
from demo import illustrations
from demo.content import DemoContentError
from demo.loaders import blog as demo_blog
from tests.demo.support import assert_valid_pdf, edit

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo blog, loaded once for this module (drawing ~40 pictures takes a while).

    Each test still runs in its own rolled-back transaction; the rows are removed at the end.
    """
    media = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        author = get_user_model().objects.create_user(
            username="demo-author", first_name="Jana", last_name="Berger", is_staff=True
        )
        out = io.StringIO()
        demo_blog.load(demo_blog.read(), author=author, stdout=out)
        yield SimpleNamespace(author=author, media=media, output=out.getvalue())
        Article.objects.all().delete()
        Category.objects.all().delete()
        Tag.objects.all().delete()
        author.delete()


@pytest.fixture
def loaded(demo_site, settings):
    settings.MEDIA_ROOT = demo_site.media
    return demo_site.output


@pytest.fixture
def author(demo_site, settings):
    settings.MEDIA_ROOT = demo_site.media
    return demo_site.author


@pytest.fixture
def blog_copy(content_copy):
    return content_copy / "blog"


def words(html: str) -> int:
    return len(strip_tags(html).split())


def media_path(url: str) -> str:
    assert url.startswith("/media/"), url
    return url.removeprefix("/media/")


def test_the_loader_creates_published_draft_and_scheduled_articles(loaded):
    now = timezone.now()
    assert Article.objects.published(now=now).count() >= 12
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 1
    scheduled = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
    assert scheduled.count() == 1
    assert Category.objects.count() == 4
    assert Tag.objects.count() >= 12
    assert "Article rueckenschmerzen-verstehen created." in loaded


def test_the_draft_is_the_article_about_the_first_weeks_after_a_disc_herniation(loaded):
    draft = Article.objects.get(status=Article.Status.DRAFT)
    assert draft.slug == "bandscheibenvorfall-erste-schritte"


def test_publication_dates_are_read_as_berlin_time(loaded):
    article = Article.objects.get(slug="rueckenschmerzen-verstehen")
    assert article.published_at == datetime(2025, 1, 13, 7, 30, tzinfo=BERLIN)


def test_a_scheduled_article_is_published_days_from_now_at_half_past_seven(loaded):
    spec = next(s for s in demo_blog.read().articles if s.days_from_now is not None)
    now = datetime(2025, 10, 25, 22, 0, tzinfo=BERLIN)  # the night before the clocks change
    expected_day = date(2025, 10, 25) + timedelta(days=spec.days_from_now)
    assert spec.published_at(now) == datetime.combine(expected_day, time(7, 30), tzinfo=BERLIN)
    article = Article.objects.get(slug=spec.slug)
    local = timezone.localtime(article.published_at, BERLIN)
    assert (local.hour, local.minute) == (7, 30)
    assert article.is_scheduled


def test_every_article_has_the_length_and_structure_of_a_real_blog_post(loaded):
    for article in Article.objects.all():
        body = article.body
        assert 500 <= words(body) <= 1500, (article.slug, words(body))
        assert re.search(r"<h2\b", body), article.slug
        assert re.search(r"<(ul|ol)\b", body), article.slug
        assert "<blockquote" in body, article.slug
        assert re.search(r"<figure[^>]*>\s*<img[^>]*>\s*<figcaption>[^<]+</figcaption>", body), (
            article.slug
        )
        assert article.teaser and article.meta_description, article.slug
        assert len(article.meta_description) <= 160, article.slug
        assert article.category is not None, article.slug
        assert "<!--" not in body, f"{article.slug}: a marker was not replaced"


def test_inline_images_are_stored_with_their_size_alt_text_and_credit(loaded):
    article = Article.objects.get(slug="faszienrolle-richtig-nutzen")
    figures = re.findall(r"<figure.*?</figure>", article.body, flags=re.S)
    assert figures
    for figure in figures:
        src = re.search(r'src="([^"]+)"', figure).group(1)
        assert re.search(r'alt="[^"]+"', figure)
        assert 'width="1200"' in figure and 'height="800"' in figure
        assert re.search(r"<figcaption>.+ · .+</figcaption>", figure)
        with default_storage.open(media_path(src)) as handle:
            assert Image.open(handle).size == (1200, 800)


def test_every_article_has_a_cover_image_with_alt_text_and_credit(loaded):
    for article in Article.objects.all():
        assert article.cover_image, article.slug
        assert article.cover_alt and article.cover_credit, article.slug
        with article.cover_image.open() as handle:
            assert Image.open(handle).size == (1600, 900), article.slug


def test_links_between_articles_point_at_existing_articles(loaded):
    slugs = set(Article.objects.values_list("slug", flat=True))
    linking = 0
    for article in Article.objects.all():
        targets = re.findall(r'href="/blog/([^"/]+)/"', article.body)
        linking += bool(targets)
        assert set(targets) <= slugs, article.slug
    assert linking >= 12


def test_hand_picked_related_articles_are_set(loaded):
    article = Article.objects.get(slug="faszienrolle-richtig-nutzen")
    assert article.related.exists()
    assert not article.related.filter(pk=article.pk).exists()


def test_one_article_links_the_exercise_plan_pdf_with_its_page_count_and_size(loaded):
    linking = [a for a in Article.objects.all() if ".pdf" in a.body]
    assert [a.slug for a in linking] == ["faszienrolle-richtig-nutzen"]
    body = linking[0].body
    url = re.search(r'href="([^"]+\.pdf)">Übungsplan Rücken herunterladen</a>', body).group(1)
    with default_storage.open(media_path(url)) as handle:
        content = handle.read()
    assert_valid_pdf(content)
    pages = int(re.search(rb"/Count (\d+)", content).group(1))
    size = max(1, round(len(content) / 1024))
    assert f"(PDF, {pages} Seiten, {size} KB)</p>" in body


def test_running_the_loader_again_creates_no_duplicates_and_changes_nothing(author):
    counts = (Article.objects.count(), Category.objects.count(), Tag.objects.count())
    article = Article.objects.get(slug="dehnen-am-morgen")
    article.title = "Vom Autor geändert"
    article.save()
    out = io.StringIO()
    assert demo_blog.load(demo_blog.read(), author=author, stdout=out) == []
    assert (Article.objects.count(), Category.objects.count(), Tag.objects.count()) == counts
    assert Article.objects.get(slug="dehnen-am-morgen").title == "Vom Autor geändert"
    assert "created" not in out.getvalue()


def test_a_deleted_demo_article_is_created_again_with_its_tags_and_related_articles(author):
    Article.objects.filter(slug="faszienrolle-richtig-nutzen").delete()
    created = demo_blog.load(demo_blog.read(), author=author)
    assert [a.slug for a in created] == ["faszienrolle-richtig-nutzen"]
    article = created[0]
    assert set(article.tags.values_list("slug", flat=True)) == {"faszienrolle", "huefte"}
    assert set(article.related.values_list("slug", flat=True)) == {
        "faszien-einfach-erklaert",
        "rueckenschmerzen-verstehen",
    }


@pytest.mark.parametrize(
    ("original", "broken", "message"),
    [
        ('category = "faszien"', 'category = "yoga-kurse"', "unknown category 'yoga-kurse'"),
        ('tags = ["faszienrolle", "huefte"]', 'tags = ["faszienrolle", "knie"]', "'knie'"),
        ('motif = "waves"', 'motif = "sternchen"', "unknown motif 'sternchen'"),
        ('slug = "faszienrolle-richtig-nutzen"', "", "missing slug"),
    ],
)
def test_a_broken_article_file_is_reported_with_its_name_before_anything_is_written(
    author, blog_copy, original, broken, message
):
    path = next(blog_copy.glob("articles/03-*.toml"))
    edit(path, original, broken)
    count = Article.objects.count()
    with pytest.raises(DemoContentError) as error:
        demo_blog.read(blog_copy)
    assert path.name in str(error.value)
    assert message in str(error.value)
    assert Article.objects.count() == count


def test_a_link_to_a_missing_article_is_reported(author, blog_copy):
    path = next(blog_copy.glob("articles/01-*.toml"))
    edit(path, "<h2>", '<p><a href="/blog/gibt-es-nicht/">x</a></p><h2>')
    with pytest.raises(DemoContentError, match=r"01-.*gibt-es-nicht"):
        demo_blog.read(blog_copy)


def test_a_marker_for_a_download_that_has_no_file_is_reported(author, blog_copy):
    (blog_copy / "downloads" / "uebungsplan-ruecken.toml").unlink()
    with pytest.raises(DemoContentError, match=r"03-.*unknown download.*uebungsplan-ruecken"):
        demo_blog.read(blog_copy)


def test_illustrations_are_reproducible_and_differ_between_articles():
    args = {"motif": "waves", "palette": ("#1d5c57", "#f2b36b", "#faf6ef"), "size": (320, 180)}
    illustrations.render.cache_clear()
    first = illustrations.render(seed_name="a/cover", **args)
    illustrations.render.cache_clear()
    assert illustrations.render(seed_name="a/cover", **args) == first
    assert illustrations.render(seed_name="b/cover", **args) != first


@pytest.mark.parametrize("motif", sorted(illustrations.MOTIFS))
def test_every_motif_draws_a_picture_in_the_palette(motif):
    picture = illustrations.render(
        seed_name=f"motif/{motif}",
        motif=motif,
        palette=("#1d5c57", "#f2b36b", "#faf6ef", "#8aa39b"),
        size=(320, 180),
    )
    image = Image.open(io.BytesIO(picture))
    assert image.size == (320, 180)
    assert len(image.getcolors(maxcolors=320 * 180)) > 20  # not a blank canvas
