from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage

from blog.forms import ArticleBodyWidget
from blog.sanitize import clean_html
from feelmove.models import Page


class PageForm(FlatpageForm):
    class Meta(FlatpageForm.Meta):
        model = Page
        widgets = {"content": ArticleBodyWidget(config_name="default")}

    def clean_content(self):
        # The same rules as article HTML: what the editor makes, and nothing that runs.
        return clean_html(self.cleaned_data["content"])


class PageAdmin(FlatPageAdmin):
    """Über mich, Ressourcen, Impressum, Datenschutz: edited with the same editor as articles."""

    form = PageForm
    list_display = ("title", "url")


admin.site.unregister(FlatPage)
admin.site.register(Page, PageAdmin)
