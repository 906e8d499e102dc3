"""Forms that only validate: the reader's comment form, the author's reply form, the admin reply.

The reader's form carries two anti-spam fields of our own (core/antispam.py's SpamCheckedForm):
a honeypot that people never see and a signed render-time token `ts`, which the page cache renews
on every hit. The token is bound to the article's page and good for one accepted comment (the
service spends it when it stores the comment).
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from comments.models import Comment
from core.antispam import HONEYPOT_FIELD as HONEYPOT_FIELD  # the comment tags read it here
from core.antispam import SpamCheckedForm
from core.fields import PlainTextField, VisitorEmailField, VisitorNameField

MAX_BODY_LENGTH = 5000
FIELD_ID = "kommentar-feld-%s"


# What the page cache and the kept comment section fill per visitor (core/pagecache.py): the
# render-time token; and the reply target, as the page shows it (an unknown one is not sent again).
TOKEN_INPUT = HTML('<input type="hidden" name="ts" value="{{ form_token }}">')
PARENT_INPUT = HTML(
    '<input type="hidden" name="parent" value="{% if reply_to %}{{ reply_to.pk }}{% endif %}"'
    " data-parent-input>"
)


class CommentForm(SpamCheckedForm):
    """A reader's comment on one article, checked for everything short of moderation."""

    spam_messages = {
        "honeypot": _(
            "Your comment could not be accepted: a hidden field that must stay empty "
            "was filled in. If your browser fills in forms automatically, please send "
            "the form again without that."
        ),
        "token_invalid": _("The form could not be checked. Please send your comment again."),
        "token_expired": _(
            "The form was open for more than two hours. Your text is still here: "
            "please send it again."
        ),
        "token_too_fast": _("That was very quick. Please check your comment and send it again."),
        "token_other_page": _(
            "This form was opened on another article. Your text is still here: "
            "please send it again."
        ),
    }

    name = VisitorNameField()
    email = VisitorEmailField(help_text=_("Will not be published."))
    url = forms.URLField(
        label=_("Website"),
        max_length=200,
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": _("Please enter a valid web address, such as https://example.de."),
        },
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    body = PlainTextField(
        label=_("Comment"),
        max_length=MAX_BODY_LENGTH,
        error_messages={
            "required": _("Please write a comment."),
            "max_length": ngettext_lazy(
                "Your comment may have at most %(limit_value)d character "
                "(it has %(show_value)d). Please shorten it.",
                "Your comment may have at most %(limit_value)d characters "
                "(it has %(show_value)d). Please shorten it.",
                "limit_value",
            ),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    parent = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        # The bounds keep absurd numbers away from the database (SQLite cannot even compare them).
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            key: _("The comment you wanted to reply to does not exist.")
            for key in ("invalid", "min_value", "max_value")
        },
    )
    notify_replies = forms.BooleanField(
        label=_("Notify me about replies"),
        required=False,
        help_text=_(
            "You will first get an e-mail to confirm your address; every notice has a link "
            "to stop them."
        ),
    )

    @property
    def helper(self) -> FormHelper:
        """The crispy layout: the <form> element, its note and button are in the template.

        No autofocus on a field with an error: the answer's address ends in #kommentar-formular,
        which makes browsers skip autofocus; comments.js moves the focus there instead.
        """
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True  # the template's <form> has the token
        helper.layout = Layout(
            PARENT_INPUT,
            Div(
                Div("name", css_class="col-md-6"),
                Div("email", css_class="col-md-6"),
                css_class="row gx-3",
            ),
            "url",
            "body",
            Div("leer_lassen", css_class="comment-hp", aria_hidden="true"),
            TOKEN_INPUT,
            "notify_replies",
        )
        return helper

    def __init__(self, *args, article, now: float | None = None, **kwargs):
        self.article = article
        # The sidebar's signup forms have an `email` field too; keep the ids apart.
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, now=now, **kwargs)

    def token_scope(self) -> str:
        return self.article.get_absolute_url()

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("Please write a comment."), code="required")
        return body

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = Comment.objects.filter(pk=parent_id).only("id", "article_id", "status").first()
        if parent is None:
            raise forms.ValidationError(
                _("The comment you wanted to reply to does not exist."), code="parent_missing"
            )
        if parent.article_id != self.article.pk:
            raise forms.ValidationError(
                _("The comment you wanted to reply to belongs to another article."),
                code="parent_other_article",
            )
        if not parent.is_approved:
            raise forms.ValidationError(
                _("The comment you wanted to reply to has not been approved."),
                code="parent_not_approved",
            )
        return parent

    def clean(self):
        if not self.article.comments_open:
            raise forms.ValidationError(
                _("Comments on this article are closed."), code="comments_closed"
            )
        return super().clean()  # then the honeypot and the render-time token


class AuthorCommentForm(forms.Form):
    """The logged-in author writing on the public page: only text and, for a reply, the parent."""

    body = CommentForm.base_fields["body"]
    parent = CommentForm.base_fields["parent"]

    def __init__(self, *args, article, **kwargs):
        self.article = article
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, **kwargs)

    clean_body = CommentForm.clean_body
    clean_parent = CommentForm.clean_parent

    @property
    def helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True  # the template's <form> has the token
        helper.layout = Layout(PARENT_INPUT, "body")
        return helper

    def token_for_render(self) -> str:
        return ""


class AdminReplyForm(forms.Form):
    """The author's answer on the admin's reply page."""

    body = PlainTextField(
        label=_("Your reply"),
        max_length=MAX_BODY_LENGTH,
        error_messages={
            "required": _("Please write your reply."),
            "max_length": CommentForm.base_fields["body"].error_messages["max_length"],
        },
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80, "autofocus": True}),
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("Please write your reply."), code="required")
        return body


class CommentAdminForm(forms.ModelForm):
    """The admin change form, with the author's `reply` field."""

    reply = forms.CharField(
        label=_("Your reply"),
        required=False,
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_(
            "Saving with text here publishes your reply under this comment and approves the "
            "comment if it is still pending."
        ),
    )

    url = forms.URLField(label=_("Website"), max_length=200, required=False, assume_scheme="https")

    class Meta:
        model = Comment
        fields = ["status", "name", "email", "url", "body", "notify_replies", "moderation_note"]

    def clean(self):
        cleaned = super().clean()
        reply = (cleaned.get("reply") or "").strip()
        status = cleaned.get("status")
        if reply and status in (Comment.Status.SPAM, Comment.Status.TRASH):
            raise forms.ValidationError(
                _(
                    "A comment marked as spam or in the trash cannot get a reply. "
                    "Approve it first (or set the status to pending)."
                )
            )
        return cleaned
