"""Articles, categories and tags."""

import math
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.fields import CKEditor5Field

from blog.sanitize import clean_html

WORDS_PER_MINUTE = 200
_TAG = re.compile(r"<[^>]*>")

# slugify() drops umlauts ("Rücken" -> "rucken"); German readers expect "ruecken".
_GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def german_slugify(text: str) -> str:
    """A URL slug that spells umlauts the German way."""
    return slugify(text.translate(_GERMAN_TRANSLITERATION))


def unique_slug(model, text: str, *, exclude_pk=None, max_length: int = 200) -> str:
    """A slug for `text` not yet used by `model`, with -2, -3 ... appended when taken."""
    base = german_slugify(text)[:max_length].strip("-") or "artikel"
    taken = model._default_manager.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    taken = set(taken.values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
    return slug


def reading_minutes(html: str) -> int:
    """Minutes a reader needs for `html` at 200 words a minute, at least one."""
    # Tags become spaces, so that "<h2>Titel</h2><p>Text" counts as two words.
    words = len(strip_tags(_TAG.sub(" ", html or "")).split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class Category(models.Model):
    """A topic area such as Rücken or Faszien; shown in the navigation."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:category", kwargs={"slug": self.slug})


class Tag(models.Model):
    """A keyword that links articles across categories."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"slug": self.slug})


def _scheduled(now) -> Q:
    return Q(status=Article.Status.PUBLISHED, published_at__gt=now)


def _draft() -> Q:
    return Q(status=Article.Status.DRAFT)


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """Articles a reader may see: published, and not scheduled for later."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def scheduled(self, *, now=None):
        """Published articles whose date has not come yet: readers see them from that date on."""
        return self.filter(_scheduled(now or timezone.now()))

    def drafts(self):
        """Articles the author has not published yet."""
        return self.filter(_draft())

    def in_the_works(self, *, now=None) -> dict[str, int]:
        """How many drafts and scheduled articles there are, in one query (the start page)."""
        return self.aggregate(
            drafts=Count("pk", filter=_draft()),
            scheduled=Count("pk", filter=_scheduled(now or timezone.now())),
        )

    def year_counts(self) -> list[dict]:
        """[{"year": 2026, "count": 7}, ...], newest year first, in one query (the archive list)."""
        return list(
            self.annotate(year=ExtractYear("published_at"))
            .values("year")
            .annotate(count=Count("pk"))
            .order_by("-year")
        )

    def visible_to(self, user):
        """What `user` may open: staff also see drafts and scheduled articles (as a preview)."""
        if user is not None and user.is_active and user.is_staff:
            return self.all()
        return self.published()

    def for_lists(self):
        """Everything a list card shows, in one query: no body text, category joined."""
        return self.select_related("category").defer("body", "body_renditions", "meta_description")

    def related_to(self, article, *, limit: int = 3):
        """Published articles to read next: hand-picked first, then by shared tags and category.

        One query whatever the number of tags: the hand-picked flag and the count of shared tags
        are subqueries, so nothing is looked up in Python first.
        """
        through = Article.tags.through
        own_tags = through.objects.filter(article_id=article.pk).values("tag_id")
        shared_tags = (
            through.objects.filter(article_id=OuterRef("pk"), tag_id__in=own_tags)
            .order_by()
            .values("article_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        hand_picked = Article.related.through.objects.filter(
            from_article_id=article.pk, to_article_id=OuterRef("pk")
        )
        matches = Q(picked=True) | Q(shared__gt=0)
        if article.category_id:
            matches |= Q(category_id=article.category_id)
        return (
            self.published()
            .exclude(pk=article.pk)
            .annotate(
                picked=Exists(hand_picked),
                shared=Coalesce(Subquery(shared_tags), Value(0)),
            )
            .filter(matches)
            .for_lists()
            .order_by("-picked", "-shared", "-published_at", "-id")[:limit]
        )


class Article(models.Model):
    """One blog article."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("The last part of the address. Left empty, it is made from the title."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("A date in the future schedules the article: readers see it from then on."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    teaser = models.TextField(_("teaser"), blank=True)
    body = CKEditor5Field(_("text"), blank=True, config_name="default")
    cover_image = models.ImageField(_("cover image"), upload_to="covers/", blank=True)
    cover_alt = models.CharField(
        _("alt text of the cover image"),
        max_length=250,
        blank=True,
        help_text=_("Describe what the image shows for readers who cannot see it."),
    )
    cover_credit = models.CharField(
        _("image credit"),
        max_length=250,
        blank=True,
        help_text=_("For example: Photo: Anna Muster, CC BY 3.0"),
    )
    # Sizes of the cover image made by blog.images, so pages need no file access to show them.
    cover_renditions = models.JSONField(
        _("cover image sizes"), default=dict, blank=True, editable=False
    )
    # Sizes of the images in the text ({src: metadata as above}), made when the article is saved.
    body_renditions = models.JSONField(
        _("sizes of the images in the text"), default=dict, blank=True, editable=False
    )
    reading_time = models.PositiveSmallIntegerField(
        _("reading time in minutes"), default=1, editable=False
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    related = models.ManyToManyField(
        "self", verbose_name=_("related articles"), blank=True, symmetrical=False
    )
    meta_description = models.CharField(
        _("meta description"),
        max_length=300,
        blank=True,
        help_text=_("Shown by search engines. Left empty, the teaser is used."),
    )
    comments_open = models.BooleanField(_("comments open"), default=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"], name="article_pub_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.title, exclude_pk=self.pk)
        self.body = clean_html(self.body or "")
        self.reading_time = reading_minutes(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "slug", "body", "reading_time"}
        super().save(*args, **kwargs)
        self._refresh_cover_renditions()
        self._refresh_body_renditions()

    def get_absolute_url(self):
        return reverse("blog:article_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.cover_image and not self.cover_alt.strip():
            raise ValidationError(
                {"cover_alt": _("Please describe the cover image for readers who cannot see it.")}
            )

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()

    @property
    def description(self) -> str:
        """The text for meta description and feeds: the author's own, else teaser, else body."""
        text = self.meta_description or self.teaser
        if not text and "body" not in self.get_deferred_fields():
            text = strip_tags(self.body)
        return Truncator(" ".join(text.split())).chars(160)

    def _refresh_cover_renditions(self):
        """Make the cover image's sizes when the image changed (or drop them when it is gone)."""
        from blog import images

        source = self.cover_image.name or ""
        if self.cover_renditions.get("source", "") == source:
            return
        old = self.cover_renditions
        self.cover_renditions = images.build_renditions(self.cover_image) if source else {}
        Article.objects.filter(pk=self.pk).update(cover_renditions=self.cover_renditions)
        images.delete_renditions(old)

    def _refresh_body_renditions(self):
        """Make sizes for images new to the text; drop those of images no longer in it."""
        from blog import images

        old = self.body_renditions or {}
        renditions = images.refresh_body_renditions(self.body, old)
        if renditions != old:
            self.body_renditions = renditions
            Article.objects.filter(pk=self.pk).update(body_renditions=renditions)

    @property
    def cover_picture(self):
        """The cover image's sizes for templates (see blog.images.Picture), or None."""
        from blog import images

        return images.Picture.from_renditions(self.cover_renditions)


# Portraits are shown small (about 96 px wide, twice that on sharp screens).
PORTRAIT_WIDTHS = (160, 320)


class AuthorProfile(models.Model):
    """What readers learn about an author under her articles: a portrait and a short bio."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="author_profile",
    )
    bio = models.TextField(
        _("short bio"),
        max_length=600,
        help_text=_(
            "Two or three sentences under each of your articles: who you are, what you do."
        ),
    )
    portrait = models.ImageField(_("portrait"), upload_to="portraits/", blank=True)
    portrait_renditions = models.JSONField(
        _("portrait sizes"), default=dict, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("author box")
        verbose_name_plural = _("author boxes")

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._refresh_portrait_renditions()

    def _refresh_portrait_renditions(self):
        """Make the portrait's sizes when it changed (or drop them when it is gone)."""
        from blog import images

        source = self.portrait.name or ""
        if self.portrait_renditions.get("source", "") == source:
            return
        old = self.portrait_renditions
        self.portrait_renditions = (
            images.build_renditions(self.portrait, widths=PORTRAIT_WIDTHS) if source else {}
        )
        AuthorProfile.objects.filter(pk=self.pk).update(
            portrait_renditions=self.portrait_renditions
        )
        images.delete_renditions(old)

    @property
    def portrait_picture(self):
        """The portrait's sizes for templates (see blog.images.Picture), or None."""
        from blog import images

        return images.Picture.from_renditions(self.portrait_renditions)
