from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _comment_change_shows(comment, *, created, update_fields) -> bool:
    # A new comment waiting for moderation (or caught as spam) changes no public page.
    return not created or comment.is_approved


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from comments import services
        from comments.models import Comment
        from core import privacy
        from core.invalidation import watch

        watch(Comment, changes_pages=_comment_change_shows)
        privacy.register(
            privacy.PersonalData(
                export_key="comments",
                export=services.comments_for_email,
                erase_key="comments_erased",
                erase=services.comments_erase_for_email,
                title=_("Comments and reply notices"),
                erase_note=services.comments_erase_note,
                erased=services.comments_erased_text,
                unsubscribe=services.notices_unsubscribe_for_email,
            )
        )
