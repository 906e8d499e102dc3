"""backup_site and restore_site: one archive that restores into an empty site of either kind."""

import gzip
import io
import json
import tarfile
import threading

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.cache import caches
from django.core.files.storage import default_storage, storages
from django.core.management import CommandError, call_command
from django.db import connection, connections

from blog.models import Article, Tag
from feelmove import backup
from tests.blog.factories import ArticleFactory, TagFactory, UserFactory
from tests.blog.images import image_file
from tests.comments.factories import AuthorReplyFactory
from tests.feelmove.site_snapshot import page_differences, site_snapshot
from tests.newsletter.factories import GuideFactory, SubscriberFactory

# Real transactions: a restore commits (PostgreSQL checks the deferred foreign keys only then),
# and emptying a site between backup and restore truncates its tables.
pytestmark = pytest.mark.django_db(transaction=True)


def a_small_site() -> None:
    """Something of every kind a backup must carry: images, the guide, links, natural keys."""
    author = UserFactory(username="jana", staff=True)
    editors = Group.objects.get(name="Autorin")  # made by `migrate`; changed here by hand
    editors.permissions.set(Permission.objects.filter(content_type__app_label="blog"))
    author.groups.add(editors)
    author.user_permissions.add(Permission.objects.get(codename="view_comment"))
    tags = [TagFactory(name="Faszien"), TagFactory(name="Rücken")]
    cover = ArticleFactory(
        title="Faszien verstehen",
        author=author,
        tags=tags,
        cover_image=image_file("faszien.jpg", size=(900, 500)),
        cover_alt="Ein Netz",
    )
    text_image = default_storage.save(
        "uploads/2026/11/matte.jpg", image_file("matte.jpg", size=(600, 400))
    )
    second = ArticleFactory(
        title="Rücken im Alltag",
        author=author,
        tags=tags[1:],
        related=[cover],
        body=f'<p>Text</p><figure class="image"><img src="/media/{text_image}" alt="Matte">'
        "</figure>",
    )
    AuthorReplyFactory(parent__article=second)
    SubscriberFactory(confirmed=True, source="guide")
    GuideFactory()
    page = FlatPage.objects.create(url="/impressum/", title="Impressum", content="<p>Jana</p>")
    page.sites.add(Site.objects.get_current())
    LogEntry.objects.log_actions(
        author.pk, [second], CHANGE, change_message="Titel geändert", single_object=True
    )
    # A content type of a model that is long gone, still named by an old admin log entry.
    gone = ContentType.objects.create(app_label="altes_blog", model="beitrag")
    LogEntry.objects.create(
        user=author, content_type=gone, object_id="7", object_repr="Alt", action_flag=CHANGE
    )


def empty_site(settings, s3_server, kind: str) -> None:
    """An empty database (as after `migrate`) and empty storage of the given kind."""
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    Site.objects.clear_cache()
    if kind == "s3":
        buckets = s3_server.create_buckets()
        settings.MEDIA_STORAGE = "s3"
        settings.STORAGES = s3_server.storages_setting(buckets, settings.STORAGES["staticfiles"])
    else:
        settings.MEDIA_ROOT = settings.MEDIA_ROOT.parent / "restored" / "media"
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "core.storage.LocalPrivateStorage"},
        }
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def archive(tmp_path):
    return tmp_path / "feelmove.tar.gz"


@pytest.mark.parametrize("target", ["local", "s3"])
def test_a_backup_restores_into_an_empty_site_with_every_page_file_and_row(
    settings, s3_server, media_storage, target, archive
):
    a_small_site()
    before = site_snapshot()
    call_command("backup_site", output=str(archive), stdout=io.StringIO())

    empty_site(settings, s3_server, target)
    out = io.StringIO()
    call_command("restore_site", str(archive), stdout=out)

    after = site_snapshot()
    assert "Restored" in out.getvalue()
    assert after["counts"] == before["counts"]
    assert after["files"] == before["files"]
    assert after["guide_download"] == before["guide_download"]
    assert page_differences(before["pages"], after["pages"]) == ""
    assert Group.objects.get(name="Autorin").permissions.count() == (
        Permission.objects.filter(content_type__app_label="blog").count()
    )
    assert LogEntry.objects.filter(content_type__app_label="altes_blog").exists()
    # New rows get fresh numbers (PostgreSQL's sequences follow the restored ones).
    assert ArticleFactory(title="Nach dem Umzug").pk > Article.objects.order_by("pk")[0].pk


