"""Publishing rules, slugs, reading time and validation of articles."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from blog.models import Article, german_slugify, reading_minutes
from tests.blog.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_published_articles_include_only_published_ones_whose_date_has_come():
    visible = ArticleFactory()
    ArticleFactory(draft=True)
    ArticleFactory(scheduled=True)
    ArticleFactory(draft=True, scheduled=True)

    assert list(Article.objects.published()) == [visible]


def test_a_scheduled_article_becomes_visible_when_its_time_has_come_without_any_job():
    article = ArticleFactory(scheduled=True)
    later = article.published_at + timedelta(seconds=1)

    assert not Article.objects.published().exists()
    assert list(Article.objects.published(now=later)) == [article]
    assert article.is_scheduled and not article.is_public


def test_a_draft_stays_invisible_even_with_a_past_date():
    article = ArticleFactory(draft=True, published_at=timezone.now() - timedelta(days=30))

    assert not article.is_public
    assert not article.is_scheduled
    assert not Article.objects.published().exists()


def test_staff_may_see_drafts_but_other_users_only_published_articles():
    ArticleFactory()
    ArticleFactory(draft=True)
    staff = UserFactory(staff=True)
    reader = UserFactory()

    assert Article.objects.visible_to(staff).count() == 2
    assert Article.objects.visible_to(reader).count() == 1


def test_the_slug_is_made_from_the_title_with_german_umlauts_spelled_out():
    article = ArticleFactory(title="Rückenschmerzen? Übungen für große Füße")

    assert article.slug == "rueckenschmerzen-uebungen-fuer-grosse-fuesse"


def test_a_taken_slug_gets_a_number_appended():
    first = ArticleFactory(title="Faszien verstehen")
    second = ArticleFactory(title="Faszien verstehen")
    third = ArticleFactory(title="Faszien  verstehen!")

    assert [first.slug, second.slug, third.slug] == [
        "faszien-verstehen",
        "faszien-verstehen-2",
        "faszien-verstehen-3",
    ]


def test_a_slug_chosen_by_the_author_is_kept_and_survives_a_title_change():
    article = ArticleFactory(title="Dehnen am Morgen", slug="morgenroutine")
    article.title = "Dehnen am frühen Morgen"
    article.save()
    article.refresh_from_db()

    assert article.slug == "morgenroutine"


def test_a_title_without_letters_still_gets_a_slug():
    assert ArticleFactory(title="???").slug == "artikel"


def test_a_very_long_title_gives_a_slug_that_fits_the_column_even_with_a_number():
    title = ("Bewegung " * 22).strip()
    first = ArticleFactory(title=title)
    second = ArticleFactory(title=title)

    assert len(first.slug) <= 200 and len(second.slug) <= 200
    assert second.slug.endswith("-2")


def test_german_slugify_keeps_plain_ascii_words():
    assert german_slugify("Hüfte & Knie: 5 Übungen") == "huefte-knie-5-uebungen"


def test_reading_time_counts_two_hundred_words_a_minute_and_at_least_one():
    assert reading_minutes("") == 1
    assert reading_minutes("<p>" + "Wort " * 200 + "</p>") == 1
    assert reading_minutes("<p>" + "Wort " * 201 + "</p>") == 2
    assert reading_minutes("<h2>Titel</h2><p>" + "Wort " * 1000 + "</p>") == 6


def test_saving_stores_the_reading_time():
    article = ArticleFactory(body="<p>" + "Faszie " * 650 + "</p>")

    assert Article.objects.get(pk=article.pk).reading_time == 4


def test_the_body_is_sanitised_when_saved():
    article = ArticleFactory(
        body='<p onclick="steal()">Hallo</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">Link</a>'
    )
    article.refresh_from_db()

    assert "<script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "Hallo" in article.body


def test_a_cover_image_needs_an_alt_text():
    article = ArticleFactory.build(
        cover_image=SimpleUploadedFile("bild.jpg", b"x"), cover_alt="  ", slug="bild"
    )

    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["author", "category"])

    assert "cover_alt" in error.value.message_dict


def test_an_article_without_cover_image_needs_no_alt_text():
    article = ArticleFactory.build(slug="ohne-bild")

    article.full_clean(exclude=["author", "category"])


def test_the_description_prefers_the_meta_description_then_the_teaser_then_the_text():
    assert ArticleFactory(meta_description="Meta", teaser="Anreißer").description == "Meta"
    assert ArticleFactory(teaser="Anreißer").description == "Anreißer"
    plain = ArticleFactory(teaser="", body="<p>Nur   <b>Text</b></p>")
    assert plain.description == "Nur Text"
    assert len(ArticleFactory(teaser="Lang " * 100).description) <= 160


def test_a_script_with_only_the_contract_fields_can_create_an_article():
    article = Article.objects.create(
        title="Nur das Nötigste",
        author=UserFactory(),
        status="published",
        published_at=timezone.now(),
        body="<p>Text</p>",
    )

    assert article.slug == "nur-das-noetigste"
    assert list(Article.objects.published()) == [article]
