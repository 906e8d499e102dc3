"""Files of the old site's wp-content/uploads: found, checked like an editor upload, stored.

A file comes from a copy of the uploads folder (`--uploads DIR`) or over HTTP from the old site
(`--media-base-url`), each read with a size limit, HTTP also with a time limit and only over
http/https. Images then pass blog.uploads.clean_image (the editor's checks: the format must be
what the name says, no HTML/SVG inside, fully decoded, turned upright, EXIF/GPS gone, at most
2000 px); PDFs pass the editor's PDF check; a few other document types are checked by their
first bytes. The article's save makes the sizes and WebP versions of the images it shows.

WordPress's size variants ("bild-300x200.jpg", "bild-scaled.jpg", "bild-e1528745123456.jpg")
are the same picture: they all lead to one imported original.
"""

from __future__ import annotations

import logging
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext as _

from blog.uploads import IMAGE_KINDS, UploadRefused, check_pdf, clean_image

logger = logging.getLogger(__name__)

# Larger than the editor's 10 MB: WordPress keeps camera originals; they are shrunk anyway.
MAX_FILE_BYTES = 40 * 1024 * 1024
FETCH_TIMEOUT = 20  # seconds per request (connecting, and each read)
FETCH_DEADLINE = 60  # seconds for a whole file
CHUNK_BYTES = 64 * 1024
UPLOADS_MARKER = "/wp-content/uploads/"
FOLDER = "uploads"

