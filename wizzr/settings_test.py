"""Settings for the test suite: the normal settings with the test switches turned on."""

import os

os.environ["WIZZR_TESTING"] = "1"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("WIZZR_REQUIRE_MFA", "0")

from wizzr.settings import *  # noqa: E402,F403

# Parallel runs on one machine each get their own test database.
if os.environ.get("WIZZR_TEST_DB_SUFFIX"):
    DATABASES["default"]["TEST"] = {"NAME": f"test_wizzr_{os.environ['WIZZR_TEST_DB_SUFFIX']}"}  # noqa: F405

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
# No virus scanner unless a test asks for the suite's own clamd (tests/clamd.py: clamd_scanner,
# clamd_down), so that a CLAMD_URL in the developer's environment never reaches the other tests.
CLAMD_URL = ""
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
