"""The JSON API (django-ninja), documented by OpenAPI at /api/docs. Each app adds its router."""

from ninja import NinjaAPI

api = NinjaAPI(title="dxtrack API", version="1", urls_namespace="api")
