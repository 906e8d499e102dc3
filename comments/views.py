"""Comment views: the POST of the comment form, the author's e-mail links, reply-notice links.

The POST view is the blog's article page in another role: on bad input it renders exactly that page
again (the blog's own view and template), with the errors and everything typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from blog.views import ArticleDetailView
from comments import services, tokens
from comments.forms import AuthorCommentForm, CommentForm
from comments.models import Comment
from comments.threads import comment_url
from comments.visitor import can_write_as_author, own_pending_ids, remember_own_pending
from core.ratelimit import client_ip
from core.signing import LinkInvalid


class CommentPostView(ArticleDetailView):
    """POST /blog/<slug>/kommentieren/: validate, call one service, redirect (or show errors)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = article = self.get_object()
        if can_write_as_author(request.user):
            form = AuthorCommentForm(request.POST, article=article)
        else:
            form = CommentForm(request.POST, article=article)
        if form.is_valid():
            try:
                comment = self.submit(form)
            except services.CommentRejected as rejected:
                form.add_error(None, rejected.message)
            else:
                return self.success(comment)
        context = self.get_context_data(object=article, comment_form=form)
        return self.render_to_response(context, status=400)

    def submit(self, form) -> Comment:
        data = form.cleaned_data
        article, user = self.object, self.request.user
        if isinstance(form, AuthorCommentForm):
            if data["parent"] is not None:
                return services.comment_reply(parent=data["parent"], author=user, body=data["body"])
            return services.author_comment_create(article=article, author=user, body=data["body"])
        return services.comment_submit(
            article=article,
            name=data["name"],
            email=data["email"],
            url=data["url"],
            body=data["body"],
            parent=data["parent"],
            ip=client_ip(self.request),
            user_agent=self.request.META.get("HTTP_USER_AGENT", ""),
            notify_replies=data["notify_replies"],
            user=user,
            form_token=data["ts"],
        )

    def success(self, comment: Comment):
        request = self.request
        if comment.is_approved:
            messages.success(request, _("Thank you, your comment is published."))
        else:
            # Spam gets the same answer: a spammer learns nothing from it.
            messages.success(
                request,
                _(
                    "Thank you for your comment! It will appear once I have approved it. "
                    "Until then only you can see it, in this browser."
                ),
            )
        if comment.status == Comment.Status.PENDING:
            remember_own_pending(request, comment)
        article_url = self.object.get_absolute_url()
        if comment.status not in (Comment.Status.APPROVED, Comment.Status.PENDING):
            return HttpResponseRedirect(f"{article_url}#kommentare")
        # The comment page her comment is on, counting her own pending threads as she sees them.
        return HttpResponseRedirect(comment_url(comment, own_pending_ids=own_pending_ids(request)))


def _is_moderator(user) -> bool:
    return user.is_active and user.is_staff


moderator_required = user_passes_test(_is_moderator, login_url="admin:login")


@method_decorator(moderator_required, name="dispatch")
class ModerateView(View):
    """A signed link from the author's e-mail: a confirmation page on GET, the action on POST."""

    template_name = "comments/moderate.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("comments.change_comment"):
            raise PermissionDenied
        try:
            comment_id, self.action = tokens.moderation_from_token(kwargs["token"])
        except LinkInvalid:
            return render(request, "comments/link_invalid.html", status=400)
        self.comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        return render(request, self.template_name, self.context(token))

    def post(self, request, token):
        changed = services.comment_moderate(
            comment=self.comment, action=self.action, by=request.user
        )
        return render(request, self.template_name, self.context(token, done=True, changed=changed))

    def context(self, token, **extra):
        # A link used before (from this mail or in the admin) offers no button that does nothing.
        already = self.comment.status == services.MODERATION_RESULT[self.action]
        return {
            "comment": self.comment,
            "action": self.action,
            "token": token,
            "already": already,
            **extra,
        }


class AddressLinkView(View):
    """A signed link about one e-mail address: a button on GET (mail scanners follow links), the
    action on POST."""

    template_name: str

    def dispatch(self, request, *args, **kwargs):
        try:
            self.email = self.email_from_token(kwargs["token"])
        except LinkInvalid:
            return render(request, "comments/link_invalid.html", status=400)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        return render(request, self.template_name, {"token": token})

    def post(self, request, token):
        return render(request, self.template_name, {"token": token, "done": True, **self.act()})

    def email_from_token(self, token: str) -> str:
        raise NotImplementedError

    def act(self) -> dict:
        raise NotImplementedError


class NoticeConfirmView(AddressLinkView):
    """The double opt-in link for reply notices."""

    template_name = "comments/notify_confirm.html"
    email_from_token = staticmethod(tokens.email_from_notice_confirm_token)

    def act(self) -> dict:
        return {"found": bool(services.notice_address_confirm(email=self.email))}


@method_decorator(csrf_exempt, name="dispatch")  # RFC 8058 one-click: the mail client POSTs
class NoticeUnsubscribeView(AddressLinkView):
    """Stop reply notices (also as one-click from the mail)."""

    template_name = "comments/notify_unsubscribe.html"
    email_from_token = staticmethod(tokens.email_from_notice_unsubscribe_token)

    def act(self) -> dict:
        services.notice_address_unsubscribe(email=self.email)
        return {}
