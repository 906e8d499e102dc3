"""The group `Autorin`: exactly the permissions of the author's everyday work.

Articles, categories, tags and her pages; comments (no adding: readers write them, she answers
with the reply field), spam words, reply-notice addresses (to look at); subscribers (look at,
correct a first name, unsubscribe, erase), the guide and the issues; deliveries to look at.
Nothing of users, groups, sites, axes or background tasks.

The list is frozen here as it was; feelmove/roles.py holds the current one, which every
`migrate` applies (a new app adds its permissions there; see README, "For developers").
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Autorin"
ALL = ("add", "change", "delete", "view")

PERMISSIONS = {
    ("blog", "article"): ALL,
    ("blog", "category"): ALL,
    ("blog", "tag"): ALL,
    ("feelmove", "page"): ALL,
    ("comments", "comment"): ("change", "delete", "view"),
    ("comments", "spamword"): ALL,
    ("comments", "notificationaddress"): ("view",),
    ("newsletter", "subscriber"): ("change", "delete", "view"),
    ("newsletter", "guide"): ALL,
    ("newsletter", "issue"): ALL,
    ("newsletter", "delivery"): ("view",),
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); this one needs them now.
    for label in {app_label for app_label, _model in PERMISSIONS}:
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    wanted = []
    for (app_label, model), actions in PERMISSIONS.items():
        for action in actions:
            wanted.append(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                )
            )
    group.permissions.set(wanted)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("feelmove", "0003_delete_ratelimitcounter"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("blog", "0003_body_renditions"),
        ("comments", "0001_initial"),
        ("newsletter", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
