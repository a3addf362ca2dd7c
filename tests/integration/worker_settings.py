"""Settings of the Celery worker that the integration tests start: the test settings, a real broker
(REDIS_URL), the test database of the calling test run (DATABASE_URL) and a file mailer."""

import os

from wizzr.settings_test import *  # noqa: F403

CELERY_BROKER_URL = os.environ["REDIS_URL"]
CELERY_TASK_ALWAYS_EAGER = False
MAILERS = {
    "default": {
        "BACKEND": "tests.integration.mailer.JsonLinesBackend",
        "OPTIONS": {"path": os.environ["WIZZR_TEST_MAIL_FILE"]},
    }
}
