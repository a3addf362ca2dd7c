"""A test-only mailer for worker processes: appends one JSON line per message to a file.

Configured with MAILERS = {"default": {"BACKEND": "tests.integration.mailer.JsonLinesBackend",
"OPTIONS": {"path": ...}}}; the test process reads the file to see what another process sent.
"""

from __future__ import annotations

import fcntl
import json

from django.core.mail.backends.base import BaseEmailBackend


class JsonLinesBackend(BaseEmailBackend):
    def __init__(self, *, path: str, **kwargs):
        super().__init__(**kwargs)
        self.path = path

    def send_messages(self, email_messages) -> int:
        with open(self.path, "a", encoding="utf-8") as out:
            fcntl.flock(out, fcntl.LOCK_EX)
            for message in email_messages:
                record = {
                    "to": list(message.to),
                    "subject": str(message.subject),
                    "message_id": message.extra_headers.get("Message-ID", ""),
                    "body": message.body,
                    "html": [alternative.content for alternative in getattr(message, "alternatives", [])],
                }
                out.write(json.dumps(record) + "\n")
        return len(email_messages)


def read_mail(path) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as source:
            return [json.loads(line) for line in source if line.strip()]
    except FileNotFoundError:
        return []
