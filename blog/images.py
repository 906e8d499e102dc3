"""Image renditions: a few widths as JPEG and WebP, made once with Pillow when saved.

For the cover and for the images in the article text. The metadata is stored on the article
(Article.cover_renditions, Article.body_renditions as {src: metadata}) so that a page can write a
<picture> with srcset, width and height without touching the file system:

    {"source": "covers/x.jpg", "width": 1200, "height": 800,
     "jpeg": [[480, "renditions/x-1a2b3c4d-480.jpg"], ...], "webp": [[480, "..."], ...]}
"""

import hashlib
import html
import io
import logging
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

WIDTHS = (480, 800, 1200)
FORMATS = {
    "jpeg": {"ext": "jpg", "options": {"quality": 82, "optimize": True, "progressive": True}},
    "webp": {"ext": "webp", "options": {"quality": 78, "method": 5}},
}
PIL_FORMAT = {"jpeg": "JPEG", "webp": "WEBP"}
DIRECTORY = "renditions"


def _target_widths(original_width: int, standard=WIDTHS) -> list[int]:
    widths = [width for width in standard if width < original_width]
    # The original width is the largest size when it is below the biggest standard one.
    widths.append(min(original_width, standard[-1]))
    return sorted(set(widths))


def build_renditions(field_file, *, storage=None, widths=WIDTHS) -> dict:
    """Write the renditions of an image field's file; return their metadata (see module doc).

    `field_file` is an image field's file or the name of a file in `storage` (an image in the
    article text). A file Pillow cannot read gives metadata without sizes (logged), never an
    exception: a broken image must not stop an article from being saved. `widths`: the sizes
    to make (smaller ones for a small picture such as a portrait).
    """
    if isinstance(field_file, str):
        storage = storage or default_storage
        source = field_file

        def open_source():
            return storage.open(source, "rb")
    else:
        storage = storage or field_file.storage or default_storage
        source = field_file.name

        def open_source():
            return field_file.open("rb")

    meta = {"source": source}
    try:
        with open_source() as handle:
            with Image.open(handle) as opened:
                opened.load()
                image = ImageOps.exif_transpose(opened)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        logger.warning("Image %s could not be read: %s", source, error)
        return meta

    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif image.mode == "L":
        image = image.convert("RGB")

    stem = PurePosixPath(source).stem[:60]
    digest = hashlib.sha256(source.encode()).hexdigest()[:8]
    widths = _target_widths(image.width, widths)
    for kind in FORMATS:
        meta[kind] = []
    for width in widths:
        height = round(image.height * width / image.width)
        resized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        for kind, spec in FORMATS.items():
            buffer = io.BytesIO()
            resized.save(buffer, PIL_FORMAT[kind], **spec["options"])
            name = storage.save(
                f"{DIRECTORY}/{stem}-{digest}-{width}.{spec['ext']}", ContentFile(buffer.getvalue())
            )
            meta[kind].append([width, name])
    largest = widths[-1]
    meta["width"] = largest
    meta["height"] = round(image.height * largest / image.width)
    return meta


def delete_renditions(meta: dict, *, storage=None) -> None:
    """Remove the files of old renditions (the original upload is left alone)."""
    storage = storage or default_storage
    for kind in FORMATS:
        for _width, name in meta.get(kind, []):
            try:
                storage.delete(name)
            except OSError:
                logger.warning("Old rendition %s could not be deleted", name)


@dataclass(frozen=True)
class Picture:
    """What a <picture> element needs: srcsets per format, a fallback, the intrinsic size."""

    width: int
    height: int
    jpeg_srcset: str
    webp_srcset: str
    src: str
    largest_src: str

    @classmethod
    def from_renditions(cls, meta: dict, *, storage=None):
        if not meta or not meta.get("jpeg"):
            return None
        storage = storage or default_storage

        def srcset(kind):
            return ", ".join(f"{storage.url(name)} {width}w" for width, name in meta.get(kind, []))

        jpeg = meta["jpeg"]
        # The fallback src: the middle size is a fair guess for browsers without srcset.
        fallback = next((name for width, name in jpeg if width >= 800), jpeg[-1][1])
        return cls(
            width=meta["width"],
            height=meta["height"],
            jpeg_srcset=srcset("jpeg"),
            webp_srcset=srcset("webp"),
            src=storage.url(fallback),
            largest_src=storage.url(jpeg[-1][1]),
        )


# The sanitised article HTML is regular (nh3 writes every attribute as name="value"), so a regex
# limited to that output is enough to find its images.
IMG_TAG = re.compile(r"<img\b([^>]*)>", re.IGNORECASE)
IMG_ATTRIBUTE = re.compile(r'([a-zA-Z][a-zA-Z0-9-]*)="([^"]*)"')


def img_attributes(tag_inside: str) -> dict[str, str]:
    """The attributes of an <img> of sanitised HTML, unescaped."""
    return {name.lower(): html.unescape(value) for name, value in IMG_ATTRIBUTE.findall(tag_inside)}


def media_name(src: str) -> str | None:
    """The storage name of an image URL that points into our own MEDIA_URL, else None."""
    media_url = settings.MEDIA_URL
    if not src.startswith(media_url) or "?" in src or "#" in src:
        return None
    name = unquote(src[len(media_url) :])
    parts = PurePosixPath(name).parts
    if not name or name.startswith("/") or ".." in parts or (parts and parts[0] == DIRECTORY):
        return None
    return name


def body_image_sources(body: str) -> list[str]:
    """The src of every image in article HTML that lies in our own media storage."""
    sources = []
    for match in IMG_TAG.finditer(body or ""):
        src = img_attributes(match.group(1)).get("src", "")
        if media_name(src) and src not in sources:
            sources.append(src)
    return sources


def refresh_body_renditions(body: str, old: dict, *, storage=None) -> dict:
    """The renditions map {src: meta} for the images of `body`, reusing `old` entries.

    Only images new to the text are made (and only when the file exists); renditions of images
    no longer in the text are deleted.
    """
    storage = storage or default_storage
    renditions = {}
    for src in body_image_sources(body):
        if src in old:
            renditions[src] = old[src]
            continue
        name = media_name(src)
        try:
            exists = storage.exists(name)
        except (SuspiciousFileOperation, OSError, ValueError):
            exists = False
        if exists:
            renditions[src] = build_renditions(name, storage=storage)
    for src, meta in old.items():
        if src not in renditions:
            delete_renditions(meta, storage=storage)
    return renditions
