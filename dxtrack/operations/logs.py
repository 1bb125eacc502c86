"""Structured logs: one JSON object a line, each carrying the request id (ADR 0021).

The id comes from the proxy's X-Request-ID when it is a sane token (so nginx's and ours match),
else is made here; it is sent back in the answer's X-Request-ID, and every log line written while
the request is served carries it (a context variable: right for threads and async alike)."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from pythonjsonlogger.json import JsonFormatter

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class Formatter(JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("json_ensure_ascii", False)  # Vietnamese messages stay readable
        super().__init__("%(levelname)s %(name)s %(message)s %(request_id)s", *args, **kwargs)


class RequestId:
    """Middleware: gives each request its id (first in the chain: every later log line has it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        rid = given if _SANE.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        request.request_id = rid
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response
