"""The author's admin for articles: list, filters, form, scheduling warnings, actions."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from tests.blog.factories import ArticleFactory, CategoryFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/blog/article/"
ADD = "/admin/blog/article/add/"
Comment = Article._meta.get_field("comments").related_model  # blog does not import comments


@pytest.fixture
def author():
    return UserFactory(username="jana", staff=True)


@pytest.fixture
def admin(client, author):
    client.force_login(author)
    return client


def add_comment(article, status):
    return Comment.objects.create(
        article=article, name="Leserin", email="l@example.org", body="Danke!", status=status
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_data(client, url, **overrides) -> dict:
    """The form as the browser would send it: every field's current value, plus `overrides`."""
    html = client.get(url).content.decode()
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = value
    data.pop("_selected_action", None)
    for name in ("title", "slug", "cover_alt", "cover_credit"):
        data.setdefault(name, "")
    data.update(
        {
            "teaser": "",
            "body": "",
            "meta_description": "",
            "status": "draft",
            "comments_open": "on",
            "category": "",
        }
    )
    author = re.search(r'<option value="(\d+)" selected>', html)
    if author:
        data["author"] = author.group(1)
    data.update(overrides)
    return data


def published_at_fields(value) -> dict:
    local = timezone.localtime(value)
    return {
        "published_at_0": local.strftime("%d.%m.%Y"),
        "published_at_1": local.strftime("%H:%M:%S"),
    }


# -- the list -------------------------------------------------------------------------------------