def test_restore_refuses_a_database_with_rows_and_changes_nothing(archive):
    a_small_site()
    call_command("backup_site", output=str(archive), stdout=io.StringIO())
    files = sorted(backup._listed_files(default_storage))

    with pytest.raises(CommandError, match="The database is not empty: .*blog.article"):
        call_command("restore_site", str(archive))
    assert Article.objects.count() == 2
    assert sorted(backup._listed_files(default_storage)) == files


def test_restore_refuses_storage_that_holds_files(settings, s3_server, media_storage, archive):
    a_small_site()
    call_command("backup_site", output=str(archive), stdout=io.StringIO())
    empty_site(settings, s3_server, media_storage)
    storages["private"].save("guides/alt.pdf", io.BytesIO(b"%PDF-1.4"))

    with pytest.raises(CommandError, match="The private storage is not empty"):
        call_command("restore_site", str(archive))
    assert not Article.objects.exists()


def test_a_failure_half_way_leaves_neither_rows_nor_files(
    settings, s3_server, media_storage, archive, monkeypatch
):
    a_small_site()
    call_command("backup_site", output=str(archive), stdout=io.StringIO())
    empty_site(settings, s3_server, media_storage)
    calls = []

    def failing_save(name, content, max_length=None):
        calls.append(name)
        raise OSError("disk full")

    # The private files come last: by then the rows and the public files are written.
    monkeypatch.setattr(storages["private"], "save", failing_save)
    with pytest.raises(CommandError, match="The restore failed and was undone .*disk full"):
        call_command("restore_site", str(archive))

    assert len(calls) == 1
    assert not Article.objects.exists()
    assert list(backup._listed_files(default_storage)) == []


def test_files_that_cannot_be_removed_after_a_failure_are_named(settings, archive, monkeypatch):
    a_small_site()
    call_command("backup_site", output=str(archive), stdout=io.StringIO())
    empty_site(settings, None, "local")

    def refuse(*args, **kwargs):
        raise OSError("storage gone")

    monkeypatch.setattr(storages["private"], "save", refuse)
    monkeypatch.setattr(storages["default"], "delete", refuse)
    with pytest.raises(CommandError, match="could not be removed, e.g. .*empty the storage"):
        call_command("restore_site", str(archive))
    assert not Article.objects.exists()


# -- damaged archives -----------------------------------------------------------------------------


def rewritten(archive, out, *, drop=(), replace=None, manifest=None):
    """A copy of `archive` with members dropped or replaced, or the manifest changed."""
    replace = replace or {}
    with tarfile.open(archive, "r:gz") as source, tarfile.open(out, "w:gz") as target:
        for member in source:
            if member.name in drop:
                continue
            data = source.extractfile(member).read()
            if member.name in replace:
                data = replace[member.name]
            if member.name == backup.MANIFEST and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return out


@pytest.fixture
def made_backup(archive, settings):
    """A backup of a small site, and an empty site to restore it into."""
    a_small_site()
    call_command("backup_site", output=str(archive), stdout=io.StringIO())
    empty_site(settings, None, "local")
    return archive


def a_cover_member(archive) -> str:
    with tarfile.open(archive, "r:gz") as tar:
        return next(name for name in tar.getnames() if name.startswith("media/covers/"))


