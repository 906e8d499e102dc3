"""WSGI entry point: `gunicorn feelmove.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "feelmove.settings")

application = get_wsgi_application()
