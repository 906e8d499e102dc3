"""What one visitor's browser session may see and do with comments.

Used by the POST view and by the template tags that render the comment section, so it lives in
neither.
"""

from comments.models import Comment

SESSION_KEY = "comments_own_pending"
SESSION_KEEP = 50


def can_write_as_author(user) -> bool:
    """A logged-in moderator writes as the author: approved at once, marked as hers."""
    if user is None or not user.is_authenticated or not user.is_staff:
        return False
    return user.has_perm("comments.change_comment")


def remember_own_pending(request, comment: Comment) -> None:
    """Let the sender see her pending comment in this browser session, as WordPress does."""
    own = [*own_pending_ids(request), comment.pk]
    request.session[SESSION_KEY] = own[-SESSION_KEEP:]


def own_pending_ids(request) -> list[int]:
    """The ids of the pending comments this session sent (the session may hold anything)."""
    session = getattr(request, "session", None)
    if session is None:
        return []
    return [pk for pk in session.get(SESSION_KEY, []) if isinstance(pk, int)]
