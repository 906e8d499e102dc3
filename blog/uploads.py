"""Uploads from the article editor (CKEditor 5): images and PDF files, checked and cleaned.

This replaces django-ckeditor-5's own upload view, which lets a decompression bomb through as a
500, keeps EXIF/GPS data, sets no size limit and stores files under their original names.

An image is accepted only when Pillow can open, verify and fully decode it as the format its name
and declared type claim; it is then turned upright, shrunk to MAX_IMAGE_SIDE and re-encoded, which
drops EXIF/GPS and anything smuggled into the file. A PDF must look like one from its first byte to
its end marker. Everything is stored under a random name in a dated folder.
"""

import io
import logging
import math
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

logger = logging.getLogger(__name__)

MAX_IMAGE_SIDE = 2000
# A 50-megapixel photo is as much as a phone camera delivers; decoding more would take hundreds
# of megabytes of memory for a picture that is shrunk to MAX_IMAGE_SIDE anyway.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85
MAX_GIF_FRAMES = 300
UPLOAD_FOLDER = "uploads"


@dataclass(frozen=True)
class ImageKind:
    pillow_format: str
    extension: str
    content_types: frozenset[str]


IMAGE_KINDS = {
    "jpg": ImageKind("JPEG", "jpg", frozenset({"image/jpeg", "image/pjpeg"})),
    "jpeg": ImageKind("JPEG", "jpg", frozenset({"image/jpeg", "image/pjpeg"})),
    "png": ImageKind("PNG", "png", frozenset({"image/png", "image/x-png"})),
    "gif": ImageKind("GIF", "gif", frozenset({"image/gif"})),
    "webp": ImageKind("WEBP", "webp", frozenset({"image/webp"})),
}
PDF_CONTENT_TYPES = frozenset({"application/pdf", "application/x-pdf"})
# Browsers that do not know a type send this; the content checks still apply.
UNKNOWN_CONTENT_TYPES = frozenset({"", "application/octet-stream"})

# Markup that turns an image into an HTML/SVG polyglot. The patterns are long enough that they do
# not turn up by chance in compressed image data (XMP metadata is XML, so "<?xml" is not here).
_MARKUP = re.compile(
    rb"<(?:script|html[\s>]|body[\s>]|head[\s>]|svg[\s/>]|iframe|object[\s>]|embed[\s>]"
    rb"|!doctype\s+html|\?php)|javascript:",
    re.IGNORECASE,
)
# Metadata worth keeping after re-encoding; everything else (EXIF, GPS, XMP, comments, text
# chunks) is dropped. Orientation is applied to the pixels before.
_KEPT_INFO = {"icc_profile", "transparency", "duration", "loop", "background", "dpi"}
# Active content in a PDF: scripts and launching other programs.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")


class UploadRefused(Exception):
    """The upload is not accepted; the message is shown to the author in the editor."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_upload_bytes() -> int:
    return int(getattr(settings, "CKEDITOR_5_MAX_FILE_SIZE", 10)) * 1024 * 1024


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _check_declared_type(upload: UploadedFile, allowed: frozenset[str]) -> None:
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared not in allowed and declared not in UNKNOWN_CONTENT_TYPES:
        raise UploadRefused(_("The file is not what its name says it is."))


def _pixel_limit() -> int:
    return min(Image.MAX_IMAGE_PIXELS or MAX_PIXELS, MAX_PIXELS)


def _decode_image(data: bytes, kind: ImageKind) -> Image.Image:
    """Open, verify and fully decode the image; refuse anything Pillow has doubts about."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != kind.pillow_format:
                raise UploadRefused(_("The file is not what its name says it is."))
            width, height = probe.size
            if width * height > _pixel_limit():
                raise Image.DecompressionBombError(f"{width}x{height}")
            probe.verify()
        image = Image.open(io.BytesIO(data))
        ratio = MAX_IMAGE_SIDE / max(width, height)
        if kind.pillow_format == "JPEG" and ratio < 0.5:
            # Decode at the smallest JPEG scale (1/2, 1/4, 1/8) that still covers the target
            # size: the whole file is still decoded and checked, with a fraction of the memory.
            image.draft(image.mode, (math.ceil(width * ratio), math.ceil(height * ratio)))
        image.load()
        frames = getattr(image, "n_frames", 1)
        if frames > MAX_GIF_FRAMES or frames * width * height > _pixel_limit():
            raise Image.DecompressionBombError(f"{frames} frames of {width}x{height}")
        return image
    except UploadRefused:
        raise
    except Image.DecompressionBombError as error:
        logger.warning("Editor upload refused as a decompression bomb: %s", error)
        raise UploadRefused(
            _("The image has too many pixels. Please upload a smaller picture.")
        ) from error
    except UnidentifiedImageError as error:
        raise UploadRefused(_("The file is not an image that can be read.")) from error
    except Exception as error:
        # Pillow reports a damaged or crafted file with many exception types (OSError,
        # SyntaxError, ValueError, struct.error, ...); every one of them means "refuse".
        logger.info("Editor upload refused, image could not be decoded: %r", error)
        raise UploadRefused(_("The image is damaged or cannot be read.")) from error


