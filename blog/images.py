"""Cover image renditions: a few widths as JPEG and WebP, made once with Pillow when saved.

The metadata is stored on the article (Article.cover_renditions) so that a page can write a
<picture> with srcset, width and height without touching the file system:

    {"source": "covers/x.jpg", "width": 1200, "height": 800,
     "jpeg": [[480, "renditions/x-1a2b3c4d-480.jpg"], ...], "webp": [[480, "..."], ...]}
"""

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import PurePosixPath

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


def _target_widths(original_width: int) -> list[int]:
    widths = [width for width in WIDTHS if width < original_width]
    # The original width is the largest size when it is below the biggest standard one.
    widths.append(min(original_width, WIDTHS[-1]))
    return sorted(set(widths))


def build_renditions(field_file, *, storage=None) -> dict:
    """Write the renditions of an image field's file; return their metadata (see module doc).

    A file Pillow cannot read gives metadata without sizes (logged), never an exception: a broken
    cover image must not stop an article from being saved.
    """
    storage = storage or field_file.storage or default_storage
    source = field_file.name
    meta = {"source": source}
    try:
        with field_file.open("rb") as handle:
            with Image.open(handle) as opened:
                opened.load()
                image = ImageOps.exif_transpose(opened)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        logger.warning("Cover image %s could not be read: %s", source, error)
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
    widths = _target_widths(image.width)
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
