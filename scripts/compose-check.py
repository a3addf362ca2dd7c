"""Validate docker-compose.yml with Docker Compose v2 (`config`, no engine needed) and .env.example.

Besides Compose's own validation, check the shape the README promises: the services, one image
for every app process, gunicorn without a control socket, and the proxy's upload limit derived
from the app's limits.

    python scripts/compose-check.py [path/to/docker-compose-binary]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = {"web", "worker", "beat", "migrate"}
SERVICES = APP_SERVICES | {"proxy", "postgres", "redis", "clamav"}
CLAMD_URL = "tcp://clamav:3310"


def compose_command(binary: str | None) -> list[str]:
    if binary and Path(binary).exists():
        return [binary]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return ["docker", "compose"]


def main(binary: str | None) -> int:
    command = [*compose_command(binary), "--project-directory", str(ROOT), "--env-file", str(ROOT / ".env.example"),
               "-f", str(ROOT / "docker-compose.yml"), "config", "--format", "json"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stderr.strip())
        print("docker compose config: FAILED")
        return 1
    config = json.loads(result.stdout)
    services = config["services"]
    problems = []
    if set(services) != SERVICES:
        problems.append(f"services are {sorted(services)}, expected {sorted(SERVICES)}")
    images = {services[name].get("image") for name in APP_SERVICES if name in services}
    if len(images) != 1:
        problems.append(f"web, worker, beat and migrate should share one image, found {images}")
    if "postgres:18" not in services.get("postgres", {}).get("image", ""):
        problems.append("postgres should be PostgreSQL 18")
    clamav = services.get("clamav", {})
    if not clamav.get("image", "").startswith("clamav/clamav:") or "healthcheck" not in clamav:
        problems.append("clamav should run the official clamav/clamav image with a health check")
    if not any(v.get("target") == "/var/lib/clamav" for v in clamav.get("volumes", [])):
        problems.append("clamav should keep its signature database in a volume")
    for name in ("web", "worker"):
        service = services.get(name, {})
        if service.get("environment", {}).get("CLAMD_URL") != CLAMD_URL or "clamav" not in service.get("depends_on", {}):
            problems.append(f"{name} should depend on clamav and scan uploads through CLAMD_URL={CLAMD_URL}")
    dockerfile = (ROOT / "Dockerfile").read_text()
    if "--no-control-socket" not in dockerfile or "USER wizzr" not in dockerfile:
        problems.append("the image should run gunicorn with --no-control-socket as a non-root user")
    nginx = (ROOT / "deploy" / "nginx" / "default.conf.template").read_text()
    limit = (ROOT / "deploy" / "nginx" / "15-wizzr-upload-limit.envsh").read_text()
    if "client_max_body_size ${PROXY_MAX_BODY_MB}m;" not in nginx or "UPLOAD_MAX_FILE_MB" not in limit:
        problems.append("the proxy's client_max_body_size should follow UPLOAD_MAX_FILE_MB")
    for problem in problems:
        print(f"compose check: {problem}")
    if problems:
        return 1
    print(f"docker compose config: OK ({len(services)} services, app image {images.pop()})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))
