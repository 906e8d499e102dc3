"""The author's role: the group `Autorin` with exactly the permissions of her everyday work.

Migration 0004_group_autorin created it. After every `migrate` (and after the test runner's
flush) `ensure_author_group()` makes sure it exists and holds all of AUTHOR_PERMISSIONS; it never
takes a permission away that an operator granted by hand. A new app whose rows the author works
with adds its permissions here.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

AUTHOR_GROUP = "Autorin"
_ALL = ("add", "change", "delete", "view")

# {(app label, model): actions}. No adding of comments (readers write them; she answers with a
# reply) or subscribers (consent comes from the double opt-in); deliveries only to look at.
AUTHOR_PERMISSIONS = {
    ("blog", "article"): _ALL,
    ("blog", "category"): _ALL,
    ("blog", "tag"): _ALL,
    # Her author box (portrait, short bio); she sees and edits only her own (blog/admin.py).
    ("blog", "authorprofile"): ("add", "change", "view"),
    ("feelmove", "page"): _ALL,
    ("comments", "comment"): ("change", "delete", "view"),
    ("comments", "spamword"): _ALL,
    ("comments", "notificationaddress"): ("view",),
    # Her choice what erasing an address does to its comments (one row, never added by hand).
    ("comments", "commentsettings"): ("add", "change", "view"),
    ("newsletter", "subscriber"): ("change", "delete", "view"),
    ("newsletter", "guide"): _ALL,
    ("newsletter", "issue"): _ALL,
    ("newsletter", "delivery"): ("view",),
    # Consultation requests come from visitors: she answers, notes and closes them.
    ("contact", "consultationrequest"): ("change", "delete", "view"),
    ("contact", "topic"): _ALL,
    ("contact", "contactpage"): ("change", "view"),
    # E-mails that did not arrive: she sees them and may send them again.
    ("core", "outgoingemail"): ("change", "view"),
    # The addresses of the old WordPress site and where they lead now.
    ("redirects", "redirect"): _ALL,
}


def author_permission_names() -> set[str]:
    """The permissions as `app_label.codename`, as user.has_perm() names them."""
    return {
        f"{app_label}.{action}_{model}"
        for (app_label, model), actions in AUTHOR_PERMISSIONS.items()
        for action in actions
    }


def ensure_author_group(*, using: str = DEFAULT_DB_ALIAS, **_signal_arguments) -> None:
    """Create the group if it is missing and grant whatever of AUTHOR_PERMISSIONS it lacks."""
    from django.contrib.auth.models import Group, Permission

    labels = {app_label for app_label, _model in AUTHOR_PERMISSIONS}
    for label in labels:
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    group, _created = Group.objects.using(using).get_or_create(name=AUTHOR_GROUP)
    names = author_permission_names()
    candidates = Permission.objects.using(using).filter(
        content_type__app_label__in=labels,
        codename__in={name.partition(".")[2] for name in names},
    )
    granted = set(group.permissions.values_list("pk", flat=True))
    missing = [
        permission
        for permission in candidates.select_related("content_type")
        if f"{permission.content_type.app_label}.{permission.codename}" in names
        and permission.pk not in granted
    ]
    if missing:
        group.permissions.add(*missing)
