"""Structured logging: one JSON object per line, without secrets or personal data.

Request paths can carry secrets (invitation and password-reset tokens) and search terms, so a
request is logged by its URL *route* (``uitnodiging/<str:token>/``), never by its raw path or
query string. Django's own ``django.request`` records, which name the raw path, are rewritten the
same way by ``ScrubRequestFilter``.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

# Attributes every LogRecord has; anything else came in through `extra={...}`.
_STANDARD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}
# Extras never written: objects that would drag in personal data (the request with its user).
_WITHHELD_EXTRAS = frozenset({"request", "user", "server_time"})

request_logger = logging.getLogger("wizzr.request")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key in _STANDARD_ATTRS or key in _WITHHELD_EXTRAS or key.startswith("_"):
                continue
            if value is None or isinstance(value, str | int | float | bool):
                payload[key] = value
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str, ensure_ascii=False)


def route_of(request: HttpRequest) -> str:
    """The URL pattern that matched the request (``contracten/<uuid:uuid>/``), or ``<unmatched>``."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.route is None:
        return "<unmatched>"
    return "/" + match.route.lstrip("^").rstrip("$")


class ScrubRequestFilter(logging.Filter):
    """Replace the raw request path in Django's request log records by the matched route."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest) and record.args:
            route = route_of(request)
            raw = {request.path, request.get_full_path(), request.path_info}
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(route if isinstance(arg, str) and arg in raw else arg for arg in args)
            record.route = route
        return True


class RequestLogMiddleware:
    """Log method, route, status and duration of every request; health checks only at DEBUG."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        route = route_of(request)
        match = getattr(request, "resolver_match", None)
        level = logging.DEBUG if route == "/healthz" else logging.INFO
        request_logger.log(
            level,
            "%s %s %s",
            request.method,
            route,
            response.status_code,
            extra={
                "event": "request",
                "method": request.method,
                "route": route,
                "view": match.view_name if match else None,
                "status_code": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response
