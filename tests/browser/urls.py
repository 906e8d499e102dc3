"""URLconf of the browser tests: the project's routes plus media files.

The live server runs with DEBUG off, where the project serves no media, and MEDIA_ROOT is a fresh
folder per test (tests/conftest.py), so it is looked up per request.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

import feelmove.urls


def serve_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve_media), *feelmove.urls.urlpatterns]
handler404 = feelmove.urls.handler404
handler500 = feelmove.urls.handler500
