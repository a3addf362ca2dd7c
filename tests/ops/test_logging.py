"""Structured logs: one JSON object per line, requests logged by route, no secrets or personal data."""

import io
import json
import logging

import pytest

from wizzr.logging import JsonFormatter


@pytest.fixture
def log_lines():
    """Capture what the configured stdout handler writes (its formatter and filters as in settings)."""
    [handler] = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    stream = io.StringIO()
    old_stream = handler.setStream(stream)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handler.setStream(old_stream)
        root.setLevel(old_level)


def test_a_record_is_one_json_object_with_time_level_logger_and_message(log_lines):
    logging.getLogger("wizzr.test").warning("outbox %s pending", 3, extra={"event": "outbox_pending"})

    [line] = log_lines()
    assert line["level"] == "WARNING"
    assert line["logger"] == "wizzr.test"
    assert line["message"] == "outbox 3 pending"
    assert line["event"] == "outbox_pending"
    assert line["time"].endswith("+00:00")


def test_an_exception_is_logged_with_its_traceback(log_lines):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("wizzr.test").exception("delivery failed")

    [line] = log_lines()
    assert "ValueError: boom" in line["exception"]


def test_objects_passed_as_extra_are_not_written(log_lines):
    class Person:
        def __str__(self):
            return "Jan Jansen, jan@example.org"

    logging.getLogger("wizzr.test").info("seen", extra={"request": Person(), "who": Person(), "count": 2})

    [line] = log_lines()
    assert "jan@example.org" not in json.dumps(line)
    assert line["count"] == 2


@pytest.mark.django_db
def test_a_request_is_logged_with_method_route_status_and_duration(client, log_lines):
    client.get("/toegankelijkheid/?q=jan@example.org")

    [line] = [entry for entry in log_lines() if entry.get("event") == "request"]
    assert line["method"] == "GET"
    assert line["route"] == "/toegankelijkheid/"
    assert line["status_code"] == 200
    assert isinstance(line["duration_ms"], float)
    assert "jan@example.org" not in json.dumps(line)


@pytest.mark.django_db
def test_a_secret_token_in_the_path_never_reaches_the_log(client, log_lines):
    token = "s3cr3t-invitation-token-abc"

    response = client.get(f"/uitnodiging/{token}/")

    assert response.status_code == 404
    lines = log_lines()
    assert any(entry.get("route") == "/uitnodiging/<str:token>/" for entry in lines)
    assert token not in json.dumps(lines)


@pytest.mark.django_db
def test_an_unknown_path_is_logged_without_the_path(client, log_lines):
    client.get("/no-such-page/jan@example.org")

    lines = log_lines()
    assert any(entry.get("route") == "<unmatched>" and entry.get("status_code") == 404 for entry in lines)
    assert "jan@example.org" not in json.dumps(lines)


@pytest.mark.django_db
def test_a_health_check_is_logged_at_debug_level_only(client, log_lines):
    client.get("/healthz")

    [line] = [entry for entry in log_lines() if entry.get("event") == "request"]
    assert line["level"] == "DEBUG"


@pytest.mark.django_db
@pytest.mark.urls("tests.ops.broken_urls")
def test_a_server_error_is_logged_by_route_with_its_traceback(client, log_lines):
    client.raise_request_exception = False
    token = "s3cr3t-reset-token-xyz"

    response = client.get(f"/kapot/{token}/?email=jan@example.org")

    assert response.status_code == 500
    lines = log_lines()
    [error] = [entry for entry in lines if entry["logger"] == "django.request"]
    assert "RuntimeError: kapot" in error["exception"]
    assert error["route"] == "/kapot/<str:token>/"
    assert error["message"] == "Internal Server Error: /kapot/<str:token>/"
    assert token not in json.dumps(lines)
    assert "jan@example.org" not in json.dumps(lines)
