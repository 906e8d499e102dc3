"""Small real images for tests, made with Pillow."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_file(name="cover.jpg", size=(1600, 1000), color=(40, 120, 110), fmt="JPEG", mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(fmt, "application/octet-stream")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
