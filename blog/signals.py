"""Side effects of blog changes that the models should not carry themselves."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from blog import images
from blog.models import Article


@receiver(post_delete, sender=Article, dispatch_uid="blog-article-files")
def article_files_delete(sender, instance, **kwargs):
    """Remove a deleted article's cover and the sizes of its images, once deleted for good."""
    renditions = dict(instance.cover_renditions or {})
    body_renditions = list((instance.body_renditions or {}).values())
    cover = instance.cover_image.name or ""

    def delete_files():
        images.delete_renditions(renditions)
        # The uploaded originals of the text stay: another article may show them too.
        for meta in body_renditions:
            images.delete_renditions(meta)
        if cover and not Article.objects.filter(cover_image=cover).exists():
            instance.cover_image.storage.delete(cover)

    transaction.on_commit(delete_files)