def test_the_list_shows_status_date_category_and_approved_comment_count(admin):
    online = ArticleFactory(title="Rücken im Büro", category=CategoryFactory(name="Rücken"))
    for status in ("approved", "approved", "pending", "spam"):
        add_comment(online, status)
    ArticleFactory(title="Kommt bald", scheduled=True)
    ArticleFactory(title="Noch geheim", draft=True)

    response = admin.get(CHANGELIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rücken im Büro" in html and "Kommt bald" in html and "Noch geheim" in html
    assert "blog-badge--public" in html and "blog-badge--scheduled" in html
    assert "blog-badge--draft" in html
    assert ">geplant<" in html
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Rücken im Büro(?:(?!</tr>).)*</tr>", html, re.S)
    assert re.search(r'<td class="field-approved_comments">.*?</span>2</td>', row.group(0))
    assert "Rücken" in row.group(0)


def test_a_future_date_is_marked_as_scheduled_even_in_german(admin):
    ArticleFactory(title="Kommt bald", scheduled=True)
    html = admin.get(CHANGELIST).content.decode()
    assert "Geplant" in html
    assert "geplant" in html


def test_the_list_links_to_the_article_on_the_site_with_a_preview_for_drafts(admin):
    draft = ArticleFactory(draft=True)
    html = admin.get(CHANGELIST).content.decode()
    assert f'href="{draft.get_absolute_url()}" target="_blank" rel="noopener">Vorschau<' in html


@pytest.mark.parametrize("articles", [3, 20])
def test_the_list_runs_the_same_queries_for_3_and_20_articles(
    admin, articles, django_assert_num_queries
):
    tags = TagFactory.create_batch(3)
    for _ in range(articles):
        article = ArticleFactory(tags=tags)
        add_comment(article, "approved")
    # Guards the N+1 of the comment count and the category column: both come with the rows.
    # session, user, category and tag filter options, count, full count, rows, 2 date hierarchy
    with django_assert_num_queries(9):
        assert admin.get(CHANGELIST).status_code == 200


def test_the_status_filter_separates_online_scheduled_and_draft(admin):
    ArticleFactory(title="Schon online")
    ArticleFactory(title="Kommt bald", scheduled=True)
    ArticleFactory(title="Noch geheim", draft=True)

    def titles(state):
        html = admin.get(CHANGELIST, {"state": state}).content.decode()
        return {t for t in ("Schon online", "Kommt bald", "Noch geheim") if t in html}

    assert titles("public") == {"Schon online"}
    assert titles("scheduled") == {"Kommt bald"}
    assert titles("draft") == {"Noch geheim"}


def test_the_list_filters_by_category_and_tag_and_searches_the_text(admin):
    category = CategoryFactory(name="Faszien")
    tag = TagFactory(name="Faszienrolle")
    ArticleFactory(title="Rollen lernen", category=category, tags=[tag])
    ArticleFactory(title="Anderes Thema", body="<p>Über den Nacken und das Kissen.</p>")

    html = admin.get(CHANGELIST, {"category__id__exact": category.pk}).content.decode()
    assert "Rollen lernen" in html and "Anderes Thema" not in html
    html = admin.get(CHANGELIST, {"tags__id__exact": tag.pk}).content.decode()
    assert "Rollen lernen" in html and "Anderes Thema" not in html
    html = admin.get(CHANGELIST, {"q": "Kissen"}).content.decode()
    assert "Anderes Thema" in html and "Rollen lernen" not in html


# -- the form -------------------------------------------------------------------------------------


def test_the_add_form_has_the_editor_german_fieldsets_and_the_author_preselected(admin, author):
    html = admin.get(ADD).content.decode()
    assert 'class="django_ckeditor_5"' in html
    assert "django_ckeditor_5/dist/bundle.js" in html
    assert "blog/admin/editor-file-link.js" in html
    assert 'class="blog-file-link"' in html
    assert "blog/admin/german-slugs.js" in html
    assert "Veröffentlichung" in html and "Titelbild" in html
    assert f'<option value="{author.pk}" selected>' in html
    assert 'id="id_tags_from"' not in html  # filter_horizontal builds it in the browser
    assert "SelectFilter2.js" in html
    assert "data-prepopulated-fields" in html


def test_saving_an_article_sanitises_its_text_and_makes_a_slug(admin, author):
    data = form_data(
        admin,
        ADD,
        title="Faszien verstehen: Grundlagen für den Rücken",
        body='<h2>Los</h2><p onclick="alert(1)">Text</p><script>alert(2)</script>',
        status="draft",
    )
    response = admin.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.slug == "faszien-verstehen-grundlagen-fuer-den-ruecken"
    assert article.body == "<h2>Los</h2><p>Text</p>"
    assert article.author == author


def test_saving_a_published_article_with_a_future_date_warns_that_it_is_scheduled(admin):
    later = timezone.now() + timedelta(days=5)
    data = form_data(
        admin, ADD, title="Kommt bald", status="published", **published_at_fields(later)
    )
    response = admin.post(ADD, data, follow=True)
    article = Article.objects.get()
    assert article.is_scheduled
    warnings = [m for m in messages_of(response) if "Geplant" in m]
    assert len(warnings) == 1
    assert "Kommt bald" in warnings[0]
    assert timezone.localtime(later).strftime("%Y") in warnings[0]
    assert response.redirect_chain


def test_a_draft_with_a_future_date_gets_a_note_not_a_warning(admin):
    later = timezone.now() + timedelta(days=5)
    data = form_data(admin, ADD, title="Später", status="draft", **published_at_fields(later))
    response = admin.post(ADD, data, follow=True)
    assert not any("Geplant" in m for m in messages_of(response))
    assert any("Entwurf" in m for m in messages_of(response))


def test_publishing_a_draft_without_touching_its_old_date_publishes_it_now(admin):
    draft = ArticleFactory(draft=True, published_at=timezone.now() - timedelta(days=30))
    url = reverse("admin:blog_article_change", args=[draft.pk])
    data = form_data(admin, url, title=draft.title, slug=draft.slug, status="published")
    before = timezone.now()
    response = admin.post(url, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.published_at >= before - timedelta(seconds=1)


def test_publishing_a_draft_with_a_date_set_by_hand_keeps_that_date(admin):
    draft = ArticleFactory(draft=True, published_at=timezone.now() - timedelta(days=30))
    chosen = (timezone.now() - timedelta(days=400)).replace(microsecond=0)
    url = reverse("admin:blog_article_change", args=[draft.pk])
    data = form_data(
        admin, url, title=draft.title, slug=draft.slug, status="published",
        **published_at_fields(chosen),
    )  # fmt: skip
    assert admin.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.published_at == chosen


def test_an_article_cannot_be_related_to_itself(admin):
    article = ArticleFactory()
    url = reverse("admin:blog_article_change", args=[article.pk])
    data = form_data(admin, url, title=article.title, slug=article.slug, related=[article.pk])
    response = admin.post(url, data)
    assert response.status_code == 200
    assert "nicht mit sich selbst" in response.content.decode()


def test_a_cover_image_without_alt_text_is_refused_with_what_was_typed_kept(admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.blog.test_uploads import png_bytes

    data = form_data(admin, ADD, title="Mit Bild", teaser="Mein Anreißer")
    data["cover_image"] = SimpleUploadedFile("titel.png", png_bytes(size=(800, 450)), "image/png")
    response = admin.post(ADD, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "errornote" in html
    assert "Mein Anreißer" in html
    assert not Article.objects.exists()


def test_the_change_page_of_a_draft_offers_a_preview_at_the_article_url(admin):
    draft = ArticleFactory(draft=True)
    html = admin.get(reverse("admin:blog_article_change", args=[draft.pk])).content.decode()
    assert "blog-state--draft" in html
    assert f'href="{draft.get_absolute_url()}" target="_blank" rel="noopener"' in html
    assert "Vorschau" in html
    assert admin.get(draft.get_absolute_url()).status_code == 200  # staff preview


def test_the_change_page_of_a_scheduled_article_says_from_when_readers_see_it(admin):
    article = ArticleFactory(scheduled=True)
    html = admin.get(reverse("admin:blog_article_change", args=[article.pk])).content.decode()
    assert "blog-state--scheduled" in html
    assert str(timezone.localtime(article.published_at).year) in html


def test_the_change_page_has_view_on_site(admin):
    article = ArticleFactory()
    html = admin.get(reverse("admin:blog_article_change", args=[article.pk])).content.decode()
    assert 'class="viewsitelink"' in html


# -- actions --------------------------------------------------------------------------------------


def test_the_publish_action_publishes_drafts_now_and_keeps_scheduled_dates(admin):
    old_draft = ArticleFactory(draft=True, published_at=timezone.now() - timedelta(days=10))
    future_draft = ArticleFactory(draft=True, scheduled=True)
    future_date = future_draft.published_at
    online = ArticleFactory()
    before = timezone.now()

    response = admin.post(
        CHANGELIST,
        {"action": "publish", "_selected_action": [old_draft.pk, future_draft.pk, online.pk]},
        follow=True,
    )
    old_draft.refresh_from_db()
    future_draft.refresh_from_db()
    assert old_draft.is_public and old_draft.published_at >= before - timedelta(seconds=1)
    assert future_draft.is_scheduled and future_draft.published_at == future_date
    text = " ".join(messages_of(response))
    assert "1 Artikel ist jetzt online" in text
    assert "geplant" in text
    assert "bereits veröffentlicht" in text


def test_the_unpublish_action_turns_articles_back_into_drafts(admin):
    articles = [ArticleFactory(), ArticleFactory(scheduled=True)]
    response = admin.post(
        CHANGELIST,
        {"action": "unpublish", "_selected_action": [a.pk for a in articles]},
        follow=True,
    )
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    assert any("2 Artikel sind wieder Entwürfe" in m for m in messages_of(response))


# -- categories and tags --------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["category", "tag"])
def test_categories_and_tags_have_prepopulated_slugs_and_article_counts(admin, model):
    category = CategoryFactory(name="Rücken")
    tag = TagFactory(name="Schreibtisch")
    ArticleFactory(category=category, tags=[tag])
    ArticleFactory(category=category, tags=[tag])

    html = admin.get(f"/admin/blog/{model}/").content.decode()
    assert '<td class="field-article_count">2</td>' in html
    add = admin.get(f"/admin/blog/{model}/add/").content.decode()
    assert "data-prepopulated-fields" in add
    assert "blog/admin/german-slugs.js" in add


def test_a_reader_cannot_open_the_article_admin(client):
    client.force_login(UserFactory())
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_saving_text_with_an_image_without_alt_text_asks_for_one(admin):
    body = (
        '<figure class="image"><img src="/media/uploads/2026/01/a.jpg" alt="Eine Rolle"></figure>'
        '<figure class="image"><img src="/media/uploads/2026/01/b.jpg"></figure>'
    )
    data = form_data(admin, ADD, title="Mit Bildern", body=body)
    response = admin.post(ADD, data, follow=True)
    warnings = [m for m in messages_of(response) if "Alternativtext" in m]
    assert warnings == [
        "1 Bild im Text hat keinen Alternativtext. Klicke im Editor auf das Bild und dann auf "
        "„Alternativtext ändern“, um es zu beschreiben."
    ]


def test_the_date_and_time_inputs_of_the_publication_date_have_names_of_their_own(admin):
    # Django's split widget shows "Datum:" and "Zeit:" as plain text; screen readers need labels.
    html = admin.get("/admin/blog/article/add/").content.decode()

    assert re.search(r'<input[^>]*name="published_at_0"[^>]*aria-label="Datum"', html)
    assert re.search(r'<input[^>]*name="published_at_1"[^>]*aria-label="Zeit"', html)
