"""Deleting an article removes its cover image and the sizes made from it."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.blog.factories import ArticleFactory
from tests.blog.images import image_file

pytestmark = pytest.mark.django_db(transaction=True)


def test_deleting_an_article_removes_its_cover_and_renditions(media_storage):
    article = ArticleFactory(cover_alt="Eine Faszienrolle")
    article.cover_image.save("rolle.jpg", ContentFile(image_file().read()))
    article.refresh_from_db()
    files = [article.cover_image.name] + [
        name for kind in ("jpeg", "webp") for _width, name in article.cover_renditions[kind]
    ]
    assert all(default_storage.exists(name) for name in files)
    article.delete()
    assert not any(default_storage.exists(name) for name in files)


def test_deleting_articles_in_bulk_removes_their_files_too(media_storage):
    article = ArticleFactory(cover_alt="Wellen")
    article.cover_image.save("wellen.jpg", ContentFile(image_file().read()))
    name = article.cover_image.name
    type(article).objects.filter(pk=article.pk).delete()
    assert not default_storage.exists(name)
