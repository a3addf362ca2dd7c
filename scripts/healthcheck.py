"""Container health check: GET /healthz on the local gunicorn, with a host name Django accepts.

Exit 0 when the app and its database answer, 1 otherwise.
"""

import os
import sys
import urllib.request

host = next((h.lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "localhost").split(",") if h.strip()), "localhost")
if host == "*":
    host = "localhost"
request = urllib.request.Request(
    f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz",
    headers={"Host": host.strip(), "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 - a fixed http URL
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:  # any failure means unhealthy
    print(f"unhealthy: {exc}", file=sys.stderr)
    sys.exit(1)
