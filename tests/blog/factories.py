"""Factories for blog test data; other apps' tests import these too."""

from datetime import timedelta
from functools import cache

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from blog.models import Article, Category, Tag

PASSWORD = "correct horse battery staple"


@cache
def _password_hash() -> str:
    # Hashed once per test run: PBKDF2 per user would cost half a second each time.
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    """A regular user; `UserFactory(staff=True)` for an admin author. Password: PASSWORD."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Jana"
    last_name = "Berger"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.LazyFunction(_password_hash)

    class Params:
        staff = factory.Trait(is_staff=True, is_superuser=True)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kategorie {n}")
    slug = factory.LazyAttribute(lambda category: slugify(category.name))
    description = "Artikel zu diesem Thema."


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Schlagwort {n}")
    slug = factory.LazyAttribute(lambda tag: slugify(tag.name))
    description = ""


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article from a day ago; traits `draft=True` and `scheduled=True`.

    Pass `tags=[...]` or `related=[...]` to set the many-to-many fields.
    """

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Artikel über Bewegung {n}")
    # One author for all articles: hashing a password per article would make tests slow.
    author = factory.SubFactory(UserFactory, username="jana", staff=True)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    teaser = "Ein kurzer Anreißer, der neugierig auf den Text macht."
    body = factory.LazyAttribute(
        lambda article: (
            f"<h2>Worum es geht</h2><p>{article.title}: ein Text über Rücken, "
            "Faszien und Bewegung im Alltag.</p>"
        )
    )
    category = factory.SubFactory(CategoryFactory)
    meta_description = ""

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
        )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def related(self, create, extracted, **kwargs):
        if create and extracted:
            self.related.set(extracted)
