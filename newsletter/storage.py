"""Where the guide PDFs live: the site's private storage, never under a public URL.

Everything in the public media storage is served at /media/; a PDF stored there could be passed
around without anybody confirming an address. The guide goes to the "private" storage instead
(core/storage.py: a folder outside MEDIA_ROOT, or a bucket of its own in S3), which has no URL at
all; only the signed download link hands the file out.
"""

from django.utils.deconstruct import deconstructible

from core.storage import PrivateStorage as SitePrivateStorage


@deconstructible(path="newsletter.storage.PrivateStorage")
class PrivateStorage(SitePrivateStorage):
    """The site's private storage under the name the guide's migrations know."""


private_storage = PrivateStorage()
