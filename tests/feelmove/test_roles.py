"""The group Autorin: exactly the permissions of the author's work, and only her sections."""

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db

HER_PERMISSIONS = {
    *(f"blog.{action}_{model}" for model in ("article", "category", "tag")
      for action in ("add", "change", "delete", "view")),
    # Her author box: no deleting (one box each, blog/admin.py).
    "blog.add_authorprofile", "blog.change_authorprofile", "blog.view_authorprofile",
    *(f"feelmove.{action}_page" for action in ("add", "change", "delete", "view")),
    "comments.change_comment", "comments.delete_comment", "comments.view_comment",
    *(f"comments.{action}_spamword" for action in ("add", "change", "delete", "view")),
    "comments.view_notificationaddress",
    *(f"comments.{action}_commentsettings" for action in ("add", "change", "view")),
    "newsletter.change_subscriber", "newsletter.delete_subscriber", "newsletter.view_subscriber",
    *(f"newsletter.{action}_{model}" for model in ("guide", "issue")
      for action in ("add", "change", "delete", "view")),
    "newsletter.view_delivery",
    "contact.change_consultationrequest", "contact.delete_consultationrequest",
    "contact.view_consultationrequest",
    *(f"contact.{action}_topic" for action in ("add", "change", "delete", "view")),
    "contact.change_contactpage", "contact.view_contactpage",
    "core.change_outgoingemail", "core.view_outgoingemail",
    *(f"redirects.{action}_redirect" for action in ("add", "change", "delete", "view")),
}  # fmt: skip

HER_SECTIONS = {
    "comments": ["Comment", "SpamWord", "NotificationAddress", "CommentSettings"],
    "contact": ["ConsultationRequest", "Topic", "ContactPage"],
    "blog": ["Article", "Category", "Tag", "AuthorProfile"],
    "newsletter": ["Issue", "Subscriber", "Guide"],
    "feelmove": ["Page"],
    "core": ["OutgoingEmail"],
    "redirects": ["Redirect"],
}

NOT_HERS = [
    "/admin/auth/user/",
    "/admin/auth/group/",
    "/admin/sites/site/",
    "/admin/axes/accessattempt/",
    "/admin/axes/accesslog/",
    "/admin/axes/accessfailurelog/",
    "/admin/django_tasks_database/dbtaskresult/",
    "/admin/auth/",
    "/admin/axes/",
    "/admin/django_tasks_database/",
]


def test_the_group_autorin_holds_exactly_the_permissions_of_her_work():
    group = Group.objects.get(name="Autorin")
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }
    assert granted == HER_PERMISSIONS


def test_the_list_of_her_permissions_is_the_one_the_migration_granted():
    from feelmove.roles import author_permission_names

    assert author_permission_names() == HER_PERMISSIONS


def test_migrate_brings_back_a_missing_group_and_missing_permissions_but_takes_none_away():
    from django.contrib.auth.models import Permission
    from django.core.management import call_command

    group = Group.objects.get(name="Autorin")
    group.permissions.remove(Permission.objects.get(codename="view_issue"))
    group.permissions.add(Permission.objects.get(codename="view_user"))  # an operator's choice
    call_command("migrate", verbosity=0)
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert granted == HER_PERMISSIONS | {"auth.view_user"}

    group.delete()
    call_command("migrate", verbosity=0)
    assert Group.objects.get(name="Autorin").permissions.count() == len(HER_PERMISSIONS)


def test_the_author_sees_only_her_sections_in_her_order(autorin_client):
    response = autorin_client.get("/admin/")

    sections = {
        app["app_label"]: [model["object_name"] for model in app["models"]]
        for app in response.context["app_list"]
    }
    assert sections == HER_SECTIONS
    assert [app["app_label"] for app in response.context["app_list"]] == list(HER_SECTIONS)
    html = response.content.decode()
    for foreign in ("Axes", "Task", "Websites", "Gruppen", "Benutzer", "Zustellungen"):
        assert foreign not in html


@pytest.mark.parametrize("url", NOT_HERS)
def test_the_author_cannot_reach_users_groups_sites_axes_or_tasks(autorin_client, url):
    assert autorin_client.get(url).status_code in (403, 404)


@pytest.mark.parametrize(
    "url",
    [f"/admin/{app}/{model.lower()}/" for app, models in HER_SECTIONS.items() for model in models]
    + ["/admin/blog/article/add/", "/admin/newsletter/issue/add/", "/admin/feelmove/page/add/"],
)
def test_every_section_of_the_author_opens(autorin_client, url):
    # follow: the contact page's list leads straight to its one row
    assert autorin_client.get(url, follow=True).status_code == 200


def test_the_superuser_still_sees_everything_but_deliveries_at_the_top(admin_client):
    response = admin_client.get("/admin/")

    labels = {app["app_label"] for app in response.context["app_list"]}
    assert {"auth", "sites", "axes", "django_tasks_database", *HER_SECTIONS} <= labels
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    # Deliveries are reached from their issue, not as a section of their own.
    assert "Delivery" not in models
    assert admin_client.get("/admin/newsletter/delivery/").status_code == 200


@pytest.mark.parametrize(
    "url,actions",
    [
        (
            "/admin/newsletter/subscriber/",
            {"export_csv", "unsubscribe", "export_personal_data", "erase_personal_data"},
        ),
        ("/admin/comments/comment/", {"approve", "mark_spam", "move_to_trash"}),
        ("/admin/newsletter/issue/", {"send_test", "send", "retry_failed"}),
        ("/admin/blog/article/", {"publish", "unpublish"}),
        ("/admin/contact/consultationrequest/", {"mark_answered", "mark_closed"}),
    ],
)
def test_the_author_has_every_action_of_her_lists(autorin_client, url, actions):
    choices = autorin_client.get(url).context["action_form"].fields["action"].choices
    assert actions <= {name for name, _label in choices}
