"""Admin forms of the blog: the article form with the editor and its PDF upload button."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from blog.models import Article, AuthorProfile
from blog.uploads import UploadRefused, clean_image_upload


class ArticleBodyWidget(CKEditor5Widget):
    """CKEditor 5 with our additions: a toolbar button that uploads a PDF and links it."""

    template_name = "blog/widgets/article_editor.html"

    class Media:
        css = {"all": ["blog/admin/editor.css"]}
        # Listing the editor's own scripts first makes Django's media merge keep our script
        # after them (it patches the German catalogue that translations/de.js defines).
        js = [*CKEditor5Widget.Media.js, "blog/admin/editor-file-link.js"]


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, each with a name of its own for screen readers."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = (context["date_label"], context["time_label"])
        for subwidget, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            subwidget["attrs"]["aria-label"] = str(label).rstrip(": ")
        return context


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "teaser",
            "body",
            "status",
            "published_at",
            "author",
            "comments_open",
            "cover_image",
            "cover_alt",
            "cover_credit",
            "category",
            "tags",
            "related",
            "meta_description",
        ]
        widgets = {
            "body": ArticleBodyWidget(config_name="default"),
            "teaser": forms.Textarea(attrs={"rows": 3}),
            "meta_description": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_cover_image(self):
        """Give a new cover the same checks as editor uploads: verified, upright, no EXIF/GPS."""
        cover = self.cleaned_data.get("cover_image")
        if not isinstance(cover, UploadedFile):
            return cover
        try:
            return clean_image_upload(cover)
        except UploadRefused as refusal:
            raise forms.ValidationError(refusal.message) from refusal

    def clean_related(self):
        related = self.cleaned_data.get("related")
        if (
            related is not None
            and self.instance.pk
            and related.filter(pk=self.instance.pk).exists()
        ):
            raise forms.ValidationError(_("An article cannot be related to itself."))
        return related


class AuthorProfileAdminForm(forms.ModelForm):
    """The author box: the portrait gets the same checks as a cover image."""

    class Meta:
        model = AuthorProfile
        fields = ["user", "bio", "portrait"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5, "class": "vLargeTextField"})}

    def clean_portrait(self):
        portrait = self.cleaned_data.get("portrait")
        if not isinstance(portrait, UploadedFile):
            return portrait
        try:
            return clean_image_upload(portrait)
        except UploadRefused as refusal:
            raise forms.ValidationError(refusal.message) from refusal
