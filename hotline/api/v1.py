"""The JSON API ``/api/v1/`` (django-ninja; schema at ``/api/v1/openapi.json``)."""

from ninja import NinjaAPI

api = NinjaAPI(title="Hotline 12345 API", version="1", urls_namespace="api-v1")