def _shrink(image: Image.Image) -> Image.Image:
    if max(image.size) > MAX_IMAGE_SIDE:
        image = image.copy()
        image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    return image


def _without_metadata(image: Image.Image) -> Image.Image:
    image.info = {key: value for key, value in image.info.items() if key in _KEPT_INFO}
    return image


def _encode_image(image: Image.Image, kind: ImageKind) -> bytes:
    """Re-encode without EXIF, XMP or comments; orientation is applied to the pixels first."""
    out = io.BytesIO()
    if kind.pillow_format == "GIF" and getattr(image, "n_frames", 1) > 1:
        frames, durations = [], []
        for frame in ImageSequence.Iterator(image):
            durations.append(frame.info.get("duration", 100))
            frames.append(_without_metadata(_shrink(frame.copy())))
        frames[0].save(
            out,
            format="GIF",
            save_all=True,
            append_images=frames[1:],
            loop=image.info.get("loop", 0),
            duration=durations,
            disposal=2,
        )
        return out.getvalue()

    picture = _without_metadata(_shrink(ImageOps.exif_transpose(image)))
    icc_profile = picture.info.get("icc_profile")
    if kind.pillow_format == "JPEG":
        if picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        picture.save(
            out,
            format="JPEG",
            quality=JPEG_QUALITY,
            optimize=True,
            progressive=True,
            icc_profile=icc_profile,
        )
    elif kind.pillow_format == "PNG":
        picture.save(out, format="PNG", optimize=True, icc_profile=icc_profile)
    elif kind.pillow_format == "WEBP":
        if picture.mode not in ("RGB", "RGBA"):
            picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
        picture.save(out, format="WEBP", quality=JPEG_QUALITY, icc_profile=icc_profile or "")
    else:
        picture.save(out, format=kind.pillow_format)
    return out.getvalue()


def clean_image(data: bytes, *, extension: str) -> tuple[bytes, str]:
    """Check an uploaded image and return it re-encoded, with the extension to store it under."""
    kind = IMAGE_KINDS[extension]
    if _MARKUP.search(data):
        raise UploadRefused(
            _("The file contains HTML or SVG code and is refused. Please upload a plain image.")
        )
    image = _decode_image(data, kind)
    try:
        return _encode_image(image, kind), kind.extension
    except Exception as error:
        logger.info("Editor upload refused, image could not be re-encoded: %r", error)
        raise UploadRefused(_("The image is damaged or cannot be read.")) from error
    finally:
        image.close()


def check_pdf(data: bytes) -> None:
    """Accept only something that is a PDF from its header to its end marker, without scripts."""
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise UploadRefused(_("The file is not a valid PDF document."))
    if _PDF_ACTIVE.search(data):
        raise UploadRefused(_("The PDF contains scripts or embedded programs and is refused."))


def store_editor_upload(upload: UploadedFile) -> str:
    """Check, clean and store one file from the editor; return its public URL."""
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise UploadRefused(
            _("The file is too large: at most %(size)d MB are allowed.") % {"size": limit // 2**20}
        )
    extension = _extension(upload.name or "")
    if extension == "svg" or extension == "svgz":
        raise UploadRefused(
            _("SVG graphics are not allowed. Please upload a JPEG, PNG, GIF or WebP image.")
        )
    if extension not in IMAGE_KINDS and extension != "pdf":
        raise UploadRefused(
            _("This file type is not allowed. Allowed are JPEG, PNG, GIF, WebP and PDF.")
        )

    data = upload.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(
            _("The file is too large: at most %(size)d MB are allowed.") % {"size": limit // 2**20}
        )
    if not data:
        raise UploadRefused(_("The file is empty."))

    if extension == "pdf":
        _check_declared_type(upload, PDF_CONTENT_TYPES)
        check_pdf(data)
        content, stored_extension = data, "pdf"
    else:
        _check_declared_type(upload, IMAGE_KINDS[extension].content_types)
        content, stored_extension = clean_image(data, extension=extension)

    storage = default_storage  # the public media storage, local or S3
    name = f"{UPLOAD_FOLDER}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{stored_extension}"
    stored_name = storage.save(name, ContentFile(content))
    return storage.url(stored_name)


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": {"message": message}}, status=status)


def editor_upload(request: HttpRequest) -> JsonResponse:
    """The upload endpoint of the editor (CKEditor 5's simple upload adapter): staff only, POST."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return _error(_("You do not have permission to upload files."), status=403)
    if request.method != "POST":
        response = _error(_("Files can only be uploaded with POST."), status=405)
        response["Allow"] = "POST"
        return response
    upload = request.FILES.get("upload")
    if upload is None:
        return _error(_("Please choose a file to upload."))
    try:
        url = store_editor_upload(upload)
    except UploadRefused as refusal:
        return _error(refusal.message)
    return JsonResponse({"url": url})
