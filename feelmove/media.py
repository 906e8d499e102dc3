"""Public media in development: read through the storage, so a local folder and S3 look alike.

In production the reverse proxy serves /media/ (from MEDIA_ROOT, or forwarded to the S3 bucket;
see deploy/); this view is only routed with DEBUG on.
"""

import mimetypes

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe


@require_safe
def serve_media(request, name):
    """One public media file, or 404."""
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation, ValueError) as error:
        raise Http404(name) from error
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(handle, content_type=content_type)
