"""The four topics the form starts with and the page's first texts (the author edits them)."""

from django.db import migrations


def create(apps, schema_editor):
    from contact.models import DEFAULT_TOPICS as TOPICS
    from contact.models import default_texts

    Topic = apps.get_model("contact", "Topic")
    ContactPage = apps.get_model("contact", "ContactPage")
    for position, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"position": position * 10})
    if not ContactPage.objects.exists():
        ContactPage.objects.create(**default_texts())


def remove(apps, schema_editor):
    from contact.models import DEFAULT_TOPICS as TOPICS

    apps.get_model("contact", "Topic").objects.filter(name__in=TOPICS).delete()
    apps.get_model("contact", "ContactPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("contact", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
