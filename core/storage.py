"""Where uploaded files live: a local folder (default) or S3-compatible object storage.

Two storages, both chosen in settings.STORAGES from `MEDIA_STORAGE`:

- "default", the public media (covers, images in articles, their sizes, PDFs linked in articles).
  Their URLs always start with MEDIA_URL on the site's own host; with S3 the reverse proxy forwards
  `/media/` to the bucket, so no page loads anything from another host.
- "private", files only the site itself hands out (the free guide's PDF, through its signed
  download link). It has no URL at all; in S3 it is a bucket of its own that is never public.

Code reads and writes files only through these storages (`open`, `save`, `delete`, `exists`,
`listdir`), never through local paths, so the same code runs on several app servers.
"""

from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible
from django.utils.encoding import filepath_to_uri
from django.utils.functional import cached_property
from storages.backends.s3 import S3Storage

# An S3 file that is read is first copied into a temporary file; up to this size it stays in
# memory, larger ones go to disk (django-storages would otherwise keep every byte in memory).
S3_MAX_MEMORY_SIZE = 2 * 1024 * 1024


class PublicMediaS3Storage(S3Storage):
    """Public media in S3_BUCKET, linked under MEDIA_URL on the site's own host."""

    querystring_auth = False
    # Same as the local folder: a second file with a taken name gets a new name, never replaces.
    file_overwrite = False
    max_memory_size = S3_MAX_MEMORY_SIZE

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name).lstrip("/"))


class PrivateS3Storage(S3Storage):
    """Private files in S3_PRIVATE_BUCKET: no public URL.

    Objects get no ACL of their own (new objects are private; many buckets refuse ACLs
    altogether); the bucket must simply have no policy that lets anyone read it.
    """

    file_overwrite = False
    max_memory_size = S3_MAX_MEMORY_SIZE

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no public URL; serve them through a signed view.")


def private_media_root() -> Path:
    configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if configured:
        return Path(configured)
    return Path(settings.MEDIA_ROOT).parent / "private_media"


class LocalPrivateStorage(FileSystemStorage):
    """Private files in PRIVATE_MEDIA_ROOT (by default `private_media/` next to MEDIA_ROOT).

    Outside MEDIA_ROOT, so the web server that serves /media/ never sees them. The location
    follows the settings (also when tests change MEDIA_ROOT).
    """

    @cached_property
    def base_location(self):
        return str(private_media_root())

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in {"MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"}:
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a signed view.")


@deconstructible(path="core.storage.PrivateStorage")
class PrivateStorage(Storage):
    """The "private" storage of settings.STORAGES, looked up on every use.

    A model field keeps its storage object for the life of the process; this stand-in lets the
    field follow the configuration (local or S3, and tests that switch between them), and keeps
    migrations free of any particular backend.
    """

    @property
    def backend(self) -> Storage:
        return storages["private"]

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_alternative_name(self, file_root, file_ext):
        return self.backend.get_alternative_name(file_root, file_ext)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def path(self, name):
        return self.backend.path(name)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def url(self, name):
        return self.backend.url(name)

    def get_accessed_time(self, name):
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)


private_storage = PrivateStorage()


def storage_files(storage: Storage, folder: str = ""):
    """Every file name in `storage` below `folder`, walking its folders (local or S3 alike)."""
    directories, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from storage_files(storage, f"{folder}/{directory}" if folder else directory)
