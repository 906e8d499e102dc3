"""What the WordPress import remembers: which row came from which WordPress ID, which file from
which upload.

The mapping lives here rather than in a `wordpress_id` field on articles, comments and pages:
blog, comments and the pages stay free of an import they do not need to know about, a second
WordPress site can be moved in next to the first (the key is the old site's address plus the
ID), and a row deleted by the author is recognised as deleted instead of being made again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    """A row made from one item of a WordPress export, found again by its WordPress ID."""

    class Kind(models.TextChoices):
        AUTHOR = "author", _("author")
        CATEGORY = "category", _("category")
        TAG = "tag", _("tag")
        ARTICLE = "article", _("article")
        PAGE = "page", _("page")
        COMMENT = "comment", _("comment")

    site = models.CharField(_("WordPress site"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    wp_id = models.PositiveBigIntegerField(_("WordPress ID"))
    object_id = models.PositiveBigIntegerField(_("ID here"))
    # A digest of what the export said about the item: the same digest on a second run means
    # nothing changed in WordPress, so the row (and whatever the author changed here) stays.
    checksum = models.CharField(_("checksum"), max_length=64, blank=True)
    # What a later run needs to know about the first (the featured image's ID, for example).
    details = models.JSONField(_("details"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("imported WordPress item")
        verbose_name_plural = _("imported WordPress items")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "wp_id"], name="wordpress_item_unique_wp_id"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.wp_id} → {self.object_id}"


class ImportedFile(models.Model):
    """A file of the old site's wp-content/uploads folder and where it is stored now."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        DOCUMENT = "document", _("document")

    site = models.CharField(_("WordPress site"), max_length=200)
    # Relative to wp-content/uploads, e.g. "2018/01/faszienrolle.jpg".
    path = models.CharField(_("path in wp-content/uploads"), max_length=400)
    stored_name = models.CharField(_("stored as"), max_length=400)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("imported WordPress file")
        verbose_name_plural = _("imported WordPress files")
        constraints = [
            models.UniqueConstraint(fields=["site", "path"], name="wordpress_file_unique_path"),
        ]

    def __str__(self):
        return f"{self.path} → {self.stored_name}"
