"""Where the guide PDFs live: outside MEDIA_ROOT, so only a signed link can fetch them.

Everything under MEDIA_ROOT is served publicly at /media/; a PDF stored there could be passed
around without anybody confirming an address. This storage keeps the files in PRIVATE_MEDIA_ROOT
(by default a folder `private_media` next to MEDIA_ROOT) and has no public URL at all.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


def private_media_root() -> Path:
    configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if configured:
        return Path(configured)
    return Path(settings.MEDIA_ROOT).parent / "private_media"


@deconstructible(path="newsletter.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """File storage without a URL; the location follows the settings (also in tests)."""

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


private_storage = PrivateStorage()
