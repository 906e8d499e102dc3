from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _author_change_shows(user, *, created, update_fields) -> bool:
    # Articles show their author's name; a new account or a login (last_login) changes no page.
    if created:
        return False
    return update_fields is None or not set(update_fields) <= {"last_login"}


def _upcoming_publications():
    from blog.models import Article

    return (
        Article.objects.scheduled().order_by("published_at").values_list("published_at", flat=True)
    )


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")

    def ready(self):
        from django.contrib.auth import get_user_model

        from blog import signals  # noqa: F401  (connects the receivers)
        from blog.models import Article, AuthorProfile, Category, Tag
        from core.invalidation import watch

        watch(Article, schedule=_upcoming_publications)
        watch(Category)
        watch(Tag)
        watch(AuthorProfile)  # the author box under each article
        watch(get_user_model(), changes_pages=_author_change_shows)
