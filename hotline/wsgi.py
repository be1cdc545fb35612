"""WSGI entry point for gunicorn (``hotline serve``) or any other WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
application = get_wsgi_application()

# The first request's one-off loading now, and the start-up heap out of the collector's reach:
# a worker's first full collection otherwise stalls its requests (hotline.web.warmup).
from hotline.web.warmup import ready_to_serve  # noqa: E402 - needs the app loaded above

ready_to_serve()