def test_a_cut_off_archive_is_refused_and_nothing_is_restored(made_backup, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(made_backup.read_bytes()[: made_backup.stat().st_size * 2 // 3])

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore_site", str(cut))
    assert not Article.objects.exists()
    assert list(backup._listed_files(default_storage)) == []


def test_an_archive_with_a_flipped_byte_is_refused(made_backup, tmp_path):
    data = bytearray(made_backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    broken = tmp_path / "flipped.tar.gz"
    broken.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore_site", str(broken))
    assert not Article.objects.exists()


def test_a_file_that_does_not_match_its_checksum_is_refused(made_backup, tmp_path):
    name = a_cover_member(made_backup)
    changed = rewritten(made_backup, tmp_path / "x.tar.gz", replace={name: b"anderes Bild"})

    with pytest.raises(CommandError, match=f"{name} does not match its checksum"):
        call_command("restore_site", str(changed))


def test_a_missing_file_is_refused(made_backup, tmp_path):
    name = a_cover_member(made_backup)
    missing = rewritten(made_backup, tmp_path / "x.tar.gz", drop={name})

    with pytest.raises(CommandError, match="1 file\\(s\\) are missing"):
        call_command("restore_site", str(missing))


def test_an_archive_without_manifest_is_refused(made_backup, tmp_path):
    without = rewritten(made_backup, tmp_path / "x.tar.gz", drop={backup.MANIFEST})

    with pytest.raises(CommandError, match="it has no manifest"):
        call_command("restore_site", str(without))


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    other = tmp_path / "urlaub.jpg"
    other.write_bytes(image_file().read())
    with pytest.raises(CommandError, match="is not a feelmove backup or it is damaged"):
        call_command("restore_site", str(other))

    plain = tmp_path / "plain.tar.gz"
    with tarfile.open(plain, "w:gz") as tar:
        tar.addfile(tarfile.TarInfo("manifest.json"), io.BytesIO(b""))
    with pytest.raises(CommandError, match="manifest cannot be read"):
        call_command("restore_site", str(plain))

    with pytest.raises(CommandError, match="There is no backup file at"):
        call_command("restore_site", str(tmp_path / "fehlt.tar.gz"))


def test_a_backup_of_another_release_is_refused_with_what_to_do(made_backup, tmp_path):
    newer = rewritten(
        made_backup,
        tmp_path / "x.tar.gz",
        manifest=lambda m: {**m, "migrations": [*m["migrations"], "blog.9999_zukunft"]},
    )

    with pytest.raises(CommandError, match="another release .*this site lacks blog.9999_zukunft"):
        call_command("restore_site", str(newer))


# -- while the site runs --------------------------------------------------------------------------


def test_the_backup_reads_one_snapshot_while_others_keep_writing():
    TagFactory(name="Vorher")
    written = threading.Event()
    errors = []

    def write_meanwhile():
        try:
            Tag.objects.create(name="Währenddessen", slug="waehrenddessen")
            written.set()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    with backup.read_snapshot(connection):
        assert Tag.objects.count() == 1
        writer = threading.Thread(target=write_meanwhile)
        writer.start()
        writer.join(timeout=15)
        assert written.is_set(), f"a writer had to wait for the backup: {errors}"
        assert Tag.objects.count() == 1, "the backup sees the database as it was"
    assert Tag.objects.count() == 2


def test_the_archive_is_gzip_with_the_manifest_last_and_rows_as_json_lines(made_backup):
    with gzip.open(made_backup) as raw, tarfile.open(fileobj=raw, mode="r|") as tar:
        names = [member.name for member in tar]
    assert names[-1] == backup.MANIFEST
    with tarfile.open(made_backup, "r:gz") as tar:
        manifest = json.loads(tar.extractfile(backup.MANIFEST).read())
        article_lines = tar.extractfile("database/blog.article.jsonl").read().splitlines()
    assert manifest["format"] == "feelmove-backup"
    counts = {entry["label"]: entry["count"] for entry in manifest["models"]}
    assert counts["blog.article"] == 2 == len(article_lines)
    media = [name for name in manifest["members"] if name.startswith("media/")]
    assert manifest["files"] == {"media": len(media), "private": 1}
    assert json.loads(article_lines[0])["model"] == "blog.article"
