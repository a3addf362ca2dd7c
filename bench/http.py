"""A minimal HTTP client for benchmarks: keeps cookies (also Secure ones, over loopback HTTP)."""

from __future__ import annotations

import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode


class Client:
    def __init__(self, host: str, port: int, timeout: float = 120.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body: dict | None = None, headers: dict | None = None):
        """Return (status, headers, body bytes, seconds from sending to the last byte)."""
        data = urlencode(body).encode() if body is not None else None
        all_headers = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, response.headers, content, elapsed

    def get(self, path: str, params: dict | None = None, headers: dict | None = None):
        return self.request("GET", path + ("?" + urlencode(params) if params else ""), headers=headers)

    def login(self, email: str, password: str) -> None:
        """Log in through the real allauth form; raises RuntimeError when that fails."""
        status, _headers, content, _ = self.get("/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not match:
            raise RuntimeError(f"login page answered {status}")
        status, headers, _content, _ = self.request(
            "POST", "/accounts/login/",
            body={"csrfmiddlewaretoken": match.group(1).decode(), "login": email, "password": password},
        )
        if status != 302 or "/accounts/login" in (headers.get("Location") or ""):
            raise RuntimeError(f"login failed with {status}")
