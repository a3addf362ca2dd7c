import pytest


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Uploaded files of a test go to its own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
