"""Uploads in object storage: MEDIA_STORAGE=s3 against a real S3 API (moto's server)."""

import json
import re
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.http import Http404
from django.test import override_settings

from core.storage import storage_files
from feelmove.media import serve_media
from tests.blog.factories import ArticleFactory
from tests.blog.images import image_file
from tests.feelmove.test_settings import run_python
from tests.newsletter.factories import GuideFactory

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/ckeditor5/image_upload/"


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_an_editor_upload_lands_in_the_public_bucket_and_is_linked_on_the_sites_own_host(
    staff_client, s3_storage, s3_server, media_root
):
    response = staff_client.post(UPLOAD_URL, {"upload": image_file("rücken.jpg", size=(300, 200))})
    url = response.json()["url"]

    assert re.fullmatch(r"/media/uploads/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", url)
    assert s3_server.keys(s3_storage.public) == [url.removeprefix("/media/")]
    assert not media_root.exists(), "nothing is written to the local folder"


def test_an_article_page_links_its_cover_sizes_from_s3_under_media_on_its_own_host(
    client, s3_storage, s3_server
):
    article = ArticleFactory(cover_image=image_file(size=(1600, 1000)), cover_alt="Eine Matte")
    html = client.get(article.get_absolute_url()).content.decode()

    stored = set(s3_server.keys(s3_storage.public))
    linked = set(re.findall(r"/media/([^\s\"',?]+)", html))
    assert linked, "the page shows the cover"
    assert linked <= stored
    assert not re.search(r"(src|srcset)=\"https?://", html), "nothing from another host"


def test_public_media_are_readable_from_the_bucket_and_the_guide_is_not(s3_storage, s3_server):
    """What the proxy relies on: /media/ can be forwarded to the public bucket as it is."""
    name = default_storage.save("covers/matte.jpg", image_file())
    guide = GuideFactory()

    with urllib.request.urlopen(f"{s3_server.endpoint_url}/{s3_storage.public}/{name}") as found:
        assert found.read() == image_file().read()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_server.endpoint_url}/{s3_storage.private}/{guide.pdf.name}")
    assert refused.value.code == 403


def test_in_development_media_are_served_through_the_storage(rf, media_storage):
    # Routed at MEDIA_URL only with DEBUG on (feelmove/urls.py); the proxy does it in production.
    name = default_storage.save("uploads/2026/01/hallo.pdf", ContentFile(b"%PDF-1.4 hallo"))

    response = serve_media(rf.get(f"/media/{name}"), name=name)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 hallo"
    for missing in ("uploads/fehlt.jpg", "../private_media/guides/x.pdf", "uploads"):
        with pytest.raises(Http404):
            serve_media(rf.get(f"/media/{missing}"), name=missing)


def test_the_private_storage_follows_the_configuration(media_storage, s3_server):
    guide = GuideFactory()
    backend = storages["private"]
    assert guide.pdf.storage.exists(guide.pdf.name)
    assert backend.exists(guide.pdf.name)
    assert not default_storage.exists(guide.pdf.name)
    assert type(backend).__name__ == (
        "PrivateS3Storage" if media_storage == "s3" else "LocalPrivateStorage"
    )


def test_every_file_of_a_storage_is_listed_with_its_folders(media_storage):
    for name in ("a.txt", "covers/b.jpg", "uploads/2026/01/c.pdf", "uploads/2026/02/d.pdf"):
        default_storage.save(name, ContentFile(b"x"))

    assert list(storage_files(default_storage)) == [
        "a.txt",
        "covers/b.jpg",
        "uploads/2026/01/c.pdf",
        "uploads/2026/02/d.pdf",
    ]


@override_settings(MEDIA_URL="/dateien/")
def test_media_url_decides_the_links_of_s3_files(s3_storage):
    assert default_storage.url("covers/a b.jpg") == "/dateien/covers/a%20b.jpg"


# -- settings -------------------------------------------------------------------------------------

S3_ENV = {
    "DEBUG": "1",
    "MEDIA_STORAGE": "s3",
    "S3_BUCKET": "feelmove-media",
    "S3_PRIVATE_BUCKET": "feelmove-private",
    "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "S3_REGION": "eu-central-1",
    "S3_ACCESS_KEY_ID": "key",
    "S3_SECRET_ACCESS_KEY": "secret",
}
PRINT_STORAGES = (
    "import json, django; django.setup(); from django.conf import settings;"
    "print(json.dumps({k: v for k, v in settings.STORAGES.items() if k != 'staticfiles'}))"
)


def test_media_storage_s3_builds_the_storages_the_tests_use(s3_server):
    from tests.s3server import Buckets

    result = run_python(PRINT_STORAGES, {"DEBUG": "1", **s3_server.env(Buckets("pub", "priv"))})
    assert result.returncode == 0, result.stderr
    expected = s3_server.storages_setting(Buckets("pub", "priv"), {})
    del expected["staticfiles"]
    assert json.loads(result.stdout) == expected


def test_media_storage_s3_without_buckets_is_a_clear_startup_error():
    env = {**S3_ENV, "S3_PRIVATE_BUCKET": ""}
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "needs S3_BUCKET (public media) and S3_PRIVATE_BUCKET" in result.stderr


def test_the_guide_may_not_share_the_public_bucket():
    env = {**S3_ENV, "S3_PRIVATE_BUCKET": "feelmove-media"}
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "S3_PRIVATE_BUCKET must be another bucket" in result.stderr


def test_an_unknown_media_storage_is_refused():
    result = run_python("import django; django.setup()", {"DEBUG": "1", "MEDIA_STORAGE": "ftp"})
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be 'local' or 's3'" in result.stderr


def test_local_storage_is_the_default():
    result = run_python(PRINT_STORAGES, {"DEBUG": "1", "MEDIA_STORAGE": ""})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["default"]["BACKEND"].endswith("FileSystemStorage")
