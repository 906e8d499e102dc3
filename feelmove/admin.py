from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage
from django_ckeditor_5.widgets import CKEditor5Widget


class PageForm(FlatpageForm):
    class Meta(FlatpageForm.Meta):
        widgets = {"content": CKEditor5Widget(config_name="default")}


class PageAdmin(FlatPageAdmin):
    """Über mich, Ressourcen, Impressum, Datenschutz: edited with the same editor as articles."""

    form = PageForm
    list_display = ("title", "url")


admin.site.unregister(FlatPage)
admin.site.register(FlatPage, PageAdmin)
