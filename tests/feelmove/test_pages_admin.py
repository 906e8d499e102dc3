"""The author edits the four pages in the admin with the article editor and its rules."""

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

pytestmark = pytest.mark.django_db


def test_a_page_edited_in_the_admin_is_sanitised_and_shown_to_readers_at_once(admin_client, client):
    page = FlatPage.objects.create(url="/ueber-mich/", title="Über mich", content="<p>alt</p>")
    page.sites.add(Site.objects.get_current())
    assert "alt" in client.get("/ueber-mich/").content.decode()  # now in the page cache
    response = admin_client.post(
        f"/admin/feelmove/page/{page.pk}/change/",
        {
            "url": "/ueber-mich/",
            "title": "Über mich",
            "content": '<h2>Hallo</h2><p onclick="steal()">Neu <script>alert(1)</script></p>',
            "sites": [Site.objects.get_current().pk],
        },
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.content == "<h2>Hallo</h2><p>Neu </p>"
    assert "<h2>Hallo</h2>" in client.get("/ueber-mich/").content.decode()


def test_the_page_form_uses_the_article_editor(admin_client):
    response = admin_client.get("/admin/feelmove/page/add/")
    assert response.status_code == 200
    assert "blog/admin/editor-file-link.js" in response.content.decode()
