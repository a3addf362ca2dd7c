"""Production settings and their documentation.

Django's deployment checklist must pass with production settings, and every environment variable
that settings.py reads must be documented in .env.example and in the README's configuration table.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV_READ = re.compile(r"""env_(?:str|bool|int|list)\(\s*["']([A-Z0-9_]+)["']""")


def settings_variables() -> set[str]:
    return set(ENV_READ.findall((ROOT / "wizzr" / "settings.py").read_text()))


def production_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIZZR_", "DJANGO_"))}
    for name in settings_variables() - {"DATABASE_URL", "CACHE_URL", "REDIS_URL"}:
        env.pop(name, None)
    env.update(DJANGO_SETTINGS_MODULE="wizzr.settings", **overrides)
    return env


def test_settings_read_a_handful_of_variables():
    assert {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "SMTP_HOST"} <= settings_variables()


def test_every_variable_settings_reads_is_in_env_example():
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", example, flags=re.MULTILINE))

    missing = settings_variables() - documented
    assert not missing, f"document these in .env.example: {sorted(missing)}"


def test_every_variable_settings_reads_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()

    missing = {name for name in settings_variables() if f"`{name}`" not in readme}
    assert not missing, f"add these to the configuration table of README.md: {sorted(missing)}"


def test_the_deployment_checklist_passes_with_production_settings():
    result = subprocess.run(
        ["bash", "scripts/deploy-check.sh"], cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checklist_fails_on_a_weak_secret_key():
    result = subprocess.run(
        ["bash", "scripts/deploy-check.sh"],
        cwd=ROOT,
        env=production_env(SECRET_KEY="short"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def production_values(**env: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ["
        "'DEBUG', 'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_REFERRER_POLICY', "
        "'WIZZR_REQUIRE_MFA', 'CELERY_TASK_ALWAYS_EAGER']}"
        " | {'storage': s.STORAGES['staticfiles']['BACKEND'], 'mailer': s.MAILERS['default']['BACKEND']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(**env), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_hardened():
    values = production_values(SECRET_KEY="x" * 64, SMTP_HOST="smtp.example.org", REDIS_URL="redis://127.0.0.1:1/0")

    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] in {"same-origin", "strict-origin", "no-referrer"}
    assert values["WIZZR_REQUIRE_MFA"] is True
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["mailer"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "path", ["Dockerfile", "docker-compose.yml", ".env.example", "deploy/nginx/default.conf.template"]
)
def test_the_deployment_files_exist(path):
    assert (ROOT / path).is_file()