_VARIANT = re.compile(r"^(?P<stem>.+?)(?:-\d+x\d+|-scaled|-rotated|-e\d{10,13})+(?P<ext>\.\w+)$")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Documents besides PDF: extension -> a check of the first bytes.
DOCUMENT_SIGNATURES = {
    "docx": lambda d: d.startswith(_ZIP),
    "xlsx": lambda d: d.startswith(_ZIP),
    "pptx": lambda d: d.startswith(_ZIP),
    "odt": lambda d: d.startswith(_ZIP),
    "ods": lambda d: d.startswith(_ZIP),
    "odp": lambda d: d.startswith(_ZIP),
    "epub": lambda d: d.startswith(_ZIP),
    "doc": lambda d: d.startswith(_OLE),
    "xls": lambda d: d.startswith(_OLE),
    "ppt": lambda d: d.startswith(_OLE),
    "mp3": lambda d: d.startswith(b"ID3") or d[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "m4a": lambda d: d[4:8] == b"ftyp",
    "mp4": lambda d: d[4:8] == b"ftyp",
    "txt": lambda d: b"\x00" not in d and b"<" not in d[:512],
}


class FileUnavailable(Exception):
    """The file could not be had; `reason` says why (shown in the report)."""

    def __init__(self, reason: str, *, missing: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.missing = missing


def uploads_path(url: str) -> str | None:
    """The path below wp-content/uploads of a URL or path, e.g. "2018/01/bild.jpg", or None."""
    path = urlsplit(url).path
    index = path.find(UPLOADS_MARKER)
    if index < 0:
        return None
    relative = unquote(path[index + len(UPLOADS_MARKER) :])
    parts = PurePosixPath(relative).parts
    if not relative or relative.endswith("/") or ".." in parts or relative.startswith("/"):
        return None
    return relative


def original_of(path: str) -> str | None:
    """The original of a size variant ("2018/01/bild-300x200.jpg" -> "2018/01/bild.jpg")."""
    folder, _slash, name = path.rpartition("/")
    match = _VARIANT.match(name)
    if match is None:
        return None
    original = f"{match.group('stem')}{match.group('ext')}"
    return f"{folder}/{original}" if folder else original


def extension_of(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def is_importable(path: str) -> bool:
    extension = extension_of(path)
    return extension in IMAGE_KINDS or extension == "pdf" or extension in DOCUMENT_SIGNATURES


class _SameSchemeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) URLs (urllib would also follow ftp:// ones)."""

    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, "redirect to another scheme", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_SameSchemeRedirects())


class UploadsSource:
    """Where the old files are read from: a folder, the old site over HTTP, or both (in order)."""

    def __init__(self, *, folder: Path | None, base_url: str | None, max_bytes=MAX_FILE_BYTES):
        self.folder = Path(folder).resolve() if folder else None
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.max_bytes = max_bytes

    def read(self, path: str) -> bytes:
        if self.folder is None and self.base_url is None:
            raise FileUnavailable(_("no --uploads folder or --media-base-url given"), missing=True)
        reason = ""
        if self.folder is not None:
            try:
                return self._read_file(path)
            except FileUnavailable as error:
                if not error.missing or self.base_url is None:
                    raise
                reason = error.reason
        if self.base_url is not None:
            return self._fetch(path)
        raise FileUnavailable(reason, missing=True)

    def _too_large(self) -> FileUnavailable:
        return FileUnavailable(
            _("larger than %(size)d MB") % {"size": self.max_bytes // (1024 * 1024)}
        )

    def _read_file(self, path: str) -> bytes:
        candidate = (self.folder / path).resolve()
        if not candidate.is_relative_to(self.folder):
            raise FileUnavailable(_("outside the uploads folder"))
        if not candidate.is_file():
            raise FileUnavailable(_("not in the uploads folder"), missing=True)
        if candidate.stat().st_size > self.max_bytes:
            raise self._too_large()
        return candidate.read_bytes()

    def _fetch(self, path: str) -> bytes:
        url = self.base_url + quote(path)
        if urlsplit(url).scheme not in ("http", "https"):
            raise FileUnavailable(_("only http and https addresses are fetched"))
        request = urllib.request.Request(url, headers={"User-Agent": "feelmove-import/1.0"})
        try:
            with _opener.open(request, timeout=FETCH_TIMEOUT) as response:
                declared = response.headers.get("Content-Length", "")
                if declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
                    raise self._too_large()
                data = self._read_bounded(response)
        except urllib.error.HTTPError as error:
            if error.code in (404, 410):
                raise FileUnavailable(
                    _("not on the old site (HTTP %(code)d)") % {"code": error.code}, missing=True
                ) from error
            raise FileUnavailable(
                _("the old site answered HTTP %(code)d") % {"code": error.code}
            ) from error
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise FileUnavailable(
                _("could not be fetched: %(reason)s") % {"reason": reason}
            ) from error
        if len(data) > self.max_bytes:
            raise self._too_large()
        return data

    def _read_bounded(self, response) -> bytes:
        """The body, at most max_bytes + 1 of it, within FETCH_DEADLINE seconds in all (a server
        that sends a byte now and then would pass every per-read timeout)."""
        deadline = time.monotonic() + FETCH_DEADLINE
        chunks, size = [], 0
        while size <= self.max_bytes:
            chunk = response.read(min(CHUNK_BYTES, self.max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if time.monotonic() > deadline:
                raise FileUnavailable(
                    _("took longer than %(seconds)d seconds") % {"seconds": FETCH_DEADLINE}
                )
        return b"".join(chunks)


def clean_file(path: str, data: bytes) -> tuple[bytes, str, str]:
    """(content to store, extension, kind) of an old file, checked like an editor upload."""
    extension = extension_of(path)
    if not data:
        raise FileUnavailable(_("the file is empty"))
    try:
        if extension in IMAGE_KINDS:
            content, stored_extension = clean_image(data, extension=extension)
            return content, stored_extension, "image"
        if extension == "pdf":
            check_pdf(data)
            return data, "pdf", "document"
    except UploadRefused as refusal:
        raise FileUnavailable(str(refusal.message)) from refusal
    check = DOCUMENT_SIGNATURES.get(extension)
    if check is None:
        raise FileUnavailable(_("this file type is not taken over (.%(ext)s)") % {"ext": extension})
    if not check(data):
        raise FileUnavailable(_("the file is not what its name says it is"))
    return data, extension, "document"


def storage_name(path: str, extension: str) -> str:
    """Where an old file is stored: its year/month folder and a readable, safe name."""
    folder, _slash, name = path.rpartition("/")
    stem = slugify(name.rsplit(".", 1)[0])[:80] or "datei"
    dated = "/".join(part for part in folder.split("/") if part.isascii() and part.isdigit())[:7]
    return f"{FOLDER}/{dated + '/' if dated else ''}{stem}.{extension}"


@dataclass
class StoredFile:
    name: str
    url: str
    kind: str


class DryRunStorage:
    """Stands in for the storage on a dry run: every check runs, nothing is written."""

    def __init__(self, storage):
        self.storage = storage

    def save(self, name, content):
        return name

    def url(self, name):
        return self.storage.url(name)

    def exists(self, name):
        return self.storage.exists(name)

    def open(self, name, mode="rb"):
        return self.storage.open(name, mode)


def save_file(storage, name: str, content: bytes) -> str:
    return storage.save(name, ContentFile(content))
